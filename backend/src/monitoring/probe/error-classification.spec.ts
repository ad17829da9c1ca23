import {
  classifyProbeError,
  ConnectionClosedError,
  CredentialError,
  formatAddress,
  NotSshError,
  ProbeTimeoutError,
  sanitize,
  type ProbeErrorContext,
} from './error-classification';
import { PROBE_ERROR_TYPES, type ProbeStage } from '../../common/probe.types';

const ctx = (overrides: Partial<ProbeErrorContext> = {}): ProbeErrorContext => ({
  stage: 'connect',
  host: 'db1.example.com',
  port: 22,
  ...overrides,
});

/** A Node system error as net.Socket emits it. */
function sysError(code: string, message = `connect ${code} 10.0.0.1:22`): Error {
  return Object.assign(new Error(message), { code, syscall: 'connect' });
}

/** An error as ssh2 emits it: a message and a `level`. */
function ssh2Error(message: string, level?: string, code?: number): Error {
  const err = new Error(message) as Error & { level?: string; code?: number };
  if (level !== undefined) err.level = level;
  if (code !== undefined) err.code = code;
  return err;
}

describe('classifyProbeError: network errors', () => {
  it.each(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME'])('%s is dns_failure naming the host', (code) => {
    const r = classifyProbeError(sysError(code, `getaddrinfo ${code} db1.example.com`), ctx());
    expect(r.type).toBe('dns_failure');
    expect(r.message).toContain('db1.example.com');
    expect(r.message).toContain(code);
  });

  it.each([
    ['ECONNREFUSED', 'connection_refused'],
    ['EHOSTUNREACH', 'host_unreachable'],
    ['EHOSTDOWN', 'host_unreachable'],
    ['ENETUNREACH', 'network_unreachable'],
    ['ETIMEDOUT', 'timeout'],
  ] as const)('%s is %s and names host:port', (code, type) => {
    const r = classifyProbeError(sysError(code), ctx());
    expect(r.type).toBe(type);
    expect(r.message).toContain('db1.example.com:22');
  });

  it('reads the code of the first error of an AggregateError (happy-eyeballs connect)', () => {
    const agg = new AggregateError([sysError('ECONNREFUSED'), sysError('ENETUNREACH')], 'x');
    expect(classifyProbeError(agg, ctx()).type).toBe('connection_refused');
  });

  it('brackets IPv6 literals', () => {
    expect(formatAddress('::1', 2222)).toBe('[::1]:2222');
    const r = classifyProbeError(sysError('ECONNREFUSED'), ctx({ host: 'fe80::1' }));
    expect(r.message).toContain('[fe80::1]:22');
  });
});

describe('classifyProbeError: timeouts name the stage they were stuck in', () => {
  it.each([
    [
      'connect',
      'connect',
      2000,
      /TCP connect to db1\.example\.com:22 did not complete within 2000 ms/,
    ],
    ['connect', 'deadline', 3000, /TCP connect .* within 3000 ms/],
    ['banner', 'deadline', 3000, /no SSH banner within 3000 ms/],
    ['kex', 'deadline', 3000, /key exchange .* did not complete within 3000 ms/],
    ['auth', 'deadline', 3000, /authentication .* did not complete within 3000 ms/],
  ] as const)('%s (%s timer)', (stage, timer, ms, pattern) => {
    const r = classifyProbeError(new ProbeTimeoutError(timer, ms), ctx({ stage }));
    expect(r.type).toBe('timeout');
    expect(r.message).toMatch(pattern);
  });

  it('a timeout after only non-SSH lines is not_ssh, quoting the first line', () => {
    const r = classifyProbeError(
      new ProbeTimeoutError('deadline', 3000),
      ctx({ stage: 'banner', nonSshLine: '220 mail ESMTP' }),
    );
    expect(r.type).toBe('not_ssh');
    expect(r.message).toContain('"220 mail ESMTP"');
  });

  it('ETIMEDOUT from the kernel also names the stage', () => {
    expect(classifyProbeError(sysError('ETIMEDOUT'), ctx({ stage: 'banner' })).message).toMatch(
      /banner/,
    );
  });
});

describe('classifyProbeError: not SSH', () => {
  it('quotes the line that gave it away', () => {
    const r = classifyProbeError(
      new NotSshError('HTTP/1.1 400 Bad Request'),
      ctx({ stage: 'banner' }),
    );
    expect(r.type).toBe('not_ssh');
    expect(r.message).toContain('"HTTP/1.1 400 Bad Request"');
  });

  it('shows binary data as hex, not as raw bytes', () => {
    const r = classifyProbeError(
      new NotSshError('\x15\x03\x03\x00\x02\x02\x46'),
      ctx({ stage: 'banner' }),
    );
    expect(r.type).toBe('not_ssh');
    expect(r.message).toContain('binary data (15 03 03 00 02 02 46)');
    // eslint-disable-next-line no-control-regex
    expect(r.message).not.toMatch(/[\x00-\x1f]/);
  });

  it('a close after only non-SSH lines is not_ssh', () => {
    const r = classifyProbeError(
      new ConnectionClosedError(),
      ctx({ stage: 'banner', nonSshLine: '+OK POP3 ready' }),
    );
    expect(r.type).toBe('not_ssh');
  });

  it('an ssh2 header parse error before any banner is not_ssh', () => {
    const r = classifyProbeError(
      ssh2Error('Invalid header: expected newline'),
      ctx({ stage: 'banner', origin: 'ssh2' }),
    );
    expect(r.type).toBe('not_ssh');
  });
});

describe('classifyProbeError: protocol errors', () => {
  it.each<[string, unknown, ProbeStage, RegExp]>([
    [
      'a close before any byte',
      new ConnectionClosedError(),
      'banner',
      /before it sent an SSH banner/,
    ],
    ['a close after the banner', new ConnectionClosedError(), 'kex', /after the SSH banner/],
    [
      'a reset during kex',
      sysError('ECONNRESET', 'read ECONNRESET'),
      'kex',
      /reset \(ECONNRESET\)/,
    ],
    ['a close during auth', new ConnectionClosedError(), 'auth', /during authentication/],
    [
      'ssh2 "Connection lost before handshake"',
      ssh2Error('Connection lost before handshake', 'protocol'),
      'banner',
      /before it sent an SSH banner/,
    ],
    [
      'a failed handshake',
      ssh2Error('Handshake failed: no matching key exchange algorithm', 'handshake'),
      'kex',
      /no matching key exchange algorithm/,
    ],
    ['a parser error after the banner', ssh2Error('Bad packet length'), 'kex', /Bad packet length/],
  ])('%s', (_label, err, stage, pattern) => {
    const r = classifyProbeError(err, ctx({ stage, origin: 'ssh2' }));
    expect(r.type).toBe('protocol_error');
    expect(r.message).toMatch(pattern);
  });

  it('a server DISCONNECT outside authentication is protocol_error with its reason', () => {
    const r = classifyProbeError(
      ssh2Error('too many connections', undefined, 2),
      ctx({ stage: 'kex', origin: 'ssh2' }),
    );
    expect(r.type).toBe('protocol_error');
    expect(r.message).toContain('too many connections');
  });
});

describe('classifyProbeError: authentication', () => {
  const auth = ctx({
    stage: 'auth',
    origin: 'ssh2',
    username: 'deploy',
    authMethod: 'password',
    serverAuthMethods: ['publickey'],
  });

  it('client-authentication errors are auth_failed, with user, method and what the server accepts', () => {
    const r = classifyProbeError(
      ssh2Error('All configured authentication methods failed', 'client-authentication'),
      auth,
    );
    expect(r.type).toBe('auth_failed');
    expect(r.message).toContain('"deploy"');
    expect(r.message).toContain('password');
    expect(r.message).toContain('server accepts: publickey');
  });

  it.each([14, 15])('a DISCONNECT with reason %i during auth is auth_failed', (code) => {
    expect(classifyProbeError(ssh2Error('no more methods', undefined, code), auth).type).toBe(
      'auth_failed',
    );
  });

  it('"Too many authentication failures" during auth is auth_failed', () => {
    const r = classifyProbeError(ssh2Error('Too many authentication failures', undefined, 2), auth);
    expect(r.type).toBe('auth_failed');
  });
});

describe('classifyProbeError: everything else', () => {
  it('a credential problem is internal_error with its message', () => {
    const r = classifyProbeError(new CredentialError('the private key could not be parsed'), ctx());
    expect(r).toEqual({ type: 'internal_error', message: 'the private key could not be parsed' });
  });

  it.each<[string, unknown]>([
    ['a TypeError from the probe', new TypeError('x is not a function')],
    ['a thrown string', 'boom'],
    ['undefined', undefined],
    ['an unknown socket code', sysError('EADDRNOTAVAIL')],
  ])('%s is internal_error with a useful message', (_label, err) => {
    const r = classifyProbeError(err, ctx({ origin: 'probe' }));
    expect(r.type).toBe('internal_error');
    expect(r.message).toContain('db1.example.com:22');
    expect(r.message.length).toBeGreaterThan(30);
  });

  it('always answers with a known error type and a non-empty message', () => {
    const inputs: unknown[] = [null, 42, {}, { code: 'ECONNREFUSED' }, new Error(''), Symbol('s')];
    for (const input of inputs) {
      const r = classifyProbeError(input, ctx());
      expect(PROBE_ERROR_TYPES).toContain(r.type);
      expect(r.message.length).toBeGreaterThan(0);
    }
  });
});

describe('sanitize', () => {
  it('keeps printable ASCII, replaces the rest and truncates', () => {
    expect(sanitize('ok\r\n\x1b[31m')).toBe('ok???[31m');
    expect(sanitize('x'.repeat(10), 4)).toBe('xxxx...');
  });
});
