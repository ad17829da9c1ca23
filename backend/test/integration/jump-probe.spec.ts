import { Ssh2Probe } from '../../src/monitoring/probe/ssh2-probe.adapter';
import type { JumpRequest, ProbeCredential, ProbeRequest } from '../../src/common/probe.types';
import { startSshd, type Sshd } from '../support/sshd';
import { waitUntil } from '../support/wait';

const TIMEOUT_MS = 4000;
/** A well-formed fingerprint of no key in these tests. */
const FOREIGN_PIN = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';

const keyOf = (sshd: Sshd): ProbeCredential => ({
  username: sshd.username,
  auth_method: 'private_key',
  private_key: sshd.privateKey,
});

/** Logins sshd accepted so far (one per SSH connection that authenticated). */
const logins = (sshd: Sshd) => (sshd.logs().match(/Accepted publickey for/g) ?? []).length;

/**
 * Probes through a jump host (ProxyJump) against two real OpenSSH servers on loopback: the
 * jump host's leg with its own key and pin, one direct-tcpip channel per probe on a shared
 * connection, and each leg's failures told apart.
 */
describe('probing through a jump host, against real sshd', () => {
  let jump: Sshd;
  let target: Sshd;
  let probe: Ssh2Probe;
  let keys = 0;

  beforeAll(async () => {
    [jump, target] = await Promise.all([
      startSshd({ listenAddress: '127.0.0.1', logLevel: 'DEBUG1' }),
      startSshd({ listenAddress: '127.0.0.2' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([jump?.stop(), target?.stop()]);
  });
  beforeEach(() => {
    probe = new Ssh2Probe();
  });
  afterEach(() => probe.onModuleDestroy());

  /** A jump leg under a key of its own (a new key: a new shared connection). */
  const via = (overrides: Partial<JumpRequest> = {}): JumpRequest => ({
    host: jump.host,
    port: jump.port,
    hostKeyPolicy: 'strict',
    pinnedFingerprint: jump.hostKeyFingerprint,
    credential: keyOf(jump),
    key: `jump-${++keys}`,
    ...overrides,
  });
  const request = (jumpLeg: JumpRequest, overrides: Partial<ProbeRequest> = {}): ProbeRequest => ({
    host: target.host,
    port: target.port,
    hostKeyPolicy: 'tofu',
    pinnedFingerprint: null,
    credential: keyOf(target),
    connectTimeoutMs: TIMEOUT_MS,
    timeoutMs: TIMEOUT_MS,
    jump: jumpLeg,
    ...overrides,
  });

  it('logs in to the target through a channel the jump host opened, and sees the target’s key', async () => {
    const result = await probe.probe(request(via()));
    expect(result).toMatchObject({ success: true, stage: 'auth', error_type: null });
    expect(result.host_key?.fingerprint).toBe(target.hostKeyFingerprint);
    // The jump host opened the channel: sshd logs the forward to the target's address.
    await waitUntil(
      async () =>
        new RegExp(
          `server_request_direct_tcpip: .* target ${target.host.replace(/\./g, '\\.')} port ${target.port}`,
        ).test(jump.logs()),
      5000,
      'direct-tcpip in the jump host log',
    );
    // The target's pin is checked against the target's key, not the jump host's.
    const pinnedToJump = await probe.probe(
      request(via(), { hostKeyPolicy: 'strict', pinnedFingerprint: jump.hostKeyFingerprint }),
    );
    expect(pinnedToJump).toMatchObject({
      success: false,
      stage: 'kex',
      error_type: 'host_key_mismatch',
    });
  });

  it('shares one jump connection between probes: 40 at once log in to the jump host 3 times', async () => {
    const leg = via();
    const before = logins(jump);
    const results = await Promise.all(Array.from({ length: 40 }, () => probe.probe(request(leg))));
    expect(results.filter((r) => r.success)).toHaveLength(40);
    // 16 channels per connection at most: 40 probes need 3 connections.
    expect(logins(jump) - before).toBe(3);
    expect(probe.jumps.connections).toBe(3);
    // Later probes reuse the open connections.
    const again = await Promise.all(Array.from({ length: 10 }, () => probe.probe(request(leg))));
    expect(again.every((r) => r.success)).toBe(true);
    expect(logins(jump) - before).toBe(3);
  });

  it('a target that refuses behind a healthy jump host fails at connect, as its own failure', async () => {
    await target.pause();
    try {
      const result = await probe.probe(request(via()));
      expect(result).toMatchObject({
        success: false,
        stage: 'connect',
        error_type: 'connection_refused',
      });
      expect(result.error_message).toContain(`through jump host ${jump.host}:${jump.port}`);
      expect(result.host_key).toBeNull();
    } finally {
      await target.resume();
    }
  });

  it('a jump host that is down, has another key, or has no credential fails at stage jump', async () => {
    const wrongKey = await probe.probe(request(via({ pinnedFingerprint: FOREIGN_PIN })));
    expect(wrongKey).toMatchObject({
      success: false,
      stage: 'jump',
      error_type: 'host_key_mismatch',
      host_key: null,
    });
    expect(wrongKey.error_message).toMatch(/^jump host 127\.0\.0\.1:\d+: /);

    const noLogin = await probe.probe(request(via({ credential: null })));
    expect(noLogin).toMatchObject({ success: false, stage: 'jump', error_type: 'auth_failed' });

    await jump.pause();
    try {
      const down = await probe.probe(request(via()));
      expect(down).toMatchObject({
        success: false,
        stage: 'jump',
        error_type: 'connection_refused',
      });
    } finally {
      await jump.resume();
    }
  });

  it('a jump connection that drops is opened again by the next probe', async () => {
    const leg = via();
    expect((await probe.probe(request(leg))).success).toBe(true);
    const before = logins(jump);
    expect(await jump.dropSessions()).toBeGreaterThan(0);
    await waitUntil(async () => probe.jumps.connections === 0, 5000, 'dropped connection');
    expect((await probe.probe(request(leg))).success).toBe(true);
    expect(probe.jumps.connections).toBe(1);
    expect(logins(jump) - before).toBe(1);
  });

  it('a jump host that forbids forwarding fails at stage jump', async () => {
    const closed = await startSshd({
      listenAddress: '127.0.0.3',
      extraConfig: ['AllowTcpForwarding no'],
    });
    try {
      const result = await probe.probe(
        request(
          via({
            host: closed.host,
            port: closed.port,
            pinnedFingerprint: closed.hostKeyFingerprint,
            credential: keyOf(closed),
          }),
        ),
      );
      expect(result).toMatchObject({ success: false, stage: 'jump', error_type: 'protocol_error' });
      expect(result.error_message).toContain('does not allow forwarding');
    } finally {
      await closed.stop();
    }
  });
});
