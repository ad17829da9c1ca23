import { isMap, isScalar, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { AnsibleInventory } from './ansible-inventory';
import { ImportFileError, type ImportRecord } from './import-record';
import { expandHostPattern } from './ansible-inventory';

/** Groups nested inside groups, at most (each level is read by a call of its own). */
const MAX_DEPTH = 100;

/**
 * An Ansible YAML inventory: top-level groups (usually `all`), each with `hosts` (name: vars),
 * `vars` and `children` (name: group). The yaml package holds the parsed document (YAML cannot
 * be read a host at a time); lines come from its node ranges.
 */
export function ansibleYamlRecords(text: string): ImportRecord[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined): number =>
    node?.range ? counter.linePos(node.range[0]).line : 1;
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new ImportFileError(
      `line ${e.linePos?.[0]?.line ?? 1}`,
      `not valid YAML: ${e.message.split('\n')[0]}`,
    );
  }
  const inventory = new AnsibleInventory();
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
    throw new ImportFileError('line 1', 'the inventory is empty');
  }
  if (!isMap(root))
    throw new ImportFileError(
      `line ${lineOf(root)}`,
      'an inventory is a mapping of groups (all: ...)',
    );

  const readGroup = (name: string, node: unknown, line: number, depth = 0): void => {
    if (depth > MAX_DEPTH) {
      throw new ImportFileError(`line ${line}`, `groups are nested more than ${MAX_DEPTH} deep`);
    }
    inventory.group(name, line);
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return;
    if (!isMap(node))
      throw new ImportFileError(
        `line ${line}`,
        `group '${name}' must be a mapping (hosts, vars, children)`,
      );
    for (const pair of (node as YAMLMap).items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const at = lineOf(pair.key as Node);
      const value = pair.value as Node | null;
      switch (key) {
        case 'hosts':
          for (const [hostName, hostNode, hostLine] of entries(value, at, `${name}.hosts`)) {
            const vars = scalarVars(hostNode, hostLine, hostName);
            let names: string[];
            try {
              names = expandHostPattern(hostName);
            } catch (error) {
              throw new ImportFileError(`line ${hostLine}`, (error as Error).message);
            }
            for (const n of names) inventory.addHost(n, hostLine, name, vars);
          }
          break;
        case 'vars':
          inventory.addGroupVars(name, at, scalarVars(value, at, `${name}.vars`));
          break;
        case 'children':
          for (const [child, childNode, childLine] of entries(value, at, `${name}.children`)) {
            inventory.addChild(name, child, childLine);
            readGroup(child, childNode, childLine, depth + 1);
          }
          break;
        default:
          throw new ImportFileError(
            `line ${at}`,
            `group '${name}' has '${key}'; a group has hosts, vars and children`,
          );
      }
    }
  };

  const entries = (node: unknown, line: number, what: string): [string, unknown, number][] => {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
    if (!isMap(node)) throw new ImportFileError(`line ${line}`, `${what} must be a mapping`);
    return (node as YAMLMap).items.map((p) => [
      isScalar(p.key) ? String(p.key.value) : '',
      p.value,
      lineOf(p.key as Node),
    ]);
  };

  const scalarVars = (node: unknown, line: number, what: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [key, value] of entries(node, line, what)) {
      // Only scalars matter to hostwatch (address, port, user); lists and maps are left alone.
      if (isScalar(value) && value.value !== null) out[key] = String(value.value);
    }
    return out;
  };

  for (const [name, node, line] of entries(root, 1, 'the inventory')) readGroup(name, node, line);
  return inventory.records();
}
