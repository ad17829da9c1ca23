import { HostEventsBus } from '../../src/hosts/host-events.bus';
import { openEventStream, type SseMessage, type SseStream } from '../support/sse-client';
import { createTestApp, type TestApp } from '../support/test-app';
import { truncateAll } from '../support/test-env';
import { expectStatus } from './helpers';

const about = (id: string, type: string) => (m: SseMessage) =>
  m.event === type && (m.data.host as { id?: string } | undefined)?.id === id;

/**
 * Host lifecycle events on GET /api/events across API processes: two app instances share
 * Postgres and Redis (as two API processes behind a load balancer do); a change made through
 * one reaches the streams of both.
 */
describe('GET /api/events: host created, updated and deleted, from any API process', () => {
  let a: TestApp;
  let b: TestApp;
  let onA: SseStream;
  let onB: SseStream;

  beforeAll(async () => {
    a = await createTestApp({ roles: 'api' });
    // Same database (per run) and the same QUEUE_PREFIX, as one installation's processes share.
    b = await createTestApp({ roles: 'api', env: { QUEUE_PREFIX: a.env.QUEUE_PREFIX } });
    await truncateAll(a.dataSource);
    onA = await openEventStream(a.url!, a.adminToken);
    onB = await openEventStream(b.url!, b.adminToken);
    expect(onA.response.statusCode).toBe(200);
    expect(onB.response.statusCode).toBe(200);
    await a.app.get(HostEventsBus).ready();
    await b.app.get(HostEventsBus).ready();
  });
  afterAll(async () => {
    onA?.close();
    onB?.close();
    await b?.close();
    await a?.close();
  });

  it('sends host_created to every process, with the host as the API shows it', async () => {
    const created = await a
      .api()
      .post('/api/hosts')
      .send({ hostname: 'ev-web-1', ip_address: '127.0.0.1', port: 2200, tags: ['web'] });
    expectStatus(created, 201);
    const id = created.body.id as string;

    for (const stream of [onA, onB]) {
      const event = await stream.next(about(id, 'host_created'));
      expect(event.data).toMatchObject({ type: 'host_created', host: created.body });
      expect(typeof event.data.at).toBe('string');
    }
  });

  it('sends host_updated with the host before and after (tags, name, active)', async () => {
    const created = await a
      .api()
      .post('/api/hosts')
      .send({ hostname: 'ev-db-1', ip_address: '127.0.0.2', tags: ['db'] });
    const id = created.body.id as string;
    // Changed through the other process this time.
    const updated = await b
      .api()
      .patch(`/api/hosts/${id}`)
      .send({ hostname: 'ev-db-2', tags: ['db', 'prod'], is_active: false });
    expectStatus(updated, 200);

    for (const stream of [onA, onB]) {
      const event = await stream.next(about(id, 'host_updated'));
      expect(event.data).toMatchObject({
        type: 'host_updated',
        host: { id, hostname: 'ev-db-2', tags: ['db', 'prod'], is_active: false },
        previous: { id, hostname: 'ev-db-1', tags: ['db'], is_active: true },
      });
      expect(event.data.host).toEqual(updated.body);
    }
  });

  it('sends host_deleted with the host as it was, and nothing for a refused change', async () => {
    const created = await b.api().post('/api/hosts').send({ hostname: 'ev-gone', port: 2201 });
    const id = created.body.id as string;
    // A refused change (400) and a conflicting name (409) change nothing, so announce nothing.
    expectStatus(await a.api().patch(`/api/hosts/${id}`).send({ port: 0 }), 400);
    expectStatus(await a.api().patch(`/api/hosts/${id}`).send({ hostname: 'ev-web-1' }), 409);
    expectStatus(await a.api().delete(`/api/hosts/${id}`), 204);

    for (const stream of [onA, onB]) {
      const event = await stream.next(about(id, 'host_deleted'));
      expect(event.data).toMatchObject({
        type: 'host_deleted',
        host: { id, hostname: 'ev-gone', port: 2201 },
      });
      expect(stream.messages.filter(about(id, 'host_updated'))).toEqual([]);
    }
  });

  it('lets a viewer see them too, and never carries a credential secret', async () => {
    const viewer = await a.userWithRole('viewer');
    const stream = await openEventStream(b.url!, viewer.access_token);
    try {
      expect(stream.response.statusCode).toBe(200);
      const credential = await a.api().post('/api/credentials').send({
        name: 'ev-cred',
        username: 'ops',
        auth_method: 'password',
        password: 'ev-secret-password-1',
      });
      expectStatus(credential, 201);
      const created = await a
        .api()
        .post('/api/hosts')
        .send({ hostname: 'ev-with-cred', credential_id: credential.body.id });
      const event = await stream.next(about(created.body.id as string, 'host_created'));
      expect(event.data.host).toMatchObject({ credential_id: credential.body.id });
      expect(JSON.stringify(stream.messages)).not.toContain('ev-secret-password-1');
    } finally {
      stream.close();
    }
  });

  it('is documented in openapi.json with one schema per host event', async () => {
    const doc = (await a.api().get('/api/docs-json').expect(200)).body;
    for (const name of ['HostCreatedEventDto', 'HostUpdatedEventDto', 'HostDeletedEventDto']) {
      expect(doc.components.schemas[name]).toBeDefined();
    }
    const mapping = doc.paths['/api/events'].get.responses['200'].content['text/event-stream']
      .schema.discriminator.mapping as Record<string, string>;
    expect(Object.keys(mapping)).toEqual(
      expect.arrayContaining(['host_created', 'host_updated', 'host_deleted']),
    );
  });
});
