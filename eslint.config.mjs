import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';

/**
 * The layers of backend/src, lowest first (STYLE.md, "Layers (imports point down)"). A file
 * may import from its own folder and from folders of a lower rank, never from a higher rank,
 * from another folder of the same rank, or from the app layer (the files directly in
 * backend/src: app.module.ts, bootstrap.ts, main.ts, worker-pool.ts, data-source.ts), which sits
 * above every folder. The order is strict, so no folder-level import loop can form; a spec
 * (backend/src/layers.spec.ts) also checks the real folder graph for loops.
 *
 * `main` is the file whose first line names the layer. `planned` rows reserve a place for
 * modules not yet written: they sit between existing ranks (8.5), so adding one renumbers
 * nothing. A new folder needs a row here before any other folder may import it.
 */
// prettier-ignore
export const LAYERS = [
  { rank: 1,    folder: 'state-machine', main: 'index.ts',              role: 'pure rules, no I/O' },
  { rank: 2,    folder: 'common',        main: 'tokens.ts',             role: 'shared vocabulary and small helpers' },
  { rank: 3,    folder: 'config',        main: 'core.module.ts',        role: 'configuration and core providers' },
  { rank: 4,    folder: 'database',      main: 'ensure-database.ts',    role: 'generic database helpers' },
  { rank: 5,    folder: 'audit',         main: 'audit.module.ts',       role: 'domain, owns audit_log' },
  { rank: 6,    folder: 'users',         main: 'users.module.ts',       role: 'domain, owns users' },
  { rank: 7,    folder: 'credentials',   main: 'credentials.module.ts', role: 'domain, owns credentials' },
  { rank: 8,    folder: 'settings',      main: 'settings.module.ts',    role: 'domain, owns monitoring_settings' },
  { rank: 8.5,  folder: 'alerts',        main: 'alerts.module.ts',      role: 'domain, owns alerts and alert_events' },
  { rank: 9,    folder: 'hosts',         main: 'hosts.module.ts',       role: 'domain, owns hosts' },
  { rank: 10,   folder: 'auth',          main: 'auth.module.ts',        role: 'domain, owns sessions and tokens' },
  // Siblings: neither may import the other until one of them gets a rank of its own.
  { rank: 10.5, folder: 'notifications', main: 'notifications.module.ts', role: 'domain, owns notification_*' },
  { rank: 10.5, folder: 'maintenance',   main: 'maintenance.module.ts', role: 'domain, owns maintenance_windows' },
  { rank: 11,   folder: 'monitoring',    main: 'monitoring.module.ts',  role: 'probe, queue, apply; owns host_check_history' },
  { rank: 11.5, folder: 'fleet',         main: 'fleet.module.ts',       role: 'fleet operations: bulk actions' },
  { rank: 12,   folder: 'scheduler',     main: 'scheduler.module.ts',   role: 'cron that only enqueues' },
  { rank: 13,   folder: 'events',        main: 'events.module.ts',      role: 'live feed' },
  { rank: 14,   folder: 'health',        main: 'health.module.ts',      role: 'health check' },
  { rank: 14,   folder: 'metrics',       main: 'metrics.module.ts',     role: 'Prometheus metrics' },
  { rank: 15,   folder: 'console',       main: 'console-static.ts',     role: 'serves the admin console' },
];
/** The files directly in backend/src. */
export const APP_RANK = 16;

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What state-machine/ may not import even from node_modules: it stays plain TypeScript. */
const IMPURE = [
  { regex: '^@nestjs/', message: 'state-machine/ is plain TypeScript: no Nest.' },
  {
    regex: '^(typeorm|bullmq|ioredis|pg)(/|$)',
    message: 'state-machine/ does no I/O: no database, queue or Redis clients.',
  },
  {
    regex: `^(node:|(${builtinModules.map(escape).join('|')})(/|$))`,
    message:
      'state-machine/ does no I/O: no Node built-ins; time and randomness come in as arguments.',
  },
];

/**
 * One block per folder and per depth below it: a relative import that climbs exactly to
 * backend/src (`../` once per level) must then name the folder itself or a lower one. Anything
 * else there (a higher folder, a same-rank sibling, an app-layer file, an unranked folder) is
 * an upward import. Planned folders get their blocks now, so their first file is checked.
 */
function layerBlocks() {
  const blocks = [];
  for (const layer of LAYERS) {
    const lower = LAYERS.filter((l) => l.rank < layer.rank).map((l) => l.folder);
    const written = LAYERS.filter((l) => l.rank < layer.rank && !l.planned).map((l) => l.folder);
    const message =
      `${layer.folder}/ is layer ${layer.rank}: it may import ` +
      (written.length ? `only ${written.join(', ')} and itself` : 'nothing outside itself') +
      '. Move the shared piece down a layer (STYLE.md, "Layers"); the ranks are in eslint.config.mjs.';
    const names = [layer.folder, ...lower].map(escape).join('|');
    for (let depth = 1; depth <= 6; depth++) {
      blocks.push({
        files: [`backend/src/${layer.folder}/${'*/'.repeat(depth - 1)}*.ts`],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              patterns: [
                { regex: `^(\\.\\./){${depth}}(?!(${names})(/|$))[^./]`, message },
                ...(layer.rank === 1 ? IMPURE : []),
              ],
            },
          ],
        },
      });
    }
  }
  return blocks;
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'coverage/**',
      'test-artifacts/**',
      '**/.angular/**',
      'frontend/src/app/core/api/openapi.gen.ts',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message:
            'Read configuration through AppConfig (backend/src/config); only the config loader reads process.env.',
        },
      ],
    },
  },
  {
    files: [
      'backend/src/config/**/*.ts',
      'backend/test/**/*.ts',
      'backend/scripts/**/*.ts',
      'backend/src/main.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  ...layerBlocks(),
);
