import { formErrors, type FormErrors } from '../../core/api/api-errors';
import { RULE_EVENTS, type CreateRule, type Rule, type RuleEvent } from '../../core/api/api-types';
import { parseTags } from '../../shared/tags';

/** The rule dialog's fields, as typed. */
export interface RuleDraft {
  name: string;
  enabled: boolean;
  /** Comma-separated; empty: every host. */
  tags: string;
  events: RuleEvent[];
  channel_ids: string[];
  /** Seconds, as typed: empty leaves the API's default (30 and 300). */
  group_wait_seconds: string;
  group_interval_seconds: string;
  /** Minutes, as typed: empty or 0 sends no reminders. */
  repeat_interval_minutes: string;
  /** Escalation steps, minutes as typed. */
  escalations: EscalationDraft[];
}

export interface EscalationDraft {
  after_minutes: string;
  channel_ids: string[];
}

export const RULE_EVENT_LABELS: Record<RuleEvent, string> = {
  problem_opened: 'Problem opened',
  problem_resolved: 'Problem resolved',
  host_key_mismatch: 'Host key changed',
  degraded: 'Host degraded',
  flapping_started: 'Flapping started',
  flapping_stopped: 'Flapping stopped',
};

/** The fields the dialog shows, on which the API's 400s land. */
export const RULE_FIELDS = [
  'name',
  'enabled',
  'tags',
  'events',
  'channel_ids',
  'group_wait_seconds',
  'group_interval_seconds',
  'repeat_interval_minutes',
  'escalations',
] as const;

/**
 * A new rule: every host, the problem events (a degraded host is not a problem yet, so it is
 * left for those who ask for it), the API's grouping defaults.
 */
export function emptyRuleDraft(): RuleDraft {
  return {
    name: '',
    enabled: true,
    tags: '',
    events: [
      'problem_opened',
      'problem_resolved',
      'host_key_mismatch',
      'flapping_started',
      'flapping_stopped',
    ],
    channel_ids: [],
    group_wait_seconds: '30',
    group_interval_seconds: '300',
    repeat_interval_minutes: '0',
    escalations: [],
  };
}

export function draftFromRule(rule: Rule): RuleDraft {
  return {
    name: rule.name,
    enabled: rule.enabled,
    tags: rule.tags.join(', '),
    events: [...rule.events],
    channel_ids: [...rule.channel_ids],
    group_wait_seconds: String(rule.group_wait_seconds),
    group_interval_seconds: String(rule.group_interval_seconds),
    repeat_interval_minutes: String(rule.repeat_interval_minutes),
    escalations: rule.escalations.map((e) => ({
      after_minutes: String(e.after_minutes),
      channel_ids: [...e.channel_ids],
    })),
  };
}

/** Empty leaves the default; anything else goes as typed, so the API names a bad value. */
function seconds(value: string): number | undefined {
  return value.trim() === '' ? undefined : Number(value);
}

/**
 * POST or PATCH /api/notifications/rules from the dialog: the whole rule either way (a PATCH
 * with every field is the rule as the dialog shows it), events in the form's order.
 */
export function ruleBody(draft: RuleDraft): CreateRule {
  const body: CreateRule = {
    name: draft.name.trim(),
    enabled: draft.enabled,
    tags: parseTags(draft.tags),
    events: RULE_EVENTS.filter((e) => draft.events.includes(e)),
    channel_ids: [...draft.channel_ids],
  };
  const wait = seconds(draft.group_wait_seconds);
  const interval = seconds(draft.group_interval_seconds);
  if (wait !== undefined) body.group_wait_seconds = wait;
  if (interval !== undefined) body.group_interval_seconds = interval;
  body.repeat_interval_minutes = seconds(draft.repeat_interval_minutes) ?? 0;
  body.escalations = draft.escalations.map((e) => ({
    after_minutes: Number(e.after_minutes),
    channel_ids: [...e.channel_ids],
  }));
  return body;
}

/** The API's answer to a rule, by the dialog's fields (a 409: the name is taken). */
export function ruleErrors(error: unknown): FormErrors {
  const out = formErrors(error);
  if ((error as { status?: number })?.status === 409) {
    return { fields: { name: [out.general.join(' ') || 'is taken'] }, general: [] };
  }
  const fields: Record<string, string[]> = {};
  const general = [...out.general];
  for (const [field, messages] of Object.entries(out.fields)) {
    const top = field.replace(/\[.*$/, '');
    if ((RULE_FIELDS as readonly string[]).includes(top))
      fields[top] = [...(fields[top] ?? []), ...messages];
    else general.push(...messages.map((m) => `${field}: ${m}`));
  }
  return { fields, general };
}

/** "every host" or "hosts tagged db, web", for the rule list. */
export function ruleScope(rule: Pick<Rule, 'tags'>): string {
  return rule.tags.length === 0 ? 'every host' : `hosts tagged ${rule.tags.join(', ')}`;
}
