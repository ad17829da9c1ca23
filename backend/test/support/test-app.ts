import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Queue } from 'bullmq';
import { getQueueToken } from '@nestjs/bullmq';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AccessTokenService } from '../../src/auth/access-token.service';
import { AuthService } from '../../src/auth/auth.service';
import type { UserRole } from '../../src/common/auth/roles';
import { startApp } from '../../src/bootstrap';
import { Clock } from '../../src/common/clock';
import { loadConfig } from '../../src/config/app-config';
import { JIT_QUEUE, MONITORING_QUEUE } from '../../src/monitoring/queue/monitoring.constants';
import { NOTIFICATIONS_QUEUE } from '../../src/notifications/queue/notifications.constants';
import { redisOptions } from '../../src/config/redis-connection';
import { UsersService } from '../../src/users/users.service';
import { TEST_ADMIN, testEnv } from './test-env';

export type Api = TestAgent;

export interface TestUser {
  id: string;
  username: string;
  password: string;
  role: UserRole;
  access_token: string;
  refresh_token: string;
  sessionId: string;
}

export interface TestApp {
  app: INestApplicationContext;
  /** Present when the api role runs. */
  http: NestExpressApplication | null;
  url: string | null;
  dataSource: DataSource;
  /** Scheduled checks. */
  queue: Queue;
  /** Just-in-time checks (their own queue and worker slots). */
  jitQueue: Queue;
  env: Record<string, string>;
  /** An access token of the first admin (ADMIN_USERNAME/ADMIN_PASSWORD), from a real login. */
  adminToken: string;
  /** supertest on the app, sending `Authorization: Bearer <token>` (the admin's by default). */
  api(token?: string | null): Api;
  /** A fresh user with this role, logged in: its tokens and session. */
  userWithRole(role: UserRole): Promise<TestUser>;
  /** A correctly signed access token for a session, issued `secondsAgo` in the past. */
  signAccessToken(userId: string, sessionId: string, secondsAgo?: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real application, in this process, on the run's test database and its own Redis
 * prefix. Roles default to the API alone, so a spec decides whether checks run. With the api
 * role, the admin logs in through POST /api/auth/login and `api()` sends its token.
 */
export async function createTestApp(
  options: { roles?: string; env?: Record<string, string>; clock?: Clock } = {},
): Promise<TestApp> {
  const env = testEnv({ APP_ROLES: options.roles ?? 'api', ...options.env });
  const started = await startApp(loadConfig(env), options.clock);
  const dataSource = started.app.get(DataSource);
  const queue = started.app.get<Queue>(getQueueToken(MONITORING_QUEUE));
  const jitQueue = started.app.get<Queue>(getQueueToken(JIT_QUEUE));
  const server = started.http?.getHttpServer();
  let adminToken = '';
  if (server) {
    const res = await request(server)
      .post('/api/auth/login')
      .send({ username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD ?? TEST_ADMIN.password });
    if (res.status !== 200) {
      await started.app.close();
      throw new Error(`test admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
    }
    adminToken = res.body.access_token;
  }
  const api = (token: string | null = adminToken): Api => {
    if (!server) throw new Error('api() needs the api role');
    const agent = request.agent(server);
    return token ? agent.set('Authorization', `Bearer ${token}`) : agent;
  };
  return {
    app: started.app,
    http: started.http,
    url: started.url,
    dataSource,
    queue,
    jitQueue,
    env,
    adminToken,
    api,
    userWithRole: async (role) => {
      const users = started.app.get(UsersService);
      const username = `${role}-${randomBytes(4).toString('hex')}`;
      const password = `pw-${randomBytes(12).toString('base64url')}`;
      const created = await users.create({ username, password, role });
      const entity = (await users.findEntityById(created.id))!;
      const pair = await started.app.get(AuthService).startSession(entity);
      const access = await started.app.get(AccessTokenService);
      const claims = (await access.verify(pair.access_token))!;
      return {
        id: created.id,
        username,
        password,
        role,
        access_token: pair.access_token,
        refresh_token: pair.refresh_token,
        sessionId: claims.sessionId,
      };
    },
    signAccessToken: (userId, sessionId, secondsAgo = 0) =>
      started.app
        .get(AccessTokenService)
        .issue({ userId, sessionId }, new Date(Date.now() - secondsAgo * 1000)),
    close: async () => {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await jitQueue.obliterate({ force: true }).catch(() => undefined);
      // The notifications queue exists only in worker processes: reach it directly.
      const notifications = new Queue(NOTIFICATIONS_QUEUE, {
        connection: redisOptions(env.REDIS_URL),
        prefix: env.QUEUE_PREFIX,
      });
      await notifications.obliterate({ force: true }).catch(() => undefined);
      await notifications.close();
      await started.app.close();
    },
  };
}
