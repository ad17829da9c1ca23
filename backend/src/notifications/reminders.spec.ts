import {
  escalatedResolutions,
  planReminders,
  type OpenProblem,
  type ReminderRule,
  type ReminderState,
} from './reminders';

const T0 = Date.parse('2027-01-01T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

const rule = (change: Partial<ReminderRule> = {}): ReminderRule => ({
  id: 'r1',
  enabled: true,
  tags: [],
  events: ['problem_opened', 'problem_resolved'],
  channelIds: ['oncall'],
  repeatIntervalMinutes: 30,
  escalations: [],
  ...change,
});
const problem = (change: Partial<OpenProblem> = {}): OpenProblem => ({
  id: 'a1',
  kind: 'problem',
  tags: ['rack-7'],
  openedAt: at(0),
  acknowledged: false,
  ...change,
});

/** Runs passes at these minutes, carrying the state; returns the notices of each pass. */
function passes(rules: ReminderRule[], p: OpenProblem, minutes: number[]) {
  let states: ReminderState[] = [];
  return minutes.map((m) => {
    const plan = planReminders(rules, [p], states, at(m));
    const changed = new Map(plan.states.map((s) => [`${s.ruleId}:${s.alertId}`, s]));
    states = [...states.filter((s) => !changed.has(`${s.ruleId}:${s.alertId}`)), ...plan.states];
    return plan.notices.map((n) => `${n.notice}:${n.kind}:${n.channelIds.join('+')}`);
  });
}

describe('planReminders', () => {
  it('reminds every repeat_interval_minutes, counted from the opening, never sooner', () => {
    expect(passes([rule()], problem(), [10, 29.9, 30, 31, 59, 60.5, 90])).toEqual([
      [],
      [],
      ['reminder:problem_opened:oncall'],
      [],
      [],
      ['reminder:problem_opened:oncall'],
      [],
    ]);
  });

  it('never reminds with an interval of 0, an acknowledged problem, a disabled rule or another tag', () => {
    expect(passes([rule({ repeatIntervalMinutes: 0 })], problem(), [30, 600])).toEqual([[], []]);
    expect(passes([rule()], problem({ acknowledged: true }), [30, 600])).toEqual([[], []]);
    expect(passes([rule({ enabled: false })], problem(), [30])).toEqual([[]]);
    expect(passes([rule({ tags: ['rack-8'] })], problem(), [30])).toEqual([[]]);
    expect(passes([rule({ events: ['problem_resolved'] })], problem(), [30])).toEqual([[]]);
  });

  it('escalates each step once, when due, and reminds the escalated channels afterwards', () => {
    const r = rule({
      repeatIntervalMinutes: 60,
      escalations: [
        { after_minutes: 15, channel_ids: ['lead'] },
        { after_minutes: 45, channel_ids: ['manager'] },
      ],
    });
    expect(passes([r], problem(), [14, 15, 16, 45, 60, 120])).toEqual([
      [],
      ['escalation:problem_opened:lead'],
      [],
      ['escalation:problem_opened:manager'],
      ['reminder:problem_opened:oncall+lead+manager'],
      ['reminder:problem_opened:oncall+lead+manager'],
    ]);
  });

  it('takes every step already due at once (a problem acknowledged until now)', () => {
    const r = rule({
      repeatIntervalMinutes: 0,
      escalations: [
        { after_minutes: 15, channel_ids: ['lead'] },
        { after_minutes: 45, channel_ids: ['manager'] },
      ],
    });
    expect(passes([r], problem(), [50])).toEqual([
      ['escalation:problem_opened:lead', 'escalation:problem_opened:manager'],
    ]);
  });

  it('a host-key alert is reminded as host_key_mismatch, to rules that send those', () => {
    const p = problem({ kind: 'host_key_mismatch' });
    expect(passes([rule()], p, [30])).toEqual([[]]);
    expect(passes([rule({ events: ['host_key_mismatch'] })], p, [30])).toEqual([
      ['reminder:host_key_mismatch:oncall'],
    ]);
  });
});

describe('escalatedResolutions', () => {
  const state = (escalated: string[]): ReminderState => ({
    ruleId: 'r1',
    alertId: 'a1',
    lastNotifiedAt: at(0),
    remindersSent: 0,
    escalationsSent: escalated.length,
    escalatedChannelIds: escalated,
  });

  it('tells the escalated channels, not the rule’s own, that the problem resolved', () => {
    expect(escalatedResolutions([state(['lead', 'oncall'])], [rule()])).toEqual([
      {
        alertId: 'a1',
        ruleId: 'r1',
        kind: 'problem_resolved',
        notice: 'escalation',
        channelIds: ['lead'],
      },
    ]);
    expect(escalatedResolutions([state([])], [rule()])).toEqual([]);
    expect(escalatedResolutions([state(['lead'])], [rule({ events: ['problem_opened'] })])).toEqual(
      [],
    );
  });
});
