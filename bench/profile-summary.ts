/**
 * node dist/bench/profile-summary.js DIR [--checks N] [--top N]
 *
 * Sums the V8 CPU profiles in DIR (written by `npm run bench -- --cpu-prof DIR`) by where the
 * time was spent: per package under node_modules, per app folder, Node's own internals, and
 * the garbage collector; then the functions with the most self time. With --checks N (the
 * checks in the profiled cycle) every figure is also given in CPU milliseconds per check.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function area(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const app = /\/dist\/(backend\/src\/[^/]+|[^/]+)/.exec(url);
  if (app) return app[1];
  return url;
}

function main(): void {
  const args = process.argv.slice(2);
  const dir = args[0];
  if (!dir) {
    process.stdout.write('usage: node dist/bench/profile-summary.js DIR [--checks N] [--top N]\n');
    process.exit(2);
  }
  const checks = Number(args[args.indexOf('--checks') + 1] ?? 0) || 0;
  const top = Number(args[args.indexOf('--top') + 1] ?? 0) || 30;
  const byArea = new Map<string, number>();
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  let idle = 0;
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    // Node's internals and natives are charged to the nearest caller that is a package or app code.
    const owner = (id: number): string => {
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const { url, functionName } = nodes.get(at)!.callFrame;
        const where = area(url, functionName);
        if (!where.startsWith('node:') && !where.startsWith('(')) return where;
      }
      return area(nodes.get(id)!.callFrame.url, nodes.get(id)!.callFrame.functionName);
    };
    profile.samples.forEach((id, i) => {
      const us = profile.timeDeltas[i] ?? 0;
      const node = nodes.get(id)!;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)') {
        idle += us;
        return;
      }
      total += us;
      const where = area(url, functionName);
      byArea.set(where, (byArea.get(where) ?? 0) + us);
      const who = owner(id);
      byOwner.set(who, (byOwner.get(who) ?? 0) + us);
      const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    });
  }
  const line = (label: string, us: number) =>
    `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %` +
    (checks ? ` ${(us / 1000 / checks).toFixed(3).padStart(7)} ms/check` : '') +
    `  ${label}`;
  const out = (text: string) => process.stdout.write(`${text}\n`);
  out(
    `${files.length} profiles; busy ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms` +
      (checks
        ? `; ${checks} checks: ${(total / 1000 / checks).toFixed(3)} ms of CPU per check`
        : ''),
  );
  out('\nself time by area:');
  for (const [k, v] of [...byArea].sort((a, b) => b[1] - a[1])) out(line(k, v));
  out('\nself time by owner (Node internals charged to their caller):');
  for (const [k, v] of [...byOwner].sort((a, b) => b[1] - a[1])) out(line(k, v));
  out(`\ntop ${top} functions by self time:`);
  for (const [k, v] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) out(line(k, v));
}

main();
