import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AlertEventKind, AlertPayload } from '../alerts/alert-vocabulary';
import type { PlannedMessage, WaitingItem } from './grouping';
import type { MessageKind, MessageStatus } from './notification-vocabulary';
import { NotificationMessageEntity } from './entities/notification-message.entity';

/** An outbox event matched to a rule and one of its channels. */
export interface GroupItemInput {
  ruleId: string;
  channelId: string;
  eventId: string;
  eventSeq: string;
  alertId: string | null;
  createdAt: Date;
  groupWaitSeconds: number;
}

/** A group whose waiting items are due, locked for the transaction. */
export interface DueGroup {
  rule_id: string;
  channel_id: string;
  /** False when the rule or the channel was disabled meanwhile: its items are dropped. */
  active: boolean;
}

/**
 * Joins items to their groups. A group with nothing waiting becomes due group_wait after its
 * first item, and never sooner than group_interval after its last message (GREATEST skips a
 * NULL last_sent_at); a group already waiting keeps its due time. Served by the primary key.
 */
const UPSERT_GROUPS_SQL = `
  INSERT INTO notification_groups AS g (rule_id, channel_id, pending_since, due_at)
  SELECT i.rule_id, i.channel_id, min(i.created_at),
         min(i.created_at) + make_interval(secs => max(i.wait))
    FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::int[])
      AS i(rule_id, channel_id, created_at, wait)
   GROUP BY i.rule_id, i.channel_id
   ORDER BY i.rule_id, i.channel_id
  ON CONFLICT (rule_id, channel_id) DO UPDATE SET
    pending_since = COALESCE(g.pending_since, EXCLUDED.pending_since),
    due_at = COALESCE(g.due_at, GREATEST(EXCLUDED.due_at, g.last_sent_at + make_interval(
      secs => (SELECT r.group_interval_seconds FROM notification_rules r WHERE r.id = g.rule_id))))`;

const INSERT_ITEMS_SQL = `
  INSERT INTO notification_group_items (rule_id, channel_id, event_id, event_seq, alert_id, created_at)
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::uuid[], $6::timestamptz[])`;

/** Due groups, locked; SKIP LOCKED so that two dispatchers flush different groups. */
const DUE_GROUPS_SQL = `
  SELECT g.rule_id, g.channel_id, (r.enabled AND c.enabled) AS active
    FROM notification_groups g
    JOIN notification_rules r ON r.id = g.rule_id
    JOIN notification_channels c ON c.id = g.channel_id
   WHERE g.due_at <= $1
   ORDER BY g.due_at
   LIMIT $2
   FOR UPDATE OF g SKIP LOCKED`;

export interface MessageRow {
  id: string;
  seq: string;
  rule_id: string | null;
  channel_id: string;
  kind: MessageKind;
  payload: { alerts: AlertPayload[] };
  alert_count: number;
  status: MessageStatus;
  attempts: number;
  next_attempt_at: Date | null;
  created_at: Date;
}

/** Groups, their items and the messages made of them: the dispatcher's and deliverer's tables. */
@Injectable()
export class DispatchRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * A transaction-scoped lock that one taker holds at a time, so that outbox rows are moved to
   * groups in commit order by one process (SKIP LOCKED alone would let two takers interleave).
   */
  async tryTakeLock(tx: EntityManager): Promise<boolean> {
    const [row] = await tx.query(
      `SELECT pg_try_advisory_xact_lock(hashtext('hostwatch:notify:take')) AS ok`,
    );
    return row.ok === true;
  }

  async addItems(tx: EntityManager, items: GroupItemInput[]): Promise<void> {
    if (items.length === 0) return;
    const col = <T>(pick: (i: GroupItemInput) => T) => items.map(pick);
    await tx.query(UPSERT_GROUPS_SQL, [
      col((i) => i.ruleId),
      col((i) => i.channelId),
      col((i) => i.createdAt.toISOString()),
      col((i) => i.groupWaitSeconds),
    ]);
    await tx.query(INSERT_ITEMS_SQL, [
      col((i) => i.ruleId),
      col((i) => i.channelId),
      col((i) => i.eventId),
      col((i) => i.eventSeq),
      col((i) => i.alertId),
      col((i) => i.createdAt.toISOString()),
    ]);
  }

  dueGroups(tx: EntityManager, now: Date, limit: number): Promise<DueGroup[]> {
    return tx.query(DUE_GROUPS_SQL, [now.toISOString(), limit]);
  }

  /** A group's waiting items, oldest first (idx_notification_group_items_pending). */
  async waitingItems(tx: EntityManager, group: DueGroup): Promise<WaitingItem[]> {
    const rows: Array<{
      id: string;
      kind: AlertEventKind;
      payload: AlertPayload;
      host_id: string | null;
    }> = await tx.query(
      `SELECT it.id, e.kind, e.payload, e.host_id
         FROM notification_group_items it JOIN alert_events e ON e.id = it.event_id
        WHERE it.rule_id = $1 AND it.channel_id = $2 AND it.message_id IS NULL
        ORDER BY it.event_seq`,
      [group.rule_id, group.channel_id],
    );
    return rows.map((r) => ({
      itemId: r.id,
      host: r.host_id ?? `name:${r.payload.host.hostname}`,
      kind: r.kind,
      payload: r.payload,
    }));
  }

  /**
   * Creates the planned messages and marks their items as carried by them, then closes the
   * group's wait: all in the caller's transaction, so a crash leaves either both or neither.
   * Returns the new message ids, in sending order.
   */
  async createMessages(
    tx: EntityManager,
    group: DueGroup,
    planned: PlannedMessage[],
    now: Date,
  ): Promise<string[]> {
    const ids: string[] = [];
    for (const message of planned) {
      const [row] = await tx.query(
        `INSERT INTO notification_messages (rule_id, channel_id, kind, payload, alert_count, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [
          group.rule_id,
          group.channel_id,
          message.kind,
          JSON.stringify({ alerts: message.items.map((i) => i.payload) }),
          message.items.length,
          now.toISOString(),
        ],
      );
      ids.push(row.id);
      await tx.query(
        `UPDATE notification_group_items SET message_id = $1 WHERE id = ANY($2::uuid[])`,
        [row.id, message.items.map((i) => i.itemId)],
      );
    }
    await this.closeWait(tx, group, now);
    return ids;
  }

  /** Drops a group's waiting items (its rule or channel was disabled). */
  async dropWaiting(tx: EntityManager, group: DueGroup): Promise<void> {
    await tx.query(
      `DELETE FROM notification_group_items
        WHERE rule_id = $1 AND channel_id = $2 AND message_id IS NULL`,
      [group.rule_id, group.channel_id],
    );
    await tx.query(
      `UPDATE notification_groups SET pending_since = NULL, due_at = NULL
        WHERE rule_id = $1 AND channel_id = $2`,
      [group.rule_id, group.channel_id],
    );
  }

  private async closeWait(tx: EntityManager, group: DueGroup, now: Date): Promise<void> {
    await tx.query(
      `UPDATE notification_groups SET pending_since = NULL, due_at = NULL, last_sent_at = $3
        WHERE rule_id = $1 AND channel_id = $2`,
      [group.rule_id, group.channel_id, now.toISOString()],
    );
  }

  /** A test message: created already attempted by the API, which sends it at once. */
  async createTestMessage(channelId: string, now: Date): Promise<string> {
    const [row] = await this.dataSource.query(
      `INSERT INTO notification_messages (rule_id, channel_id, kind, payload, alert_count, created_at)
       VALUES (NULL, $1, 'test', '{"alerts":[]}', 0, $2) RETURNING id`,
      [channelId, now.toISOString()],
    );
    return row.id;
  }

  async findMessage(id: string): Promise<MessageRow | null> {
    const rows: MessageRow[] = await this.dataSource.query(
      `SELECT id, seq, rule_id, channel_id, kind, payload, alert_count, status, attempts,
              next_attempt_at, created_at
         FROM notification_messages WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * The channel's oldest pending message before this one, if any: a channel's messages go
   * out in order (idx_notification_messages_pending).
   */
  async earlierPending(
    channelId: string,
    seq: string,
  ): Promise<{ id: string; next_attempt_at: Date | null } | null> {
    const rows = await this.dataSource.query(
      `SELECT id, next_attempt_at FROM notification_messages
        WHERE channel_id = $1 AND status = 'pending' AND seq < $2
        ORDER BY seq LIMIT 1`,
      [channelId, seq],
    );
    return rows[0] ?? null;
  }

  /** The channel's next pending message (woken when the one before it is done). */
  async nextPending(channelId: string): Promise<string | null> {
    const rows = await this.dataSource.query(
      `SELECT id FROM notification_messages
        WHERE channel_id = $1 AND status = 'pending' ORDER BY seq LIMIT 1`,
      [channelId],
    );
    return rows[0]?.id ?? null;
  }

  /** Records the end of an attempt on the message, in the caller's transaction. */
  async updateMessage(
    tx: EntityManager,
    id: string,
    changes: Partial<
      Pick<
        NotificationMessageEntity,
        'status' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'finishedAt'
      >
    >,
  ): Promise<void> {
    await tx.getRepository(NotificationMessageEntity).update({ id }, changes);
  }

  /** Pending messages created before `before`, oldest first (the sweeper re-queues them). */
  async pendingBefore(before: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM notification_messages
        WHERE status = 'pending' AND created_at < $1 ORDER BY seq LIMIT $2`,
      [before.toISOString(), limit],
    );
    return rows.map((r) => r.id);
  }
}
