/**
 * npm run bench [-- --quick | --hosts N --big-hosts N --lateness-hosts N ...]
 *
 * One command, one run: every hostwatch figure next to its reference, measured in the same
 * run on the same simulated fleet, printed as a table and written as JSON under bench/results/.
 * The app under test is the built app as real processes (api+scheduler, and worker processes)
 * on Postgres and Redis; the fleet is the simulator's processes. Run --help for the flags.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { cpus, loadavg, totalmem, tmpdir, release } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import type { Client } from 'pg';
import { hostAddress } from '../tools/fleet/behaviours';
import { startFleet, type Fleet } from '../tools/fleet/fleet';
import { adminToken, api } from '../tools/fleet/register';
import { claimDatabaseName, measureClaim } from './lib/claim';
import { measureHostList } from './lib/host-list';
import { measureJump } from './lib/jump';
import { startReceiver } from './lib/receiver';
import {
  clearHosts,
  connect,
  countChecks,
  dropDatabase,
  freshDatabase,
  insertHosts,
} from './lib/db';
import {
  bannerLoop,
  opensshLoop,
  probeLoop,
  rawSsh2Loop,
  type LoopResult,
  type Target,
} from './lib/loops';
import {
  cpuSeconds,
  childPids,
  cpuSecondsByPid,
  memoryMb,
  percentile,
  sleep,
  startAppProcess,
  type AppProcess,
} from './lib/procs';

/** The default HEALTHY interval: 1,000,000 hosts at it come due 556 times a second (figure 4). */
const DEFAULT_HEALTHY_SECONDS = 1800;

/** The scheduled workers' nice value in the dedicated JIT layout (figure 5b). */
const JIT_LAYOUT_WORKER_NICE = 10;

interface Flags {
  hosts: number;
  bigHosts: number;
  latenessHosts: number;
  /** Hosts of the scale run of figure 4, due at the default intervals' rate (0: none). */
  scaleHosts: number;
  latenessWindow: number;
  claimHosts: number;
  claimHistory: number;
  duration: number;
  workerProcesses: number;
  workerConcurrency: number;
  tickMs: number;
  jitSamples: number;
  /** Alternating runs of figure 2 (raw loop, then hostwatch in each layout). */
  e2eRuns: number;
  only: Set<number> | null;
  /** Run only the host-list figure (no app, no fleet). */
  hostList: boolean;
  hostListHosts: number;
  /** Where the app's processes write V8 CPU profiles of the first measured (2) cycle. */
  cpuProfDir: string | null;
  pgBase: string;
  redisUrl: string;
}

const HELP = `Usage: npm run bench -- [flags]
  --quick                 a smaller run (about 3 minutes): 500/2,000/10,000 hosts, 100k-host claim
  --hosts N               fleet for measurements 1, 2, 3, 8 (default 1000)
  --big-hosts N           the larger end-to-end run, lateness and JIT (default 10000)
  --lateness-hosts N      the large lateness run (default 100000)
  --scale-hosts N         the scale lateness run, due at the default intervals' rate (default
                          1000000; 0 skips it)
  --lateness-window S     seconds each lateness run is measured for (default 60)
  --claim-hosts N         hosts for the claim measurement (default 1000000)
  --claim-history N       history rows for it (default 10000000)
  --duration S            seconds per reference loop and steady-state window (default 15)
  --e2e-runs N            alternating runs of figure 2, raw loop then hostwatch (default 3)
  --worker-processes N    worker processes of the app under test (default 2)
  --worker-concurrency N  probes in flight per worker process (default 64)
  --tick-ms MS            SCHEDULER_TICK_MS of the app under test (default 1000)
  --only 1,2,...          run only these measurements
  --host-list             run only the host-list figure: GET /api/hosts's query, p50/p99 of the
                          console's common queries over generated hosts (no app, no fleet)
  --host-list-hosts N     hosts for it (default 100000)
  --cpu-prof DIR          write V8 CPU profiles of every app process during the first
                          measured end-to-end cycle into DIR (summarise them with
                          node dist/bench/profile-summary.js DIR)
`;

function parseFlags(argv: string[]): Flags {
  const flags: Flags = {
    hosts: 1000,
    bigHosts: 10000,
    latenessHosts: 100000,
    scaleHosts: 1_000_000,
    latenessWindow: 60,
    claimHosts: 1_000_000,
    claimHistory: 10_000_000,
    duration: 15,
    workerProcesses: 2,
    workerConcurrency: 64,
    tickMs: 1000,
    jitSamples: 40,
    e2eRuns: 3,
    only: null,
    hostList: false,
    hostListHosts: 100_000,
    cpuProfDir: null,
    // eslint-disable-next-line no-restricted-properties -- the bench is a tool, not the app
    pgBase: process.env.BENCH_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432',
    // eslint-disable-next-line no-restricted-properties
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
  const numeric: Record<string, keyof Flags> = {
    '--hosts': 'hosts',
    '--big-hosts': 'bigHosts',
    '--lateness-hosts': 'latenessHosts',
    '--scale-hosts': 'scaleHosts',
    '--lateness-window': 'latenessWindow',
    '--claim-hosts': 'claimHosts',
    '--claim-history': 'claimHistory',
    '--duration': 'duration',
    '--worker-processes': 'workerProcesses',
    '--worker-concurrency': 'workerConcurrency',
    '--tick-ms': 'tickMs',
    '--jit-samples': 'jitSamples',
    '--e2e-runs': 'e2eRuns',
    '--host-list-hosts': 'hostListHosts',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(HELP);
      process.exit(0);
    } else if (flag === '--quick') {
      Object.assign(flags, {
        hosts: 500,
        bigHosts: 2000,
        latenessHosts: 10000,
        scaleHosts: 0,
        latenessWindow: 20,
        claimHosts: 100_000,
        claimHistory: 1_000_000,
        duration: 6,
        jitSamples: 20,
        e2eRuns: 1,
      });
    } else if (flag === '--host-list') {
      flags.hostList = true;
    } else if (flag === '--cpu-prof') {
      const dir = argv[++i];
      if (!dir) throw new Error('--cpu-prof: a directory');
      flags.cpuProfDir = resolve(dir);
    } else if (flag === '--only') {
      const raw = argv[++i] ?? '';
      const figures = raw.split(',').map((f) => f.trim());
      if (!figures.every((f) => /^(?:[1-9]|1[01])$/.test(f))) {
        throw new Error(`--only: figure numbers 1-11, comma-separated (e.g. 1,2,5), got "${raw}"`);
      }
      flags.only = new Set(figures.map(Number));
    } else if (numeric[flag]) {
      const raw = argv[++i] ?? '';
      const value = Number(raw);
      const least = flag === '--scale-hosts' ? 0 : 1;
      if (!/^\d+$/.test(raw) || value < least) {
        throw new Error(`${flag}: a whole number ≥ ${least}, got "${raw}"`);
      }
      (flags as unknown as Record<string, number>)[numeric[flag]] = value;
    } else {
      throw new Error(`unknown flag ${flag} (see --help)`);
    }
  }
  return flags;
}

interface Row {
  id: string;
  what: string;
  value: number;
  unit: string;
  reference: string;
  referenceValue: number;
  /** value / reference (for "higher is better" figures), or reference / value where noted. */
  ratio: number;
  target: string;
  met: boolean | null;
  detail?: Record<string, unknown>;
  /** 1-minute load average when the row was recorded (other work on the machine). */
  loadavg_1m?: number;
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function loopDetail(r: LoopResult) {
  return {
    checks: r.checks,
    failures: r.failures,
    seconds: round(r.seconds, 2),
    cpu_ms_per_check: round(r.cpuMsPerCheck, 3),
    first_error: r.firstError,
  };
}

/** A port free on `host` a moment ago (the fleet's hosts all share one). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

class Bench {
  readonly rows: Row[] = [];
  readonly notes: string[] = [];
  private readonly stamp = `${Date.now()}`;
  readonly dbUrl: string;
  readonly prefix = `hwbench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  readonly credentialsKey = randomBytes(32).toString('base64');
  readonly jwtSecret = randomBytes(32).toString('base64');
  readonly adminPassword = randomBytes(18).toString('base64url');
  control: AppProcess | null = null;
  workers: AppProcess[] = [];
  apiUrl = '';
  token = '';
  fleet: Fleet | null = null;
  slowFleet: Fleet | null = null;
  credentialId = '';
  keyDir = '';
  queue: Queue | null = null;
  jitQueue: Queue | null = null;
  redis: IORedis | null = null;
  e2eRate = 0;
  /** Layouts (worker processes) whose steady state was profiled already. */
  readonly profiledSteady = new Set<number>();
  e2eCpuMsPerCheck = 0;

  constructor(readonly flags: Flags) {
    this.dbUrl = `${flags.pgBase}/hostwatch_bench_${this.stamp}`;
  }

  wants(n: number): boolean {
    return this.flags.only === null || this.flags.only.has(n);
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      NODE_ENV: 'development',
      DATABASE_URL: this.dbUrl,
      REDIS_URL: this.flags.redisUrl,
      QUEUE_PREFIX: this.prefix,
      CREDENTIALS_KEY: this.credentialsKey,
      JWT_SECRET: this.jwtSecret,
      ADMIN_USERNAME: 'bench-admin',
      ADMIN_PASSWORD: this.adminPassword,
      JIT_RATE_LIMIT_PER_MINUTE: '100000',
      LOG_LEVEL: 'log',
      SCHEDULER_TICK_MS: String(this.flags.tickMs),
      PROBE_CONNECT_TIMEOUT_MS: '5000',
      PROBE_TIMEOUT_MS: '15000',
      ...(this.flags.cpuProfDir ? { BENCH_CPU_PROF_DIR: this.flags.cpuProfDir } : {}),
      ...extra,
    };
  }

  call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return api<T>(this.apiUrl, method, path, body, this.token);
  }

  targets(n: number): Target[] {
    return this.fleet!.hosts.slice(0, n).map((h) => ({ address: h.address, port: h.port }));
  }

  async setUp(): Promise<void> {
    const f = this.flags;
    await freshDatabase(this.dbUrl);
    const fleetSize = Math.max(f.hosts, f.bigHosts);
    out(`starting the simulated fleet: ${fleetSize} healthy hosts, plus 1,000 slow ones…`);
    this.fleet = await startFleet({
      hosts: fleetSize,
      mix: 'healthy=100',
      port: await freePort(hostAddress(0)),
      controlPort: null,
      processes: fleetSize > 2000 ? 2 : 1,
    });
    this.slowFleet = await startFleet({
      hosts: 1000,
      mix: 'slow=100',
      port: this.fleet.port,
      firstIndex: 60000,
      controlPort: null,
      processes: 1,
      params: { slowMs: 4000 },
    });
    this.keyDir = await mkdtemp(join(tmpdir(), 'hostwatch-bench-'));
    await writeFile(join(this.keyDir, 'id'), this.fleet.credential.privateKey, { mode: 0o600 });

    this.control = await startAppProcess(
      'api+scheduler',
      this.env({ APP_ROLES: 'api,scheduler', PORT: '0', BENCH_CPU_PROF_NAME: 'api-scheduler' }),
    );
    const m = /listening on (http:\/\/[0-9.:]+)/.exec(this.control.log());
    this.apiUrl = m ? m[1] : '';
    // The bench starts its own hostwatch, so it knows the first admin: it makes itself a token.
    this.token = await adminToken(this.apiUrl, 'bench-admin', this.adminPassword, 'bench');
    await this.setScheduler(false);
    const credential = await this.call<{ id: string }>('POST', '/api/credentials', {
      name: 'bench',
      username: this.fleet.credential.username,
      auth_method: 'private_key',
      private_key: this.fleet.credential.privateKey,
    });
    this.credentialId = credential.id;
    await this.startWorkers(f.workerProcesses, f.workerConcurrency);
    this.redis = new IORedis(f.redisUrl, { maxRetriesPerRequest: null });
    this.queue = new Queue('monitoring', { prefix: this.prefix, connection: this.redis });
    this.jitQueue = new Queue('monitoring-jit', { prefix: this.prefix, connection: this.redis });
  }

  /**
   * (Re)starts the worker processes: `count` × `worker` with `concurrency` scheduled slots.
   * With `jitWorker`, they leave JIT checks (JIT_CONCURRENCY=0) to one extra `jit-worker`.
   */
  async startWorkers(
    count: number,
    concurrency: number,
    jitWorker = false,
    nice = 0,
  ): Promise<void> {
    await Promise.all(this.workers.map((w) => w.stop()));
    const workers = Array.from({ length: count }, (_, i) =>
      startAppProcess(
        `worker ${i + 1}`,
        this.env({
          APP_ROLES: 'worker',
          WORKER_CONCURRENCY: String(concurrency),
          BENCH_CPU_PROF_NAME: `worker-${i + 1}`,
          ...(jitWorker ? { JIT_CONCURRENCY: '0' } : {}),
          ...(nice ? { WORKER_NICE: String(nice) } : {}),
        }),
      ),
    );
    if (jitWorker) {
      workers.push(
        startAppProcess(
          'jit-worker',
          this.env({ APP_ROLES: 'jit-worker', BENCH_CPU_PROF_NAME: 'jit-worker' }),
        ),
      );
    }
    this.workers = await Promise.all(workers);
  }

  async setScheduler(enabled: boolean): Promise<void> {
    await this.call('PUT', '/api/monitoring/scheduler', { enabled });
    // The producer caches the flag for up to 2 s.
    await sleep(2100);
  }

  async setIntervals(seconds: number, jitter = 0.1): Promise<void> {
    await this.call('PUT', '/api/monitoring/policy', {
      intervals_seconds: { HEALTHY: seconds, DEGRADED: seconds, CRITICAL: seconds, DOWN: seconds },
      jitter_ratio: jitter,
    });
  }

  /** Jobs queued and not yet taken (BullMQ keeps prioritised jobs apart from plain waiting ones). */
  async waiting(): Promise<number> {
    const counts = await this.queue!.getJobCounts('waiting', 'prioritized');
    return (counts.waiting ?? 0) + (counts.prioritized ?? 0);
  }

  /** A clean slate for a measurement: the scheduler off, both queues and every host gone. */
  async clearRun(db: Client): Promise<void> {
    await this.setScheduler(false);
    await this.resetQueue();
    await clearHosts(db);
  }

  /** The policy of the throughput and JIT runs: each host is checked once within a run. */
  async setLongIntervals(): Promise<void> {
    await this.call('PUT', '/api/monitoring/policy', {
      intervals_seconds: { HEALTHY: 1800, DEGRADED: 300, CRITICAL: 120, DOWN: 1800 },
      jitter_ratio: 0.1,
    });
  }

  async resetQueue(): Promise<void> {
    await this.queue!.obliterate({ force: true }).catch(() => undefined);
    await this.jitQueue!.obliterate({ force: true }).catch(() => undefined);
  }

  appCpu(): number {
    return [this.control!, ...this.workers].reduce((sum, p) => sum + cpuSeconds(p.pid), 0);
  }

  /** Starts or stops (and writes) the CPU profile of every app process (see lib/cpu-profile.ts). */
  toggleProfiles(): void {
    for (const p of [this.control!, ...this.workers]) p.child.kill('SIGWINCH');
  }

  /** The server processes of the bench database's connections (the app's pools), by pid. */
  async postgresPids(db: Client): Promise<number[]> {
    const { rows } = await db.query(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    return rows.map((r: { pid: number }) => r.pid);
  }

  async tearDown(): Promise<void> {
    for (const queue of [this.queue, this.jitQueue]) {
      await queue?.obliterate({ force: true }).catch(() => undefined);
      await queue?.close().catch(() => undefined);
    }
    this.redis?.disconnect();
    await Promise.all([this.control, ...this.workers].map((p) => p?.stop()));
    await this.fleet?.stop();
    await this.slowFleet?.stop();
    if (this.keyDir) await rm(this.keyDir, { recursive: true, force: true });
    await dropDatabase(this.dbUrl).catch(() => undefined);
    const redis = new IORedis(this.flags.redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }

  /**
   * One full cycle of `count` fleet hosts, all due at once: checks/s between 5 % and 95 %, and
   * the CPU per check of the app's processes, of the Postgres backends serving them, and of the
   * simulator. With `profile`, the app's processes are CPU-profiled during the cycle.
   */
  async endToEnd(
    count: number,
    profile = false,
    /** Every n-th host a closed port instead (its checks fail: DEGRADED, with its event). */
    failEvery = 0,
  ): Promise<{
    rate: number;
    overall: number;
    cpuMsPerCheck: number;
    postgresCpuMsPerCheck: number;
    fleetCpuMsPerCheck: number;
    failures: number;
    seconds: number;
  }> {
    const db = await connect(this.dbUrl);
    try {
      await this.clearRun(db);
      await this.setLongIntervals();
      const now = new Date();
      await insertHosts(
        db,
        this.fleet!.hosts.slice(0, count).map((h, i) => ({
          hostname: h.hostname,
          address: failEvery > 0 && i % failEvery === 0 ? hostAddress(i, 40 << 16) : h.address,
          port: h.port,
          dueAt: now,
        })),
        this.credentialId,
      );
      const fleetPids = [...this.fleet!.pids];
      const pg0 = cpuSecondsByPid(await this.postgresPids(db));
      const fleet0 = cpuSecondsByPid(fleetPids);
      if (profile) this.toggleProfiles();
      const cpu0 = this.appCpu();
      const t0 = Date.now();
      await this.call('PUT', '/api/monitoring/scheduler', { enabled: true });
      const deadline = t0 + Math.max(120000, count * 50);
      while ((await countChecks(db)) < count) {
        if (Date.now() > deadline) throw new Error(`end-to-end ${count}: not done in time`);
        await sleep(200);
      }
      const seconds = (Date.now() - t0) / 1000;
      const cpu = this.appCpu() - cpu0;
      if (profile) {
        this.toggleProfiles();
        await sleep(2000); // the processes write their profiles
      }
      const pg1 = cpuSecondsByPid(await this.postgresPids(db));
      const fleet1 = cpuSecondsByPid(fleetPids);
      // A connection opened during the cycle counts from zero; one closed during it is lost.
      const spent = (after: Map<number, number>, before: Map<number, number>) =>
        [...after].reduce((sum, [pid, s]) => sum + s - (before.get(pid) ?? 0), 0);
      const { rows } = await db.query(
        `SELECT extract(epoch FROM check_time)::float8 * 1000 AS t, success
           FROM host_check_history ORDER BY check_time`,
      );
      const times = rows.map((r: { t: number }) => r.t);
      const a = percentile(times, 5);
      const b = percentile(times, 95);
      return {
        rate: (0.9 * count) / ((b - a) / 1000),
        overall: count / seconds,
        cpuMsPerCheck: (cpu * 1000) / count,
        postgresCpuMsPerCheck: (spent(pg1, pg0) * 1000) / count,
        fleetCpuMsPerCheck: (spent(fleet1, fleet0) * 1000) / count,
        failures: rows.filter((r: { success: boolean }) => !r.success).length,
        seconds,
      };
    } finally {
      await db.end();
    }
  }

  /** Stops the bench's own app processes (figure 2's layouts run alone on the database). */
  async pauseApp(): Promise<void> {
    await Promise.all([this.control, ...this.workers].map((p) => p?.stop()));
    this.control = null;
    this.workers = [];
  }

  /** Starts the bench's app processes again, as setUp did. */
  async resumeApp(): Promise<void> {
    this.control = await startAppProcess(
      'api+scheduler',
      this.env({ APP_ROLES: 'api,scheduler', PORT: '0', BENCH_CPU_PROF_NAME: 'api-scheduler' }),
    );
    const m = /listening on (http:\/\/[0-9.:]+)/.exec(this.control.log());
    this.apiUrl = m ? m[1] : '';
    this.token = await adminToken(this.apiUrl, 'bench-admin', this.adminPassword, 'bench');
    await this.startWorkers(this.flags.workerProcesses, this.flags.workerConcurrency);
  }

  /**
   * hostwatch as `npm start` runs it, alone on the bench's database and queue: one process with
   * every role (`workerProcesses` 1), or with WORKER_PROCESSES extra worker processes, each
   * with the default WORKER_CONCURRENCY. `count` fleet hosts are HEALTHY and checked every
   * second, more than the app can do, so its queue never runs dry.
   *
   * The machine is shared, and its speed drifts by a third within a minute, so hostwatch and its
   * references are measured in turns rather than one after the other: `rounds` rounds of four
   * segments of `segmentS` seconds each (hostwatch, the raw ssh2 loop, hostwatch, the probe
   * alone; the next round in the mirrored order); while the raw loop or the probe alone runs,
   * every process of the app is stopped (SIGSTOP) and then let go on (SIGCONT), so each segment
   * has the machine to itself. Rates and CPU per check are summed over each one's segments.
   */
  async paired(
    count: number,
    workerProcesses: number,
    rounds: number,
    segmentS: number,
    targets: Target[],
    key: { username: string; privateKey: string },
  ): Promise<{
    rate: number;
    rawRate: number;
    cpuMsPerCheck: number;
    probeCpuMsPerCheck: number;
    rawCpuMsPerCheck: number;
    postgresCpuMsPerCheck: number;
    fleetCpuMsPerCheck: number;
    processes: number;
    pairRatios: number[];
  }> {
    const db = await connect(this.dbUrl);
    let app: AppProcess | null = null;
    let pids: number[] = [];
    const signal = (sig: NodeJS.Signals) => pids.forEach((pid) => process.kill(pid, sig));
    try {
      await this.resetQueue();
      await clearHosts(db);
      await insertHosts(
        db,
        this.fleet!.hosts.slice(0, count).map((h) => ({ ...h, dueAt: new Date() })),
        this.credentialId,
      );
      await db.query(
        `UPDATE host_status SET monitoring_state = 'HEALTHY', consecutive_successes = 3,
                check_priority = 3`,
      );
      await db.query(
        `INSERT INTO monitoring_settings (key, value, updated_at)
         VALUES ('policy', $1, now()), ('scheduler', '{"enabled": true}', now())
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [
          JSON.stringify({
            intervals_seconds: { HEALTHY: 1, DEGRADED: 1, CRITICAL: 1, DOWN: 1 },
            jitter_ratio: 0.1,
          }),
        ],
      );
      app = await startAppProcess(
        workerProcesses > 1 ? `npm start, WORKER_PROCESSES=${workerProcesses}` : 'npm start',
        this.env({
          PORT: '0',
          WORKER_PROCESSES: String(workerProcesses),
          BENCH_CPU_PROF_NAME: `steady-wp${workerProcesses}`,
        }),
      );
      const deadline = Date.now() + 60000;
      while ((await countChecks(db)) < count) {
        if (Date.now() > deadline) throw new Error('steady state: no full cycle within 60 s');
        await sleep(200);
      }
      pids = [app.pid, ...childPids(app.pid)];
      const fleetPids = [...this.fleet!.pids];
      // With --cpu-prof, each layout's first session is profiled (its hostwatch segments).
      const profile = this.flags.cpuProfDir !== null && !this.profiledSteady.has(workerProcesses);
      const spent = (after: Map<number, number>, before: Map<number, number>) =>
        [...after].reduce((sum, [pid, sec]) => sum + sec - (before.get(pid) ?? 0), 0);
      const sum = { checks: 0, seconds: 0, cpu: 0, pg: 0, fleet: 0 };
      const raws: LoopResult[] = [];
      const alones: LoopResult[] = [];
      const pairRatios: number[] = [];
      signal('SIGSTOP');
      for (let round = 0; round < rounds; round++) {
        // hostwatch every other segment, so that it is never stopped longer than one segment
        // (its job locks outlive that: BullMQ renews them every 7.5 s and they last 15 s).
        const order =
          round % 2 === 0
            ? (['app', 'raw', 'app', 'alone'] as const)
            : (['raw', 'app', 'alone', 'app'] as const);
        let appChecks = 0;
        let appSeconds = 0;
        let rawRate = 0;
        for (const what of order) {
          if (what === 'raw') {
            const r = await rawSsh2Loop(targets, 64, segmentS * 1000, key);
            raws.push(r);
            rawRate = r.perSecond;
          } else if (what === 'alone') {
            alones.push(await probeLoop(targets, 64, segmentS * 1000, key));
          } else {
            const pgPids = await this.postgresPids(db);
            const [c0, cpu0, pg0, fleet0] = [
              await countChecks(db),
              cpuSecondsByPid(pids),
              cpuSecondsByPid(pgPids),
              cpuSecondsByPid(fleetPids),
            ];
            const t0 = Date.now();
            signal('SIGCONT');
            const profiling = profile && round === 0 && appChecks === 0;
            if (profiling) signal('SIGWINCH');
            await sleep(segmentS * 1000);
            if (profiling) {
              signal('SIGWINCH');
              await sleep(300); // the profile stops before the process does
            }
            signal('SIGSTOP');
            const t1 = Date.now();
            const checks = (await countChecks(db)) - c0;
            sum.checks += checks;
            sum.seconds += (t1 - t0) / 1000;
            sum.cpu += spent(cpuSecondsByPid(pids), cpu0);
            sum.pg += spent(cpuSecondsByPid(pgPids), pg0);
            sum.fleet += spent(cpuSecondsByPid(fleetPids), fleet0);
            appChecks += checks;
            appSeconds += (t1 - t0) / 1000;
          }
        }
        pairRatios.push(appChecks / appSeconds / rawRate);
      }
      if (profile) {
        this.profiledSteady.add(workerProcesses);
        signal('SIGCONT');
        await sleep(2000); // the processes write their profiles
      }
      const total = (loops: LoopResult[]) => ({
        checks: loops.reduce((n, l) => n + l.checks, 0),
        seconds: loops.reduce((n, l) => n + l.seconds, 0),
        cpuMs: loops.reduce((n, l) => n + l.cpuMsPerCheck * l.checks, 0),
      });
      const raw = total(raws);
      const alone = total(alones);
      return {
        rate: sum.checks / sum.seconds,
        rawRate: raw.checks / raw.seconds,
        cpuMsPerCheck: (sum.cpu * 1000) / sum.checks,
        probeCpuMsPerCheck: alone.cpuMs / alone.checks,
        rawCpuMsPerCheck: raw.cpuMs / raw.checks,
        postgresCpuMsPerCheck: (sum.pg * 1000) / sum.checks,
        fleetCpuMsPerCheck: (sum.fleet * 1000) / sum.checks,
        processes: pids.length,
        pairRatios,
      };
    } finally {
      signal('SIGCONT');
      await app?.stop();
      await db.query(`DELETE FROM monitoring_settings`).catch(() => undefined);
      await db.end();
    }
  }

  /**
   * Lateness (check_time − due time, read from the job id) of every check in a window of
   * `measureS` seconds. The hosts come due evenly over `spreadS` seconds (the compressed
   * interval), so the due rate is hosts / spreadS whatever the fleet size.
   */
  async lateness(
    hosts: Array<{ hostname: string; address: string; port: number }>,
    spreadS: number,
    measureS: number,
    credentialId: string | null,
  ): Promise<{
    p50: number;
    p99: number;
    max: number;
    checks: number;
    missed: number;
    maxWaiting: number;
  }> {
    const db = await connect(this.dbUrl);
    try {
      await this.clearRun(db);
      // The next check of a host is past the measurement.
      await this.setIntervals(Math.max(3600, spreadS * 2), 0);
      const start = Date.now() + 3000;
      await insertHosts(
        db,
        hosts.map((h, i) => ({
          ...h,
          dueAt: new Date(start + (i * spreadS * 1000) / hosts.length),
        })),
        credentialId,
      );
      await this.call('PUT', '/api/monitoring/scheduler', { enabled: true });
      const end = start + measureS * 1000;
      let maxWaiting = 0;
      while (Date.now() < end) {
        maxWaiting = Math.max(maxWaiting, await this.waiting());
        await sleep(500);
      }
      await this.call('PUT', '/api/monitoring/scheduler', { enabled: false });
      // Checks already claimed finish and are saved.
      await sleep(3000);
      const { rows } = await db.query(
        `SELECT extract(epoch FROM check_time)::float8 * 1000 AS t, task_id FROM host_check_history`,
      );
      const late = rows
        .map(
          (r: { t: number; task_id: string }) =>
            r.t - Number(r.task_id.slice(r.task_id.lastIndexOf('-') + 1)),
        )
        .sort((x: number, y: number) => x - y);
      // Hosts due well before the end that were never checked would be the worst lateness.
      const { rows: missed } = await db.query(
        `SELECT count(*)::int AS n FROM hosts h
          WHERE NOT EXISTS (SELECT 1 FROM host_check_history c WHERE c.host_id = h.id)
            AND h.created_at IS NOT NULL
            AND h.hostname = ANY($1::text[])`,
        [
          hosts
            .filter((_, i) => start + (i * spreadS * 1000) / hosts.length < end - 2000)
            .map((h) => h.hostname),
        ],
      );
      return {
        p50: percentile(late, 50),
        p99: percentile(late, 99),
        max: late[late.length - 1] ?? NaN,
        checks: rows.length,
        missed: missed[0].n,
        maxWaiting,
      };
    } finally {
      await db.end();
    }
  }

  add(row: Row): void {
    // The machine may be shared: the load when the figure was taken says how far to trust it.
    row.loadavg_1m = round(loadavg()[0], 2);
    this.rows.push(row);
    const ratio = Number.isFinite(row.ratio) ? `${round(row.ratio, 2)}×` : '—';
    out(
      `  [${row.id}] ${row.what}: ${round(row.value, 2)} ${row.unit} | ${row.reference}: ${round(row.referenceValue, 2)} | ratio ${ratio}` +
        (row.target
          ? ` | target ${row.target}: ${row.met === null ? '—' : row.met ? 'met' : 'MISSED'}`
          : ''),
    );
  }
}

async function run(flags: Flags): Promise<void> {
  // The app's processes write their profiles there; they cannot create it themselves.
  if (flags.cpuProfDir) await mkdir(flags.cpuProfDir, { recursive: true });
  const bench = new Bench(flags);
  const started = Date.now();
  let failure: string | null = null;
  const concurrency = flags.workerProcesses * flags.workerConcurrency;
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gb: round(totalmem() / 2 ** 30, 1),
    kernel: release(),
    node: process.version,
  };
  out(
    `hostwatch bench — ${machine.cores} × ${machine.cpu}, ${machine.memory_gb} GB, Node ${machine.node}`,
  );
  out(
    `app under test: api+scheduler process + ${flags.workerProcesses} worker process(es) × ${flags.workerConcurrency} (= ${concurrency} probes in flight), SCHEDULER_TICK_MS=${flags.tickMs}`,
  );
  try {
    await bench.setUp();
    const fleet = bench.fleet!;
    const cred = fleet.credential;
    const small = bench.targets(flags.hosts);
    const loopMs = flags.duration * 1000;
    out(
      `fleet: ${fleet.hosts.length} + 1000 hosts on port ${fleet.port}, ${fleet.pids.length + 1} simulator processes, open-file limit ${fleet.nofile.join('/')}`,
    );

    let raw: LoopResult | null = null;
    if (bench.wants(1) || bench.wants(2) || bench.wants(3)) {
      out(
        `\n(1) raw ssh2 publickey loop, ${flags.hosts} hosts, concurrency ${concurrency}, ${flags.duration} s…`,
      );
      raw = await rawSsh2Loop(small, concurrency, loopMs, {
        username: cred.username,
        privateKey: cred.privateKey,
      });
      bench.add({
        id: '1',
        what: 'raw ssh2 loop (kex + host key + publickey + close)',
        value: raw.perSecond,
        unit: 'checks/s',
        reference: 'itself (the physical limit)',
        referenceValue: raw.perSecond,
        ratio: 1,
        target: '',
        met: null,
        detail: loopDetail(raw),
      });
    }

    if (raw && bench.wants(1)) {
      out(`\n(1b) hostwatch's probe adapter in the same loop (no queue, no database)…`);
      const alone = await probeLoop(small, concurrency, loopMs, {
        username: cred.username,
        privateKey: cred.privateKey,
      });
      bench.add({
        id: '1b',
        what: "hostwatch's probe alone (Ssh2Probe, same loop, key + TOFU pin)",
        value: alone.perSecond,
        unit: 'checks/s',
        reference: 'raw ssh2 loop (1)',
        referenceValue: raw.perSecond,
        ratio: alone.perSecond / raw.perSecond,
        target: '',
        met: null,
        detail: { ...loopDetail(alone), raw_cpu_ms_per_check: round(raw.cpuMsPerCheck, 3) },
      });
    }

    if (bench.wants(2)) {
      // (2) end to end against the raw loop, as the target is stated: the raw loop with 64 in
      // flight, and hostwatch as `npm start` runs it (one process; then WORKER_PROCESSES=2),
      // healthy hosts checked every second, measured in turns (see Bench.paired), several runs.
      // The probe alone at 64 in flight gives the CPU reference.
      // 1,000 hosts checked every second would not keep hostwatch busy: a host comes due a
      // second after its check and waits up to a tick to be claimed, so 1,000 hosts give at most
      // about 550 checks a second. 3,000 keep its queue full.
      const steadyHosts = Math.min(fleet.hosts.length, 3000);
      const targets = bench.targets(steadyHosts);
      const key = { username: cred.username, privateKey: cred.privateKey };
      await bench.pauseApp();
      try {
        for (let run = 1; run <= flags.e2eRuns; run++) {
          for (const processes of [1, 2]) {
            const layout = processes === 1 ? 'npm start' : 'WORKER_PROCESSES=2';
            const segment = Math.max(2, Math.round(flags.duration / 5));
            out(
              `\n(2) run ${run} of ${flags.e2eRuns}, ${layout}: hostwatch, raw loop and probe alone in turns, 3 rounds of 4 × ${segment} s…`,
            );
            const p = await bench.paired(steadyHosts, processes, 3, segment, targets, key);
            out(
              `  CPU per check: app ${round(p.cpuMsPerCheck, 3)} ms (probe alone ${round(p.probeCpuMsPerCheck, 3)} ms, raw loop ${round(p.rawCpuMsPerCheck, 3)} ms), Postgres ${round(p.postgresCpuMsPerCheck, 3)} ms, simulator ${round(p.fleetCpuMsPerCheck, 3)} ms; ratio per round ${p.pairRatios.map((r) => round(r, 2)).join(', ')}`,
            );
            const id = processes === 1 ? 'default' : 'wp2';
            bench.add({
              id: `2/${id}#${run}`,
              what: `end to end, ${layout}, ${steadyHosts} healthy hosts checked every second`,
              value: p.rate,
              unit: 'checks/s',
              reference: 'raw ssh2 loop, 64 in flight, in turns',
              referenceValue: p.rawRate,
              ratio: p.rate / p.rawRate,
              target: '≥ 1.0×',
              met: p.rate >= p.rawRate,
              detail: {
                app_processes: p.processes,
                ratio_per_round: p.pairRatios.map((r) => round(r, 3)),
                app_cpu_ms_per_check: round(p.cpuMsPerCheck, 3),
                probe_alone_cpu_ms_per_check: round(p.probeCpuMsPerCheck, 3),
                raw_cpu_ms_per_check: round(p.rawCpuMsPerCheck, 3),
                postgres_cpu_ms_per_check: round(p.postgresCpuMsPerCheck, 3),
                fleet_cpu_ms_per_check: round(p.fleetCpuMsPerCheck, 3),
              },
            });
            bench.add({
              id: `2cpu/${id}#${run}`,
              what: `app CPU per applied check, ${layout}, vs the probe alone's`,
              value: p.cpuMsPerCheck,
              unit: 'ms',
              reference: 'probe alone, 64 in flight, in turns',
              referenceValue: p.probeCpuMsPerCheck,
              ratio: p.cpuMsPerCheck / p.probeCpuMsPerCheck,
              target: '≤ 1.3×',
              met: p.cpuMsPerCheck <= p.probeCpuMsPerCheck * 1.3,
            });
          }
        }
      } finally {
        await bench.resumeApp();
      }

      // Warm-up, not reported: freshly started workers still compile hot paths and open
      // their database and Redis connections.
      out(`\n(2) warm-up cycle, ${Math.min(flags.hosts, 1000)} hosts…`);
      await bench.endToEnd(Math.min(flags.hosts, 1000));
      {
        const count = flags.bigHosts;
        out(`\n(2) hostwatch end to end, ${count} new hosts due at once, one full cycle…`);
        const e2e = await bench.endToEnd(count, flags.cpuProfDir !== null);
        out(
          `  CPU per check: app ${round(e2e.cpuMsPerCheck, 2)} ms, Postgres backends ${round(e2e.postgresCpuMsPerCheck, 2)} ms, simulator ${round(e2e.fleetCpuMsPerCheck, 2)} ms`,
        );
        // The steady state of the larger fleet sets the lateness load and the peer ratio.
        bench.e2eRate = e2e.rate;
        bench.e2eCpuMsPerCheck = e2e.cpuMsPerCheck;
        bench.add({
          id: `2/${count}`,
          what: `hostwatch end to end, ${count} new hosts (producer → queue → worker → probe → Postgres)`,
          value: e2e.rate,
          unit: 'checks/s',
          reference: 'raw ssh2 loop (1)',
          referenceValue: raw!.perSecond,
          ratio: e2e.rate / raw!.perSecond,
          target: '',
          met: null,
          detail: {
            whole_cycle_checks_per_s: round(e2e.overall),
            cycle_seconds: round(e2e.seconds, 2),
            app_cpu_ms_per_check: round(e2e.cpuMsPerCheck, 3),
            postgres_cpu_ms_per_check: round(e2e.postgresCpuMsPerCheck, 3),
            fleet_cpu_ms_per_check: round(e2e.fleetCpuMsPerCheck, 3),
            failures: e2e.failures,
          },
        });
      }
      // Idle cost: the app with the whole fleet HEALTHY and nothing due.
      const cpu0 = bench.appCpu();
      await sleep(10000);
      const idlePercent = ((bench.appCpu() - cpu0) / 10) * 100;
      const mediumRate = 1000 / 1800; // 1,000 HEALTHY hosts, one check per 30 min
      const mediumPercent = idlePercent + (mediumRate * bench.e2eCpuMsPerCheck) / 10;
      bench.add({
        id: 'medium',
        what: "seed's 1,000-host deployment (idle cost + 1,000 checks / 30 min × CPU per check)",
        value: mediumPercent,
        unit: '% of one core',
        reference: 'target',
        referenceValue: 5,
        ratio: mediumPercent / 5,
        target: '< 5 %',
        met: mediumPercent < 5,
        detail: {
          idle_percent_measured: round(idlePercent, 2),
          app_cpu_ms_per_check: round(bench.e2eCpuMsPerCheck, 3),
          tick_ms: flags.tickMs,
          processes: 1 + flags.workerProcesses,
          postgres_not_counted: true,
        },
      });
    }

    if (bench.wants(3)) {
      out(
        `\n(3) banner-level probes, ${flags.hosts} hosts, concurrency ${concurrency}, ${flags.duration} s…`,
      );
      const banner = await bannerLoop(small, concurrency, loopMs);
      bench.add({
        id: '3',
        what: 'banner-level probes (connect + SSH identification line)',
        value: banner.perSecond,
        unit: 'probes/s',
        reference: 'raw ssh2 loop (1)',
        referenceValue: raw!.perSecond,
        ratio: banner.perSecond / raw!.perSecond,
        target: '',
        met: null,
        detail: loopDetail(banner),
      });
    }

    if (bench.wants(5)) {
      // Two layouts on the same machine: every worker process also runs JIT checks (the
      // default); or a jit-worker process of its own runs them while the workers run none and
      // yield a saturated CPU (WORKER_NICE).
      for (const layout of ['shared', 'dedicated'] as const) {
        const dedicated = layout === 'dedicated';
        out(
          `\n(5${dedicated ? 'b' : ''}) JIT latency with ${flags.bigHosts} scheduled jobs waiting, ${
            dedicated
              ? `in a jit-worker process of its own, workers at WORKER_NICE=${JIT_LAYOUT_WORKER_NICE}`
              : 'in the worker processes'
          }…`,
        );
        await bench.startWorkers(
          flags.workerProcesses,
          flags.workerConcurrency,
          dedicated,
          dedicated ? JIT_LAYOUT_WORKER_NICE : 0,
        );
        const r = await measureJit(bench, flags);
        bench.add({
          id: dedicated ? '5b' : '5',
          what: `JIT request → result applied (?wait=true), ≥ ${r.minWaiting} scheduled jobs waiting, ${
            dedicated
              ? `jit-worker process, workers at nice ${JIT_LAYOUT_WORKER_NICE}`
              : 'JIT slots in the worker processes'
          }`,
          value: r.p50,
          unit: 'ms p50',
          reference: 'probe time p50 + 50 ms',
          referenceValue: r.probeP50 + 50,
          ratio: r.p50 / (r.probeP50 + 50),
          target: '≤ 1.0× (p50 < probe + 50 ms)',
          met: r.p50 < r.probeP50 + 50,
          detail: r.detail,
        });
      }
      await bench.startWorkers(flags.workerProcesses, flags.workerConcurrency);
    }

    if (bench.wants(4)) {
      const rate = bench.e2eRate || raw?.perSecond || 200;
      // Below saturation: hosts come due at about half the end-to-end capacity measured in (2).
      const dueRate = Math.max(10, Math.round(rate / 2));
      const measure = flags.latenessWindow;
      // And the scale target: 1,000,000 hosts due at the rate the default intervals give them
      // (one check per 30 minutes each: 556 a second), closed ports as for 100,000.
      const runs: Array<[number, boolean, number]> = [
        [flags.bigHosts, false, dueRate],
        [flags.latenessHosts, true, dueRate],
      ];
      if (flags.scaleHosts > 0) {
        runs.push([flags.scaleHosts, true, Math.round(flags.scaleHosts / DEFAULT_HEALTHY_SECONDS)]);
      }
      for (const [count, closedPorts, rateOfRun] of runs) {
        const spread = Math.ceil(count / rateOfRun);
        out(
          `\n(4) scheduling lateness, ${count} hosts${closedPorts ? ' (closed ports)' : ''} due over ${spread} s (${rateOfRun}/s), measured for ${Math.min(measure, spread)} s…`,
        );
        const hosts = closedPorts
          ? Array.from({ length: count }, (_, i) => ({
              hostname: `closed-${i + 1}`,
              address: hostAddress(i, 30 << 16),
              port: fleet.port,
            }))
          : fleet.hosts.slice(0, count);
        const r = await bench.lateness(
          hosts,
          spread,
          Math.min(measure, spread),
          closedPorts ? null : bench.credentialId,
        );
        bench.add({
          id: `4/${count}`,
          what: `scheduling lateness p99, ${count} hosts${closedPorts ? ' (closed ports)' : ''}, ${rateOfRun} due/s`,
          value: r.p99,
          unit: 'ms',
          reference: 'target',
          referenceValue: 2000,
          ratio: r.p99 / 2000,
          target: '< 2,000 ms',
          met: r.p99 < 2000 && r.missed === 0,
          detail: {
            p50_ms: round(r.p50),
            max_ms: round(r.max),
            checks: r.checks,
            missed: r.missed,
            max_waiting: r.maxWaiting,
            spread_s: spread,
            measured_s: Math.min(measure, spread),
          },
        });
      }
    }

    if (bench.wants(7)) {
      out('\n(7) worker memory at 512 concurrent probes (slow hosts: 8 s per probe)…');
      const db = await connect(bench.dbUrl);
      try {
        await bench.clearRun(db);
        await bench.setIntervals(3600, 0);
        await bench.startWorkers(1, 512);
        const worker = bench.workers[0];
        await sleep(1000);
        const idle = memoryMb(worker.pid).rss;
        await insertHosts(
          db,
          bench.slowFleet!.hosts.map((h) => ({ ...h, dueAt: new Date() })),
          bench.credentialId,
        );
        await bench.call('PUT', '/api/monitoring/scheduler', { enabled: true });
        let peakActive = 0;
        let peak = 0;
        const until = Date.now() + 14000;
        while (Date.now() < until) {
          peakActive = Math.max(peakActive, await bench.queue!.getActiveCount());
          peak = Math.max(peak, memoryMb(worker.pid).rss);
          await sleep(200);
        }
        const hwm = memoryMb(worker.pid).peak;
        bench.add({
          id: '7',
          what: `worker RSS with ${peakActive} probes in flight`,
          value: Math.max(peak, hwm),
          unit: 'MB',
          reference: 'target',
          referenceValue: 300,
          ratio: Math.max(peak, hwm) / 300,
          target: '< 300 MB',
          met: Math.max(peak, hwm) < 300,
          detail: {
            idle_rss_mb: round(idle),
            sampled_peak_rss_mb: round(peak),
            vm_hwm_mb: round(hwm),
            peak_active_jobs: peakActive,
          },
        });
        await bench.setScheduler(false);
        await bench.resetQueue();
        await bench.startWorkers(flags.workerProcesses, flags.workerConcurrency);
      } finally {
        await db.end();
      }
    }

    if (bench.wants(9)) {
      // Notifications: a webhook receiver in this process, one channel, one rule.
      const receiver = await startReceiver();
      try {
        const channel = await bench.call<{ id: string }>('POST', '/api/notifications/channels', {
          name: 'bench',
          type: 'webhook',
          enabled: true,
          config: { url: receiver.url },
        });
        const ruleBody = {
          name: 'bench',
          enabled: true,
          tags: [],
          events: ['problem_opened', 'problem_resolved', 'host_key_mismatch', 'degraded'],
          channel_ids: [channel.id],
          group_wait_seconds: 0,
          group_interval_seconds: 1,
        };
        const db = await connect(bench.dbUrl);
        /** `count` closed-port hosts one failure from CRITICAL, due over `spreadS` seconds. */
        const aboutToFail = async (count: number, spreadS: number) => {
          await bench.clearRun(db);
          await bench.setLongIntervals();
          const start = Date.now() + 1000;
          await insertHosts(
            db,
            Array.from({ length: count }, (_, i) => ({
              hostname: `fail-${i + 1}`,
              address: hostAddress(i, 41 << 16),
              port: fleet.port,
              dueAt: new Date(start + (i * spreadS * 1000) / count),
            })),
            null,
          );
          await db.query(
            `UPDATE host_status SET monitoring_state = 'DEGRADED', consecutive_failures = 1,
                    check_priority = 6`,
          );
        };
        const opened = async (): Promise<number> =>
          Number((await db.query(`SELECT count(*) AS n FROM alerts`)).rows[0].n);
        try {
          const rule = await bench.call<{ id: string }>(
            'POST',
            '/api/notifications/rules',
            ruleBody,
          );
          // (9) transition → receiver: problems opening 20 a second, group_wait 0.
          const latencyHosts = 200;
          out(
            `\n(9) notification latency: ${latencyHosts} problems opening over 10 s, group_wait 0…`,
          );
          receiver.clear();
          await aboutToFail(latencyHosts, 10);
          await bench.call('PUT', '/api/monitoring/scheduler', { enabled: true });
          const deadline = Date.now() + 60000;
          while (receiver.alerts.filter((a) => a.kind === 'problem_opened').length < latencyHosts) {
            if (Date.now() > deadline) break;
            await sleep(200);
          }
          await bench.call('PUT', '/api/monitoring/scheduler', { enabled: false });
          const latencies = receiver.alerts
            .filter((a) => a.kind === 'problem_opened' && a.openedAt !== null)
            .map((a) => a.arrivedAt - (a.openedAt as number))
            .sort((x, y) => x - y);
          const p99 = percentile(latencies, 99);
          bench.add({
            id: '9',
            what: `problem opened → webhook received, p99 (p50 ${round(percentile(latencies, 50))} ms), group_wait 0`,
            value: p99,
            unit: 'ms',
            reference: 'target',
            referenceValue: 1000,
            ratio: p99 / 1000,
            target: '< 1,000 ms',
            met: latencies.length === latencyHosts && p99 < 1000,
            detail: {
              received: latencies.length,
              opened: await opened(),
              messages: receiver.messages,
              p50_ms: round(percentile(latencies, 50)),
              max_ms: round(latencies[latencies.length - 1] ?? NaN),
            },
          });

          // (9b) 10,000 problems opening at once: grouped messages, done within group_wait + 5 s.
          const burst = flags.bigHosts;
          out(`\n(9b) ${burst} problems opening at once, group_wait 0…`);
          receiver.clear();
          await aboutToFail(burst, 1);
          const rss0 = bench.workers.map((w) => memoryMb(w.pid).rss);
          await bench.call('PUT', '/api/monitoring/scheduler', { enabled: true });
          const until = Date.now() + 120000;
          while (receiver.alerts.filter((a) => a.kind === 'problem_opened').length < burst) {
            if (Date.now() > until) break;
            await sleep(200);
          }
          await bench.call('PUT', '/api/monitoring/scheduler', { enabled: false });
          const got = receiver.alerts.filter((a) => a.kind === 'problem_opened');
          const lastOpened = Math.max(...got.map((a) => a.openedAt ?? 0));
          const lastArrived = Math.max(...got.map((a) => a.arrivedAt));
          const rss1 = bench.workers.map((w) => memoryMb(w.pid));
          bench.add({
            id: '9b',
            what: `${burst} problems at once: last delivered after the last opened (group_wait 0)`,
            value: lastArrived - lastOpened,
            unit: 'ms',
            reference: 'group_wait + 5 s',
            referenceValue: 5000,
            ratio: (lastArrived - lastOpened) / 5000,
            target: '< group_wait + 5 s',
            met: got.length === burst && lastArrived - lastOpened < 5000,
            detail: {
              received: got.length,
              messages: receiver.messages,
              worker_rss_mb_before: rss0.map((r) => round(r)),
              worker_rss_mb_after: rss1.map((r) => round(r.rss)),
              worker_rss_mb_peak: rss1.map((r) => round(r.peak)),
            },
          });

          // (9c) checks per second with the rule on and off, in turns: new hosts, every tenth a
          // closed port (it goes DEGRADED, an event the rule sends).
          const cycle = flags.hosts;
          const rates: Record<'on' | 'off', number[]> = { on: [], off: [] };
          for (const turn of ['on', 'off', 'off', 'on'] as const) {
            if (turn === 'off')
              await bench.call('PATCH', `/api/notifications/rules/${rule.id}`, { enabled: false });
            else
              await bench.call('PATCH', `/api/notifications/rules/${rule.id}`, { enabled: true });
            out(`\n(9c) end to end, ${cycle} new hosts (a tenth failing), notifications ${turn}…`);
            rates[turn].push((await bench.endToEnd(cycle, false, 10)).rate);
          }
          const on = rates.on.reduce((a, b) => a + b, 0) / rates.on.length;
          const off = rates.off.reduce((a, b) => a + b, 0) / rates.off.length;
          bench.add({
            id: '9c',
            what: `end to end with notifications on vs off, ${cycle} new hosts (a tenth failing)`,
            value: on,
            unit: 'checks/s',
            reference: 'notifications off, in turns',
            referenceValue: off,
            ratio: on / off,
            target: '≥ 0.95×',
            met: on >= 0.95 * off,
            detail: { on: rates.on.map((r) => round(r)), off: rates.off.map((r) => round(r)) },
          });
          await bench.call('DELETE', `/api/notifications/rules/${rule.id}`);
        } finally {
          await db.end();
        }
      } finally {
        await receiver.close();
      }
    }

    if (bench.wants(11)) {
      out(
        `\n(11) probes through one jump host (a real OpenSSH sshd) vs direct, ${flags.hosts} hosts, concurrency ${concurrency}, ${flags.duration} s each…`,
      );
      const jump = await measureJump(small, concurrency, loopMs, {
        username: cred.username,
        privateKey: cred.privateKey,
      });
      bench.add({
        id: '11',
        what: "hostwatch's probe through one jump host, connection shared, vs direct",
        value: jump.shared.perSecond,
        unit: 'probes/s',
        reference: 'direct, same loop',
        referenceValue: jump.direct.perSecond,
        ratio: jump.shared.perSecond / jump.direct.perSecond,
        target: '',
        met: null,
        detail: {
          direct: loopDetail(jump.direct),
          shared: loopDetail(jump.shared),
          jump_logins: jump.sharedLogins,
        },
      });
      bench.add({
        id: '11b',
        what: 'through the jump host: shared connection vs a jump login per probe (ssh -J)',
        value: jump.shared.perSecond,
        unit: 'probes/s',
        reference: 'a jump login per probe',
        referenceValue: jump.perProbe.perSecond,
        ratio: jump.shared.perSecond / jump.perProbe.perSecond,
        target: '',
        met: null,
        detail: {
          per_probe: loopDetail(jump.perProbe),
          jump_logins_shared: jump.sharedLogins,
          jump_logins_per_probe: jump.perProbeLogins,
          probes_shared: jump.shared.checks,
          probes_per_probe: jump.perProbe.checks,
          cpu_ms_per_probe_shared: round(jump.shared.cpuMsPerCheck, 3),
          cpu_ms_per_probe_per_probe: round(jump.perProbe.cpuMsPerCheck, 3),
        },
      });
    }

    if (bench.wants(8)) {
      out(
        `\n(8) OpenSSH peer: ssh -o BatchMode=yes … true, one process per check, concurrency ${concurrency}, ${flags.duration} s…`,
      );
      const ssh = await opensshLoop(small, concurrency, loopMs, {
        username: cred.username,
        identityFile: join(bench.keyDir, 'id'),
      });
      const hw = bench.e2eRate || raw?.perSecond || NaN;
      bench.add({
        id: '8',
        what: `hostwatch end to end (2, ${flags.bigHosts} hosts) vs OpenSSH ssh -o BatchMode=yes per check`,
        value: hw,
        unit: 'checks/s',
        reference: 'ssh BatchMode loop',
        referenceValue: ssh.perSecond,
        ratio: hw / ssh.perSecond,
        target: '',
        met: null,
        detail: { ssh: loopDetail(ssh) },
      });
    }

    if (bench.wants(6)) {
      out(
        `\n(6) producer claim of 5,000 due hosts among ${flags.claimHosts} hosts / ${flags.claimHistory} history rows…`,
      );
      const claimUrl = `${flags.pgBase}/${claimDatabaseName(flags.claimHosts)}`;
      const claim = await measureClaim(
        claimUrl,
        flags.claimHosts,
        flags.claimHistory,
        5000,
        7,
        (l) => out(`    ${l}`),
      );
      bench.add({
        id: '6',
        what: `producer claim of 5,000 due hosts (${flags.claimHosts} hosts, ${flags.claimHistory} history rows)`,
        value: claim.p50Ms,
        unit: 'ms p50',
        reference: 'target',
        referenceValue: 100,
        ratio: claim.p50Ms / 100,
        target: '< 100 ms',
        met: claim.p50Ms < 100,
        detail: {
          cold_ms: round(claim.coldMs),
          samples_ms: claim.samplesMs.map((x) => round(x)),
          generated_seconds: claim.generatedSeconds,
          updated_rows: claim.updatedRows,
          hot_updates: claim.hotUpdates,
          plan: claim.plan,
          analyzed: claim.analyzed,
        },
      });
    }
  } catch (error) {
    // Keep what was measured: the table and the JSON still come out, with the failure.
    failure = (error as Error).stack ?? String(error);
    out(`\nbench: a measurement failed: ${failure}`);
  } finally {
    await bench.tearDown().catch((e: Error) => out(`teardown: ${e.message}`));
  }

  const seconds = round((Date.now() - started) / 1000, 0);
  printTable(bench.rows);
  const result = {
    when: new Date().toISOString(),
    seconds,
    machine,
    flags: { ...flags, only: flags.only ? [...flags.only] : null },
    rows: bench.rows,
    failure,
  };
  const dir = join(__dirname, '..', '..', 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `bench-${result.when.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  out(`\n${bench.rows.length} measurements in ${seconds} s; JSON written to ${file}`);
  if (failure) process.exitCode = 1;
}

function printTable(rows: Row[]): void {
  const header = ['#', 'measurement', 'hostwatch', 'reference', 'ratio', 'target', 'load'];
  const body = rows.map((r) => [
    r.id,
    r.what,
    `${round(r.value, 1)} ${r.unit}`,
    `${round(r.referenceValue, 1)} (${r.reference})`,
    Number.isFinite(r.ratio) ? `${round(r.ratio, 2)}×` : '—',
    r.target ? `${r.target} ${r.met ? 'met' : 'MISSED'}` : '',
    String(r.loadavg_1m ?? ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  out('');
  out(line(header));
  out(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) out(line(b));
}

/** The host-list figure alone: its own database, generated inside Postgres, dropped after. */
async function runHostList(flags: Flags): Promise<void> {
  const url = `${flags.pgBase}/hostwatch_bench_hostlist_${Date.now()}`;
  out(`host list: GET /api/hosts's query over ${flags.hostListHosts} hosts, 30 samples each`);
  const result = await measureHostList(url, flags.hostListHosts, 30, out);
  const header = ['query', 'p50 ms', 'p99 ms', 'total'];
  const body = result.queries.map((q) => [
    q.name,
    round(q.p50Ms, 1).toFixed(1),
    round(q.p99Ms, 1).toFixed(1),
    String(q.total),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  out('');
  out(line(header));
  out(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) out(line(b));
  const dir = join(__dirname, '..', '..', 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const when = new Date().toISOString();
  const file = join(dir, `host-list-${when.replace(/[:.]/g, '-')}.json`);
  const loadavg_1m = round(loadavg()[0], 2);
  await writeFile(file, `${JSON.stringify({ when, loadavg_1m, ...result }, null, 2)}\n`);
  out(`\nJSON (with each query's EXPLAIN ANALYZE) written to ${file}`);
}

/**
 * JIT latency while a scheduled backlog of flags.bigHosts jobs waits: request → result applied
 * (?wait=true), against the probe time the same checks report; and where the time went.
 */
async function measureJit(
  bench: Bench,
  flags: Flags,
): Promise<{ p50: number; probeP50: number; minWaiting: number; detail: Record<string, number> }> {
  const db = await connect(bench.dbUrl);
  try {
    await bench.clearRun(db);
    await bench.setLongIntervals();
    const hosts = bench.fleet!.hosts.slice(0, flags.bigHosts);
    await insertHosts(
      db,
      hosts.map((h) => ({ ...h, dueAt: new Date() })),
      bench.credentialId,
    );
    const { rows: ids } = await db.query('SELECT id FROM hosts ORDER BY hostname');
    await bench.call('PUT', '/api/monitoring/scheduler', { enabled: true });
    const deadline = Date.now() + 20000;
    while ((await bench.waiting()) < flags.bigHosts * 0.8 && Date.now() < deadline) {
      await sleep(50);
    }
    const latencies: number[] = [];
    const probeTimes: number[] = [];
    const slotWaits: number[] = [];
    const runTimes: number[] = [];
    let minWaiting = Infinity;
    for (let i = 0; i < flags.jitSamples; i++) {
      const id = ids[(i * 7919) % ids.length].id as string;
      const waiting = await bench.waiting();
      // Only while the backlog is there: stop once half of it has drained.
      if (i >= 5 && waiting < flags.bigHosts / 2) break;
      minWaiting = Math.min(minWaiting, waiting);
      const t0 = performance.now();
      const result = await bench.call<{
        task_id: string;
        response_time_ms?: number;
        result?: { response_time_ms?: number };
      }>('POST', `/api/monitoring/hosts/${id}/check-connectivity?wait=true&timeout_ms=30000`);
      latencies.push(performance.now() - t0);
      probeTimes.push(result.response_time_ms ?? result.result?.response_time_ms ?? NaN);
      // Where the time went: waiting for a worker slot, then probe + apply in the worker.
      const job = await bench.jitQueue!.getJob(result.task_id);
      if (job?.processedOn && job.finishedOn) {
        slotWaits.push(job.processedOn - job.timestamp);
        runTimes.push(job.finishedOn - job.processedOn);
      }
    }
    for (const list of [slotWaits, runTimes, latencies, probeTimes]) list.sort((a, b) => a - b);
    await bench.setScheduler(false);
    return {
      p50: percentile(latencies, 50),
      probeP50: percentile(probeTimes, 50),
      minWaiting,
      detail: {
        p99_ms: round(percentile(latencies, 99)),
        probe_p50_ms: percentile(probeTimes, 50),
        probe_p99_ms: percentile(probeTimes, 99),
        samples: latencies.length,
        min_waiting: minWaiting,
        queue_wait_p50_ms: percentile(slotWaits, 50),
        worker_run_p50_ms: percentile(runTimes, 50),
      },
    };
  } finally {
    await db.end();
  }
}

let flags: Flags;
try {
  flags = parseFlags(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exit(2);
}
(flags.hostList ? runHostList(flags) : run(flags)).then(
  // Everything is stopped and written; a driver's lingering socket must not keep us waiting.
  () => process.exit(process.exitCode ?? 0),
  (error: Error) => {
    process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
