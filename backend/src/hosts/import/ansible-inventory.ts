import { isIP } from 'node:net';
import { ImportFileError, ImportRecord } from './import-record';

/** Hosts one inventory may name, ranges expanded: a few bytes of ranges cannot ask for more. */
export const MAX_INVENTORY_HOSTS = 200_000;

/** Groups every host is in, which become no tag. */
const IMPLICIT_GROUPS = new Set(['all', 'ungrouped']);

interface InventoryHost {
  name: string;
  line: number;
  vars: Record<string, string>;
  groups: Set<string>;
}

interface InventoryGroup {
  name: string;
  line: number;
  vars: Record<string, string>;
  children: { name: string; line: number }[];
}

/**
 * An Ansible inventory as read from INI or YAML: hosts with their own vars and groups, groups
 * with their vars and children. `records()` turns it into import records: a host's tags are
 * its groups and every group above them (children make their parents' groups tags too), and
 * `ansible_host`, `ansible_port` and `ansible_user` (the host's own, else its nearest group's)
 * give the address, port and username.
 */
export class AnsibleInventory {
  private readonly hosts = new Map<string, InventoryHost>();
  private readonly groups = new Map<string, InventoryGroup>();

  group(name: string, line: number): InventoryGroup {
    let group = this.groups.get(name);
    if (!group) {
      group = { name, line, vars: {}, children: [] };
      this.groups.set(name, group);
    }
    return group;
  }

  /** A host seen in a group (a host listed in several groups is one host, first line kept). */
  addHost(name: string, line: number, group: string, vars: Record<string, string>): void {
    let host = this.hosts.get(name);
    if (!host) {
      if (this.hosts.size >= MAX_INVENTORY_HOSTS) {
        throw new ImportFileError(
          `line ${line}`,
          `the inventory names more than ${MAX_INVENTORY_HOSTS} hosts; split it`,
        );
      }
      host = { name, line, vars: {}, groups: new Set() };
      this.hosts.set(name, host);
    }
    Object.assign(host.vars, vars);
    host.groups.add(group);
    this.group(group, line);
  }

  addChild(parent: string, child: string, line: number): void {
    this.group(parent, line).children.push({ name: child, line });
    this.group(child, line);
  }

  addGroupVars(group: string, line: number, vars: Record<string, string>): void {
    Object.assign(this.group(group, line).vars, vars);
  }

  /** The hosts as import records, in the order they first appear; throws on a loop of groups. */
  records(): ImportRecord[] {
    this.checkNoLoop();
    const parents = new Map<string, string[]>();
    for (const g of this.groups.values()) {
      for (const c of g.children) parents.set(c.name, [...(parents.get(c.name) ?? []), g.name]);
    }
    const records: ImportRecord[] = [];
    for (const host of [...this.hosts.values()].sort((a, b) => a.line - b.line)) {
      // Nearest groups last, so their vars win over those of the groups above them.
      const chain: string[] = [];
      const visit = (g: string) => {
        if (chain.includes(g)) return;
        for (const p of parents.get(g) ?? []) visit(p);
        chain.push(g);
      };
      for (const g of host.groups) visit(g);
      const vars: Record<string, string> = {};
      for (const g of chain) Object.assign(vars, this.groups.get(g)?.vars ?? {});
      Object.assign(vars, host.vars);
      records.push({ line: host.line, values: this.valuesOf(host.name, vars, chain), errors: [] });
    }
    return records;
  }

  private valuesOf(
    name: string,
    vars: Record<string, string>,
    groups: string[],
  ): ImportRecord['values'] {
    const values: ImportRecord['values'] = { hostname: name };
    const address = vars.ansible_host;
    // An address is probed as it is; a name in ansible_host is what hostwatch connects to.
    if (address !== undefined && isIP(address)) values.ip_address = address;
    else if (address !== undefined) values.hostname = address;
    if (vars.ansible_port !== undefined) values.port = vars.ansible_port;
    if (vars.ansible_user !== undefined) values.username = vars.ansible_user;
    const tags = groups.filter((g) => !IMPLICIT_GROUPS.has(g));
    values.tags = tags.join(';');
    return values;
  }

  /** A group that is its own child, however deep: a 400 naming the line that closes the loop. */
  private checkNoLoop(): void {
    const state = new Map<string, 'open' | 'done'>();
    const walk = (name: string, path: string[]): void => {
      state.set(name, 'open');
      for (const child of this.groups.get(name)?.children ?? []) {
        const s = state.get(child.name);
        if (s === 'open') {
          const loop = [...path.slice(path.indexOf(child.name)), child.name];
          throw new ImportFileError(
            `line ${child.line}`,
            `the groups' children make a loop: ${loop.join(' → ')}`,
          );
        }
        if (s === undefined) walk(child.name, [...path, child.name]);
      }
      state.set(name, 'done');
    };
    for (const name of this.groups.keys()) if (!state.has(name)) walk(name, [name]);
  }
}

/**
 * Ansible host patterns with ranges: `web[01:03].example.com` is web01, web02 and web03 (the
 * width of the first bound is kept), `db-[a:c]` is db-a, db-b and db-c, and `[1:9:2]` steps by 2.
 */
export function expandHostPattern(pattern: string): string[] {
  if (patternSize(pattern) > MAX_INVENTORY_HOSTS) {
    throw new Error(`${pattern} names more than ${MAX_INVENTORY_HOSTS} hosts`);
  }
  return expand(pattern);
}

/** How many names a pattern expands to, without expanding it. */
function patternSize(pattern: string): number {
  let size = 1;
  for (const m of pattern.matchAll(/\[([0-9]+|[a-z]):([0-9]+|[a-z])(?::([0-9]+))?\]/gi)) {
    const numeric = /^[0-9]+$/.test(m[1]);
    const start = numeric ? Number(m[1]) : m[1].charCodeAt(0);
    const end = numeric ? Number(m[2]) : m[2].charCodeAt(0);
    const step = Math.max(1, m[3] ? Number(m[3]) : 1);
    size *= Math.max(1, Math.floor((end - start) / step) + 1);
    if (size > MAX_INVENTORY_HOSTS) return size;
  }
  return size;
}

function expand(pattern: string): string[] {
  const m = /^(.*?)\[([0-9]+|[a-z]):([0-9]+|[a-z])(?::([0-9]+))?\](.*)$/i.exec(pattern);
  if (!m) return [pattern];
  const [, before, from, to, stepText, after] = m;
  const step = stepText ? Number(stepText) : 1;
  if (step < 1) throw new Error(`the range in ${pattern} has a step below 1`);
  const out: string[] = [];
  const numeric = /^[0-9]+$/.test(from);
  if (numeric !== /^[0-9]+$/.test(to))
    throw new Error(`the range in ${pattern} mixes digits and letters`);
  const start = numeric ? Number(from) : from.charCodeAt(0);
  const end = numeric ? Number(to) : to.charCodeAt(0);
  if (end < start) throw new Error(`the range in ${pattern} runs backwards`);
  if ((end - start) / step > 100_000)
    throw new Error(`the range in ${pattern} names too many hosts`);
  for (let i = start; i <= end; i += step) {
    const part = numeric ? String(i).padStart(from.length, '0') : String.fromCharCode(i);
    for (const rest of expand(after)) out.push(`${before}${part}${rest}`);
  }
  return out;
}
