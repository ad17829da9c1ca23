import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * hosts, credentials, host_check_history and monitoring_settings. Every index names the
 * query it serves; the partial and GIN indexes are declared `synchronize: false` on the
 * entities, so they live here only.
 */
export class InitialSchema1764300000000 implements MigrationInterface {
  name = 'InitialSchema1764300000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "credentials" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" varchar(100) NOT NULL,
        "username" varchar(64) NOT NULL,
        "auth_method" varchar(16) NOT NULL,
        "secret_encrypted" text NOT NULL,
        "passphrase_encrypted" text,
        "is_default" boolean NOT NULL DEFAULT false,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_credentials_id" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_credentials_name" UNIQUE ("name")
      )`);
    // At most one default credential.
    await q.query(
      `CREATE UNIQUE INDEX "uq_credentials_single_default" ON "credentials" ("is_default") WHERE "is_default"`,
    );

    await q.query(`
      CREATE TABLE "hosts" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "hostname" varchar(253) NOT NULL,
        "ip_address" varchar(45),
        "port" integer NOT NULL DEFAULT 22,
        "credential_id" uuid,
        "tags" text array NOT NULL DEFAULT '{}',
        "is_active" boolean NOT NULL DEFAULT true,
        "monitoring_state" varchar(20) NOT NULL DEFAULT 'UNKNOWN',
        "consecutive_failures" integer NOT NULL DEFAULT 0,
        "consecutive_successes" integer NOT NULL DEFAULT 0,
        "next_check_at" TIMESTAMP WITH TIME ZONE,
        "last_check_at" TIMESTAMP WITH TIME ZONE,
        "last_state_change_at" TIMESTAMP WITH TIME ZONE,
        "check_priority" smallint NOT NULL DEFAULT 7,
        "response_time_ms" integer,
        "last_check_stage" varchar(16),
        "last_error_type" varchar(32),
        "last_error_message" text,
        "host_key_policy" varchar(10) NOT NULL DEFAULT 'tofu',
        "host_key_fingerprint" varchar(100),
        "host_key_type" varchar(64),
        "host_key_first_seen_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_hosts_id" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_hosts_hostname" UNIQUE ("hostname"),
        CONSTRAINT "FK_hosts_credential" FOREIGN KEY ("credential_id")
          REFERENCES "credentials"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    // Host names are unique without regard to case, as DNS names are.
    await q.query(`CREATE UNIQUE INDEX "uq_hosts_hostname_lower" ON "hosts" (lower("hostname"))`);
    // The producer's claim: WHERE is_active AND monitoring_state <> 'MAINTENANCE' AND next_check_at <= $now.
    await q.query(
      `CREATE INDEX "idx_hosts_due" ON "hosts" ("next_check_at") WHERE "is_active" AND "monitoring_state" <> 'MAINTENANCE'`,
    );
    // Hosts per state (stats) and the state filter of the host list.
    await q.query(`CREATE INDEX "idx_hosts_monitoring_state" ON "hosts" ("monitoring_state")`);
    // The tag filter: tags @> ARRAY[$tag].
    await q.query(`CREATE INDEX "idx_hosts_tags" ON "hosts" USING GIN ("tags")`);
    // "Is this credential still in use" on credential delete.
    await q.query(`CREATE INDEX "idx_hosts_credential_id" ON "hosts" ("credential_id")`);

    await q.query(`
      CREATE TABLE "host_check_history" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "host_id" uuid NOT NULL,
        "check_time" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "monitoring_state" varchar(20) NOT NULL,
        "previous_state" varchar(20),
        "response_time_ms" integer,
        "success" boolean NOT NULL,
        "error_message" text,
        "error_type" varchar(32),
        "checked_by" varchar(50) NOT NULL DEFAULT 'system',
        "task_id" varchar(200) NOT NULL,
        "stage" varchar(16) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_host_check_history_id" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_host_check_history_task_id" UNIQUE ("task_id"),
        CONSTRAINT "FK_host_check_history_host" FOREIGN KEY ("host_id")
          REFERENCES "hosts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    // A host's history and recent_history: WHERE host_id = $1 ORDER BY check_time DESC.
    await q.query(
      `CREATE INDEX "idx_check_history_host_time" ON "host_check_history" ("host_id", "check_time" DESC)`,
    );
    // Fleet-wide windows (checks, failures, response time in the last hour): WHERE check_time >= $1.
    await q.query(
      `CREATE INDEX "idx_check_history_time" ON "host_check_history" ("check_time" DESC)`,
    );

    await q.query(`
      CREATE TABLE "monitoring_settings" (
        "key" varchar(64) NOT NULL,
        "value" jsonb NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_monitoring_settings_key" PRIMARY KEY ("key")
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "monitoring_settings"`);
    await q.query(`DROP TABLE "host_check_history"`);
    await q.query(`DROP TABLE "hosts"`);
    await q.query(`DROP TABLE "credentials"`);
  }
}
