import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/app-config';
import { startApp, StartupError } from './bootstrap';

async function main(): Promise<void> {
  process.env.TZ = process.env.TZ ?? 'UTC';
  try {
    await startApp(loadConfig());
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StartupError) {
      process.stderr.write(`hostwatch: ${error.message}\n`);
    } else {
      process.stderr.write(`hostwatch: failed to start: ${(error as Error)?.stack ?? error}\n`);
    }
    process.exit(1);
  }
}

void main();
