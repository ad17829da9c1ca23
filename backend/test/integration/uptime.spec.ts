import fc from 'fast-check';
import { HostStateChangesRepository } from '../../src/hosts/host-state-changes.repository';
import { MONITORING_STATES, timeInStates, type StateChange } from '../../src/state-machine';
import { insertHost } from '../support/host-rows';
import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase, truncateAll } from '../support/test-env';

/**
 * The uptime query (SQL over host_state_changes) against the plain computation
 * (state-machine/uptime.ts, itself checked against an instant-by-instant count), for random
 * sequences of changes and random windows; and the trigger that records every change.
 */
describe('uptime from state changes', () => {
  let app: TestApp;
  let changes: HostStateChangesRepository;
  const T0 = Date.parse('2026-03-01T00:00:00Z');

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
    const changeArb = fc.record({
      at: fc.integer({ min: 0, max: 1_000_000 }),
      state: fc.constantFrom(...MONITORING_STATES),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(changeArb, { maxLength: 25 }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        async (perHost, start, length) => {
          await app.dataSource.query('DELETE FROM host_state_changes');
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
          const one = await changes.durations({ hostId: ids[0] }, new Date(from), new Date(to));
          const oneExpected = timeInStates(dedup[0], from, to);
          for (const k of Object.keys(oneExpected) as (keyof typeof oneExpected)[]) {
            expect(one[k]).toBeCloseTo(oneExpected[k], 3);
          }
        },
      ),
      { numRuns: 40 },
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
});
