import { hostAddress } from '../../../tools/fleet/behaviours';
import { startFleet, type Fleet } from '../../../tools/fleet/fleet';
import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase } from '../support/test-env';
import { freePort } from '../support/ports';

/**
 * A simulated host that alternates (up on one connection, reset on the next) flaps, as real
 * checks see it: the state API and the host list say so, and the outbox has one
 * flapping_started instead of a notification per transition.
 */
describe('a flapping host from the fleet simulator', () => {
  let app: TestApp;
  let fleet: Fleet;

  beforeAll(async () => {
    await cleanDatabase();
    fleet = await startFleet({
      hosts: 1,
      mix: 'flapping=100',
      port: await freePort(hostAddress(51000)),
      firstIndex: 51000,
      controlPort: null,
      processes: 1,
      params: { flapEvery: 1 },
    });
    app = await createTestApp({ roles: 'api,worker' });
  });
  afterAll(async () => {
    await app?.close();
    await fleet?.stop();
  });

  it('is flapping after a few alternating checks, with one flapping_started and held problems', async () => {
    const [simulated] = fleet.hosts;
    const host = (
      await app
        .api()
        .post('/api/hosts')
        .send({ hostname: simulated.hostname, ip_address: simulated.address, port: fleet.port })
        .expect(201)
    ).body;
    const outcomes: Array<{ success: boolean; flapping: boolean }> = [];
    for (let i = 0; i < 14; i++) {
      const res = await app
        .api()
        .post(`/api/monitoring/hosts/${host.id}/check-connectivity?wait=true&timeout_ms=10000`)
        .expect(200);
      outcomes.push(res.body);
    }
    // The simulator alternates: up, down, up, ...
    expect(outcomes.map((o) => o.success)).toEqual(
      Array.from({ length: 14 }, (_, i) => i % 2 === 0),
    );
    const firstFlapping = outcomes.findIndex((o) => o.flapping);
    expect(firstFlapping).toBeGreaterThan(0);
    expect(outcomes.slice(firstFlapping).every((o) => o.flapping)).toBe(true);

    const state = (await app.api().get(`/api/monitoring/hosts/${host.id}/state`).expect(200)).body;
    expect(state.flapping).toBe(true);
    expect(state.flap_percent).toBeGreaterThan(30);
    const listed = (await app.api().get(`/api/hosts/${host.id}`).expect(200)).body;
    expect(listed).toMatchObject({ flapping: true, flap_percent: state.flap_percent });

    const events: Array<{ kind: string; suppressed_by: string | null }> =
      await app.dataSource.query(
        'SELECT kind, suppressed_by FROM alert_events WHERE host_id = $1 ORDER BY seq',
        [host.id],
      );
    expect(events.filter((e) => e.kind === 'flapping_started')).toEqual([
      { kind: 'flapping_started', suppressed_by: null },
    ]);
    const after = events.slice(events.findIndex((e) => e.kind === 'flapping_started') + 1);
    expect(after.every((e) => e.suppressed_by === 'flapping')).toBe(true);
  });
});
