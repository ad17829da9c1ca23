#!/usr/bin/env node
// `npm start` builds first when dist/ is missing or older than any source file.
const { execSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const entry = join(root, 'dist/backend/src/main.js');

function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, name.name);
    if (name.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (name.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const sources = ['backend/src', 'backend/scripts', 'migrations', 'tools', 'bench', 'scripts']
  .map((d) => join(root, d))
  .filter(existsSync);
const stale =
  !existsSync(entry) ||
  Math.max(...sources.map(newestMtime), statSync(join(root, 'package.json')).mtimeMs) >
    statSync(entry).mtimeMs;

if (stale) {
  process.stdout.write('hostwatch: building (npm run build)...\n');
  execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
}
