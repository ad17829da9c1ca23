import { startSshd, type Sshd } from '../support/sshd';
import { createTestApp, type Api, type TestApp } from '../support/test-app';
import { cleanDatabase } from '../support/test-env';
import { expectBadField, UNKNOWN_UUID } from './helpers';

/**
 * Parents and jump hosts over the API, with a real bastion: a real sshd the probes of the
 * hosts behind it go through, each leg with its own credential and host-key pin.
 */
describe('parents and jump hosts over the API', () => {
  let app: TestApp;
  let api: Api;
  let bastionSshd: Sshd;
  let innerSshd: Sshd;

  beforeAll(async () => {
    await cleanDatabase();
    [bastionSshd, innerSshd] = await Promise.all([
      startSshd({ listenAddress: '127.0.0.1' }),
      startSshd({ listenAddress: '127.0.0.4' }),
    ]);
    app = await createTestApp({
      roles: 'api,worker',
      env: { PROBE_CONNECT_TIMEOUT_MS: '2000', PROBE_TIMEOUT_MS: '4000' },
    });
    api = app.api();
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([bastionSshd?.stop(), innerSshd?.stop()]);
  });

  const credential = async (name: string, sshd: Sshd): Promise<string> =>
    (
      await api
        .post('/api/credentials')
        .send({
          name,
          username: sshd.username,
          auth_method: 'private_key',
          private_key: sshd.privateKey,
        })
        .expect(201)
    ).body.id;
  const host = async (body: Record<string, unknown>) => {
    const res = await api.post('/api/hosts').send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; [k: string]: unknown };
  };
  const jit = async (id: string) =>
    (
      await api
        .post(`/api/monitoring/hosts/${id}/check-connectivity?wait=true&timeout_ms=10000`)
        .expect(200)
    ).body;

  it('probes a host through its jump host, with each leg’s own credential and key', async () => {
    const bastion = await host({
      hostname: 'bastion',
      ip_address: bastionSshd.host,
      port: bastionSshd.port,
      credential_id: await credential('bastion-key', bastionSshd),
      tags: ['dmz'],
    });
    const inner = await host({
      hostname: 'inner-db',
      ip_address: innerSshd.host,
      port: innerSshd.port,
      credential_id: await credential('inner-key', innerSshd),
      jump_host_id: bastion.id,
    });
    expect(inner).toMatchObject({
      jump_host_id: bastion.id,
      parent_host_id: null,
      unreachable: false,
      flapping: false,
      flap_percent: 0,
    });

    const through = await jit(inner.id);
    expect(through).toMatchObject({
      success: true,
      stage: 'auth',
      unreachable: false,
      host_key_fingerprint: innerSshd.hostKeyFingerprint,
    });
    // The inner host's key is pinned, not the bastion's.
    expect((await api.get(`/api/hosts/${inner.id}`).expect(200)).body.host_key_fingerprint).toBe(
      innerSshd.hostKeyFingerprint,
    );

    // The inner host down behind a healthy bastion: its own failure.
    expect((await jit(bastion.id)).success).toBe(true);
    await innerSshd.pause();
    try {
      const refused = await jit(inner.id);
      expect(refused).toMatchObject({
        success: false,
        stage: 'connect',
        error_type: 'connection_refused',
        unreachable: false,
      });
    } finally {
      await innerSshd.resume();
    }

    // The bastion down (its sshd and the sessions it served): the inner host cannot be told,
    // and says so.
    await bastionSshd.pause();
    await bastionSshd.dropSessions();
    try {
      const behind = await jit(inner.id);
      expect(behind).toMatchObject({
        success: false,
        stage: 'jump',
        error_type: 'connection_refused',
        unreachable: true,
      });
      expect(behind.error_message).toContain(`${bastionSshd.host}:${bastionSshd.port}`);
    } finally {
      await bastionSshd.resume();
    }
    const listed = (await api.get('/api/hosts?q=inner-db').expect(200)).body.items[0];
    expect(listed).toMatchObject({ unreachable: true, last_check_stage: 'jump' });
    const history = (await api.get(`/api/monitoring/hosts/${inner.id}/history`).expect(200)).body;
    expect(history.items.map((i: { unreachable: boolean }) => i.unreachable)).toEqual([
      true,
      false,
      false,
    ]);
    const state = (await api.get(`/api/monitoring/hosts/${inner.id}/state`).expect(200)).body;
    expect(state).toMatchObject({ unreachable: true, flapping: false });
    expect(state.recent_history[0].unreachable).toBe(true);

    // A jump host in use cannot be deleted; once nobody uses it, it can.
    const refusedDelete = await api.delete(`/api/hosts/${bastion.id}`);
    expect(refusedDelete.status).toBe(409);
    expect(refusedDelete.body.message).toContain('inner-db');
    await api.patch(`/api/hosts/${inner.id}`).send({ jump_host_id: null }).expect(200);
    await api.delete(`/api/hosts/${bastion.id}`).expect(204);
  });

  it('refuses a parent or jump host that breaks the rules, naming the field', async () => {
    const router = await host({ hostname: 'router-1' });
    const jump = await host({ hostname: 'jump-1' });
    const child = await host({ hostname: 'child-1', parent_host_id: router.id });
    expect(child.parent_host_id).toBe(router.id);

    expectBadField(
      await api.post('/api/hosts').send({ hostname: 'x1', parent_host_id: 'not-a-uuid' }),
      'parent_host_id',
    );
    expectBadField(
      await api.post('/api/hosts').send({ hostname: 'x2', jump_host_id: UNKNOWN_UUID }),
      'jump_host_id',
    );
    expectBadField(
      await api.patch(`/api/hosts/${router.id}`).send({ parent_host_id: router.id }),
      'parent_host_id',
    );
    // A loop: the router behind its own child.
    const loop = await api.patch(`/api/hosts/${router.id}`).send({ parent_host_id: child.id });
    expectBadField(loop, 'parent_host_id');
    expect(JSON.stringify(loop.body)).toContain('loop');
    // One level of jump host, both ways.
    const behindJump = await host({ hostname: 'behind-1', jump_host_id: jump.id });
    expectBadField(
      await api.post('/api/hosts').send({ hostname: 'x3', jump_host_id: behindJump.id }),
      'jump_host_id',
    );
    expectBadField(
      await api.patch(`/api/hosts/${jump.id}`).send({ jump_host_id: router.id }),
      'jump_host_id',
    );
    // Nothing was written by the refused requests.
    const names = (await api.get('/api/hosts?page_size=100').expect(200)).body.items.map(
      (h: { hostname: string }) => h.hostname,
    );
    expect(names.filter((n: string) => n.startsWith('x'))).toEqual([]);
    expect((await api.get(`/api/hosts/${router.id}`).expect(200)).body.parent_host_id).toBeNull();

    // A deleted parent leaves its children without one.
    await api.delete(`/api/hosts/${router.id}`).expect(204);
    expect((await api.get(`/api/hosts/${child.id}`).expect(200)).body.parent_host_id).toBeNull();
  });
});
