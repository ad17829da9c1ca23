/**
 * The references hostwatch is measured against, each a closed loop over a list of targets at a
 * fixed concurrency for a fixed time:
 *  - rawSsh2Loop: the physical limit, a plain ssh2 client doing key exchange + host-key check +
 *    publickey auth + close, with setNoDelay on (ssh2's defaults otherwise);
 *  - bannerLoop: TCP connect and read the SSH identification line, nothing more;
 *  - opensshLoop: `ssh -o BatchMode=yes host true`, one process per check, as cron scripts and
 *    Nagios' check_by_ssh do.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client } from 'ssh2';
import { Ssh2Probe } from '../../backend/src/monitoring/probe/ssh2-probe.adapter';

export interface Target {
  address: string;
  port: number;
}

export interface LoopResult {
  checks: number;
  failures: number;
  seconds: number;
  perSecond: number;
  /** This process's CPU (user + system) per check, in milliseconds. */
  cpuMsPerCheck: number;
  firstError: string | null;
}

export async function closedLoop(
  targets: Target[],
  concurrency: number,
  durationMs: number,
  once: (target: Target) => Promise<string | null>,
): Promise<LoopResult> {
  let next = 0;
  let checks = 0;
  let failures = 0;
  let firstError: string | null = null;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const until = t0 + durationMs;
  const lane = async () => {
    while (performance.now() < until) {
      const target = targets[next++ % targets.length];
      const error = await once(target);
      checks++;
      if (error !== null) {
        failures++;
        firstError ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    checks,
    failures,
    seconds,
    perSecond: checks / seconds,
    cpuMsPerCheck: checks > 0 ? (cpu.user + cpu.system) / 1000 / checks : 0,
    firstError,
  };
}

export interface Ssh2LoopOptions {
  username: string;
  privateKey: string;
  passphrase?: string;
  timeoutMs?: number;
}

/** The raw ssh2 loop: a plain ssh2 program doing one publickey check after another. */
export function rawSsh2Loop(
  targets: Target[],
  concurrency: number,
  durationMs: number,
  options: Ssh2LoopOptions,
): Promise<LoopResult> {
  // As a plain ssh2 program does it: the key text in the config (ssh2 parses it per connect).
  const key = Buffer.from(options.privateKey);
  const pins = new Map<string, string>();
  return closedLoop(
    targets,
    concurrency,
    durationMs,
    (target) =>
      new Promise<string | null>((resolve) => {
        const id = `${target.address}:${target.port}`;
        const socket = connect({ host: target.address, port: target.port, noDelay: true });
        const client = new Client();
        let done = false;
        const finish = (error: string | null) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          client.end();
          socket.destroy();
          resolve(error);
        };
        const timer = setTimeout(() => finish('timeout'), options.timeoutMs ?? 10000);
        socket.on('error', (e) => finish(e.message));
        client.on('error', (e) => finish(e.message));
        client.on('ready', () => finish(null));
        socket.once('connect', () => {
          client.connect({
            sock: socket,
            username: options.username,
            privateKey: key,
            passphrase: options.passphrase,
            readyTimeout: 0,
            // Pin on first sight, then compare: the same host-key check hostwatch does.
            hostVerifier: (blob: Buffer) => {
              const fp = createHash('sha256').update(blob).digest('base64');
              const pinned = pins.get(id);
              if (pinned === undefined) pins.set(id, fp);
              return pinned === undefined || pinned === fp;
            },
          });
        });
      }),
  );
}

/** Connect, read up to the SSH identification line, close. */
export function bannerLoop(
  targets: Target[],
  concurrency: number,
  durationMs: number,
  timeoutMs = 5000,
): Promise<LoopResult> {
  return closedLoop(
    targets,
    concurrency,
    durationMs,
    (target) =>
      new Promise<string | null>((resolve) => {
        const socket: Socket = connect({ host: target.address, port: target.port, noDelay: true });
        let text = '';
        let done = false;
        const finish = (error: string | null) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          socket.destroy();
          resolve(error);
        };
        const timer = setTimeout(() => finish('timeout'), timeoutMs);
        socket.setEncoding('latin1');
        socket.on('data', (chunk: string) => {
          text += chunk;
          const nl = text.indexOf('\n');
          if (nl !== -1) finish(text.startsWith('SSH-') ? null : `not ssh: ${text.slice(0, nl)}`);
        });
        socket.on('error', (e) => finish(e.message));
        socket.on('close', () => finish('closed before banner'));
      }),
  );
}

export interface OpensshOptions {
  username: string;
  /** Path of an unencrypted private key file (BatchMode cannot ask for a passphrase). */
  identityFile: string;
  timeoutMs?: number;
}

/** One `ssh -o BatchMode=yes ... true` process per check. */
export function opensshLoop(
  targets: Target[],
  concurrency: number,
  durationMs: number,
  options: OpensshOptions,
): Promise<LoopResult> {
  return closedLoop(
    targets,
    concurrency,
    durationMs,
    (target) =>
      new Promise<string | null>((resolve) => {
        const child = spawn(
          'ssh',
          [
            '-o',
            'BatchMode=yes',
            '-o',
            'StrictHostKeyChecking=no',
            '-o',
            'UserKnownHostsFile=/dev/null',
            '-o',
            'LogLevel=ERROR',
            '-o',
            'ConnectTimeout=5',
            '-o',
            'IdentitiesOnly=yes',
            '-i',
            options.identityFile,
            '-p',
            String(target.port),
            '-l',
            options.username,
            target.address,
            'true',
          ],
          { stdio: ['ignore', 'ignore', 'pipe'] },
        );
        let stderr = '';
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (t: string) => (stderr += t));
        const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15000);
        child.once('error', (e) => {
          clearTimeout(timer);
          resolve(e.message);
        });
        child.once('close', (code) => {
          clearTimeout(timer);
          resolve(code === 0 ? null : `ssh exited ${code}: ${stderr.trim().slice(0, 200)}`);
        });
      }),
  );
}

/** hostwatch's own probe adapter in the same closed loop: the probe alone, no queue, no database. */
export function probeLoop(
  targets: Target[],
  concurrency: number,
  durationMs: number,
  options: Ssh2LoopOptions,
): Promise<LoopResult> {
  const probe = new Ssh2Probe();
  const pins = new Map<string, string>();
  const credential = {
    username: options.username,
    auth_method: 'private_key' as const,
    private_key: options.privateKey,
    passphrase: options.passphrase,
  };
  return closedLoop(targets, concurrency, durationMs, async (target) => {
    const id = `${target.address}:${target.port}`;
    const result = await probe.probe({
      host: target.address,
      port: target.port,
      hostKeyPolicy: 'tofu',
      pinnedFingerprint: pins.get(id) ?? null,
      credential,
      connectTimeoutMs: 5000,
      timeoutMs: options.timeoutMs ?? 10000,
    });
    if (result.success && result.host_key && !pins.has(id))
      pins.set(id, result.host_key.fingerprint);
    return result.success ? null : `${result.error_type}: ${result.error_message}`;
  });
}
