import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Job, Queue, QueueEvents } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { DependencyStatus } from '../../config/dependency-status';
import { isRedisUnavailable } from '../../common/dependency-errors';
import { redisOptions } from '../../config/redis-connection';
import { toQueuePriority, QUEUE_PRIORITIES_IN_USE } from '../../state-machine';
import {
  CHECK_HOST_JOB,
  CheckJobData,
  CheckQueueName,
  JIT_JOB_OPTIONS,
  JIT_QUEUE,
  jitJobId,
  MONITORING_QUEUE,
  queueOfTask,
  SCHEDULED_JOB_OPTIONS,
  ScheduledCheck,
} from './monitoring.constants';

export type CheckJob = Job<CheckJobData, unknown>;

/** A scheduled job to queue: hosts of one priority, with the job's id. */
export interface ScheduledJob {
  jobId: string;
  priority: number;
  checks: ScheduledCheck[];
}

/** Counts over both queues, for the stats. */
export interface QueueCounts {
  counts: Array<Record<string, number>>;
  /** Jobs per BullMQ priority, per queue. */
  perPriority: Array<Record<string, number>>;
}

/**
 * A request that needs the queue while Redis is away: the API answers 503 with this message
 * instead of waiting for Redis to come back.
 */
export class QueueUnavailableError extends Error {
  constructor(
    /** Since when Redis has been away, as this process saw it. */
    readonly since: Date,
    reason: string | null,
  ) {
    super(
      `Queue unavailable: Redis has not answered since ${since.toISOString()}` +
        `${reason ? ` (${reason})` : ''}; checks are paused until it is back, reads keep working. Try again later.`,
    );
    this.name = 'QueueUnavailableError';
  }
}

/**
 * The longest a request waits for Redis to take a command. A client that lost its connection
 * fails at once (failFast); this bounds the case of a Redis that accepts but does not answer.
 */
const QUEUE_DEADLINE_MS = 1500;

type MarkerClient = {
  hostwatchMarkQueued(key: string, ...args: string[]): Promise<string[]>;
  hostwatchReleaseQueued(key: string, ...args: string[]): Promise<number>;
};

/**
 * "This host's scheduled check is queued": one key per host, holding the id of the job that
 * has it. Marking skips a host whose marker names a job that still exists and has not
 * finished (so a host is never queued twice, even when its claim's lease runs out while its
 * job still waits), and takes over a marker whose job is gone or finished (a lost job does not
 * block its host). ARGV: the job key prefix, then host id / job id pairs; returns the host ids
 * marked. KEYS[1] is only the marker prefix (every key shares the queue's hash slot).
 */
const MARK_QUEUED_LUA = `
local marked = {}
for i = 2, #ARGV, 2 do
  local key = KEYS[1] .. ARGV[i]
  local holder = redis.call('GET', key)
  local busy = false
  if holder then
    local job = ARGV[1] .. holder
    busy = redis.call('EXISTS', job) == 1 and redis.call('HEXISTS', job, 'finishedOn') == 0
  end
  if not busy then
    redis.call('SET', key, ARGV[i + 1])
    marked[#marked + 1] = ARGV[i]
  end
end
return marked`;

/**
 * How long released markers are gathered before they go in one round trip: at hundreds of
 * checks a second, about a hundred at a time. A host's next check is never due that soon (the
 * shortest interval is 1 s, less at most half of it for jitter).
 */
const RELEASE_EVERY_MS = 200;

/** Removes markers that still name the given job (host id / job id pairs in ARGV). */
const RELEASE_QUEUED_LUA = `
local released = 0
for i = 1, #ARGV, 2 do
  local key = KEYS[1] .. ARGV[i]
  if redis.call('GET', key) == ARGV[i + 1] then
    redis.call('DEL', key)
    released = released + 1
  end
end
return released`;

/**
 * The one owner of the two check queues (scheduled and JIT) and their event streams: adding
 * jobs, reading them back, waiting on their events, counting them. Nothing else injects a
 * check queue.
 */
@Injectable()
export class CheckQueues implements OnModuleDestroy {
  private readonly byName: Record<CheckQueueName, Queue<CheckJobData>>;
  private readonly events = new Map<CheckQueueName, Promise<QueueEvents>>();
  private markers: Promise<MarkerClient> | null = null;
  private releasing: Array<[string, string]> = [];
  private releaseScheduled = false;
  private readonly logger = new Logger(CheckQueues.name);
  private lastError: { message: string; at: number } | null = null;

  constructor(
    @InjectQueue(MONITORING_QUEUE) readonly scheduled: Queue<CheckJobData>,
    @InjectQueue(JIT_QUEUE) readonly jit: Queue<CheckJobData>,
    private readonly config: AppConfig,
    private readonly dependencies: DependencyStatus,
  ) {
    this.byName = { [MONITORING_QUEUE]: scheduled, [JIT_QUEUE]: jit };
    // Without a listener, BullMQ prints every failed reconnection to the console.
    for (const queue of [scheduled, jit]) queue.on('error', (error) => this.onError(error));
  }

  /**
   * A queue client's or event stream's fault: Redis going away is DependencyStatus' to log,
   * once for the outage; anything else one line a minute per distinct message.
   */
  private onError(error: Error): void {
    if (isRedisUnavailable(error)) {
      this.dependencies.down('redis', error.message);
      return;
    }
    const now = Date.now();
    const last = this.lastError;
    if (last && last.message === error.message && now - last.at < 60_000) return;
    this.lastError = { message: error.message, at: now };
    this.logger.warn(`Check queues: ${error.message}`);
  }

  queue(name: CheckQueueName): Queue<CheckJobData> {
    return this.byName[name];
  }

  /**
   * Queues scheduled jobs in one round trip, each at its priority. Hosts whose earlier check
   * is still queued are left out (see MARK_QUEUED_LUA); a job left with no host is not added.
   * Returns the number of checks queued.
   */
  async addScheduled(jobs: readonly ScheduledJob[], queuedAt: Date): Promise<number> {
    if (jobs.length === 0) return 0;
    const marked = new Set(
      await this.mark(jobs.flatMap((j) => j.checks.map((c) => [c.host_id, j.jobId] as const))),
    );
    const toAdd = jobs
      .map((j) => ({ ...j, checks: j.checks.filter((c) => marked.has(c.host_id)) }))
      .filter((j) => j.checks.length > 0);
    try {
      await this.scheduled.addBulk(
        toAdd.map((j) => ({
          name: CHECK_HOST_JOB,
          data: {
            checked_by: 'scheduler' as const,
            priority: j.priority,
            queued_at: queuedAt.toISOString(),
            checks: j.checks,
          },
          opts: {
            ...SCHEDULED_JOB_OPTIONS,
            jobId: j.jobId,
            priority: toQueuePriority(j.priority, 'scheduled'),
          },
        })),
      );
    } catch (error) {
      await this.releaseNow(toAdd.flatMap((j) => j.checks.map((c) => [c.host_id, j.jobId]))).catch(
        () => undefined,
      );
      throw error;
    }
    return toAdd.reduce((n, j) => n + j.checks.length, 0);
  }

  /**
   * Queues a just-in-time check on the JIT queue, whose worker slots scheduled checks never
   * take; returns its job (the job id is the task id). No deduplication: each request gets its
   * own result.
   */
  async addJit(hostId: string, apiPriority: number, queuedAt: Date): Promise<CheckJob> {
    return this.whileAvailable(() =>
      this.jit.add(
        CHECK_HOST_JOB,
        {
          host_id: hostId,
          checked_by: 'jit',
          priority: apiPriority,
          queued_at: queuedAt.toISOString(),
        },
        {
          ...JIT_JOB_OPTIONS,
          jobId: jitJobId(randomUUID()),
          priority: toQueuePriority(apiPriority, 'jit'),
        },
      ),
    );
  }

  /** addJit for several hosts in one round trip (a bulk check); returns the jobs in order. */
  async addJitBulk(
    hostIds: readonly string[],
    apiPriority: number,
    queuedAt: Date,
  ): Promise<CheckJob[]> {
    if (hostIds.length === 0) return [];
    return this.jit.addBulk(
      hostIds.map((hostId) => ({
        name: CHECK_HOST_JOB,
        data: {
          host_id: hostId,
          checked_by: 'jit',
          priority: apiPriority,
          queued_at: queuedAt.toISOString(),
        },
        opts: {
          ...JIT_JOB_OPTIONS,
          jobId: jitJobId(randomUUID()),
          priority: toQueuePriority(apiPriority, 'jit'),
        },
      })),
    );
  }

  /**
   * Runs a request's queue command, or fails at once with QueueUnavailableError while Redis is
   * known to be away; a command that fails for want of Redis (or gets no answer within
   * QUEUE_DEADLINE_MS) marks it away and fails the same way.
   */
  async whileAvailable<T>(command: () => Promise<T>): Promise<T> {
    this.assertAvailable();
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        command(),
        new Promise<T>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${QUEUE_DEADLINE_MS} ms`)),
            QUEUE_DEADLINE_MS,
          );
        }),
      ]);
    } catch (error) {
      if (!isRedisUnavailable(error)) throw error;
      this.dependencies.down('redis', (error as Error).message);
      this.assertAvailable();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Throws QueueUnavailableError while Redis is known to be away. */
  assertAvailable(): void {
    if (this.dependencies.isUp('redis')) return;
    const state = this.dependencies.state('redis');
    throw new QueueUnavailableError(state.since, state.reason);
  }

  /**
   * Says that the scheduled checks of these hosts in this job are over (applied, skipped, or
   * failed for good), so the hosts can be queued again. Batched: one round trip for what ends
   * within RELEASE_EVERY_MS.
   */
  released(hostIds: readonly string[], jobId: string): void {
    for (const hostId of hostIds) this.releasing.push([hostId, jobId]);
    if (this.releaseScheduled) return;
    this.releaseScheduled = true;
    setTimeout(() => {
      this.releaseScheduled = false;
      const pairs = this.releasing;
      this.releasing = [];
      // A marker left behind is taken over once its job has finished: nothing is lost.
      this.releaseNow(pairs).catch(() => undefined);
    }, RELEASE_EVERY_MS).unref();
  }

  async findJob(taskId: string): Promise<CheckJob | undefined> {
    return this.whileAvailable(() => this.queue(queueOfTask(taskId)).getJob(taskId));
  }

  /** Job counts of both queues (scheduled first), and per BullMQ priority. */
  async counts(): Promise<QueueCounts> {
    this.assertAvailable();
    const queues = [this.scheduled, this.jit];
    const [counts, perPriority] = await Promise.all([
      Promise.all(
        queues.map((q) => q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed')),
      ),
      Promise.all(queues.map((q) => q.getCountsPerPriority([...QUEUE_PRIORITIES_IN_USE]))),
    ]);
    return { counts, perPriority };
  }

  /** Worker processes on each queue (null where Redis refuses CLIENT LIST). */
  async workers(): Promise<{ scheduled: number; jit: number } | null> {
    if (!this.dependencies.isUp('redis')) return null;
    try {
      const [scheduled, jit] = await Promise.all([
        this.scheduled.getWorkersCount(),
        this.jit.getWorkersCount(),
      ]);
      return { scheduled, jit };
    } catch {
      return null;
    }
  }

  /** One round trip to Redis (health). */
  async ping(): Promise<void> {
    await this.scheduled.getJobCounts('active');
  }

  /**
   * A queue's event stream, opened on first use and shared. `fromNow` streams read only what
   * happens from now on (the live events relay); the waiter's read from its opening.
   */
  queueEvents(name: CheckQueueName): Promise<QueueEvents> {
    let events = this.events.get(name);
    if (!events) {
      const opts = this.byName[name].opts;
      // Not the queue's fail-fast client options: a stream waits for Redis to come back.
      const created = new QueueEvents(name, {
        connection: redisOptions(this.config),
        prefix: opts.prefix,
        lastEventId: '$',
      });
      created.on('error', (error) => this.onError(error));
      events = created.waitUntilReady().then(
        () => created,
        async (error: unknown) => {
          // A failed start is not cached: the next use tries again.
          this.events.delete(name);
          await created.close().catch(() => undefined);
          throw error;
        },
      );
      this.events.set(name, events);
    }
    return events;
  }

  /** Closes the event streams opened so far (they reopen on next use). */
  async closeEvents(): Promise<void> {
    const open = [...this.events.values()];
    this.events.clear();
    await Promise.all(open.map((p) => p.then((e) => e.close()).catch(() => undefined)));
  }

  async onModuleDestroy(): Promise<void> {
    const pairs = this.releasing;
    this.releasing = [];
    await this.releaseNow(pairs).catch(() => undefined);
    await this.closeEvents();
  }

  private async mark(pairs: ReadonlyArray<readonly [string, string]>): Promise<string[]> {
    if (pairs.length === 0) return [];
    const client = await this.markerClient();
    return client.hostwatchMarkQueued(
      this.scheduled.toKey('queued:'),
      this.scheduled.toKey(''),
      ...pairs.flat(),
    );
  }

  private async releaseNow(pairs: ReadonlyArray<readonly [string, string]>): Promise<void> {
    if (pairs.length === 0) return;
    const client = await this.markerClient();
    await client.hostwatchReleaseQueued(this.scheduled.toKey('queued:'), ...pairs.flat());
  }

  /** The scheduled queue's own Redis client, with the two marker scripts defined on it. */
  private markerClient(): Promise<MarkerClient> {
    this.markers ??= this.scheduled
      .getBackend()
      .client.then((client) => {
        const c = client as unknown as MarkerClient & {
          defineCommand(name: string, def: { numberOfKeys: number; lua: string }): void;
        };
        if (typeof c.hostwatchMarkQueued !== 'function') {
          c.defineCommand('hostwatchMarkQueued', { numberOfKeys: 1, lua: MARK_QUEUED_LUA });
          c.defineCommand('hostwatchReleaseQueued', { numberOfKeys: 1, lua: RELEASE_QUEUED_LUA });
        }
        return c;
      })
      .catch((error: unknown) => {
        this.markers = null;
        throw error;
      });
    return this.markers;
  }
}
