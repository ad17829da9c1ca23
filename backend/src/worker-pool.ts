import { fork, type ChildProcess } from 'node:child_process';
import { Logger } from '@nestjs/common';

/**
 * WORKER_PROCESSES: the worker role on several processes of one machine, so that probes (whose
 * key exchange and signatures are CPU work on the event loop) use every core. The process that
 * `npm start` runs keeps all its roles and starts N − 1 extra processes with `APP_ROLES=worker`;
 * they share the queue through Redis like workers on other machines do. A worker that dies is
 * started again (after 1 s, doubling up to 30 s while it keeps dying); the pool stops its
 * workers when the process stops, and a worker stops when its parent is gone.
 */
export interface WorkerPool {
  readonly pids: number[];
  stop(): Promise<void>;
}

const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30000;
/** A worker that ran this long before dying is restarted at once, not after a growing delay. */
const STABLE_AFTER_MS = 60000;
const STOP_TIMEOUT_MS = 15000;

export function startWorkerPool(
  extraWorkers: number,
  entry: string,
  env: Record<string, string | undefined>,
  options: { handleSignals?: boolean; stopTimeoutMs?: number } = {},
): WorkerPool {
  const logger = new Logger('WorkerPool');
  const children = new Map<number, ChildProcess>();
  let stopping = false;

  const spawnWorker = (slot: number, delayMs: number): void => {
    const startedAt = Date.now();
    const child = fork(entry, [], {
      env: {
        ...env,
        APP_ROLES: 'worker',
        WORKER_PROCESSES: '1',
        HOSTWATCH_WORKER_SLOT: String(slot),
      },
      stdio: 'inherit',
    });
    children.set(slot, child);
    child.once('exit', (code, signal) => {
      children.delete(slot);
      if (stopping) return;
      const lived = Date.now() - startedAt;
      const next = lived > STABLE_AFTER_MS ? RESTART_MIN_MS : Math.min(delayMs * 2, RESTART_MAX_MS);
      logger.warn(
        `Worker process ${slot} (pid ${child.pid}) exited with ${signal ?? code}; restarting in ${next / 1000} s`,
      );
      setTimeout(() => {
        if (!stopping) spawnWorker(slot, next);
      }, next).unref();
    });
  };

  for (let slot = 1; slot <= extraWorkers; slot++) spawnWorker(slot, RESTART_MIN_MS / 2);
  logger.log(
    `Started ${extraWorkers} extra worker process(es) (WORKER_PROCESSES=${extraWorkers + 1})`,
  );

  const stop = async (): Promise<void> => {
    stopping = true;
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(
              () => child.kill('SIGKILL'),
              options.stopTimeoutMs ?? STOP_TIMEOUT_MS,
            );
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  };
  if (options.handleSignals !== false) {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => void stop());
  }
  process.once('exit', () => {
    for (const child of children.values()) child.kill('SIGTERM');
  });

  return {
    get pids() {
      return [...children.values()].map((c) => c.pid ?? 0);
    },
    stop,
  };
}

/** In a pool worker: shut down gracefully when the parent that started it is gone. */
export function followParent(): void {
  if (typeof process.send !== 'function') return;
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
