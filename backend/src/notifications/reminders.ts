/**
 * Reminders and escalation, decided purely: which open problems a rule tells again (every
 * repeat_interval_minutes while nobody acknowledges them), which it escalates (to more channels
 * once open and unacknowledged for after_minutes), and which escalated channels hear that a
 * problem resolved. The dispatcher writes what this decides, with the outbox rows, in one
 * transaction.
 */
import type { AlertKind } from '../alerts/alert-vocabulary';
import type { Escalation } from './entities/notification-rule.entity';

/** A rule as reminders need it. */
export interface ReminderRule {
  id: string;
  enabled: boolean;
  tags: readonly string[];
  events: readonly string[];
  channelIds: readonly string[];
  repeatIntervalMinutes: number;
  /** Earliest first. */
  escalations: readonly Escalation[];
}

/** An open problem as reminders need it. */
export interface OpenProblem {
  id: string;
  kind: AlertKind;
  tags: readonly string[];
  openedAt: Date;
  /** An acknowledgement holds now. */
  acknowledged: boolean;
}

/** What has been told of a problem by a rule. */
export interface ReminderState {
  ruleId: string;
  alertId: string;
  lastNotifiedAt: Date;
  remindersSent: number;
  escalationsSent: number;
  escalatedChannelIds: string[];
}

/** One outbox row to write: the problem's event, addressed to one rule and these channels. */
export interface Notice {
  alertId: string;
  ruleId: string;
  kind: 'problem_opened' | 'host_key_mismatch' | 'problem_resolved';
  notice: 'reminder' | 'escalation';
  channelIds: string[];
}

export interface ReminderPlan {
  notices: Notice[];
  /** States to write (new or changed). */
  states: ReminderState[];
}

const key = (ruleId: string, alertId: string) => `${ruleId}:${alertId}`;
const MINUTE = 60_000;

/** The event a rule sends about a problem of this kind, if it sends it at all. */
function openingKind(rule: ReminderRule, kind: AlertKind): Notice['kind'] | null {
  const event = kind === 'problem' ? 'problem_opened' : 'host_key_mismatch';
  return rule.events.includes(event) ? event : null;
}

function wants(rule: ReminderRule, p: OpenProblem): boolean {
  return rule.tags.length === 0 || rule.tags.some((t) => p.tags.includes(t));
}

/**
 * For each enabled rule with reminders or escalations, and each open problem it sends: the
 * escalation steps now due (each once), then a reminder to the rule's channels and those it
 * has escalated to, when `repeat_interval_minutes` have passed since it last told them. An
 * acknowledged problem gets neither; its clock keeps running, so once the acknowledgement is
 * gone a due step or reminder goes at once.
 */
export function planReminders(
  rules: readonly ReminderRule[],
  problems: readonly OpenProblem[],
  states: readonly ReminderState[],
  now: Date,
): ReminderPlan {
  const known = new Map(states.map((s) => [key(s.ruleId, s.alertId), s]));
  const plan: ReminderPlan = { notices: [], states: [] };
  const t = now.getTime();
  for (const rule of rules) {
    if (!rule.enabled) continue;
    if (rule.repeatIntervalMinutes <= 0 && rule.escalations.length === 0) continue;
    for (const p of problems) {
      const kind = openingKind(rule, p.kind);
      if (!kind || !wants(rule, p) || p.acknowledged) continue;
      const before = known.get(key(rule.id, p.id));
      const state: ReminderState = before
        ? { ...before, escalatedChannelIds: [...before.escalatedChannelIds] }
        : {
            ruleId: rule.id,
            alertId: p.id,
            lastNotifiedAt: p.openedAt,
            remindersSent: 0,
            escalationsSent: 0,
            escalatedChannelIds: [],
          };
      let changed = false;
      const escalatedNow = new Set<string>();
      while (
        state.escalationsSent < rule.escalations.length &&
        t - p.openedAt.getTime() >= rule.escalations[state.escalationsSent].after_minutes * MINUTE
      ) {
        const step = rule.escalations[state.escalationsSent];
        plan.notices.push({
          alertId: p.id,
          ruleId: rule.id,
          kind,
          notice: 'escalation',
          channelIds: [...step.channel_ids],
        });
        for (const c of step.channel_ids) {
          escalatedNow.add(c);
          if (!state.escalatedChannelIds.includes(c)) state.escalatedChannelIds.push(c);
        }
        state.escalationsSent += 1;
        changed = true;
      }
      if (
        rule.repeatIntervalMinutes > 0 &&
        t - state.lastNotifiedAt.getTime() >= rule.repeatIntervalMinutes * MINUTE
      ) {
        const channels = [...new Set([...rule.channelIds, ...state.escalatedChannelIds])].filter(
          (c) => !escalatedNow.has(c),
        );
        if (channels.length > 0) {
          plan.notices.push({
            alertId: p.id,
            ruleId: rule.id,
            kind,
            notice: 'reminder',
            channelIds: channels,
          });
        }
        state.lastNotifiedAt = now;
        state.remindersSent += 1;
        changed = true;
      }
      if (changed) plan.states.push(state);
    }
  }
  return plan;
}

/**
 * The resolution of problems that had escalated, for the channels they escalated to (the rule's
 * own channels hear it as any resolution). `ended`: states of problems no longer open.
 */
export function escalatedResolutions(
  ended: readonly ReminderState[],
  rules: readonly ReminderRule[],
): Notice[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const notices: Notice[] = [];
  for (const s of ended) {
    const rule = byId.get(s.ruleId);
    if (!rule?.enabled || !rule.events.includes('problem_resolved')) continue;
    const channels = s.escalatedChannelIds.filter((c) => !rule.channelIds.includes(c));
    if (channels.length === 0) continue;
    notices.push({
      alertId: s.alertId,
      ruleId: s.ruleId,
      kind: 'problem_resolved',
      notice: 'escalation',
      channelIds: channels,
    });
  }
  return notices;
}
