import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';

/**
 * Imports point down the layers (STYLE.md, "Layers"): ESLint refuses an upward import, and,
 * apart from the rule table, the real folder graph of backend/src must have no loop.
 */
const ROOT = resolve(__dirname, '../..');
const SRC = join(ROOT, 'backend/src');
const APP = '(app)';

interface Layer {
  rank: number;
  folder: string;
  main?: string;
  role?: string;
  planned?: boolean;
}

interface LintCase {
  filePath: string;
  code: string;
}

interface LintMessage {
  line: number;
  message: string;
}

/**
 * ESLint loads eslint.config.mjs with a dynamic import, which jest's module runtime cannot do;
 * a plain Node process runs the same Node API (new ESLint + lintText) and reports back.
 */
const LINT_SCRIPT = `
const { ESLint } = require('eslint');
const { pathToFileURL } = require('node:url');
const [root, casesJson] = process.argv.slice(1);
(async () => {
  const { LAYERS, APP_RANK } = await import(pathToFileURL(root + '/eslint.config.mjs').href);
  const eslint = new ESLint({ cwd: root });
  const results = [];
  for (const c of JSON.parse(casesJson)) {
    const [result] = await eslint.lintText(c.code, { filePath: root + '/' + c.filePath });
    results.push(
      result.messages
        .filter((m) => m.ruleId === 'no-restricted-imports' || m.fatal)
        .map((m) => ({ line: m.line, message: m.message })),
    );
  }
  process.stdout.write(JSON.stringify({ layers: LAYERS, appRank: APP_RANK, results }));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

async function lint(
  cases: LintCase[],
): Promise<{ layers: Layer[]; appRank: number; results: LintMessage[][] }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['-e', LINT_SCRIPT, ROOT, JSON.stringify(cases)],
    { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout);
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? tsFiles(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/** The folder of backend/src a file belongs to; APP for the files directly in it. */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length > 1 ? parts[0] : APP;
}

function resolveImport(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

/** Folder -> folders it imports from, over every relative import of every file (specs too). */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of tsFiles(SRC)) {
    const from = folderOf(file);
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolveImport(file, fileName);
      if (!target || relative(SRC, target).startsWith('..')) continue;
      const to = folderOf(target);
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      // One example import per edge, for the failure message.
      if (!graph.get(from)!.has(to))
        graph.get(from)!.set(to, `${relative(SRC, file)} imports '${fileName}'`);
    }
  }
  return graph;
}

/** A loop in a directed graph, as the nodes along it (first repeated at the end), or null. */
function findCycle(graph: Map<string, Iterable<string>>): string[] | null {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    const at = path.indexOf(node);
    if (at >= 0) return [...path.slice(at), node];
    if (done.has(node)) return null;
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(node);
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe('layers', () => {
  const cases: LintCase[] = [
    {
      // An upward import on line 1; downward and same-folder imports after it.
      filePath: 'backend/src/hosts/x.ts',
      code: [
        "import { MonitoringService } from '../monitoring/monitoring.service';",
        "import { AuditService } from '../audit/audit.service';",
        "import { SettingsModule } from '../settings/settings.module';",
        "import { toHostResponse } from './hosts.service';",
        "import { priorityFor } from '../state-machine';",
        'export const all = [MonitoringService, AuditService, SettingsModule, toHostResponse, priorityFor];',
      ].join('\n'),
    },
    {
      // Two levels down: `auth` inside common/ is not the auth/ folder.
      filePath: 'backend/src/hosts/dto/x.ts',
      code: [
        "import type { Identity } from '../../common/auth/identity';",
        "export type { HostEvent } from './host-event.dto';",
        "import { AuthGuard } from '../../auth/auth.guard';",
        "export type { EventsService } from '../../events/events.service';",
        'export const all: [Identity | null, unknown] = [null, AuthGuard];',
      ].join('\n'),
    },
    {
      filePath: 'backend/src/state-machine/x.ts',
      code: [
        "import { Injectable } from '@nestjs/common';",
        "import { randomUUID } from 'node:crypto';",
        "import { readFileSync } from 'fs';",
        "import { Repository } from 'typeorm';",
        "import { Clock } from '../common/clock';",
        "import { DEFAULT_POLICY } from './policy';",
        'export const all = [Injectable, randomUUID, readFileSync, Repository, Clock, DEFAULT_POLICY];',
      ].join('\n'),
    },
    {
      // The app layer sits above every folder: no folder may import it.
      filePath: 'backend/src/common/x.ts',
      code: [
        "import { createDataSource } from '../data-source';",
        "import { Clock } from './clock';",
        'export const all = [createDataSource, Clock];',
      ].join('\n'),
    },
    {
      filePath: 'backend/src/x.ts',
      code: [
        "import { HealthModule } from './health/health.module';",
        "import { ENTITIES } from './data-source';",
        'export const all = [HealthModule, ENTITIES];',
      ].join('\n'),
    },
  ];
  let linted: Awaited<ReturnType<typeof lint>>;

  beforeAll(async () => {
    linted = await lint(cases);
  }, 60_000);

  const errorLines = (i: number) => linted.results[i].map((m) => m.line);

  it('ESLint refuses an upward import and lets downward and same-folder imports pass', () => {
    expect(errorLines(0)).toEqual([1]);
    expect(linted.results[0][0].message).toContain("'../monitoring/monitoring.service'");
    expect(linted.results[0][0].message).toContain('hosts/ is layer 9');
  });

  it('ESLint judges a nested file by the folder the import lands in, not by its words', () => {
    expect(errorLines(1)).toEqual([3, 4]);
  });

  it('ESLint keeps state-machine/ free of Nest, TypeORM, Node built-ins and other folders', () => {
    expect(errorLines(2)).toEqual([1, 2, 3, 4, 5]);
    const messages = linted.results[2].map((m) => m.message).join('\n');
    expect(messages).toContain("'@nestjs/common'");
    expect(messages).toContain("'node:crypto'");
    expect(messages).toContain("'fs'");
  });

  it('ESLint refuses an import of the app layer from a folder, and the app layer imports anything', () => {
    expect(errorLines(3)).toEqual([1]);
    expect(errorLines(4)).toEqual([]);
  });

  it('every folder of backend/src has a rank, and its main file names its layer', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    const byFolder = new Map(linted.layers.map((l) => [l.folder, l]));
    expect(folders.filter((f) => !byFolder.get(f)?.main)).toEqual([]);

    const expected = folders.map((folder) => {
      const layer = byFolder.get(folder)!;
      const lower = linted.layers
        .filter((l) => l.rank < layer.rank && folders.includes(l.folder))
        .map((l) => l.folder);
      const allowed = lower.length ? lower.join(', ') : 'nothing outside itself';
      return `${folder}/${layer.main}: // Layer ${layer.rank} (${layer.role}): may import ${allowed}.`;
    });
    expected.push(`app.module.ts: // Layer ${linted.appRank} (app): may import every folder.`);
    const actual = expected.map((line) => {
      const file = line.slice(0, line.indexOf(': '));
      return `${file}: ${readFileSync(join(SRC, file), 'utf8').split('\n', 1)[0]}`;
    });
    expect(actual).toEqual(expected);
  });

  it('the folder graph of backend/src has no loop', () => {
    const graph = folderGraph();
    const cycle = findCycle(new Map([...graph].map(([from, to]) => [from, to.keys()])));
    const evidence = cycle?.slice(1).map((to, i) => graph.get(cycle[i])!.get(to));
    expect({ cycle, evidence }).toEqual({ cycle: null, evidence: undefined });
  });

  it('every folder-to-folder import, resolved on disk, points down the ranks', () => {
    const rank = new Map(linted.layers.map((l) => [l.folder, l.rank]));
    rank.set(APP, linted.appRank);
    const upward = [...folderGraph()].flatMap(([from, to]) =>
      [...to]
        .filter(([folder]) => !(rank.get(folder)! < rank.get(from)!))
        .map(([, example]) => example),
    );
    expect(upward).toEqual([]);
  });

  it('the loop finder finds a loop (so the check above can fail)', () => {
    const g = (edges: Record<string, string[]>) => new Map(Object.entries(edges));
    expect(findCycle(g({ a: ['b'], b: ['c'], c: [] }))).toBeNull();
    expect(findCycle(g({ a: ['b'], b: ['c'], c: ['a'] }))).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(g({ x: ['a'], a: ['b'], b: ['a'] }))).toEqual(['a', 'b', 'a']);
  });
});
