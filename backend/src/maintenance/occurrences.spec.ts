import fc from 'fast-check';
import {
  activeOccurrence,
  WEEKDAYS,
  recurrenceProblems,
  upcomingOccurrences,
  type Recurrence,
  type WindowTiming,
} from './occurrences';

const at = (s: string) => new Date(s);
const iso = (o: { startsAt: Date; endsAt: Date }) => [
  o.startsAt.toISOString(),
  o.endsAt.toISOString(),
];
const recurring = (recurrence: Recurrence): WindowTiming => ({
  startsAt: null,
  endsAt: null,
  recurrence,
});

describe('maintenance window occurrences', () => {
  describe('one-off', () => {
    const w: WindowTiming = {
      startsAt: at('2027-01-10T10:00:00Z'),
      endsAt: at('2027-01-10T12:00:00Z'),
      recurrence: null,
    };

    it.each([
      ['2027-01-10T09:59:59.999Z', false, 1],
      ['2027-01-10T10:00:00.000Z', true, 1],
      ['2027-01-10T11:59:59.999Z', true, 1],
      ['2027-01-10T12:00:00.000Z', false, 0],
    ])('at %s: active %s, %d upcoming', (now, active, upcoming) => {
      expect(activeOccurrence(w, at(now)) !== null).toBe(active);
      expect(upcomingOccurrences(w, at(now), 5)).toHaveLength(upcoming);
    });
  });

  describe('weekdays in Europe/Berlin across the spring change (2027-03-28, 02:00 -> 03:00)', () => {
    // Saturdays 22:00 local for 8 hours: the night of the change is one hour shorter on the
    // wall clock, never in real time.
    const w = recurring({
      weekdays: ['sat'],
      start_time: '22:00',
      duration_minutes: 480,
      time_zone: 'Europe/Berlin',
    });

    it('lists the next five at 22:00 local, whatever the offset, each 8 real hours long', () => {
      expect(upcomingOccurrences(w, at('2027-03-15T00:00:00Z'), 5).map(iso)).toEqual([
        ['2027-03-20T21:00:00.000Z', '2027-03-21T05:00:00.000Z'], // CET
        ['2027-03-27T21:00:00.000Z', '2027-03-28T05:00:00.000Z'], // crosses: ends 07:00 CEST
        ['2027-04-03T20:00:00.000Z', '2027-04-04T04:00:00.000Z'], // CEST
        ['2027-04-10T20:00:00.000Z', '2027-04-11T04:00:00.000Z'],
        ['2027-04-17T20:00:00.000Z', '2027-04-18T04:00:00.000Z'],
      ]);
    });

    it('is active through the change and ends after 480 real minutes', () => {
      expect(activeOccurrence(w, at('2027-03-27T20:59:59Z'))).toBeNull();
      expect(iso(activeOccurrence(w, at('2027-03-28T01:30:00Z'))!)).toEqual([
        '2027-03-27T21:00:00.000Z',
        '2027-03-28T05:00:00.000Z',
      ]);
      expect(activeOccurrence(w, at('2027-03-28T04:59:59Z'))).not.toBeNull();
      expect(activeOccurrence(w, at('2027-03-28T05:00:00Z'))).toBeNull();
    });

    it('lists the occurrence in progress first', () => {
      const [first] = upcomingOccurrences(w, at('2027-03-28T03:00:00Z'), 5);
      expect(first.startsAt.toISOString()).toBe('2027-03-27T21:00:00.000Z');
    });
  });

  describe('a start time inside the gap (America/New_York, 2027-03-14 02:00 -> 03:00)', () => {
    it('weekdays: 02:30 that day is 03:30 EDT', () => {
      const w = recurring({
        weekdays: ['sun'],
        start_time: '02:30',
        duration_minutes: 60,
        time_zone: 'America/New_York',
      });
      expect(upcomingOccurrences(w, at('2027-03-10T00:00:00Z'), 2).map(iso)).toEqual([
        ['2027-03-14T07:30:00.000Z', '2027-03-14T08:30:00.000Z'],
        ['2027-03-21T06:30:00.000Z', '2027-03-21T07:30:00.000Z'],
      ]);
    });
  });

  describe('cron in America/New_York across the autumn change (2027-11-07, 02:00 -> 01:00)', () => {
    // Sundays 00:30 local for 3 hours: that night has an extra hour on the wall clock.
    const w = recurring({
      cron: '30 0 * * 0',
      duration_minutes: 180,
      time_zone: 'America/New_York',
    });

    it('starts at 00:30 local on each side of the change, each 3 real hours long', () => {
      expect(upcomingOccurrences(w, at('2027-10-30T00:00:00Z'), 3).map(iso)).toEqual([
        ['2027-10-31T04:30:00.000Z', '2027-10-31T07:30:00.000Z'], // EDT
        ['2027-11-07T04:30:00.000Z', '2027-11-07T07:30:00.000Z'], // crosses: ends 02:30 EST
        ['2027-11-14T05:30:00.000Z', '2027-11-14T08:30:00.000Z'], // EST
      ]);
    });

    it('is active until 180 real minutes have passed, not until 03:30 on the wall clock', () => {
      expect(activeOccurrence(w, at('2027-11-07T07:29:59Z'))).not.toBeNull();
      expect(activeOccurrence(w, at('2027-11-07T07:30:00Z'))).toBeNull();
    });
  });

  describe('overlapping occurrences', () => {
    it('an hourly window of 90 minutes is on without a break, ending with the latest', () => {
      const w = recurring({ cron: '0 * * * *', duration_minutes: 90, time_zone: 'UTC' });
      const active = activeOccurrence(w, at('2027-01-01T10:45:00Z'))!;
      expect(iso(active)).toEqual(['2027-01-01T10:00:00.000Z', '2027-01-01T11:30:00.000Z']);
    });
  });

  describe('recurrenceProblems', () => {
    const now = at('2027-01-01T00:00:00Z');
    const fields = (r: Recurrence) => recurrenceProblems(r, now).map((p) => p.field);

    it('accepts a cron and a weekday recurrence', () => {
      expect(fields({ cron: '0 2 * * 0', duration_minutes: 60, time_zone: 'UTC' })).toEqual([]);
      expect(
        fields({
          weekdays: ['mon', 'fri'],
          start_time: '23:15',
          duration_minutes: 60,
          time_zone: 'Europe/Berlin',
        }),
      ).toEqual([]);
    });

    it.each<[string, Recurrence, string[]]>([
      [
        'an unknown zone',
        { cron: '0 2 * * 0', duration_minutes: 60, time_zone: 'Mars/Olympus' },
        ['recurrence.time_zone'],
      ],
      [
        'a bad cron',
        { cron: '61 2 * * 0', duration_minutes: 60, time_zone: 'UTC' },
        ['recurrence.cron'],
      ],
      [
        'six cron fields',
        { cron: '0 0 2 * * 0', duration_minutes: 60, time_zone: 'UTC' },
        ['recurrence.cron'],
      ],
      [
        'a cron that never occurs',
        { cron: '0 0 30 2 *', duration_minutes: 60, time_zone: 'UTC' },
        ['recurrence.cron'],
      ],
      ['neither', { duration_minutes: 60, time_zone: 'UTC' }, ['recurrence']],
      [
        'both',
        {
          cron: '0 2 * * 0',
          weekdays: ['mon'],
          start_time: '01:00',
          duration_minutes: 60,
          time_zone: 'UTC',
        },
        ['recurrence'],
      ],
      [
        'weekdays without a time',
        { weekdays: ['mon'], duration_minutes: 60, time_zone: 'UTC' },
        ['recurrence.start_time'],
      ],
      [
        'no weekday',
        { weekdays: [], start_time: '01:00', duration_minutes: 60, time_zone: 'UTC' },
        ['recurrence.weekdays'],
      ],
    ])('refuses %s', (_name, r, expected) => {
      expect(fields(r)).toEqual(expected);
    });
  });

  describe('property: active agrees with the list of occurrences', () => {
    const zones = [
      'UTC',
      'Europe/Berlin',
      'America/New_York',
      'Australia/Lord_Howe',
      'Asia/Kolkata',
    ];
    const recurrences = fc.oneof(
      fc.record({
        weekdays: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1 }),
        start_time: fc
          .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
          .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
        duration_minutes: fc.integer({ min: 1, max: 3 * 24 * 60 }),
        time_zone: fc.constantFrom(...zones),
      }),
      fc.record({
        cron: fc.constantFrom('30 2 * * 0', '0 */6 * * *', '15 1 1 * *', '0 22 * * 1-5'),
        duration_minutes: fc.integer({ min: 1, max: 3 * 24 * 60 }),
        time_zone: fc.constantFrom(...zones),
      }),
    );
    const moments = fc
      .integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2028-12-31T00:00:00Z') })
      .map((t) => new Date(Math.floor(t / 60_000) * 60_000));

    it('a window is on exactly when its first unfinished occurrence has started', () => {
      fc.assert(
        fc.property(recurrences, moments, (r: Recurrence, now) => {
          const w = recurring(r);
          const [first] = upcomingOccurrences(w, now, 1);
          const active = activeOccurrence(w, now);
          expect(active !== null).toBe(first !== undefined && first.startsAt <= now);
          if (active) {
            expect(active.startsAt.getTime()).toBeLessThanOrEqual(now.getTime());
            expect(active.endsAt.getTime()).toBeGreaterThan(now.getTime());
            expect(active.endsAt.getTime() - active.startsAt.getTime()).toBe(
              r.duration_minutes * 60_000,
            );
          }
        }),
        { numRuns: 200 },
      );
    });
  });
});
