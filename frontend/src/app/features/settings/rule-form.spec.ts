import type { Rule } from '../../core/api/api-types';
import { draftFromRule, emptyRuleDraft, ruleBody, ruleErrors, ruleScope } from './rule-form';

describe('rule dialog → request', () => {
  it("starts with the problem and flapping events and the API's grouping defaults", () => {
    const body = ruleBody({ ...emptyRuleDraft(), name: ' on-call ', channel_ids: ['c-1'] });
    expect(body).toEqual({
      name: 'on-call',
      enabled: true,
      tags: [],
      events: [
        'problem_opened',
        'problem_resolved',
        'host_key_mismatch',
        'flapping_started',
        'flapping_stopped',
      ],
      channel_ids: ['c-1'],
      group_wait_seconds: 30,
      group_interval_seconds: 300,
      repeat_interval_minutes: 0,
      escalations: [],
    });
  });

  it('sends tags as a list, events in a stable order, and 0 as 0 (send at once)', () => {
    const body = ruleBody({
      ...emptyRuleDraft(),
      name: 'rack 7',
      tags: 'rack-7, db,, rack-7',
      events: ['degraded', 'problem_opened'],
      channel_ids: ['c-1', 'c-2'],
      group_wait_seconds: '0',
      group_interval_seconds: '',
    });
    expect(body.tags).toEqual(['rack-7', 'db']);
    expect(body.events).toEqual(['problem_opened', 'degraded']);
    expect(body.group_wait_seconds).toBe(0);
    // Left empty: the API's default applies.
    expect('group_interval_seconds' in body).toBe(false);
  });

  it('round-trips a stored rule through the dialog unchanged', () => {
    const rule: Rule = {
      id: 'r-1',
      name: 'rack 7',
      enabled: false,
      tags: ['rack-7'],
      events: ['problem_opened'],
      channel_ids: ['c-1'],
      group_wait_seconds: 10,
      group_interval_seconds: 60,
      repeat_interval_minutes: 30,
      escalations: [{ after_minutes: 15, channel_ids: ['c-2'] }],
      created_at: '2026-12-01T10:00:00.000Z',
      updated_at: '2026-12-01T10:00:00.000Z',
    };
    const { id: _id, created_at: _c, updated_at: _u, ...fields } = rule;
    expect(ruleBody(draftFromRule(rule))).toEqual(fields);
    expect(ruleScope(rule)).toBe('hosts tagged rack-7');
    expect(ruleScope({ tags: [] })).toBe('every host');
  });

  it("puts the API's 400s on their fields and a taken name on the name", () => {
    const errors = ruleErrors({
      status: 400,
      error: {
        message: ['group_interval_seconds: group_interval_seconds must not be less than 1'],
        errors: [
          {
            field: 'group_interval_seconds',
            problem: 'group_interval_seconds must not be less than 1',
          },
          { field: 'channel_ids[0]', problem: 'each of channel_ids must be a UUID' },
        ],
      },
    });
    expect(errors.fields).toEqual({
      group_interval_seconds: ['group_interval_seconds must not be less than 1'],
      channel_ids: ['each of channel_ids must be a UUID'],
    });
    expect(
      ruleErrors({ status: 409, error: { message: "A rule named 'x' already exists" } }),
    ).toEqual({ fields: { name: ["A rule named 'x' already exists"] }, general: [] });
  });
});
