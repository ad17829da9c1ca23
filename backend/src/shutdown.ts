import type { INestApplicationContext } from '@nestjs/common';
import { Logger, Type } from '@nestjs/common';
import type { Worker } from 'bullmq';
import { AppConfig } from './config/app-config';
import { EventsService } from './events/events.service';
import { HealthService } from './health/health.service';
import { CheckWorkerHost, checkWorkerClass } from './monitoring/queue/check.processor';
import { JIT_QUEUE, MONITORING_QUEUE } from './monitoring/queue/monitoring.constants';
import { NotificationsProcessor } from './notifications/queue/notifications.processor';
import { SchedulerService } from './scheduler/scheduler.service';

/** After the grace period, what is left (closing connections) gets this much more. */
const CLOSE_MARGIN_MS = 5000;

export interface ShutdownOptions {
  /**
   * Other work stopped at the same time, and waited for before closing (the worker pool's
   * processes, which run their own shutdown).
   */
  alongside?: () => Promise<void>;
  /** How to end the process; process.exit outside tests. */
  exit?: (code: number) => void;
}

/**
 * A provider of a module that the process's roles load. (Asking Nest for one that is not
 * loaded would end the process: its exception zone aborts.)
 */
function find<T>(app: INestApplicationContext, type: Type<T>, loaded = true): T | undefined {
  return loaded ? app.get(type, { strict: false }) : undefined;
}

function sleep(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
}

/**
 * A graceful stop, in this order, each step logged:
 * 1. readiness answers 503, so a load balancer stops sending traffic;
 * 2. the producer stops claiming hosts;
 * 3. workers stop taking jobs, and the jobs they run get SHUTDOWN_GRACE_MS to finish; a job
 *    still running then is cut off: its lock lapses and another worker takes it up again as a
 *    stalled job, where checks already recorded are not applied again (task ids are unique);
 * 4. live-event streams get a last message (with its `retry:` field) and end;
 * 5. the HTTP server, the queues, Redis and the database pool are closed;
 * then the process exits with 0, or with 1 if closing took CLOSE_MARGIN_MS past the grace.
 */
export async function shutdown(
  app: INestApplicationContext,
  signal: string,
  options: ShutdownOptions = {},
): Promise<void> {
  const logger = new Logger('Shutdown');
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const config = app.get(AppConfig);
  const grace = config.shutdownGraceMs;
  const hard = setTimeout(() => {
    logger.error(`Not stopped ${grace + CLOSE_MARGIN_MS} ms after ${signal}: exiting now`);
    exit(1);
  }, grace + CLOSE_MARGIN_MS);
  hard.unref();
  const started = Date.now();
  logger.log(`${signal}: stopping; work in flight has ${grace} ms (SHUTDOWN_GRACE_MS) to finish`);

  find(app, HealthService)?.markShuttingDown();
  const others = options
    .alongside?.()
    .catch((error: Error) => logger.warn(`Stopping the worker processes failed: ${error.message}`));

  const scheduler = find(app, SchedulerService, config.hasRole('scheduler'));
  if (scheduler) {
    await scheduler.stop();
    logger.log('Producer stopped: no more hosts are claimed');
  }

  // Which workers run in which roles: as AppModule.forRoot loads them.
  const scheduled = config.hasRole('worker');
  const jit = config.hasRole('jit-worker') || (scheduled && config.jitConcurrency > 0);
  const hosts = (
    [
      [checkWorkerClass(MONITORING_QUEUE), scheduled],
      [checkWorkerClass(JIT_QUEUE), jit],
      [NotificationsProcessor, scheduled],
    ] as Array<[Type<{ worker: Worker }> | null, boolean]>
  )
    .map(([type, loaded]) => (type ? find(app, type, loaded) : undefined))
    .filter((host): host is { worker: Worker } => host?.worker !== undefined);
  if (hosts.length > 0) {
    const running = hosts.reduce(
      (n, h) => n + (h instanceof CheckWorkerHost ? h.jobsInFlight : 0),
      0,
    );
    // pause() stops taking jobs at once and resolves once the running ones are over.
    const drained = Promise.all(hosts.map((h) => h.worker.pause().catch(() => undefined)));
    logger.log(`Workers take no more jobs; waiting for ${running} check job(s) in flight`);
    const left = Math.max(0, grace - (Date.now() - started));
    if ((await Promise.race([drained.then(() => 'done' as const), sleep(left)])) === 'timeout') {
      const cut = hosts.reduce(
        (n, h) => n + (h instanceof CheckWorkerHost ? h.jobsInFlight : 0),
        0,
      );
      logger.warn(
        `Grace period over: ${cut} check job(s) cut off; another worker takes them up once their lock lapses`,
      );
      await Promise.all(hosts.map((h) => h.worker.close(true).catch(() => undefined)));
    } else {
      logger.log('Jobs in flight finished');
    }
  }

  const events = find(app, EventsService);
  if (events) {
    const streams = events.listenerCount;
    events.disconnectAll();
    logger.log(`Closed ${streams} live-event stream(s) (clients reconnect by themselves)`);
  }

  if (others) {
    await others;
    logger.log('Worker processes stopped');
  }
  await app.close();
  logger.log(
    `Closed the HTTP server, queues, Redis and database connections; stopped in ${Date.now() - started} ms`,
  );
  clearTimeout(hard);
  exit(0);
}

/** SIGTERM and SIGINT run shutdown() once; a second signal while stopping is ignored. */
export function handleShutdownSignals(
  app: INestApplicationContext,
  options: ShutdownOptions = {},
): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void shutdown(app, signal, options).catch((error: Error) => {
        new Logger('Shutdown').error(`Shutdown failed: ${error.message}`);
        (options.exit ?? process.exit)(1);
      });
    });
  }
}
