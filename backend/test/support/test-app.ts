import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Queue } from 'bullmq';
import { getQueueToken } from '@nestjs/bullmq';
import { DataSource } from 'typeorm';
import { startApp } from '../../src/bootstrap';
import { Clock } from '../../src/common/clock';
import { loadConfig } from '../../src/config/app-config';
import { MONITORING_QUEUE } from '../../src/monitoring/queue/monitoring.constants';
import { testEnv } from './test-env';

export interface TestApp {
  app: INestApplicationContext;
  /** Present when the api role runs. */
  http: NestExpressApplication | null;
  url: string | null;
  dataSource: DataSource;
  queue: Queue;
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The real application, in this process, on the run's test database and its own Redis
 * prefix. Roles default to the API alone, so a spec decides whether checks run.
 */
export async function createTestApp(
  options: { roles?: string; env?: Record<string, string>; clock?: Clock } = {},
): Promise<TestApp> {
  const env = testEnv({ APP_ROLES: options.roles ?? 'api', ...options.env });
  const started = await startApp(loadConfig(env), options.clock);
  const dataSource = started.app.get(DataSource);
  const queue = started.app.get<Queue>(getQueueToken(MONITORING_QUEUE));
  return {
    app: started.app,
    http: started.http,
    url: started.url,
    dataSource,
    queue,
    env,
    close: async () => {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await started.app.close();
    },
  };
}
