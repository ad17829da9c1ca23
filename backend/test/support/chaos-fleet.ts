/**
 * The fleet a chaos spec breaks things under: simulated SSH hosts (the fleet simulator's real
 * servers, all healthy, so every check is one SSH login), registered in a running hostwatch
 * whose policy checks them every few seconds. `npm test` runs a small fleet; `npm run chaos`
 * sets CHAOS_HOSTS (1,000) and CHAOS_SOAK for the long runs.
 */
import { hostAddress, type BehaviourParams } from '../../../tools/fleet/behaviours';
import { startFleet, type Fleet } from '../../../tools/fleet/fleet';
import { api, registerInHostwatch } from '../../../tools/fleet/register';
import type { AppProcess } from './app-process';
import { freePort } from './ports';

/** Hosts in the fleet: 60 in `npm test`, CHAOS_HOSTS in `npm run chaos`. */
export const CHAOS_HOSTS = Number(process.env.CHAOS_HOSTS ?? 60);
/** The claim's lease: a lost job's hosts come due again this long after they were claimed. */
export const CHAOS_LEASE_SECONDS = 20;

/** Compressed intervals: every host comes due every few seconds. */
export const CHAOS_POLICY = {
  intervals_seconds: {
    HEALTHY: Math.max(5, Math.round(CHAOS_HOSTS / 40)),
    DEGRADED: 5,
    CRITICAL: 5,
    DOWN: 10,
  },
};

/** The app's settings for a chaos run, beside its database, Redis and prefix. */
export const CHAOS_APP_ENV: Record<string, string> = {
  APP_ROLES: 'api,scheduler,worker',
  SCHEDULER_TICK_MS: '500',
  SCHEDULER_LEASE_SECONDS: String(CHAOS_LEASE_SECONDS),
  WORKER_CONCURRENCY: '32',
  PROBE_CONNECT_TIMEOUT_MS: '3000',
  PROBE_TIMEOUT_MS: '5000',
  JIT_RATE_LIMIT_PER_MINUTE: '1000',
};

/**
 * Starts the fleet (all healthy unless `mix` says otherwise), compresses the app's policy and
 * registers every host in it.
 */
export async function fleetIn(
  app: AppProcess,
  options: { hosts?: number; mix?: string; params?: Partial<BehaviourParams> } = {},
): Promise<Fleet> {
  const hosts = options.hosts ?? CHAOS_HOSTS;
  const fleet = await startFleet({
    hosts,
    mix: options.mix ?? 'healthy=100',
    params: options.params,
    port: await freePort(hostAddress(0)),
    controlPort: null,
    processes: 1,
  });
  try {
    await api(app.url!, 'PUT', '/api/monitoring/policy', CHAOS_POLICY, app.token);
    const registered = await registerInHostwatch(fleet, {
      api: app.url!,
      token: app.token,
      concurrency: 16,
    });
    if (registered.created !== hosts) {
      throw new Error(`registered ${registered.created} of ${hosts} hosts`);
    }
    return fleet;
  } catch (error) {
    await fleet.stop();
    throw error;
  }
}

/** Connections the fleet's hosts have accepted: one per probe. */
export async function fleetConnections(fleet: Fleet): Promise<number> {
  return (await fleet.list()).reduce((sum, h) => sum + h.connections, 0);
}

/**
 * Stops the producer and waits until no check is queued or running, so that every probe made
 * so far has its result in the database (counted against the fleet's connections); then starts
 * the producer again.
 */
export async function settle(app: AppProcess, count: () => Promise<void>): Promise<void> {
  await api(app.url!, 'PUT', '/api/monitoring/scheduler', { enabled: false }, app.token);
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const stats = await api<{ queue: { waiting: number; active: number; delayed: number } }>(
        app.url!,
        'GET',
        '/api/monitoring/stats',
        undefined,
        app.token,
      );
      const { waiting, active, delayed } = stats.queue;
      if (waiting + active + delayed === 0) break;
      if (Date.now() > deadline)
        throw new Error(`checks still queued: ${JSON.stringify(stats.queue)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await count();
  } finally {
    await api(app.url!, 'PUT', '/api/monitoring/scheduler', { enabled: true }, app.token);
  }
}
