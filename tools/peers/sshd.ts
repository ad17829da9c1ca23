/**
 * A REAL OpenSSH server for tests and benchmarks: `/usr/sbin/sshd -D -e -f <config>` on a free port
 * of a loopback address, with generated host and user keys in a temporary directory.
 *
 *   const sshd = await startSshd();
 *   ... probe sshd.host:sshd.port as sshd.username with sshd.password or sshd.privateKey ...
 *   await sshd.stop();
 *
 * Password authentication needs a real local account: when running as root, the system user
 * `hwprobe` is created if missing (no home, /bin/sh) and given a random password. Parallel test
 * workers share that password through a root-only file so they do not overwrite each other's.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFile,
  chmod,
  link,
  mkdir,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  generateKey,
  makeTempDir,
  readFingerprint,
  removeDir,
  SSH_KEYGEN,
  type GeneratedKey,
  type SshKeyType,
} from './ssh-keys';
import { freePort } from './ports';

const execFileAsync = promisify(execFile);

export const SSHD_BINARY = '/usr/sbin/sshd';
export const PROBE_USER = 'hwprobe';
const PRIVSEP_DIR = '/run/sshd';
const SHARED_PASSWORD_FILE = join(tmpdir(), 'hostwatch-hwprobe.password');
/** A shared password older than this is replaced by a fresh random one. */
const SHARED_PASSWORD_MAX_AGE_MS = 60 * 60 * 1000;
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

export interface SshdOptions {
  /** Loopback address to listen on (any 127.x.y.z works on Linux). Default 127.0.0.1. */
  listenAddress?: string;
  /** Host key algorithm. Default `ed25519`. */
  hostKeyType?: SshKeyType;
  /**
   * Extra sshd_config lines, appended as they are (sshd keeps the first value of a keyword,
   * so these cannot override the lines above: see logLevel).
   */
  extraConfig?: string[];
  /** Default VERBOSE; DEBUG1 also logs each forwarded (direct-tcpip) channel. */
  logLevel?: 'VERBOSE' | 'DEBUG1';
}

export interface Sshd {
  /** The listen address. */
  readonly host: string;
  /** Stable across restart() and regenerateHostKeys(). */
  readonly port: number;
  /** The account to log in as (`hwprobe` as root, else the current user). */
  readonly username: string;
  /** Its password, or null when not running as root (password auth then unavailable). */
  readonly password: string | null;
  /** The authorized user key (OpenSSH private key text, unencrypted). */
  readonly privateKey: string;
  readonly userKey: GeneratedKey;
  /** `SHA256:...` of the current host key, as `ssh-keygen -l -E sha256` prints it. */
  readonly hostKeyFingerprint: string;
  /** `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`. */
  readonly hostKeyAlgorithm: string;
  /** The temporary directory holding config, keys, authorized_keys and pid file. */
  readonly dir: string;
  readonly running: boolean;
  /** sshd's stderr so far (it logs there with -e); handy in failure messages. */
  logs(): string;
  /** Adds a public key line to authorized_keys (read by sshd on every attempt; no restart). */
  authorizeKey(publicKeyLine: string): Promise<void>;
  /** Kills sshd (the port then refuses connections) but keeps its files for resume(). */
  pause(): Promise<void>;
  /** Starts a paused sshd again on the same port with the same keys. */
  resume(): Promise<void>;
  /**
   * Kills sshd and waits for it to exit, then starts it again on the same port. Sessions open
   * before stay open (each runs in a process of its own, out of the group): see dropSessions.
   */
  restart(): Promise<void>;
  /** Kills the processes serving open connections, as a reboot would; returns how many. */
  dropSessions(): Promise<number>;
  /** Replaces the host key with a new one and restarts sshd (same port). Returns the new fingerprint. */
  regenerateHostKeys(): Promise<string>;
  /** Kills sshd, waits for it to exit and removes the temporary directory. Idempotent. */
  stop(): Promise<void>;
}

const HOST_KEY_ALGORITHMS: Record<SshKeyType, string> = {
  ed25519: 'ssh-ed25519',
  rsa: 'ssh-rsa',
  ecdsa: 'ecdsa-sha2-nistp256',
};

export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  const instance = new SshdInstance(options);
  try {
    await instance.init();
    return instance;
  } catch (err) {
    await instance.stop();
    throw err;
  }
}

class SshdInstance implements Sshd {
  readonly host: string;
  port = 0;
  username = '';
  password: string | null = null;
  userKey!: GeneratedKey;
  hostKeyFingerprint = '';
  readonly hostKeyAlgorithm: string;
  dir = '';
  private child: ChildProcess | null = null;
  private exited: Promise<void> | null = null;
  private stderr = '';
  private readonly hostKeyType: SshKeyType;
  private stopped = false;

  constructor(private readonly options: SshdOptions) {
    this.host = options.listenAddress ?? '127.0.0.1';
    this.hostKeyType = options.hostKeyType ?? 'ed25519';
    this.hostKeyAlgorithm = HOST_KEY_ALGORITHMS[this.hostKeyType];
  }

  get privateKey(): string {
    return this.userKey.privateKey;
  }

  get running(): boolean {
    return this.child !== null;
  }

  logs(): string {
    return this.stderr;
  }

  async init(): Promise<void> {
    this.dir = await makeTempDir('hostwatch-sshd-');
    // sshd reads authorized_keys with the target user's uid: the directory must be traversable.
    await chmod(this.dir, 0o755);
    await mkdir(PRIVSEP_DIR, { recursive: true, mode: 0o755 }).catch(() => undefined);

    const isRoot = process.getuid?.() === 0;
    this.username = isRoot ? PROBE_USER : userInfo().username;
    if (isRoot) this.password = await ensureProbeUser();

    const [userKey] = await Promise.all([
      generateKey(this.dir, { type: 'ed25519', name: 'user_ed25519', comment: 'hostwatch-user' }),
      this.generateHostKey(),
    ]);
    this.userKey = userKey;
    await writeFile(this.authorizedKeysPath, `${userKey.publicKey}\n`, { mode: 0o644 });
    await chmod(this.authorizedKeysPath, 0o644);

    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      this.port = await freePort(this.host);
      try {
        await this.spawnAndWait();
        return;
      } catch (err) {
        lastError = err;
        // Most likely someone else took the port between probing and binding; try another.
        if (!/Bind to port|Address already in use/i.test(this.stderr)) break;
      }
    }
    throw lastError;
  }

  async authorizeKey(publicKeyLine: string): Promise<void> {
    await appendFile(this.authorizedKeysPath, `${publicKeyLine.trim()}\n`);
  }

  async dropSessions(): Promise<number> {
    const pids = await sessionPids(this.host, this.port);
    for (const pid of pids) signal(pid, 'SIGKILL');
    return pids.length;
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.spawnAndWait();
  }

  async pause(): Promise<void> {
    await this.kill();
  }

  async resume(): Promise<void> {
    if (!this.running) await this.spawnAndWait();
  }

  async regenerateHostKeys(): Promise<string> {
    const wasRunning = this.running;
    await this.kill();
    await Promise.all([
      unlink(this.hostKeyPath).catch(() => undefined),
      unlink(`${this.hostKeyPath}.pub`).catch(() => undefined),
    ]);
    await this.generateHostKey();
    if (wasRunning) await this.spawnAndWait();
    return this.hostKeyFingerprint;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.kill();
    if (this.dir) await removeDir(this.dir);
  }

  private get hostKeyPath(): string {
    return join(this.dir, `ssh_host_${this.hostKeyType}_key`);
  }

  private get authorizedKeysPath(): string {
    return join(this.dir, 'authorized_keys');
  }

  private get configPath(): string {
    return join(this.dir, 'sshd_config');
  }

  private async generateHostKey(): Promise<void> {
    const args = ['-q', '-t', this.hostKeyType, '-N', '', '-f', this.hostKeyPath, '-C', 'host'];
    if (this.hostKeyType === 'rsa') args.push('-b', '2048');
    await execFileAsync(SSH_KEYGEN, args);
    this.hostKeyFingerprint = (await readFingerprint(`${this.hostKeyPath}.pub`)).fingerprint;
  }

  private configText(): string {
    const lines = [
      `Port ${this.port}`,
      `ListenAddress ${this.host}`,
      `HostKey ${this.hostKeyPath}`,
      `PidFile ${join(this.dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${this.authorizedKeysPath}`,
      'StrictModes no',
      'UsePAM no',
      'PubkeyAuthentication yes',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin no',
      `AllowUsers ${this.username}`,
      'UseDNS no',
      'PrintMotd no',
      `LogLevel ${this.options.logLevel ?? 'VERBOSE'}`,
      // Benchmarks open many unauthenticated connections at once; the default (10:30:100)
      // would drop some of them at random.
      'MaxStartups 1000',
      'LoginGraceTime 30',
      ...(this.options.extraConfig ?? []),
    ];
    return `${lines.join('\n')}\n`;
  }

  private async spawnAndWait(): Promise<void> {
    await writeFile(this.configPath, this.configText(), { mode: 0o600 });
    this.stderr = '';
    const child = spawn(SSHD_BINARY, ['-D', '-e', '-f', this.configPath], {
      stdio: ['ignore', 'ignore', 'pipe'],
      // Own process group: stop() can then end sshd together with its per-connection children.
      detached: true,
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      // Keep the tail only: a long benchmark would otherwise grow this without bound.
      this.stderr = (this.stderr + text).slice(-64 * 1024);
    });
    child.once('error', () => undefined);

    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.child !== child) {
        throw new Error(`sshd exited during start-up:\n${this.stderr}`);
      }
      if (/Server listening on/.test(this.stderr) && (await accepts(this.host, this.port))) {
        return;
      }
      await sleep(20);
    }
    await this.kill();
    throw new Error(
      `sshd did not accept connections within ${START_TIMEOUT_MS} ms:\n${this.stderr}`,
    );
  }

  /** Ends sshd (and its process group) and waits for it to exit. */
  private async kill(): Promise<void> {
    const child = this.child;
    const exited = this.exited;
    if (child === null || exited === null || child.pid === undefined) return;
    signal(child.pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      signal(child.pid, 'SIGKILL');
      await exited;
    }
    // Per-connection children still alive in the group (a connection that never closed).
    signal(child.pid, 'SIGKILL', true);
    this.child = null;
    this.exited = null;
  }
}

/**
 * The processes holding established TCP connections to host:port, from /proc: the sockets'
 * inodes in /proc/net/tcp, then the processes with a file descriptor on one of them.
 */
async function sessionPids(host: string, port: number): Promise<number[]> {
  const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');
  const local = `${host
    .split('.')
    .map(Number)
    .reverse()
    .map((b) => hex(b, 2))
    .join('')}:${hex(port, 4)}`;
  const ESTABLISHED = '01';
  const inodes = new Set<string>();
  for (const line of (await readFile('/proc/net/tcp', 'utf8')).split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1] === local && f[3] === ESTABLISHED) inodes.add(`socket:[${f[9]}]`);
  }
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => '');
      if (inodes.has(target)) {
        pids.push(Number(entry));
        break;
      }
    }
  }
  return pids;
}

function signal(pid: number, sig: NodeJS.Signals, groupOnly = false): void {
  try {
    process.kill(-pid, sig); // the process group we created with `detached`
  } catch {
    if (groupOnly) return;
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

/**
 * Creates the `hwprobe` account when missing and gives it a random password shared by every
 * test process of this run (re-generated when older than an hour). Returns the password.
 */
async function ensureProbeUser(): Promise<string> {
  const exists = await execFileAsync('getent', ['passwd', PROBE_USER]).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await execFileAsync('useradd', ['-M', '-s', '/bin/sh', PROBE_USER]).catch(async (err) => {
      // A parallel worker may have created it in the meantime.
      const nowExists = await execFileAsync('getent', ['passwd', PROBE_USER]).then(
        () => true,
        () => false,
      );
      if (!nowExists) throw err;
    });
  }
  const password = await sharedPassword();
  // chpasswd locks /etc/shadow; parallel workers may collide, so retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await runWithInput('chpasswd', [], `${PROBE_USER}:${password}\n`);
      return password;
    } catch (err) {
      if (attempt >= 20) throw err;
      await sleep(50 + Math.floor(Math.random() * 100));
    }
  }
}

async function sharedPassword(): Promise<string> {
  try {
    const info = await stat(SHARED_PASSWORD_FILE);
    if (Date.now() - info.mtimeMs > SHARED_PASSWORD_MAX_AGE_MS) {
      await unlink(SHARED_PASSWORD_FILE).catch(() => undefined);
    }
  } catch {
    // no shared password yet
  }
  const candidate = randomBytes(18).toString('base64url');
  // Write a private file, then link it into place: link() fails if another worker won the race,
  // and a reader never sees a half-written file.
  const temp = `${SHARED_PASSWORD_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(temp, candidate, { mode: 0o600 });
  try {
    await link(temp, SHARED_PASSWORD_FILE);
    return candidate;
  } catch {
    return (await readFile(SHARED_PASSWORD_FILE, 'utf8')).trim();
  } finally {
    await rm(temp, { force: true });
  }
}

function runWithInput(command: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => (stderr += text));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr}`)),
    );
    child.stdin.end(input);
  });
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
