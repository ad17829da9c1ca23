/**
 * Writes openapi.json at the repository root from the running code (`npm run openapi`).
 * The e2e suite fails when the committed document and the code disagree.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument, startApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, APP_ROLES: 'api', PORT: '0', LOG_LEVEL: 'warn' });
  const started = await startApp(config);
  try {
    const document = buildOpenApiDocument(started.http!);
    const target = join(__dirname, '..', '..', '..', 'openapi.json');
    writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
    process.stdout.write(`wrote ${target}\n`);
  } finally {
    await started.app.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
