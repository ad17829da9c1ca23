import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ReminderState } from './reminders';

interface Row {
  rule_id: string;
  alert_id: string;
  last_notified_at: Date;
  reminders_sent: number;
  escalations_sent: number;
  escalated_channel_ids: string[];
}

const toState = (r: Row): ReminderState => ({
  ruleId: r.rule_id,
  alertId: r.alert_id,
  lastNotifiedAt: new Date(r.last_notified_at),
  remindersSent: r.reminders_sent,
  escalationsSent: r.escalations_sent,
  escalatedChannelIds: r.escalated_channel_ids,
});

/**
 * notification_reminders: what each rule has told of each open problem. Written only by the
 * dispatcher, inside the transaction that holds the take lock and writes the outbox rows.
 */
@Injectable()
export class RemindersRepository {
  /** Every state, split by whether its problem is still open (read with alerts' primary key). */
  async load(tx: EntityManager): Promise<{ open: ReminderState[]; ended: ReminderState[] }> {
    const rows: Array<Row & { open: boolean }> = await tx.query(
      `SELECT r.*, (a.id IS NOT NULL AND a.resolved_at IS NULL) AS open
         FROM notification_reminders r LEFT JOIN alerts a ON a.id = r.alert_id`,
    );
    return {
      open: rows.filter((r) => r.open).map(toState),
      ended: rows.filter((r) => !r.open).map(toState),
    };
  }

  async save(tx: EntityManager, states: readonly ReminderState[]): Promise<void> {
    if (states.length === 0) return;
    await tx.query(
      `INSERT INTO notification_reminders AS r (rule_id, alert_id, last_notified_at,
              reminders_sent, escalations_sent, escalated_channel_ids)
       SELECT (x->>'ruleId')::uuid, (x->>'alertId')::uuid, (x->>'lastNotifiedAt')::timestamptz,
              (x->>'remindersSent')::int, (x->>'escalationsSent')::int,
              ARRAY(SELECT jsonb_array_elements_text(x->'escalatedChannelIds'))::uuid[]
         FROM jsonb_array_elements($1::jsonb) AS x
       ON CONFLICT (rule_id, alert_id) DO UPDATE SET
         last_notified_at = EXCLUDED.last_notified_at,
         reminders_sent = EXCLUDED.reminders_sent,
         escalations_sent = EXCLUDED.escalations_sent,
         escalated_channel_ids = EXCLUDED.escalated_channel_ids`,
      [JSON.stringify(states)],
    );
  }

  async delete(tx: EntityManager, states: readonly ReminderState[]): Promise<void> {
    if (states.length === 0) return;
    await tx.query(
      `DELETE FROM notification_reminders
        WHERE (rule_id, alert_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`,
      [states.map((s) => s.ruleId), states.map((s) => s.alertId)],
    );
  }
}
