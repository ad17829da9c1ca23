/**
 * npm run demo [-- --port 3000 --hosts 200 --duration 0]
 *
 * hostwatch and a simulated fleet of 200 SSH hosts with a demo policy of compressed intervals
 * (seconds), so that every state (HEALTHY, DEGRADED, CRITICAL, DOWN) and recoveries show up
 * within two minutes. It uses a database of its own (hostwatch_demo, recreated each run) and a
 * queue prefix of its own, prints where to look, and stops everything on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startFleet, type Fleet } from '../tools/fleet/fleet';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { adminToken, api, registerInHostwatch } from '../tools/fleet/register';
import { dropDatabase } from '../bench/lib/db';
import { CHECK_QUEUES } from '../backend/src/monitoring/queue/monitoring.constants';

const MIX =
  'healthy=50,slow=10,refused=8,silent=4,not_ssh=4,drop=4,auth_fail=5,flapping=10,rotate_key=3,dies_after=2';
/** Seconds between checks per state: fast enough to walk every state in under a minute. */
const DEMO_POLICY = {
  intervals_seconds: { HEALTHY: 10, DEGRADED: 3, CRITICAL: 2, DOWN: 6 },
  jitter_ratio: 0.1,
};
const STATES = ['HEALTHY', 'DEGRADED', 'CRITICAL', 'DOWN'] as const;

const FLAGS = ['port', 'hosts', 'duration'] as const;

/** A whole-number flag within [min, max]; unknown flags are refused by checkFlags. */
function flag(name: (typeof FLAGS)[number], fallback: number, min: number, max: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const raw = process.argv[i + 1] ?? '';
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new Error(`--${name}: a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function checkFlags(argv: string[]): void {
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!argv[i].startsWith('--') || !(FLAGS as readonly string[]).includes(name)) {
      throw new Error(
        `unknown argument "${argv[i]}" (flags: ${FLAGS.map((f) => `--${f} N`).join(', ')})`,
      );
    }
  }
}

const out = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForHealth(url: string, app: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60000;
  for (;;) {
    if (app.exitCode !== null) throw new Error(`hostwatch exited during start-up:\n${log()}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`hostwatch did not answer on ${url}/health`);
    await sleep(250);
  }
}

async function main(): Promise<void> {
  checkFlags(process.argv.slice(2));
  const port = flag('port', 3000, 1, 65535);
  const hosts = flag('hosts', 200, 1, 60000);
  const duration = flag('duration', 0, 0, 86400);
  // eslint-disable-next-line no-restricted-properties -- a tool's own defaults, not the app's config
  const env = process.env;
  const adminPassword = randomBytes(12).toString('base64url');
  const base = (env.DEMO_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(
    /\/$/,
    '',
  );
  const databaseUrl = `${base}/hostwatch_demo`;
  const url = `http://127.0.0.1:${port}`;

  out(`hostwatch demo: starting ${hosts} simulated SSH hosts and hostwatch on ${url}…`);
  const fleet: Fleet = await startFleet({
    hosts,
    mix: MIX,
    port: 2222,
    controlPort: 7100,
    firstIndex: 40000,
    params: { slowMs: 300, flapPeriodMs: 20000, rotateEvery: 3, diesAfter: 4 },
  });

  // A fresh start: the previous demo's database and queued jobs go.
  await dropDatabase(databaseUrl).catch(() => undefined);
  const redis = new IORedis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    maxRetriesPerRequest: null,
  });
  for (const name of CHECK_QUEUES) {
    const queue = new Queue(name, { prefix: 'hostwatch_demo', connection: redis });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
  redis.disconnect();
  let appLog = '';
  const app = spawn(process.execPath, [join(__dirname, '..', 'backend', 'src', 'main.js')], {
    env: {
      ...env,
      DATABASE_URL: databaseUrl,
      QUEUE_PREFIX: 'hostwatch_demo',
      PORT: String(port),
      APP_ROLES: 'api,scheduler,worker',
      WORKER_PROCESSES: '2',
      SCHEDULER_TICK_MS: '1000',
      PROBE_CONNECT_TIMEOUT_MS: '2000',
      PROBE_TIMEOUT_MS: '3000',
      LOG_LEVEL: 'warn',
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: adminPassword,
      JWT_SECRET: randomBytes(32).toString('base64'),
      JIT_RATE_LIMIT_PER_MINUTE: '600',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (t: Buffer) => {
    appLog = (appLog + t.toString()).slice(-8000);
  };
  app.stdout?.on('data', keep);
  app.stderr?.on('data', keep);

  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    out('\nstopping hostwatch and the fleet…');
    app.kill('SIGTERM');
    await new Promise((r) => (app.exitCode !== null ? r(null) : app.once('exit', r)));
    await fleet.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  try {
    await waitForHealth(url, app, () => appLog);
    const token = await adminToken(url, 'admin', adminPassword, 'demo');
    const call = <T>(method: string, path: string, body?: unknown) =>
      api<T>(url, method, path, body, token);
    await call('PUT', '/api/monitoring/policy', DEMO_POLICY);
    const registered = await registerInHostwatch(fleet, {
      api: url,
      token,
      auth: 'both',
      credentialName: `demo-fleet-${Date.now()}`,
    });
    const anyHost = [...registered.hostIds.values()][0];
    const flappy = fleet.hosts.find((h) => h.behaviour === 'flapping')!;
    const healthy = fleet.hosts.filter((h) => h.behaviour === 'healthy');

    out(`
hostwatch is checking ${registered.created} simulated hosts (${MIX.replaceAll(',', ', ')}).
Demo policy: HEALTHY every 10 s, DEGRADED 3 s, CRITICAL 2 s, DOWN 6 s (normally 30/5/2/30 min).

  Admin console    ${url}/
  API docs         ${url}/api/docs
  Fleet control    ${fleet.controlUrl}/   (the simulator's own API)
  Log in as        admin / ${adminPassword}   (this demo's database only)

  export HW_TOKEN=${token}
  curl -s -H "Authorization: Bearer $HW_TOKEN" ${url}/api/monitoring/stats
  curl -s -H "Authorization: Bearer $HW_TOKEN" '${url}/api/hosts?state=DOWN,CRITICAL&page_size=5'
  curl -s -H "Authorization: Bearer $HW_TOKEN" ${url}/api/monitoring/hosts/${anyHost}/state
  curl -s -H "Authorization: Bearer $HW_TOKEN" -X POST '${url}/api/monitoring/hosts/${anyHost}/check-connectivity?wait=true'
  curl -s -X PUT ${fleet.controlUrl}/hosts/${healthy[0].address} -d '{"behaviour":"refused"}'   # break a host
  curl -s ${fleet.controlUrl}/hosts/${flappy.address}   # a flapping host (20 s up, 20 s down)

In 30 s the demo breaks 5 healthy hosts for 30 s (refused), then mends them: watch them walk
DEGRADED → CRITICAL → DOWN and back to HEALTHY. Ctrl-C stops everything.
`);

    const t0 = Date.now();
    const seen = new Set<string>();
    let recovered = false;
    let announced = false;
    let broken = false;
    let mended = false;
    for (;;) {
      await sleep(5000);
      const elapsed = Math.round((Date.now() - t0) / 1000);
      if (!broken && elapsed >= 30) {
        broken = true;
        await Promise.all(healthy.slice(0, 5).map((h) => fleet.set(h.address, 'refused')));
        out(
          `  ${elapsed} s: broke ${healthy
            .slice(0, 5)
            .map((h) => h.hostname)
            .join(', ')}`,
        );
      }
      if (broken && !mended && elapsed >= 60) {
        mended = true;
        await Promise.all(healthy.slice(0, 5).map((h) => fleet.set(h.address, 'healthy')));
        out(`  ${elapsed} s: mended them`);
      }
      const stats = await call<{ hosts_by_state: Record<string, number> }>(
        'GET',
        '/api/monitoring/stats',
      );
      for (const s of STATES) if ((stats.hosts_by_state[s] ?? 0) > 0) seen.add(s);
      if (!recovered && seen.has('DOWN')) {
        // A recovery: some host that was DOWN or CRITICAL is HEALTHY again.
        const page = await call<{ items?: Array<{ id: string }>; data?: Array<{ id: string }> }>(
          'GET',
          '/api/hosts?tag=flapping&state=HEALTHY&page_size=50',
        );
        for (const h of page.items ?? page.data ?? []) {
          const st = await call<{
            recent_history?: Array<{ state: string; previous_state: string | null }>;
          }>('GET', `/api/monitoring/hosts/${h.id}/state`);
          if (
            (st.recent_history ?? []).some((c) => c.state === 'DOWN' || c.previous_state === 'DOWN')
          ) {
            recovered = true;
            break;
          }
        }
      }
      const counts = STATES.map((s) => `${s} ${stats.hosts_by_state[s] ?? 0}`).join(', ');
      out(
        `  ${String(elapsed).padStart(3)} s: ${counts}, UNKNOWN ${stats.hosts_by_state.UNKNOWN ?? 0}`,
      );
      if (!announced && seen.size === STATES.length && recovered) {
        announced = true;
        out(`  every state seen, and a DOWN host back to HEALTHY, after ${elapsed} s`);
      }
      if (duration > 0 && elapsed >= duration) {
        if (!announced) out('  not every state was seen in time');
        await stop(announced ? 0 : 1);
      }
    }
  } catch (error) {
    out(`demo: ${(error as Error).message}`);
    await stop(1);
  }
}

main().catch((error: Error) => {
  process.stderr.write(`demo: ${error.message}\n`);
  process.exit(1);
});
