import 'reflect-metadata';
import { getPriority, setPriority } from 'node:os';
import { ConfigError, loadConfig } from './config/app-config';
import { startApp, StartupError } from './bootstrap';
import { handleShutdownSignals } from './shutdown';
import { followParent, startWorkerPool, type WorkerPool } from './worker-pool';

async function main(): Promise<void> {
  process.env.TZ = process.env.TZ ?? 'UTC';
  try {
    const config = loadConfig();
    followParent();
    if (config.workerNice > 0 && config.roles.size === 1 && config.hasRole('worker')) {
      lowerPriority(config.workerNice);
    }
    const started = await startApp(config);
    let pool: WorkerPool | null = null;
    if (config.hasRole('worker') && config.workerProcesses > 1) {
      // The pool's processes stop with this one (see shutdown.ts), each with its own grace.
      pool = startWorkerPool(config.workerProcesses - 1, __filename, process.env, {
        handleSignals: false,
        stopTimeoutMs: config.shutdownGraceMs + 10_000,
      });
    }
    handleShutdownSignals(started.app, { alongside: pool ? () => pool.stop() : undefined });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StartupError) {
      process.stderr.write(`hostwatch: ${error.message}\n`);
    } else {
      process.stderr.write(`hostwatch: failed to start: ${(error as Error)?.stack ?? error}\n`);
    }
    process.exit(1);
  }
}

/**
 * WORKER_NICE: a process whose only role is `worker` raises its nice value, so a saturated CPU
 * goes to the API and JIT checks first (anyone may lower their own priority).
 */
function lowerPriority(nice: number): void {
  try {
    if (getPriority() < nice) setPriority(nice);
  } catch (error) {
    process.stderr.write(
      `hostwatch: WORKER_NICE: could not set nice ${nice}: ${(error as Error).message}\n`,
    );
  }
}

void main();
