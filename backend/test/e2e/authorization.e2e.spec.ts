import { request as httpRequest } from 'node:http';
import type { Response } from 'supertest';
import { AuthService } from '../../src/auth/auth.service';
import type { UserRole } from '../../src/common/auth/roles';
import { UsersService } from '../../src/users/users.service';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app';
import { cleanDatabase } from '../support/test-env';
import { requestOf, UNKNOWN_UUID } from './helpers';

type Access = 'public' | UserRole;

/**
 * Who may call what. Every route the app serves must be here: a new route fails the first
 * test until its row is added, so none can ship without a decision.
 */
const ROUTES: Record<string, Access> = {
  'GET /health': 'public',
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  // Public to sign-ins: it answers its own METRICS_TOKEN (and 404 without one configured).
  'GET /metrics': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/refresh': 'public',
  'GET /api/auth/oidc/login': 'public',
  'GET /api/auth/oidc/callback': 'public',
  'POST /api/auth/oidc/session': 'public',
  'GET /api/auth/providers': 'public',
  'POST /api/auth/logout': 'viewer',
  'GET /api/auth/me': 'viewer',
  'POST /api/auth/password': 'viewer',
  'POST /api/tokens': 'viewer',
  'GET /api/tokens': 'viewer',
  'DELETE /api/tokens/:id': 'viewer',
  'POST /api/users': 'admin',
  'GET /api/users': 'admin',
  'GET /api/users/:id': 'admin',
  'PATCH /api/users/:id': 'admin',
  'DELETE /api/users/:id': 'admin',
  'GET /api/audit': 'admin',
  'POST /api/hosts': 'admin',
  'GET /api/hosts': 'viewer',
  'GET /api/hosts/:id': 'viewer',
  'PATCH /api/hosts/:id': 'admin',
  'DELETE /api/hosts/:id': 'admin',
  'POST /api/hosts/:id/host-key/reset': 'operator',
  'POST /api/hosts/bulk': 'operator',
  'POST /api/hosts/import': 'admin',
  'GET /api/hosts/export': 'viewer',
  'POST /api/credentials': 'admin',
  'GET /api/credentials': 'admin',
  'GET /api/credentials/:id': 'admin',
  'PATCH /api/credentials/:id': 'admin',
  'DELETE /api/credentials/:id': 'admin',
  'POST /api/monitoring/hosts/:id/check-connectivity': 'operator',
  'POST /api/monitoring/check-connectivity': 'operator',
  'GET /api/monitoring/heartbeats': 'viewer',
  'GET /api/monitoring/transitions': 'viewer',
  'GET /api/monitoring/checks/:task_id': 'viewer',
  'GET /api/monitoring/hosts/:id/state': 'viewer',
  'GET /api/monitoring/hosts/:id/history': 'viewer',
  'GET /api/monitoring/history/export': 'viewer',
  'GET /api/monitoring/hosts/:id/uptime': 'viewer',
  'GET /api/monitoring/uptime': 'viewer',
  'GET /api/monitoring/uptime/hosts': 'viewer',
  'GET /api/monitoring/policy': 'viewer',
  'PUT /api/monitoring/policy': 'admin',
  'GET /api/monitoring/scheduler': 'viewer',
  'PUT /api/monitoring/scheduler': 'admin',
  'GET /api/monitoring/stats': 'viewer',
  'GET /api/monitoring/stats/history': 'viewer',
  'GET /api/events': 'viewer',
  'GET /api/alerts': 'viewer',
  'GET /api/alerts/:id': 'viewer',
  'POST /api/alerts/:id/ack': 'operator',
  'DELETE /api/alerts/:id/ack': 'operator',
  'POST /api/notifications/channels': 'admin',
  'GET /api/notifications/channels': 'admin',
  'GET /api/notifications/channels/:id': 'admin',
  'PATCH /api/notifications/channels/:id': 'admin',
  'DELETE /api/notifications/channels/:id': 'admin',
  'POST /api/notifications/channels/:id/test': 'admin',
  'POST /api/notifications/rules': 'admin',
  'GET /api/notifications/rules': 'admin',
  'GET /api/notifications/rules/:id': 'admin',
  'PATCH /api/notifications/rules/:id': 'admin',
  'DELETE /api/notifications/rules/:id': 'admin',
  'GET /api/notifications/deliveries': 'admin',
  'POST /api/maintenance-windows': 'operator',
  'GET /api/maintenance-windows': 'viewer',
  'GET /api/maintenance-windows/:id': 'viewer',
  'PATCH /api/maintenance-windows/:id': 'operator',
  'DELETE /api/maintenance-windows/:id': 'operator',
  // The OpenAPI UI and document (Express routes, checked by the same identity service).
  'GET /api/docs/swagger-ui-init.js': 'public',
  'GET /api/docs/docs/swagger-ui-init.js': 'public',
  'GET /api/docs/index.html': 'public',
  'GET /api/docs/LICENSE': 'public',
  'GET /api/docs/': 'public',
  'GET /api/docs': 'public',
  'GET /api/docs-json': 'public',
  'GET /api/docs-yaml': 'public',
};

const RANK: Record<UserRole, number> = { viewer: 0, operator: 1, admin: 2 };
const IDENTITIES = [
  'no identity',
  'viewer',
  'operator',
  'admin',
  'expired token',
  'revoked token',
  'tampered token',
  'operator API token',
  'revoked API token',
  'expired API token',
] as const;
type IdentityCase = (typeof IDENTITIES)[number];

interface RouteLayer {
  route?: {
    path: string;
    methods: Record<string, boolean>;
    stack: Array<{ method: string; name: string }>;
  };
}

/** The paths outside the /api prefix. */
const UNPREFIXED = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

/**
 * Every route Express serves, as `METHOD /path`, from the app's own router. Nest adds one
 * nameless every-verb route beside each path outside the /api prefix that only answers 404;
 * every other handler is a named controller method.
 */
function servedRoutes(app: TestApp): string[] {
  const router = (app.http!.getHttpAdapter().getInstance() as { router: { stack: RouteLayer[] } })
    .router;
  return router.stack.flatMap(({ route }) =>
    route
      ? route.stack
          .filter((handler) => !(handler.name === '<anonymous>' && UNPREFIXED.has(route.path)))
          .map((handler) => `${handler.method.toUpperCase()} ${route.path}`)
      : [],
  );
}

function expected(access: Access, who: IdentityCase): 'allowed' | 401 | 403 {
  if (access === 'public') return 'allowed';
  const role = who === 'operator API token' ? 'operator' : who;
  if (role === 'viewer' || role === 'operator' || role === 'admin') {
    return RANK[role] >= RANK[access] ? 'allowed' : 403;
  }
  return 401;
}

describe('Authorization: every route x every kind of identity', () => {
  let app: TestApp;
  const users = {} as Record<UserRole, TestUser>;
  const broken = {} as Record<
    Exclude<IdentityCase, 'no identity' | UserRole | 'operator API token'>,
    string
  >;
  let operatorApiToken = '';

  /** A token from a session of its own, so that a logout in one cell spares the others. */
  const tokenFor = async (role: UserRole): Promise<string> => {
    const user = await app.app.get(UsersService).findEntityById(users[role].id);
    return (await app.app.get(AuthService).startSession(user!)).access_token;
  };

  beforeAll(async () => {
    await cleanDatabase();
    app = await createTestApp({
      env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', JIT_RATE_LIMIT_PER_MINUTE: '1000' },
    });
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      users[role] = await app.userWithRole(role);
    }
    // Broken tokens all belong to an admin, so that only what is wrong with them refuses them.
    const admin = await app.userWithRole('admin');
    broken['expired token'] = await app.signAccessToken(admin.id, admin.sessionId, 3600);
    const revoked = await app.userWithRole('admin');
    await app.api(revoked.access_token).post('/api/auth/logout').expect(204);
    broken['revoked token'] = revoked.access_token;
    const [header, payload, signature] = admin.access_token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    claims.exp += 86400;
    broken['tampered token'] =
      `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    // API tokens of an admin account: one revoked, one expired.
    const apiToken = async (name: string, role: UserRole) =>
      (await app.api().post('/api/tokens').send({ name, role }).expect(201)).body as {
        id: string;
        token: string;
      };
    operatorApiToken = (await apiToken('operator', 'operator')).token;
    const revokedApi = await apiToken('revoked', 'admin');
    await app.api().delete(`/api/tokens/${revokedApi.id}`).expect(204);
    broken['revoked API token'] = revokedApi.token;
    const expiredApi = await apiToken('expired', 'admin');
    await app.dataSource.query(
      `UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [expiredApi.id],
    );
    broken['expired API token'] = expiredApi.token;
    // The untouched token works: what refuses the others is what was done to them.
    await app.api(admin.access_token).get('/api/auth/me').expect(200);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('has a decision for every route the app serves, and no row for a route it does not', () => {
    const served = servedRoutes(app).sort();
    const missing = served.filter((r) => !(r in ROUTES));
    const stale = Object.keys(ROUTES).filter((r) => !served.includes(r));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  /** Routes that answer with a never-ending text/event-stream. */
  const STREAMS = new Set(['GET /api/events']);

  const cases = Object.entries(ROUTES).flatMap(([route, access]) =>
    IDENTITIES.map((who) => [route, who, expected(access, who)] as const),
  );

  it.each(cases)('%s as %s: %s', async (route, who, outcome) => {
    const [method, pattern] = route.split(' ');
    const path = pattern.replace(':task_id', 'no-such-task').replace(':id', UNKNOWN_UUID);
    const token =
      who === 'no identity'
        ? null
        : who === 'viewer' || who === 'operator' || who === 'admin'
          ? await tokenFor(who)
          : who === 'operator API token'
            ? operatorApiToken
            : broken[who];
    if (STREAMS.has(route)) {
      // An event stream never ends: judge it by its status line, then hang up.
      const status = await streamStatus(app.url!, path, token);
      if (outcome === 'allowed') expect([401, 403]).not.toContain(status);
      else expect(status).toBe(outcome);
      return;
    }
    const agent = app.api(token);
    const call = agent[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path);
    const res: Response = ['POST', 'PUT', 'PATCH'].includes(method)
      ? await call.send({})
      : await call;
    const context = `${requestOf(res)} as ${who} -> ${res.status} ${JSON.stringify(res.body)}`;
    if (outcome === 'allowed') {
      if (res.status === 401 || res.status === 403 || res.status >= 500) {
        throw new Error(`expected to be let through, got ${context}`);
      }
    } else if (res.status !== outcome) {
      throw new Error(`expected ${outcome}, got ${context}`);
    }
    if (outcome === 401) {
      expect(res.body.message).toEqual(expect.any(String));
    }
  });
});

function streamStatus(base: string, path: string, token: string | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const req = httpRequest(`${base}${path}`, { headers });
    req.on('response', (res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
    req.end();
  });
}
