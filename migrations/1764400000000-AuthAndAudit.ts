import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who may do what: users, login sessions with their rotating refresh tokens, API tokens, and
 * the append-only audit log. Tokens are stored only as SHA-256 hashes; passwords as scrypt.
 */
export class AuthAndAudit1764400000000 implements MigrationInterface {
  name = 'AuthAndAudit1764400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "username" varchar(100) NOT NULL,
        "password_hash" text,
        "role" varchar(16) NOT NULL,
        "is_active" boolean NOT NULL DEFAULT true,
        "is_service_account" boolean NOT NULL DEFAULT false,
        "source" varchar(16) NOT NULL DEFAULT 'local',
        "last_login_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_users_id" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_users_role" CHECK ("role" IN ('viewer', 'operator', 'admin'))
      )`);
    // Login and uniqueness regardless of case: lower(username) = lower($1).
    await q.query(`CREATE UNIQUE INDEX "uq_users_username_lower" ON "users" (lower("username"))`);

    await q.query(`
      CREATE TABLE "auth_sessions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "revoked_reason" varchar(32),
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_auth_sessions_id" PRIMARY KEY ("id"),
        CONSTRAINT "FK_auth_sessions_user" FOREIGN KEY ("user_id")
          REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    // "Revoke every session of a user" (disable, password change).
    await q.query(`CREATE INDEX "idx_auth_sessions_user_id" ON "auth_sessions" ("user_id")`);

    await q.query(`
      CREATE TABLE "refresh_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "session_id" uuid NOT NULL,
        "token_hash" varchar(64) NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_refresh_tokens_id" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_refresh_tokens_token_hash" UNIQUE ("token_hash"),
        CONSTRAINT "FK_refresh_tokens_session" FOREIGN KEY ("session_id")
          REFERENCES "auth_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    // The cascade from auth_sessions.
    await q.query(
      `CREATE INDEX "idx_refresh_tokens_session_id" ON "refresh_tokens" ("session_id")`,
    );

    await q.query(`
      CREATE TABLE "api_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "created_by" uuid,
        "name" varchar(100) NOT NULL,
        "token_hash" varchar(64) NOT NULL,
        "token_prefix" varchar(16) NOT NULL,
        "role" varchar(16) NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE,
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_api_tokens_id" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_api_tokens_token_hash" UNIQUE ("token_hash"),
        CONSTRAINT "CHK_api_tokens_role" CHECK ("role" IN ('viewer', 'operator', 'admin')),
        CONSTRAINT "FK_api_tokens_user" FOREIGN KEY ("user_id")
          REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    // A user's token list, and the cascade from users.
    await q.query(`CREATE INDEX "idx_api_tokens_user_id" ON "api_tokens" ("user_id")`);

    await q.query(`
      CREATE TABLE "audit_log" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "actor" varchar(200) NOT NULL,
        "actor_type" varchar(16) NOT NULL,
        "actor_user_id" uuid,
        "action" varchar(64) NOT NULL,
        "outcome" varchar(8) NOT NULL,
        "target_type" varchar(32),
        "target_id" varchar(200),
        "source_ip" varchar(64),
        "details" jsonb,
        CONSTRAINT "PK_audit_log_id" PRIMARY KEY ("id")
      )`);
    // The unfiltered page, newest first, and the since/until window.
    await q.query(
      `CREATE INDEX "idx_audit_log_occurred_at" ON "audit_log" ("occurred_at" DESC, "id" DESC)`,
    );
    // The actor filter: lower(actor) = lower($1), newest first.
    await q.query(
      `CREATE INDEX "idx_audit_log_actor" ON "audit_log" (lower("actor"), "occurred_at" DESC)`,
    );
    // The action filter: action = $1, newest first.
    await q.query(
      `CREATE INDEX "idx_audit_log_action" ON "audit_log" ("action", "occurred_at" DESC)`,
    );
    // Append-only, in the database too: a row once written cannot be changed or removed.
    await q.query(`
      CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER "trg_audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log"
      FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "audit_log"`);
    await q.query(`DROP FUNCTION "audit_log_append_only"()`);
    await q.query(`DROP TABLE "api_tokens"`);
    await q.query(`DROP TABLE "refresh_tokens"`);
    await q.query(`DROP TABLE "auth_sessions"`);
    await q.query(`DROP TABLE "users"`);
  }
}
