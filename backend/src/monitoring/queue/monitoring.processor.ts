import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { ApplyFailedError, CheckRunnerService, CheckRunOutcome } from '../check-runner.service';
import { CHECK_HOST_JOB, CheckHostJobData, MONITORING_QUEUE } from './monitoring.constants';

/**
 * Worker options of every check queue. Stalled jobs (a worker died mid-check) go back to the
 * queue and are picked up again. A live worker renews its lock every lockDuration / 2; a probe
 * lasts at most PROBE_TIMEOUT_MS, so a dead worker's check is recovered within about
 * lockDuration + stalledInterval.
 */
export const CHECK_WORKER_OPTIONS = {
  lockDuration: 15000,
  stalledInterval: 5000,
  maxStalledCount: 2,
};

/**
 * A check queue's worker: dispatches on job name and delegates. A failed probe is a completed
 * job whose result says so; only system faults fail the job (and are retried, with the probe's
 * result kept in `pending_result` so the retry saves it instead of probing again).
 */
export abstract class CheckWorkerHost extends WorkerHost implements OnApplicationBootstrap {
  protected abstract readonly queueName: string;
  protected abstract readonly logger: Logger;

  constructor(
    private readonly runner: CheckRunnerService,
    protected readonly config: AppConfig,
  ) {
    super();
  }

  /** Job slots of this worker in this process. */
  protected abstract concurrency(): number;

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.concurrency();
  }

  async process(job: Job<CheckHostJobData>): Promise<CheckRunOutcome> {
    switch (job.name) {
      case CHECK_HOST_JOB:
        try {
          return await this.runner.run(job.id as string, job.data);
        } catch (error) {
          if (error instanceof ApplyFailedError) {
            await job
              .updateData({ ...job.data, pending_result: error.pending })
              .catch(() => undefined);
          }
          throw error;
        }
      default:
        throw new Error(`Unknown job '${job.name}' on queue '${this.queueName}'`);
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<CheckHostJobData> | undefined, error: Error): void {
    const where = job
      ? `host ${job.data.host_id} (task ${job.id}, attempt ${job.attemptsMade})`
      : 'a job';
    this.logger.warn(`Check of ${where} failed: ${error.message}`);
  }

  private lastError: { message: string; at: number } | null = null;

  /**
   * Faults outside a job's own run: Redis unreachable, or a job removed while it ran (a queue
   * cleared under a running worker). Logged once a minute per distinct message; BullMQ retries
   * the connection by itself, and a lost job's host comes due again after its lease.
   */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    const now = Date.now();
    const last = this.lastError;
    if (last && last.message === error.message && now - last.at < 60_000) return;
    this.lastError = { message: error.message, at: now };
    this.logger.warn(`Worker on queue '${this.queueName}': ${error.message}`);
  }
}

/** Scheduled checks: WORKER_CONCURRENCY slots per worker process. */
@Processor(MONITORING_QUEUE, CHECK_WORKER_OPTIONS)
export class CheckProcessor extends CheckWorkerHost {
  protected readonly queueName = MONITORING_QUEUE;
  protected readonly logger = new Logger(CheckProcessor.name);

  constructor(runner: CheckRunnerService, config: AppConfig) {
    super(runner, config);
  }

  protected concurrency(): number {
    return this.config.workerConcurrency;
  }
}
