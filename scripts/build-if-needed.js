#!/usr/bin/env node
// `npm start` builds first when a build is missing or older than its sources: the API
// (dist/backend) and the console (dist/console) are judged and rebuilt separately.
//   node scripts/build-if-needed.js            both
//   node scripts/build-if-needed.js --api      the API only (openapi, fleet)
//   node scripts/build-if-needed.js --console  the console only (browser specs)
const { execSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');

function newestMtime(dir, extensions) {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, name.name);
    if (name.isDirectory()) newest = Math.max(newest, newestMtime(path, extensions));
    else if (extensions.some((ext) => name.name.endsWith(ext))) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

function stale(entry, dirs, files, extensions) {
  if (!existsSync(entry)) return true;
  const sources = dirs.map((d) => join(root, d)).filter(existsSync);
  const newest = Math.max(
    ...sources.map((d) => newestMtime(d, extensions)),
    ...files
      .map((f) => join(root, f))
      .filter(existsSync)
      .map((f) => statSync(f).mtimeMs),
  );
  return newest > statSync(entry).mtimeMs;
}

const targets = {
  api: () =>
    stale(
      join(root, 'dist/backend/src/main.js'),
      ['backend/src', 'backend/scripts', 'migrations', 'tools', 'bench', 'scripts'],
      ['package.json', 'tsconfig.json', 'tsconfig.build.json'],
      ['.ts'],
    ),
  // The console's types come from openapi.json, so an API contract change rebuilds it too.
  console: () =>
    stale(
      join(root, 'dist/console/browser/index.html'),
      ['frontend/src'],
      [
        'openapi.json',
        'frontend/package.json',
        'frontend/angular.json',
        'frontend/tsconfig.json',
        'frontend/tsconfig.app.json',
      ],
      ['.ts', '.html', '.scss', '.css'],
    ),
};

const args = process.argv.slice(2);
const wanted = args.includes('--api')
  ? ['api']
  : args.includes('--console')
    ? ['console']
    : ['api', 'console'];
// What each build does and roughly how long it takes on a first start (2 cores); a rebuild
// after a change takes about as long.
const about = {
  api: 'compiling the API server from TypeScript (tsc), about 30 s',
  console: 'building the Angular admin console (ng build), about 1-2 minutes',
};
for (const target of wanted) {
  if (!targets[target]()) continue;
  const started = Date.now();
  process.stdout.write(
    `hostwatch: ${about[target]} (npm run build:${target}); this happens when the build is missing or older than its sources...\n`,
  );
  execSync(`npm run build:${target} --silent`, { cwd: root, stdio: 'inherit' });
  process.stdout.write(
    `hostwatch: built the ${target === 'api' ? 'API' : 'console'} in ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
}
