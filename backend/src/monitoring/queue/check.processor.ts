import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap, Type } from '@nestjs/common';
import { Job, RedisOptions } from 'bullmq';
import { Telemetry } from '../../common/telemetry';
import { AppConfig } from '../../config/app-config';
import { DependencyStatus } from '../../config/dependency-status';
import {
  ApplyFailedError,
  checksOf,
  CheckRunnerService,
  CheckRunOutcome,
} from '../check-runner.service';
import { WATCH_EVERY_MS } from '../dependency-watch.service';
import { isRedisUnavailable } from '../../common/dependency-errors';
import { CheckQueues } from './check-queues';
import {
  CHECK_HOST_JOB,
  CheckJobData,
  CheckQueueName,
  JIT_QUEUE,
  MONITORING_QUEUE,
} from './monitoring.constants';
import { ProbeSlots } from './probe-slots';

/**
 * Worker options of every check queue. Stalled jobs (a worker died mid-check) go back to the
 * queue and are picked up again. A live worker renews its locks every lockDuration / 2; a probe
 * lasts at most PROBE_TIMEOUT_MS, so a dead worker's checks are recovered within about
 * lockDuration + stalledInterval.
 */
export const CHECK_WORKER_OPTIONS = {
  lockDuration: 15000,
  stalledInterval: 5000,
  maxStalledCount: 2,
  // A command that failed for want of Redis is tried again after this (BullMQ's default is
  // 15 s), so work resumes within seconds of Redis coming back.
  runRetryDelay: 2000,
};

/**
 * How long a job holds results it could not write while PostgreSQL is away, before it fails
 * and is retried with backoff (a job that fails for good has its hosts checked again once their
 * lease runs out).
 */
const DATABASE_WAIT_MS = 10 * 60 * 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How many jobs and probes a check worker runs at once in this process. */
interface Capacity {
  /** Jobs taken from the queue at once. */
  jobs: number;
  /** Probes at once (ProbeSlots), across those jobs. */
  probes: number;
}

/**
 * A check queue's worker: dispatches on job name and delegates to CheckRunnerService. A failed
 * probe is a completed job whose result says so; only system faults fail the job (and are
 * retried, with the probed results kept in the job so the retry saves them instead of probing
 * again). A JIT job answers with its one check's outcome, a scheduled job with one per check.
 */
export abstract class CheckWorkerHost extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger: Logger;
  private readonly slots: ProbeSlots;
  private readonly capacity: Capacity;
  private lastError: { message: string; at: number } | null = null;
  /** Jobs this worker runs now, and the checks of theirs not yet over. */
  private activeJobs = 0;
  private heldChecks = 0;

  protected constructor(
    private readonly queueName: CheckQueueName,
    private readonly runner: CheckRunnerService,
    private readonly queues: CheckQueues,
    private readonly telemetry: Telemetry,
    private readonly dependencies: DependencyStatus,
    capacity: Capacity,
  ) {
    super();
    this.logger = new Logger(`CheckWorker:${queueName}`);
    this.capacity = capacity;
    this.slots = new ProbeSlots(capacity.probes);
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.capacity.jobs;
  }

  /** Jobs this worker is running now (shutdown reports them). */
  get jobsInFlight(): number {
    return this.activeJobs;
  }

  async process(job: Job<CheckJobData>): Promise<CheckRunOutcome | CheckRunOutcome[]> {
    if (job.name !== CHECK_HOST_JOB) {
      throw new Error(`Unknown job '${job.name}' on queue '${this.queueName}'`);
    }
    const jobId = job.id as string;
    const scheduled = this.queueName === MONITORING_QUEUE;
    let held = checksOf(jobId, job.data).length;
    this.hold(1, held);
    let data = job.data;
    try {
      for (;;) {
        try {
          const outcomes = await this.runner.runJob(jobId, data, {
            slot: (priority, probe) => this.slots.run(priority, probe),
            rerun: job.attemptsStarted > 1,
            settled: (hostId) => {
              held--;
              this.hold(0, -1);
              if (scheduled) this.queues.released([hostId], jobId);
            },
          });
          return data.checks ? outcomes : outcomes[0];
        } catch (error) {
          if (!(error instanceof ApplyFailedError)) throw error;
          data = { ...data, pending_results: error.pending, applied: error.applied };
          await job.updateData(data).catch(() => undefined);
          // PostgreSQL went away: keep the results until it is back and apply them in this
          // attempt (BullMQ keeps the job's lock meanwhile), rather than spend the job's
          // retries on an outage. Any other fault is retried with backoff.
          if (!(await this.databaseCameBack())) throw error;
        }
      }
    } finally {
      this.hold(-1, -held);
    }
  }

  /**
   * After a failed write: whether PostgreSQL was away and has come back within
   * DATABASE_WAIT_MS (false at once when it is up: the fault was something else).
   */
  private async databaseCameBack(): Promise<boolean> {
    // The watcher pings every second: give it the time to see an outage.
    await sleep(2 * WATCH_EVERY_MS);
    if (this.dependencies.isUp('database')) return false;
    return this.dependencies.waitUntilUp('database', DATABASE_WAIT_MS);
  }

  /**
   * Keeps the checks this process has taken within twice its probe slots: past that it takes
   * no more jobs until some of its checks are over, so that of several worker processes none
   * takes more than its share of the queue while others have nothing to do. It may take as
   * many jobs as it has slots (CHECK_WORKER_OPTIONS' concurrency) while they hold fewer checks,
   * as when slow checks of single-check jobs fill its slots.
   */
  private hold(jobs: number, checks: number): void {
    this.activeJobs += jobs;
    this.heldChecks += checks;
    const full = this.heldChecks >= 2 * this.capacity.probes;
    const concurrency = full ? Math.max(1, this.activeJobs) : this.capacity.jobs;
    if (this.worker && this.worker.concurrency !== concurrency) {
      this.worker.concurrency = concurrency;
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<CheckJobData> | undefined, error: Error): void {
    if (!job) {
      this.logger.warn(`A check job failed: ${error.message}`);
      return;
    }
    const checks = checksOf(job.id as string, job.data);
    const what = checks.length === 1 ? `host ${checks[0].hostId}` : `${checks.length} hosts`;
    this.logger.warn({
      message: `Check of ${what} (task ${job.id}, attempt ${job.attemptsMade}) failed: ${error.message}`,
      task_id: job.id,
      host_id: checks.length === 1 ? checks[0].hostId : undefined,
      attempt: job.attemptsMade,
    });
    const forGood = job.attemptsMade >= (job.opts.attempts ?? 1);
    (forGood ? this.telemetry.jobsFailed : this.telemetry.jobsRetried).inc({
      queue: this.queueName,
    });
    // Failed for good: its hosts may be queued again (they come due again after the lease).
    if (this.queueName === MONITORING_QUEUE && forGood) {
      this.queues.released(
        checks.map((c) => c.hostId),
        job.id as string,
      );
    }
  }

  /** A job whose worker stopped renewing its lock (it died or hung), taken back by this one. */
  @OnWorkerEvent('stalled')
  onStalled(jobId: string): void {
    this.telemetry.jobsStalled.inc({ queue: this.queueName });
    this.logger.warn({
      message: `Check job ${jobId} on queue '${this.queueName}' stalled; it runs again`,
      task_id: jobId,
      queue: this.queueName,
    });
  }

  /**
   * Faults outside a job's own run: Redis unreachable, or a job removed while it ran (a queue
   * cleared under a running worker). Redis going away is DependencyStatus' to log, once for
   * the outage; anything else once a minute per kind of message (job ids left out, so a
   * cleared queue is one line, not one per job). BullMQ retries the connection by itself, and
   * a lost job's hosts come due again after their lease.
   */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    if (isRedisUnavailable(error)) {
      this.dependencies.down('redis', error.message);
      return;
    }
    const kind = error.message.replace(/job \S+/gi, 'job …');
    const now = Date.now();
    const last = this.lastError;
    if (last && last.message === kind && now - last.at < 60_000) return;
    this.lastError = { message: kind, at: now };
    this.logger.warn(`Worker on queue '${this.queueName}': ${error.message}`);
  }
}

/**
 * The worker class of one check queue. Both queues run the same jobs the same way; they
 * differ in their name and in how much of the process they may use.
 */
function checkProcessor(
  queueName: CheckQueueName,
  capacity: (config: AppConfig) => Capacity,
): (connection: RedisOptions) => Type<CheckWorkerHost> {
  return (connection) => {
    const built = WORKER_CLASSES.get(queueName);
    if (built) return built;
    // A connection of its own, not the queue's fail-fast one: a worker waits for Redis.
    @Processor(queueName, { ...CHECK_WORKER_OPTIONS, connection })
    class CheckProcessor extends CheckWorkerHost {
      constructor(
        runner: CheckRunnerService,
        queues: CheckQueues,
        telemetry: Telemetry,
        dependencies: DependencyStatus,
        config: AppConfig,
      ) {
        super(queueName, runner, queues, telemetry, dependencies, capacity(config));
      }
    }
    WORKER_CLASSES.set(queueName, CheckProcessor);
    return CheckProcessor;
  };
}

/** The worker class of each check queue, built once per process for its connection. */
const WORKER_CLASSES = new Map<CheckQueueName, Type<CheckWorkerHost>>();

/**
 * The worker class this process built for a queue (null when it runs no worker on it), so
 * readiness and shutdown can find the running worker.
 */
export function checkWorkerClass(queueName: CheckQueueName): Type<CheckWorkerHost> | null {
  return WORKER_CLASSES.get(queueName) ?? null;
}

/**
 * Scheduled checks: WORKER_CONCURRENCY probes per worker process. As many jobs may be taken,
 * so that a job waiting on its slowest check (a timeout) never leaves probe slots idle while
 * others wait; the checks of jobs taken beyond the free slots wait for one, most urgent first.
 */
export const scheduledCheckProcessor = checkProcessor(MONITORING_QUEUE, (config) => ({
  jobs: config.workerConcurrency,
  probes: config.workerConcurrency,
}));

/**
 * Just-in-time checks: JIT_CONCURRENCY slots per worker process, apart from the scheduled
 * checks' slots, so a JIT check starts at once even while every scheduled slot is busy.
 */
export const jitCheckProcessor = checkProcessor(JIT_QUEUE, (config) => ({
  jobs: config.jitConcurrency,
  probes: config.jitConcurrency,
}));
