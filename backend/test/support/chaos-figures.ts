/**
 * The figures a chaos run measured (checks lost and duplicated, seconds to recover), printed
 * and kept in test-artifacts/chaos/<name>.json, from which docs/resilience.md quotes them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, '..', '..', '..', 'test-artifacts', 'chaos');

export function recordFigures(name: string, figures: Record<string, unknown>): void {
  const text = JSON.stringify({ name, at: new Date().toISOString(), ...figures }, null, 2);
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, `${name}.json`), `${text}\n`);
  process.stdout.write(`chaos figures (${name}): ${JSON.stringify(figures)}\n`);
}
