import fc from 'fast-check';
import { HostStateChangesRepository } from '../../src/hosts/host-state-changes.repository';
import { StateRollupService } from '../../src/monitoring/state-rollup.service';
import { MONITORING_STATES, timeInStates, type StateChange } from '../../src/state-machine';
import { insertHost } from '../support/host-rows';
import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase, truncateAll } from '../support/test-env';

/**
 * The uptime query (whole days from the daily rollup, the rest from host_state_changes)
 * against the plain computation (state-machine/uptime.ts, itself checked against an
 * instant-by-instant count), for random sequences of changes over several days, random
 * windows and a random number of days rolled up; and the trigger that records every change.
 */
describe('uptime from state changes', () => {
  let app: TestApp;
  let changes: HostStateChangesRepository;
  const T0 = Date.parse('2026-03-01T00:00:00Z');
  const DAY = 86_400_000;

  beforeAll(async () => {
    await cleanDatabase();
    app = await createTestApp({ roles: 'api' });
    changes = app.app.get(HostStateChangesRepository);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('sums the time in each state as the plain computation does, for random sequences', async () => {
    await truncateAll(app.dataSource);
    const ids = await Promise.all(
      [0, 1, 2].map((i) => insertHost(app.dataSource, { hostname: `prop-${i}`, tags: ['p'] })),
    );
    // Changes over five days from T0 (a midnight), some rolled up into whole days.
    const SPAN = 5 * DAY;
    const changeArb = fc.record({
      at: fc.integer({ min: 0, max: SPAN }),
      state: fc.constantFrom(...MONITORING_STATES),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(changeArb, { maxLength: 25 }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: SPAN }),
        fc.integer({ min: 1, max: SPAN }),
        fc.integer({ min: 0, max: 6 }),
        async (perHost, start, length, rolledDays) => {
          await app.dataSource.query('DELETE FROM host_state_changes');
          await app.dataSource.query('DELETE FROM host_state_days');
          await app.dataSource.query('UPDATE host_state_rollup SET rolled_until = NULL');
          const sequences: StateChange[][] = perHost.map((cs) =>
            [...cs].sort((a, b) => a.at - b.at).map((c) => ({ at: T0 + c.at, state: c.state })),
          );
          for (const [i, seq] of sequences.entries()) {
            for (const c of seq) {
              await app.dataSource.query(
                'INSERT INTO host_state_changes (host_id, changed_at, state) VALUES ($1, $2, $3)',
                [ids[i], new Date(c.at), c.state],
              );
            }
          }
          for (let d = 0; d < rolledDays; d++) await changes.rollUpDay(new Date(T0 + d * DAY));
          const from = T0 + start;
          const to = from + length;
          // Changes at the same instant: the one written last holds.
          const dedup = sequences.map((seq) =>
            seq.filter((c, k) => k + 1 === seq.length || seq[k + 1].at !== c.at),
          );
          const expected = dedup
            .map((seq) => timeInStates(seq, from, to))
            .reduce((sum, d) => {
              for (const k of Object.keys(d) as (keyof typeof d)[]) sum[k] += d[k];
              return sum;
            });
          const actual = await changes.durations({ tag: 'p' }, new Date(from), new Date(to));
          for (const k of Object.keys(expected) as (keyof typeof expected)[]) {
            expect(actual[k]).toBeCloseTo(expected[k], 3);
          }
          const byHost = await changes.durationsByHost(ids, new Date(from), new Date(to));
          for (const [i, id] of ids.entries()) {
            const want = timeInStates(dedup[i], from, to);
            for (const k of Object.keys(want) as (keyof typeof want)[]) {
              expect(byHost.get(id)![k]).toBeCloseTo(want[k], 3);
            }
          }
          const one = await changes.durations({ hostId: ids[0] }, new Date(from), new Date(to));
          const oneExpected = timeInStates(dedup[0], from, to);
          for (const k of Object.keys(oneExpected) as (keyof typeof oneExpected)[]) {
            expect(one[k]).toBeCloseTo(oneExpected[k], 3);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('records each change of state, whoever makes it, at the time of the change', async () => {
    await truncateAll(app.dataSource);
    const at = (ms: number) => new Date(T0 + ms);
    const id = await insertHost(app.dataSource, {
      hostname: 'trig',
      monitoring_state: 'UNKNOWN',
      last_state_change_at: at(0),
    });
    await app.dataSource.query(
      `UPDATE host_status SET monitoring_state = 'HEALTHY', last_state_change_at = $2 WHERE host_id = $1`,
      [id, at(1000)],
    );
    // A write that leaves the state as it is records nothing.
    await app.dataSource.query(
      `UPDATE host_status SET monitoring_state = 'HEALTHY', consecutive_successes = 3 WHERE host_id = $1`,
      [id],
    );
    await app.dataSource.query(
      `UPDATE host_status SET monitoring_state = 'DOWN', last_state_change_at = $2 WHERE host_id = $1`,
      [id, at(5000)],
    );
    const rows = await app.dataSource.query(
      'SELECT state, changed_at FROM host_state_changes WHERE host_id = $1 ORDER BY changed_at, id',
      [id],
    );
    expect(rows.map((r: { state: string }) => r.state)).toEqual(['UNKNOWN', 'HEALTHY', 'DOWN']);
    expect(rows.map((r: { changed_at: Date }) => r.changed_at)).toEqual([
      at(0),
      at(1000),
      at(5000),
    ]);
    const d = await changes.durations({ hostId: id }, at(0), at(9000));
    expect(d).toEqual({ HEALTHY: 4000, DEGRADED: 0, CRITICAL: 0, DOWN: 4000, MAINTENANCE: 0 });
  });

  it('rolls up each day once it is over, a bounded number of days per run', async () => {
    await truncateAll(app.dataSource);
    await app.dataSource.query('DELETE FROM host_state_days');
    await app.dataSource.query('UPDATE host_state_rollup SET rolled_until = NULL');
    const id = await insertHost(app.dataSource, {
      hostname: 'daily',
      monitoring_state: 'HEALTHY',
      last_state_change_at: new Date(T0 + 6 * 3600_000),
    });
    await app.dataSource.query(
      `UPDATE host_status SET monitoring_state = 'DOWN', last_state_change_at = $2 WHERE host_id = $1`,
      [id, new Date(T0 + DAY + 12 * 3600_000)],
    );
    const rollup = app.app.get(StateRollupService);
    expect(await rollup.run(2)).toBe(2);
    expect(await changes.rolledUntil()).toEqual(new Date(T0 + 2 * DAY));
    const days = await app.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, healthy_ms::int AS healthy, down_ms::int AS down
         FROM host_state_days WHERE host_id = $1 ORDER BY day`,
      [id],
    );
    expect(days).toEqual([
      { day: '2026-03-01', healthy: 18 * 3600_000, down: 0 },
      { day: '2026-03-02', healthy: 12 * 3600_000, down: 12 * 3600_000 },
    ]);
    // The next run goes on from there, up to the last day that is over.
    const more = await rollup.run(1000);
    expect(more).toBeGreaterThan(200);
    const until = (await changes.rolledUntil())!.getTime();
    expect(until).toBeLessThanOrEqual(Date.now() - 3600_000);
    expect(until).toBeGreaterThan(Date.now() - 2 * DAY);
    const d = await changes.durations({ hostId: id }, new Date(T0), new Date(T0 + 10 * DAY));
    expect(d.DOWN).toBe(8.5 * DAY);
    expect(d.HEALTHY).toBe(1.25 * DAY);
  });
});
