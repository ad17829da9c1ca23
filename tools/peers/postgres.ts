/**
 * A REAL PostgreSQL cluster of its own for tests that break it: Debian's `initdb` on a temporary
 * directory, then `postgres` in the foreground on a free loopback port (never the machine's
 * shared server). As root, it runs as the `postgres` account, which initdb requires.
 *
 *   const pg = await startPostgres();
 *   ... DATABASE_URL=pg.url('hostwatch') ...
 *   await pg.halt('fast');   // clients are disconnected, new ones refused
 *   await pg.start();        // same port, same data
 *   await pg.stop();
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { chmod, chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { makeTempDir, removeDir } from './ssh-keys';
import { freePort } from './ports';
import { spawnPeer, waitFor, type PeerChild } from './child';

const execFileAsync = promisify(execFile);
const START_TIMEOUT_MS = 30_000;

/** The newest installed server's binaries (`/usr/lib/postgresql/<major>/bin`). */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = readdirSync(root)
    .filter((d) => /^\d+$/.test(d))
    .sort((a, b) => Number(b) - Number(a));
  if (majors.length === 0) throw new Error(`no PostgreSQL server under ${root}`);
  return join(root, majors[0], 'bin');
}

/**
 * How a stop ends the server: `fast` disconnects clients and shuts down cleanly (a restart),
 * `immediate` aborts without a checkpoint (recovery on the next start), `kill` is SIGKILL of
 * the postmaster (a crash).
 */
export type HaltMode = 'fast' | 'immediate' | 'kill';
const HALT_SIGNAL: Record<HaltMode, NodeJS.Signals> = {
  fast: 'SIGINT',
  immediate: 'SIGQUIT',
  kill: 'SIGKILL',
};

export interface PostgresCluster {
  readonly host: string;
  readonly port: number;
  /** `postgres://postgres@host:port/<database>` (trust authentication on loopback). */
  url(database?: string): string;
  readonly running: boolean;
  logs(): string;
  /** Ends the server as `mode` says, and waits until it has exited. */
  halt(mode?: HaltMode): Promise<void>;
  /** Starts it again on the same port with the same data; resolves once it takes queries. */
  start(): Promise<void>;
  /** Ends it and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<PostgresCluster> {
  const cluster = new PostgresInstance();
  try {
    await cluster.init();
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

class PostgresInstance implements PostgresCluster {
  readonly host = '127.0.0.1';
  port = 0;
  private dir = '';
  private child: PeerChild | null = null;
  private stopped = false;
  private account: { uid: number; gid: number } | undefined;
  private readonly bin = postgresBinDir();

  url(database = 'postgres'): string {
    return `postgres://postgres@${this.host}:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.child?.running ?? false;
  }

  logs(): string {
    return this.child?.output() ?? '';
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  async init(): Promise<void> {
    this.dir = await makeTempDir('hostwatch-pg-');
    await chmod(this.dir, 0o755);
    await mkdir(this.data, { mode: 0o700 });
    if (process.getuid?.() === 0) {
      const { stdout } = await execFileAsync('id', ['-u', 'postgres']);
      const { stdout: gid } = await execFileAsync('id', ['-g', 'postgres']);
      this.account = { uid: Number(stdout.trim()), gid: Number(gid.trim()) };
      await chown(this.dir, this.account.uid, this.account.gid);
      await chown(this.data, this.account.uid, this.account.gid);
    }
    await execFileAsync(
      join(this.bin, 'initdb'),
      ['-D', this.data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'],
      { ...this.account },
    );
    this.port = await freePort(this.host);
    await this.start();
  }

  async halt(mode: HaltMode = 'fast'): Promise<void> {
    await this.child?.end(HALT_SIGNAL[mode]);
  }

  async start(): Promise<void> {
    if (this.running) return;
    const child = spawnPeer(
      join(this.bin, 'postgres'),
      [
        '-D',
        this.data,
        '-p',
        String(this.port),
        '-k',
        this.dir,
        '-c',
        `listen_addresses=${this.host}`,
        '-c',
        'fsync=off',
        '-c',
        'max_connections=200',
      ],
      this.account,
    );
    this.child = child;
    await waitFor(
      async () => {
        const client = new Client({ connectionString: this.url(), connectionTimeoutMillis: 1000 });
        client.on('error', () => undefined);
        try {
          await client.connect();
          await client.query('SELECT 1');
          return true;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      START_TIMEOUT_MS,
      () => new Error(`postgres on port ${this.port} did not start:\n${child.output()}`),
      child,
    ).catch(async (error) => {
      await child.end('SIGQUIT');
      throw error;
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.child?.end('SIGQUIT');
    if (this.dir) await removeDir(this.dir);
  }
}
