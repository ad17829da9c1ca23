import { randomUUID } from 'node:crypto';
import { CredentialsRepository } from '../../src/credentials/credentials.repository';
import { CredentialsService } from '../../src/credentials/credentials.service';
import { HostStatusRepository } from '../../src/hosts/host-status.repository';
import { insertHost, updateHost } from '../support/host-rows';
import { createTestApp, TestApp } from '../support/test-app';
import { truncateAll } from '../support/test-env';

// What a check reads of its host (the producer's claim and a JIT check read the same): one
// statement for the host and which credential it uses, and the decrypted credential served
// from memory until the credential is edited.
describe("a worker's per-check read", () => {
  let app: TestApp;
  let hosts: HostStatusRepository;
  let credentials: CredentialsService;
  let findById: jest.SpyInstance;

  beforeAll(async () => {
    app = await createTestApp({ roles: 'api' });
    hosts = app.app.get(HostStatusRepository);
    credentials = app.app.get(CredentialsService);
    findById = jest.spyOn(app.app.get(CredentialsRepository), 'findById');
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    await truncateAll(app.dataSource);
    findById.mockClear();
  });

  const addHost = (credentialId: string | null) =>
    insertHost(app.dataSource, {
      hostname: `read-${randomUUID().slice(0, 8)}`,
      ip_address: '127.0.0.9',
      port: 2222,
      credential_id: credentialId,
      monitoring_state: 'DEGRADED',
      consecutive_failures: 2,
      host_key_fingerprint: 'SHA256:pin',
    });
  const targetOf = async (hostId: string) => (await hosts.findTargets([hostId]))[0] ?? null;
  const password = (name: string, secret: string, isDefault = false) =>
    credentials.create({
      name,
      username: 'probe',
      auth_method: 'password',
      password: secret,
      is_default: isDefault,
    });
  const credentialFor = async (hostId: string) => {
    const target = (await targetOf(hostId))!;
    return target.credentialId
      ? credentials.probeCredential(target.credentialId, target.credentialVersion!)
      : null;
  };

  it('reads the host, its snapshot and its credential version, and no secret', async () => {
    const own = await password('own', 'pw-own');
    const id = await addHost(own.id);
    const target = await targetOf(id);
    expect(target).toEqual({
      hostId: id,
      hostname: expect.stringMatching(/^read-/),
      ipAddress: '127.0.0.9',
      port: 2222,
      isActive: true,
      state: 'DEGRADED',
      consecutiveFailures: 2,
      consecutiveSuccesses: 0,
      hostKeyPolicy: 'tofu',
      hostKeyFingerprint: 'SHA256:pin',
      credentialId: own.id,
      credentialVersion: expect.any(String),
      version: 1,
      flapChanges: 0,
      flapping: false,
      parentState: null,
      jump: null,
    });
    expect(await targetOf(randomUUID())).toBeNull();
    // The producer's claim reads the same, with the claim's own fields.
    await updateHost(app.dataSource, id, { next_check_at: new Date(Date.now() - 1000) });
    const [claimed] = await hosts.claimDue(new Date(), 300, 10);
    expect(claimed).toEqual({ ...target, priority: 7, dueAt: expect.any(Date) });
  });

  it('decrypts a credential once per version: an edit shows up on the next check', async () => {
    const own = await password('own', 'pw-1');
    const id = await addHost(own.id);
    const first = await credentialFor(id);
    const again = await Promise.all([credentialFor(id), credentialFor(id)]);
    expect(first).toEqual({ username: 'probe', auth_method: 'password', password: 'pw-1' });
    expect(again[0]).toBe(first);
    expect(again[1]).toBe(first);
    expect(findById).toHaveBeenCalledTimes(1);

    await credentials.update(own.id, { password: 'pw-2', username: 'other' });
    findById.mockClear();
    expect(await credentialFor(id)).toEqual({
      username: 'other',
      auth_method: 'password',
      password: 'pw-2',
    });
    expect(findById).toHaveBeenCalledTimes(1);
  });

  it('uses the default credential for a host without one, and a new default at once', async () => {
    const id = await addHost(null);
    expect(await credentialFor(id)).toBeNull();
    await password('first-default', 'pw-a', true);
    expect((await credentialFor(id))?.password).toBe('pw-a');
    await password('second-default', 'pw-b', true);
    expect((await credentialFor(id))?.password).toBe('pw-b');
    // A host's own credential wins over the default.
    const own = await password('own', 'pw-own');
    await updateHost(app.dataSource, id, { credential_id: own.id });
    expect((await credentialFor(id))?.password).toBe('pw-own');
  });
});
