import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuthSessionEntity } from './entities/auth-session.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';

@Injectable()
export class SessionsRepository {
  private readonly sessions: Repository<AuthSessionEntity>;
  private readonly tokens: Repository<RefreshTokenEntity>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.sessions = dataSource.getRepository(AuthSessionEntity);
    this.tokens = dataSource.getRepository(RefreshTokenEntity);
  }

  /** A new session with its first refresh token, in one transaction. */
  async create(userId: string, expiresAt: Date, tokenHash: string): Promise<AuthSessionEntity> {
    return this.dataSource.transaction(async (m) => {
      const session = await m.save(
        m.create(AuthSessionEntity, { userId, expiresAt, revokedAt: null, revokedReason: null }),
      );
      await m.insert(RefreshTokenEntity, {
        sessionId: session.id,
        tokenHash,
        expiresAt,
        usedAt: null,
      });
      return session;
    });
  }

  findSession(id: string): Promise<AuthSessionEntity | null> {
    return this.sessions.findOneBy({ id });
  }

  findToken(tokenHash: string): Promise<RefreshTokenEntity | null> {
    return this.tokens.findOneBy({ tokenHash });
  }

  /**
   * Marks a refresh token used and adds its successor, atomically: of two concurrent uses of
   * the same token only one gets `true`; the other is a reuse.
   */
  async rotate(
    oldHash: string,
    sessionId: string,
    newHash: string,
    expiresAt: Date,
    now: Date,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const claimed = await m
        .createQueryBuilder()
        .update(RefreshTokenEntity)
        .set({ usedAt: now })
        .where('token_hash = :oldHash AND used_at IS NULL', { oldHash })
        .execute();
      if (!claimed.affected) return false;
      await m.insert(RefreshTokenEntity, {
        sessionId,
        tokenHash: newHash,
        expiresAt,
        usedAt: null,
      });
      return true;
    });
  }

  async revoke(sessionId: string, at: Date, reason: string): Promise<void> {
    await this.sessions
      .createQueryBuilder()
      .update()
      .set({ revokedAt: at, revokedReason: reason })
      .where('id = :sessionId AND revoked_at IS NULL', { sessionId })
      .execute();
  }

  /**
   * Deletes up to `limit` refresh tokens of sessions that expired or were revoked before
   * `cutoff`; returns how many. Rows another process is deleting are skipped, not waited for.
   * The join is served by idx_refresh_tokens_session_id; auth_sessions is scanned (it holds one
   * row per login within the session lifetime plus the retention, so it stays small).
   */
  async deleteTokensOfEndedSessions(cutoff: Date, limit: number): Promise<number> {
    const [row] = await this.dataSource.query(
      `WITH doomed AS (
         SELECT t.id FROM refresh_tokens t
           JOIN auth_sessions s ON s.id = t.session_id
          WHERE s.expires_at < $1 OR s.revoked_at < $1
          LIMIT $2
          FOR UPDATE OF t SKIP LOCKED
       ), gone AS (
         DELETE FROM refresh_tokens WHERE id IN (SELECT id FROM doomed) RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [cutoff, limit],
    );
    return row.n;
  }

  /**
   * Deletes up to `limit` sessions that expired or were revoked before `cutoff` and have no
   * refresh token left (those go first, in batches of their own, so that no cascade here
   * deletes an unbounded number of rows); returns how many.
   */
  async deleteEndedSessions(cutoff: Date, limit: number): Promise<number> {
    const [row] = await this.dataSource.query(
      `WITH doomed AS (
         SELECT s.id FROM auth_sessions s
          WHERE (s.expires_at < $1 OR s.revoked_at < $1)
            AND NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.session_id = s.id)
          LIMIT $2
          FOR UPDATE SKIP LOCKED
       ), gone AS (
         DELETE FROM auth_sessions WHERE id IN (SELECT id FROM doomed) RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [cutoff, limit],
    );
    return row.n;
  }
}
