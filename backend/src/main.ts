import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/app-config';
import { startApp, StartupError } from './bootstrap';
import { followParent, startWorkerPool } from './worker-pool';

async function main(): Promise<void> {
  process.env.TZ = process.env.TZ ?? 'UTC';
  try {
    const config = loadConfig();
    followParent();
    await startApp(config);
    if (config.hasRole('worker') && config.workerProcesses > 1) {
      startWorkerPool(config.workerProcesses - 1, __filename, process.env);
    }
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
