import { randomUUID } from 'node:crypto';
import type { ProbeResult } from '../../src/common/probe.types';
import { HostStatusRepository } from '../../src/hosts/host-status.repository';
import { CheckResultService } from '../../src/monitoring/check-result.service';
import { AlertEventsBus } from '../../src/alerts/alert-events.bus';
import type { AlertLiveEvent } from '../../src/alerts/dto/alert-event.dto';
import { expectBadField } from '../e2e/helpers';
import { insertHost } from '../support/host-rows';
import { ManualClock } from '../support/manual-clock';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app';
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
const ok: ProbeResult = {
  success: true,
  stage: 'kex',
  response_time_ms: 4,
  error_type: null,
  error_message: null,
  host_key: null,
};

/**
 * Acknowledging problems through the API, with problems opened and moved by the real apply
 * path and a clock the spec moves: who and why, normal and sticky, expiry, and what is refused.
 */
describe('acknowledging problems', () => {
  const clock = new ManualClock(Date.parse('2027-01-05T08:00:00Z'));
  let app: TestApp;
  let operator: TestUser;

  beforeAll(async () => {
    await cleanDatabase();
    app = await createTestApp({ clock });
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await truncateAll(app.dataSource);
    operator = await app.userWithRole('operator');
  });

  const api = () => app.api(operator.access_token);
  const apply = async (hostId: string, result: ProbeResult) => {
    clock.advance(1000);
    const [target] = await app.app.get(HostStatusRepository).findTargets([hostId]);
    const applied = await app.app.get(CheckResultService).apply({
      taskId: `sched-${randomUUID()}`,
      checkedBy: 'scheduler',
      result,
      checkedAt: clock.now(),
      target,
    });
    if (applied.status !== 'applied') throw new Error(`not applied: ${applied.status}`);
  };
  /** A host with an open problem in CRITICAL; returns the host and the alert. */
  const critical = async (hostname: string) => {
    const host = await insertHost(app.dataSource, {
      hostname,
      ip_address: '10.9.0.1',
      next_check_at: new Date(clock.now().getTime() + 86_400_000),
    });
    await apply(host, refused);
    await apply(host, refused);
    const [{ id }] = await app.dataSource.query(
      'SELECT id FROM alerts WHERE host_id = $1 AND resolved_at IS NULL',
      [host],
    );
    return { host, alert: id as string };
  };
  const alert = async (id: string) => (await api().get(`/api/alerts/${id}`).expect(200)).body;

  it('records who acknowledged, when and why, shows it in the list and the alert, tells open consoles, and audits it', async () => {
    const { alert: id } = await critical('db-1');
    const bus = app.app.get(AlertEventsBus);
    const live: AlertLiveEvent[] = [];
    const subscription = bus.stream().subscribe((e) => live.push(e));
    await bus.ready();
    const res = await api()
      .post(`/api/alerts/${id}/ack`)
      .send({ comment: 'replacing the PSU' })
      .expect(200);
    await waitUntil(async () => live.length > 0, 5000, 'alert_updated');
    subscription.unsubscribe();
    expect(live[0]).toMatchObject({
      type: 'alert_updated',
      alert: { id, acknowledged: true, ack_comment: 'replacing the PSU' },
    });
    expect(res.body).toMatchObject({
      acknowledged: true,
      acknowledged_by: operator.username,
      acknowledged_at: clock.now().toISOString(),
      ack_comment: 'replacing the PSU',
      ack_sticky: false,
      ack_expires_at: null,
    });
    const listed = (await api().get('/api/alerts?status=open').expect(200)).body.items[0];
    expect(listed).toMatchObject({ acknowledged: true, acknowledged_by: operator.username });
    const [audit] = await app.dataSource.query(
      `SELECT actor, details FROM audit_log WHERE action = 'alert.ack' AND target_id = $1`,
      [id],
    );
    expect(audit.actor).toBe(operator.username);
    expect(audit.details.comment).toBe('replacing the PSU');

    await api().delete(`/api/alerts/${id}/ack`).expect(204);
    expect(await alert(id)).toMatchObject({ acknowledged: false, acknowledged_by: null });
    const [{ n }] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'alert.unack' AND target_id = $1`,
      [id],
    );
    expect(n).toBe(1);
  });

  it('a normal acknowledgement is cleared by the next state change; a sticky one stays until recovery', async () => {
    const normal = await critical('web-1');
    const sticky = await critical('web-2');
    await api().post(`/api/alerts/${normal.alert}/ack`).send({ comment: 'looking' }).expect(200);
    await api()
      .post(`/api/alerts/${sticky.alert}/ack`)
      .send({ comment: 'rack power', sticky: true })
      .expect(200);

    // A failure that changes nothing (DOWN stays DOWN later) does not clear; CRITICAL -> DOWN does.
    await apply(normal.host, refused);
    await apply(sticky.host, refused);
    expect(await alert(normal.alert)).toMatchObject({
      current_state: 'DOWN',
      acknowledged: false,
      acknowledged_by: null,
      ack_comment: null,
    });
    expect(await alert(sticky.alert)).toMatchObject({
      current_state: 'DOWN',
      acknowledged: true,
      ack_comment: 'rack power',
      ack_sticky: true,
    });
    await api().post(`/api/alerts/${normal.alert}/ack`).send({ comment: 'again' }).expect(200);
    await apply(normal.host, refused); // DOWN -> DOWN: no state change
    expect((await alert(normal.alert)).acknowledged).toBe(true);

    // Recovery resolves the problem: an acknowledgement no longer holds, and a resolved
    // problem cannot be acknowledged.
    for (let i = 0; i < 3; i++) await apply(sticky.host, ok);
    const resolved = await alert(sticky.alert);
    expect(resolved).toMatchObject({ status: 'resolved', acknowledged: false });
    const refusedAck = await api()
      .post(`/api/alerts/${sticky.alert}/ack`)
      .send({ comment: 'late' });
    expect(refusedAck.status).toBe(409);
    expect(refusedAck.body.message).toContain('resolved');
    await api().delete(`/api/alerts/${sticky.alert}/ack`).expect(409);
  });

  it('an acknowledgement with expires_at stops holding then', async () => {
    const { alert: id } = await critical('db-2');
    const expires = new Date(clock.now().getTime() + 3_600_000).toISOString();
    await api()
      .post(`/api/alerts/${id}/ack`)
      .send({ comment: 'for an hour', expires_at: expires })
      .expect(200);
    clock.advance(3_599_000);
    operator = await app.userWithRole('operator'); // signed in at the clock's new time
    expect(await alert(id)).toMatchObject({ acknowledged: true, ack_expires_at: expires });
    clock.advance(1000);
    expect(await alert(id)).toMatchObject({ acknowledged: false, ack_expires_at: expires });
  });

  it('refuses bad input with a 400 naming the field, an unknown alert with a 404, and viewers', async () => {
    const { alert: id } = await critical('db-3');
    expectBadField(await api().post(`/api/alerts/${id}/ack`).send({}), 'comment');
    expectBadField(
      await api().post(`/api/alerts/${id}/ack`).send({ comment: 'x', sticky: 'yes' }),
      'sticky',
    );
    expectBadField(
      await api()
        .post(`/api/alerts/${id}/ack`)
        .send({ comment: 'x', expires_at: new Date(clock.now().getTime() - 1000).toISOString() }),
      'expires_at',
    );
    await api().post(`/api/alerts/${randomUUID()}/ack`).send({ comment: 'x' }).expect(404);
    const viewer = await app.userWithRole('viewer');
    await app
      .api(viewer.access_token)
      .post(`/api/alerts/${id}/ack`)
      .send({ comment: 'x' })
      .expect(403);
    expect((await alert(id)).acknowledged).toBe(false);
  });
});
