import { randomUUID } from 'node:crypto';
import { CredentialsRepository } from '../../src/credentials/credentials.repository';
import { CredentialsService } from '../../src/credentials/credentials.service';
import { HostsRepository } from '../../src/hosts/hosts.repository';
import { createTestApp, TestApp } from '../support/test-app';
import { truncateAll } from '../support/test-env';

// The worker's read before a probe: one statement for the host and which credential it uses,
// and the decrypted credential served from memory until the credential is edited.
describe("a worker's per-check read", () => {
  let app: TestApp;
  let hosts: HostsRepository;
  let credentials: CredentialsService;
  let findById: jest.SpyInstance;

  beforeAll(async () => {
    app = await createTestApp({ roles: 'api' });
    hosts = app.app.get(HostsRepository);
    credentials = app.app.get(CredentialsService);
    findById = jest.spyOn(app.app.get(CredentialsRepository), 'findById');
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    await truncateAll(app.dataSource);
    findById.mockClear();
  });

  const addHost = async (credentialId: string | null) => {
    const [row] = await app.dataSource.query(
      `INSERT INTO hosts (hostname, ip_address, port, credential_id, monitoring_state,
                          consecutive_failures, host_key_fingerprint)
       VALUES ($1, '127.0.0.9', 2222, $2, 'DEGRADED', 2, 'SHA256:pin') RETURNING id`,
      [`read-${randomUUID().slice(0, 8)}`, credentialId],
    );
    return row.id as string;
  };
  const password = (name: string, secret: string, isDefault = false) =>
    credentials.create({
      name,
      username: 'probe',
      auth_method: 'password',
      password: secret,
      is_default: isDefault,
    });
  const credentialFor = async (hostId: string) => {
    const target = (await hosts.findForCheck(hostId))!;
    return target.credential_id
      ? credentials.probeCredential(target.credential_id, target.credential_version!)
      : null;
  };

  it('reads the host, its snapshot and its credential version, and no secret', async () => {
    const own = await password('own', 'pw-own');
    const id = await addHost(own.id);
    const target = await hosts.findForCheck(id);
    expect(target).toEqual({
      id,
      hostname: expect.stringMatching(/^read-/),
      ip_address: '127.0.0.9',
      port: 2222,
      is_active: true,
      monitoring_state: 'DEGRADED',
      consecutive_failures: 2,
      consecutive_successes: 0,
      host_key_policy: 'tofu',
      host_key_fingerprint: 'SHA256:pin',
      credential_id: own.id,
      credential_version: expect.any(String),
    });
    expect(await hosts.findForCheck(randomUUID())).toBeNull();
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
    await app.dataSource.query('UPDATE hosts SET credential_id = $2 WHERE id = $1', [id, own.id]);
    expect((await credentialFor(id))?.password).toBe('pw-own');
  });
});
