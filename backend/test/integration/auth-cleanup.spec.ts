import { AuthCleanupService } from '../../src/auth/auth-cleanup.service';
import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase } from '../support/test-env';

const DAY = 86_400_000;

describe('cleanup of old login sessions and refresh tokens (AUTH_RETENTION_DAYS)', () => {
  let app: TestApp;
  let userId: string;

  /** A session as the app stores it, with `tokens` refresh tokens (all but the last used). */
  const session = async (
    label: string,
    expiresInDays: number,
    revokedDaysAgo: number | null,
    tokens = 2,
  ): Promise<string> => {
    const now = Date.now();
    const [row] = await app.dataSource.query(
      `INSERT INTO auth_sessions (user_id, expires_at, revoked_at, revoked_reason)
       VALUES ($1, $2, $3, $4) RETURNING id`,
      [
        userId,
        new Date(now + expiresInDays * DAY),
        revokedDaysAgo === null ? null : new Date(now - revokedDaysAgo * DAY),
        revokedDaysAgo === null ? null : 'logout',
      ],
    );
    for (let i = 0; i < tokens; i++) {
      await app.dataSource.query(
        `INSERT INTO refresh_tokens (session_id, token_hash, expires_at, used_at)
         VALUES ($1, md5($2) || md5($3), $4, $5)`,
        [
          row.id,
          `${label}-${i}`,
          `${row.id}-${i}`,
          new Date(now + expiresInDays * DAY),
          i < tokens - 1 ? new Date(now - DAY) : null,
        ],
      );
    }
    return row.id;
  };

  const remaining = async (): Promise<{ sessions: string[]; tokens: Record<string, number> }> => {
    const sessions = await app.dataSource.query(`SELECT id FROM auth_sessions WHERE user_id = $1`, [
      userId,
    ]);
    const tokens = await app.dataSource.query(
      `SELECT t.session_id, count(*)::int AS n FROM refresh_tokens t
         JOIN auth_sessions s ON s.id = t.session_id
        WHERE s.user_id = $1 GROUP BY t.session_id`,
      [userId],
    );
    return {
      sessions: sessions.map((s: { id: string }) => s.id).sort(),
      tokens: Object.fromEntries(
        tokens.map((t: { session_id: string; n: number }) => [t.session_id, t.n]),
      ),
    };
  };

  beforeAll(async () => {
    await cleanDatabase();
    app = await createTestApp({ env: { AUTH_RETENTION_DAYS: '30' } });
    userId = (await app.userWithRole('viewer')).id;
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(async () => {
    await app.dataSource.query(`DELETE FROM auth_sessions WHERE user_id = $1`, [userId]);
  });

  it('deletes sessions that ended more than the retention ago, with their tokens, and keeps the rest', async () => {
    const live = await session('live', 10, null, 5);
    const recentlyExpired = await session('recently-expired', -29, null);
    const recentlyRevoked = await session('recently-revoked', 10, 29);
    const longExpired = await session('long-expired', -31, null, 4);
    const longRevoked = await session('long-revoked', 10, 31, 3);
    const revokedLongAgoAndExpired = await session('both', -40, 45);

    const report = await app.app.get(AuthCleanupService).run();
    expect(report).toEqual({ refreshTokens: 4 + 3 + 2, sessions: 3, more: false });
    const left = await remaining();
    expect(left.sessions).toEqual([live, recentlyExpired, recentlyRevoked].sort());
    expect(left.sessions).not.toContain(longExpired);
    expect(left.sessions).not.toContain(longRevoked);
    expect(left.sessions).not.toContain(revokedLongAgoAndExpired);
    expect(left.tokens).toEqual({ [live]: 5, [recentlyExpired]: 2, [recentlyRevoked]: 2 });

    // The live session still works as before: nothing of it was touched.
    const again = await app.app.get(AuthCleanupService).run();
    expect(again).toEqual({ refreshTokens: 0, sessions: 0, more: false });
  });

  it('works through a backlog in bounded batches over several runs', async () => {
    const live = await session('live', 10, null, 3);
    for (let i = 0; i < 5; i++) await session(`old-${i}`, -60, null, 3);
    const cleanup = app.app.get(AuthCleanupService);

    // One statement of 4 rows per table per run: 15 old tokens take four runs, then the
    // sessions (whose tokens are gone) two more.
    const reports = [];
    for (let run = 0; run < 10; run++) {
      const report = await cleanup.run(4, 1);
      reports.push(report);
      if (!report.more) break;
    }
    expect(reports.map((r) => [r.refreshTokens, r.sessions])).toEqual([
      [4, 0],
      [4, 0],
      [4, 0],
      [3, 4],
      [0, 1],
    ]);
    expect(reports.at(-1)!.more).toBe(false);
    const left = await remaining();
    expect(left.sessions).toEqual([live]);
    expect(left.tokens).toEqual({ [live]: 3 });
  });

  it('keeps a user signed in whose session is live while old ones are deleted', async () => {
    const user = await app.userWithRole('operator');
    await app.dataSource.query(
      `UPDATE auth_sessions SET expires_at = now() - interval '31 days' WHERE user_id = $1`,
      [user.id],
    );
    const fresh = await app.userWithRole('operator');
    await app.app.get(AuthCleanupService).run();
    await app.api(fresh.access_token).get('/api/auth/me').expect(200);
    const refreshed = await app
      .api(null)
      .post('/api/auth/refresh')
      .send({ refresh_token: fresh.refresh_token });
    expect(refreshed.status).toBe(200);
    const gone = await app.dataSource.query(`SELECT 1 FROM auth_sessions WHERE user_id = $1`, [
      user.id,
    ]);
    expect(gone).toEqual([]);
  });
});
