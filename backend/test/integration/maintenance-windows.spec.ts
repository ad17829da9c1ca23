import { randomUUID } from 'node:crypto';
import type { HostEvent } from '../../src/hosts/dto/host-event.dto';
import { HostEventsBus } from '../../src/hosts/host-events.bus';
import { HostStatusRepository } from '../../src/hosts/host-status.repository';
import type { ProbeResult } from '../../src/common/probe.types';
import { CheckResultService } from '../../src/monitoring/check-result.service';
import { SchedulerService } from '../../src/scheduler/scheduler.service';
import { insertHost } from '../support/host-rows';
import { ManualClock } from '../support/manual-clock';
import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase, truncateAll } from '../support/test-env';
import { waitUntil } from '../support/wait';

const refused: ProbeResult = {
  success: false,
  stage: 'connect',
  response_time_ms: 1,
  error_type: 'connection_refused',
  error_message: 'connection refused',
  host_key: null,
};

interface StatusRow {
  monitoring_state: string;
  next_check_at: Date | null;
  claimed_at: Date | null;
  maintenance_window_id: string | null;
  maintenance_ends_at: Date | null;
  maintenance_reason: string | null;
  consecutive_failures: number;
}

/**
 * Maintenance windows applied by the scheduler's tick, with a clock the spec moves: hosts by id
 * and by tag enter MAINTENANCE when an occurrence starts (their problems resolve, they are not
 * claimed) and leave it when it ends (UNKNOWN, claimed in that very tick), across DST changes in
 * Europe/Berlin and America/New_York; a host that gets the tag while the window is on joins it;
 * maintenance set by hand ends at the time given.
 */
describe('maintenance windows on the scheduler tick', () => {
  const clock = new ManualClock(Date.parse('2027-03-27T12:00:00Z'));
  let app: TestApp;
  let scheduler: SchedulerService;

  beforeAll(async () => {
    await cleanDatabase();
    app = await createTestApp({
      roles: 'api,scheduler',
      clock,
      // Ticks only when the spec asks.
      env: { SCHEDULER_TICK_MS: '3600000' },
    });
    scheduler = app.app.get(SchedulerService);
    await scheduler.idle();
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await scheduler.idle();
    await truncateAll(app.dataSource);
  });

  const setClock = (iso: string) => clock.advance(Date.parse(iso) - clock.now().getTime());
  const tick = async () => {
    await scheduler.idle();
    const report = await scheduler.tick();
    expect(report.skipped).toBeUndefined();
    return report;
  };
  const addHost = (hostname: string, values: Record<string, unknown> = {}): Promise<string> =>
    insertHost(app.dataSource, {
      hostname,
      ip_address: '10.9.0.1',
      // Not due within any spec: only leaving maintenance makes a host due.
      next_check_at: new Date(clock.now().getTime() + 30 * 86_400_000),
      monitoring_state: 'HEALTHY',
      ...values,
    });
  const status = async (hostId: string): Promise<StatusRow> =>
    (
      await app.dataSource.query(
        `SELECT monitoring_state, next_check_at, claimed_at, maintenance_window_id,
                maintenance_ends_at, maintenance_reason, consecutive_failures
           FROM host_status WHERE host_id = $1`,
        [hostId],
      )
    )[0];
  /** The API as an admin signed in at the clock's time (the spec moves it by months). */
  const api = async () => app.api((await app.userWithRole('admin')).access_token);
  const window = async (body: Record<string, unknown>) => {
    const res = await (await api()).post('/api/maintenance-windows').send(body);
    if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; active: boolean; next_occurrences: unknown[] };
  };
  const failTimes = async (hostId: string, times: number) => {
    for (let i = 0; i < times; i++) {
      clock.advance(1000);
      const [target] = await app.app.get(HostStatusRepository).findTargets([hostId]);
      const applied = await app.app.get(CheckResultService).apply({
        taskId: `sched-${randomUUID()}`,
        checkedBy: 'scheduler',
        result: refused,
        checkedAt: clock.now(),
        target,
      });
      if (applied.status !== 'applied') throw new Error(`not applied: ${applied.status}`);
    }
  };

  it('a one-off window: hosts by id and tag enter at its start, problems resolve, nothing is claimed; at its end they are UNKNOWN and claimed in that tick', async () => {
    setClock('2027-01-04T09:00:00Z');
    const down = await addHost('db-1', { monitoring_state: 'UNKNOWN' });
    await failTimes(down, 3); // DEGRADED, CRITICAL (problem opens), DOWN
    const tagged = await addHost('web-1', { tags: ['rack-7'] });
    const outside = await addHost('web-2', { tags: ['rack-8'] });
    const [{ n: openBefore }] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM alerts WHERE host_id = $1 AND resolved_at IS NULL`,
      [down],
    );
    expect(openBefore).toBe(1);

    const w = await window({
      name: 'patching',
      reason: 'kernel updates',
      host_ids: [down],
      tags: ['rack-7'],
      starts_at: '2027-01-04T10:00:00Z',
      ends_at: '2027-01-04T12:00:00Z',
    });
    expect(w.active).toBe(false);

    setClock('2027-01-04T09:59:59Z');
    await tick();
    expect((await status(down)).monitoring_state).toBe('DOWN');

    setClock('2027-01-04T10:00:00Z');
    await tick();
    for (const id of [down, tagged]) {
      expect(await status(id)).toMatchObject({
        monitoring_state: 'MAINTENANCE',
        next_check_at: null,
        maintenance_window_id: w.id,
        maintenance_ends_at: new Date('2027-01-04T12:00:00Z'),
        maintenance_reason: 'kernel updates',
      });
    }
    expect((await status(outside)).monitoring_state).toBe('HEALTHY');
    const alerts = await app.dataSource.query(
      `SELECT resolved_at, resolve_reason, current_state FROM alerts WHERE host_id = $1`,
      [down],
    );
    expect(alerts).toEqual([
      {
        resolved_at: new Date('2027-01-04T10:00:00Z'),
        resolve_reason: 'maintenance started',
        current_state: 'MAINTENANCE',
      },
    ]);
    const [resolvedEvent] = await app.dataSource.query(
      `SELECT payload FROM alert_events WHERE host_id = $1 AND kind = 'problem_resolved'`,
      [down],
    );
    expect(resolvedEvent.payload.resolve_reason).toBe('maintenance started');

    // Through the window: nothing is claimed, nothing changes.
    setClock('2027-01-04T11:59:59Z');
    expect((await tick()).claimed).toBe(0);
    expect((await status(down)).monitoring_state).toBe('MAINTENANCE');

    setClock('2027-01-04T12:00:00Z');
    const atEnd = await tick();
    expect(atEnd.claimed).toBe(2);
    for (const id of [down, tagged]) {
      expect(await status(id)).toMatchObject({
        monitoring_state: 'UNKNOWN',
        consecutive_failures: 0,
        next_check_at: new Date('2027-01-04T12:00:00Z'),
        claimed_at: new Date('2027-01-04T12:00:00Z'),
        maintenance_window_id: null,
        maintenance_ends_at: null,
      });
    }
    expect((await status(outside)).claimed_at).toBeNull();
  });

  it('weekly in Europe/Berlin across the spring change: on from 22:00 CET, off 480 real minutes later (07:00 CEST)', async () => {
    setClock('2027-03-27T12:00:00Z');
    const host = await addHost('berlin-1', { tags: ['berlin'] });
    const w = await window({
      name: 'saturday night',
      tags: ['berlin'],
      recurrence: {
        weekdays: ['sat'],
        start_time: '22:00',
        duration_minutes: 480,
        time_zone: 'Europe/Berlin',
      },
    });
    expect(w.next_occurrences.slice(0, 2)).toEqual([
      { starts_at: '2027-03-27T21:00:00.000Z', ends_at: '2027-03-28T05:00:00.000Z' },
      { starts_at: '2027-04-03T20:00:00.000Z', ends_at: '2027-04-04T04:00:00.000Z' },
    ]);

    setClock('2027-03-27T20:59:59Z');
    await tick();
    expect((await status(host)).monitoring_state).toBe('HEALTHY');
    setClock('2027-03-27T21:00:00Z');
    await tick();
    expect(await status(host)).toMatchObject({
      monitoring_state: 'MAINTENANCE',
      maintenance_ends_at: new Date('2027-03-28T05:00:00Z'),
      maintenance_reason: 'saturday night',
    });
    // 02:00 CET became 03:00 CEST; six wall-clock hours after 22:00 is only five real ones.
    setClock('2027-03-28T04:59:59Z');
    await tick();
    expect((await status(host)).monitoring_state).toBe('MAINTENANCE');
    setClock('2027-03-28T05:00:00Z');
    expect((await tick()).claimed).toBe(1);
    expect(await status(host)).toMatchObject({
      monitoring_state: 'UNKNOWN',
      next_check_at: new Date('2027-03-28T05:00:00Z'),
    });
    const listed = await (await api()).get('/api/maintenance-windows?active=true').expect(200);
    expect(listed.body).toEqual([]);
  });

  it('cron in America/New_York across the autumn change: 00:30 EDT plus 180 real minutes ends at 02:30 EST', async () => {
    setClock('2027-11-06T12:00:00Z');
    const host = await addHost('nyc-1');
    await window({
      name: 'sunday backups',
      host_ids: [host],
      recurrence: { cron: '30 0 * * 0', duration_minutes: 180, time_zone: 'America/New_York' },
    });
    setClock('2027-11-07T04:29:59Z');
    await tick();
    expect((await status(host)).monitoring_state).toBe('HEALTHY');
    setClock('2027-11-07T04:30:00Z');
    await tick();
    expect(await status(host)).toMatchObject({
      monitoring_state: 'MAINTENANCE',
      maintenance_ends_at: new Date('2027-11-07T07:30:00Z'),
    });
    // 03:30 on the wall clock would be 08:30Z: the window is over an hour before that.
    setClock('2027-11-07T07:29:59Z');
    await tick();
    expect((await status(host)).monitoring_state).toBe('MAINTENANCE');
    setClock('2027-11-07T07:30:00Z');
    await tick();
    expect((await status(host)).monitoring_state).toBe('UNKNOWN');
    const active = await (await api()).get('/api/maintenance-windows?active=false').expect(200);
    expect(active.body[0].next_occurrences[0]).toEqual({
      starts_at: '2027-11-14T05:30:00.000Z',
      ends_at: '2027-11-14T08:30:00.000Z',
    });
  });

  it('a host that gets the tag while the window is on joins it at the next tick; one that loses it leaves', async () => {
    setClock('2027-02-01T10:00:00Z');
    await window({
      name: 'rack move',
      tags: ['rack-9'],
      starts_at: '2027-02-01T09:00:00Z',
      ends_at: '2027-02-01T18:00:00Z',
    });
    const created = await (
      await api()
    )
      .post('/api/hosts')
      .send({ hostname: 'late-1', ip_address: '10.9.0.2', tags: ['rack-9'] })
      .expect(201);
    const id = created.body.id as string;
    // Not claimed before it joins: maintenance is applied before the claim in the same tick.
    const report = await tick();
    expect(report.claimed).toBe(0);
    expect((await status(id)).monitoring_state).toBe('MAINTENANCE');

    const other = await addHost('late-2');
    await (
      await api()
    )
      .patch(`/api/hosts/${other}`)
      .send({ tags: ['rack-9'] })
      .expect(200);
    clock.advance(1000);
    await tick();
    expect((await status(other)).monitoring_state).toBe('MAINTENANCE');

    await (await api()).patch(`/api/hosts/${other}`).send({ tags: [] }).expect(200);
    clock.advance(1000);
    expect((await tick()).claimed).toBe(1);
    expect((await status(other)).monitoring_state).toBe('UNKNOWN');
    expect((await status(id)).monitoring_state).toBe('MAINTENANCE');
  });

  it('tells open consoles (host_updated) when a window takes a host and lets it go', async () => {
    setClock('2027-02-06T10:00:00Z');
    const host = await addHost('live-1', { tags: ['live'] });
    const bus = app.app.get(HostEventsBus);
    const seen: HostEvent[] = [];
    const subscription = bus.stream().subscribe((e) => seen.push(e));
    try {
      await bus.ready();
      const w = await window({
        name: 'live',
        tags: ['live'],
        starts_at: '2027-02-06T09:00:00Z',
        ends_at: '2027-02-06T18:00:00Z',
      });
      await waitUntil(async () => seen.length >= 1, 5000, 'host_updated on entering');
      await (await api()).delete(`/api/maintenance-windows/${w.id}`).expect(204);
      await waitUntil(async () => seen.length >= 2, 5000, 'host_updated on leaving');
    } finally {
      subscription.unsubscribe();
    }
    expect(
      seen.map((e) => [
        e.type,
        e.host.id,
        e.type === 'host_updated' ? e.previous.monitoring_state : null,
        e.host.monitoring_state,
      ]),
    ).toEqual([
      ['host_updated', host, 'HEALTHY', 'MAINTENANCE'],
      ['host_updated', host, 'MAINTENANCE', 'UNKNOWN'],
    ]);
  });

  it('a window deleted while on lets its hosts go at once', async () => {
    setClock('2027-02-02T10:00:00Z');
    const host = await addHost('del-1');
    const w = await window({
      name: 'to delete',
      host_ids: [host],
      starts_at: '2027-02-02T09:00:00Z',
      ends_at: '2027-02-02T18:00:00Z',
    });
    expect(w.active).toBe(true);
    expect((await status(host)).monitoring_state).toBe('MAINTENANCE');
    await (await api()).delete(`/api/maintenance-windows/${w.id}`).expect(204);
    expect(await status(host)).toMatchObject({
      monitoring_state: 'UNKNOWN',
      next_check_at: new Date('2027-02-02T10:00:00Z'),
    });
  });

  it('maintenance by hand with an end time and reason ends by itself at that time', async () => {
    setClock('2027-02-03T10:00:00Z');
    const host = await addHost('manual-1');
    const res = await (
      await api()
    )
      .patch(`/api/hosts/${host}`)
      .send({
        monitoring_state: 'MAINTENANCE',
        maintenance_ends_at: '2027-02-03T11:00:00Z',
        maintenance_reason: 'disk swap',
      })
      .expect(200);
    expect(res.body).toMatchObject({
      monitoring_state: 'MAINTENANCE',
      maintenance_window_id: null,
      maintenance_ends_at: '2027-02-03T11:00:00.000Z',
      maintenance_reason: 'disk swap',
    });
    setClock('2027-02-03T10:59:59Z');
    await tick();
    expect((await status(host)).monitoring_state).toBe('MAINTENANCE');
    setClock('2027-02-03T11:00:00Z');
    expect((await tick()).claimed).toBe(1);
    expect(await status(host)).toMatchObject({
      monitoring_state: 'UNKNOWN',
      next_check_at: new Date('2027-02-03T11:00:00Z'),
      maintenance_reason: null,
    });

    // Without an end time it stays until taken out, whatever the clock says.
    await (await api()).patch(`/api/hosts/${host}`).send({ monitoring_state: 'MAINTENANCE' });
    clock.advance(365 * 86_400_000);
    await tick();
    expect((await status(host)).monitoring_state).toBe('MAINTENANCE');
  });

  it('a held problem (its host unreachable, never told) resolves untold when maintenance starts', async () => {
    setClock('2027-02-05T10:00:00Z');
    const router = await addHost('router-1', { monitoring_state: 'UNKNOWN' });
    const child = await addHost('child-1', { monitoring_state: 'UNKNOWN', parent_host_id: router });
    await failTimes(router, 3); // DOWN, its problem told
    await failTimes(child, 2); // CRITICAL behind a DOWN parent: its problem is held
    await window({
      name: 'both',
      host_ids: [router, child],
      starts_at: '2027-02-05T09:00:00Z',
      ends_at: '2027-02-05T18:00:00Z',
    });
    const resolutions = await app.dataSource.query(
      `SELECT e.host_id, e.suppressed_by, e.payload->>'resolve_reason' AS reason
         FROM alert_events e WHERE e.kind = 'problem_resolved' ORDER BY e.host_id = $1`,
      [router],
    );
    expect(resolutions).toEqual([
      { host_id: child, suppressed_by: 'unreachable', reason: 'maintenance started' },
      { host_id: router, suppressed_by: null, reason: 'maintenance started' },
    ]);
  });

  it('a scheduled check that was running when the window started is not applied', async () => {
    setClock('2027-02-04T10:00:00Z');
    const host = await addHost('busy-1');
    const [target] = await app.app.get(HostStatusRepository).findTargets([host]);
    await window({
      name: 'sudden',
      host_ids: [host],
      starts_at: '2027-02-04T09:00:00Z',
      ends_at: '2027-02-04T18:00:00Z',
    });
    clock.advance(1000);
    const applied = await app.app.get(CheckResultService).apply({
      taskId: `sched-${randomUUID()}`,
      checkedBy: 'scheduler',
      result: refused,
      checkedAt: clock.now(),
      target,
    });
    expect(applied).toEqual({ status: 'skipped', reason: 'host inactive or in maintenance' });
    expect((await status(host)).monitoring_state).toBe('MAINTENANCE');
    const [{ n }] = await app.dataSource.query(
      'SELECT count(*)::int AS n FROM host_check_history WHERE host_id = $1',
      [host],
    );
    expect(n).toBe(0);
  });
});
