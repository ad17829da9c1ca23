import { EventsService } from '../../src/events/events.service';
import { HostStatusRepository } from '../../src/hosts/host-status.repository';
import { CheckQueues } from '../../src/monitoring/queue/check-queues';
import { jobsFor } from '../../src/scheduler/due-checks.producer';
import { openEventStream } from '../support/sse-client';
import { createTestApp, type TestApp } from '../support/test-app';
import { truncateAll } from '../support/test-env';
import { expectStatus } from './helpers';
import { closedPort } from '../support/peers';

describe('GET /api/events (live check results and transitions)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ roles: 'api,worker' });
    await truncateAll(t.dataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('needs an identity like every other API route', async () => {
    const stream = await openEventStream(t.url!, null);
    try {
      expect(stream.response.statusCode).toBe(401);
    } finally {
      stream.close();
    }
  });

  it('answers as a text/event-stream that stays open', async () => {
    const stream = await openEventStream(t.url!, t.adminToken);
    try {
      expect(stream.response.statusCode).toBe(200);
      expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
    } finally {
      stream.close();
    }
  });

  it('streams the applied result of a JIT check, then the transition it caused', async () => {
    const port = await closedPort();
    const created = await t
      .api()
      .post('/api/hosts')
      .send({ hostname: 'events-refused', ip_address: '127.0.0.1', port });
    expectStatus(created, 201);
    const hostId = created.body.id as string;

    const stream = await openEventStream(t.url!, t.adminToken);
    try {
      await t.app.get(EventsService).ready();
      const queued = await t.api().post(`/api/monitoring/hosts/${hostId}/check-connectivity`);
      expectStatus(queued, 202);
      const taskId = queued.body.task_id as string;

      const check = await stream.next(
        (m) => m.event === 'check' && (m.data.outcome as { task_id?: string })?.task_id === taskId,
      );
      expect(check.data).toMatchObject({
        type: 'check',
        outcome: {
          host_id: hostId,
          hostname: 'events-refused',
          checked_by: 'jit',
          success: false,
          error_type: 'connection_refused',
          previous_state: 'UNKNOWN',
          new_state: 'DEGRADED',
          state_changed: true,
        },
      });
      const transition = await stream.next(
        (m) => m.event === 'transition' && m.data.task_id === taskId,
      );
      expect(transition.data).toMatchObject({
        type: 'transition',
        host_id: hostId,
        hostname: 'events-refused',
        from: 'UNKNOWN',
        to: 'DEGRADED',
      });
      // The order a console relies on: the result first, then the transition it caused.
      const order = stream.messages.map((m) => m.event).filter((e) => e !== 'ping');
      expect(order.indexOf('check')).toBeLessThan(order.indexOf('transition'));
    } finally {
      stream.close();
    }
  });

  it('streams scheduled checks too: both check queues are relayed', async () => {
    const port = await closedPort();
    const created = await t
      .api()
      .post('/api/hosts')
      .send({ hostname: 'events-scheduled', ip_address: '127.0.0.1', port });
    expectStatus(created, 201);
    const hostId = created.body.id as string;

    const stream = await openEventStream(t.url!, t.adminToken);
    try {
      await t.app.get(EventsService).ready();
      // What the producer does with a due host (no scheduler runs in this app).
      const now = new Date();
      const claims = await t.app.get(HostStatusRepository).claimDue(now, 300, 10);
      expect(claims.map((c) => c.hostId)).toEqual([hostId]);
      await t.app.get(CheckQueues).addScheduled(jobsFor(claims, 16), now);
      const jit = await t.api().post(`/api/monitoring/hosts/${hostId}/check-connectivity`);
      expectStatus(jit, 202);

      const scheduled = await stream.next(
        (m) =>
          m.event === 'check' &&
          (m.data.outcome as { checked_by?: string; host_id?: string })?.checked_by ===
            'scheduler' &&
          (m.data.outcome as { host_id?: string }).host_id === hostId,
      );
      expect(scheduled.data.outcome).toMatchObject({ error_type: 'connection_refused' });
      await stream.next(
        (m) =>
          m.event === 'check' &&
          (m.data.outcome as { task_id?: string })?.task_id === jit.body.task_id,
      );
    } finally {
      stream.close();
    }
  });

  it('reports a check of an inactive host without applying it (state_applied false)', async () => {
    const port = await closedPort();
    const created = await t
      .api()
      .post('/api/hosts')
      .send({ hostname: 'events-inactive', ip_address: '127.0.0.1', port, is_active: false });
    expectStatus(created, 201);
    const hostId = created.body.id as string;
    const before = (await t.api().get(`/api/hosts/${hostId}`)).body;

    const waited = await t
      .api()
      .post(`/api/monitoring/hosts/${hostId}/check-connectivity?wait=true&timeout_ms=10000`);
    expectStatus(waited, 200);
    expect(waited.body).toMatchObject({
      host_id: hostId,
      success: false,
      error_type: 'connection_refused',
      previous_state: 'UNKNOWN',
      new_state: 'UNKNOWN',
      state_changed: false,
      state_applied: false,
    });
    // Nothing changed: state, counters, schedule, no history row.
    expect((await t.api().get(`/api/hosts/${hostId}`)).body).toEqual(before);
    const history = await t.api().get(`/api/monitoring/hosts/${hostId}/history`);
    expect(history.body.items).toEqual([]);
    // The check itself can still be read back.
    const status = await t.api().get(`/api/monitoring/checks/${waited.body.task_id}`);
    expectStatus(status, 200);
    expect(status.body).toMatchObject({
      status: 'completed',
      result: { task_id: waited.body.task_id, state_applied: false, success: false },
    });
  });

  it('sends no transition for a check that keeps the state', async () => {
    const port = await closedPort();
    const created = await t
      .api()
      .post('/api/hosts')
      .send({ hostname: 'events-steady', ip_address: '127.0.0.1', port });
    const hostId = created.body.id as string;
    const first = await t
      .api()
      .post(`/api/monitoring/hosts/${hostId}/check-connectivity?wait=true&timeout_ms=20000`)
      .expect(200);
    expect(first.body.new_state).toBe('DEGRADED');

    // Thresholds: DEGRADED goes CRITICAL at 2 failures; lower the bar so the next failure stays.
    await t
      .api()
      .put('/api/monitoring/policy')
      .send({ thresholds: { critical_after_failures: 5, down_after_failures: 6 } })
      .expect(200);
    const stream = await openEventStream(t.url!, t.adminToken);
    try {
      await t.app.get(EventsService).ready();
      const queued = await t.api().post(`/api/monitoring/hosts/${hostId}/check-connectivity`);
      const taskId = queued.body.task_id as string;
      const check = await stream.next(
        (m) => m.event === 'check' && (m.data.outcome as { task_id?: string })?.task_id === taskId,
      );
      expect(check.data.outcome).toMatchObject({ state_changed: false, new_state: 'DEGRADED' });
      // A later event proves the stream moved past this check without a transition for it.
      const again = await t.api().post(`/api/monitoring/hosts/${hostId}/check-connectivity`);
      await stream.next(
        (m) =>
          m.event === 'check' &&
          (m.data.outcome as { task_id?: string })?.task_id === again.body.task_id,
      );
      expect(stream.messages.filter((m) => m.event === 'transition')).toEqual([]);
    } finally {
      stream.close();
      await t
        .api()
        .put('/api/monitoring/policy')
        .send({
          thresholds: { critical_after_failures: 2, down_after_failures: 3 },
        });
    }
  });

  it('is documented in openapi.json as an event stream with one schema per event', async () => {
    const doc = (await t.api().get('/api/docs-json').expect(200)).body;
    const get = doc.paths['/api/events'].get;
    expect(Object.keys(get.responses['200'].content)).toEqual(['text/event-stream']);
    for (const name of ['CheckEventDto', 'TransitionEventDto', 'PingEventDto']) {
      expect(doc.components.schemas[name]).toBeDefined();
    }
  });
});
