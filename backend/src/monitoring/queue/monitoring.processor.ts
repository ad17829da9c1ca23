import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { ApplyFailedError, CheckRunnerService, CheckRunOutcome } from '../check-runner.service';
import { CHECK_HOST_JOB, CheckHostJobData, MONITORING_QUEUE } from './monitoring.constants';

/**
 * The monitoring queue's worker: dispatches on job name and delegates. A failed probe is a
 * completed job whose result says so; only system faults fail the job (and are retried).
 */
@Processor(MONITORING_QUEUE, {
  // Stalled jobs (a worker died mid-check) go back to the queue and are picked up again. A
  // live worker renews its lock every lockDuration / 2; a probe lasts at most PROBE_TIMEOUT_MS,
  // so a dead worker's check is recovered within about lockDuration + stalledInterval.
  lockDuration: 15000,
  stalledInterval: 5000,
  maxStalledCount: 2,
})
export class CheckProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(CheckProcessor.name);

  constructor(
    private readonly runner: CheckRunnerService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.workerConcurrency;
  }

  async process(job: Job<CheckHostJobData>): Promise<CheckRunOutcome> {
    switch (job.name) {
      case CHECK_HOST_JOB:
        try {
          return await this.runner.run(job.id as string, job.data);
        } catch (error) {
          if (error instanceof ApplyFailedError) {
            // Keep the probe's result so the retry saves it instead of probing again.
            await job
              .updateData({ ...job.data, pending_result: error.pending })
              .catch(() => undefined);
          }
          throw error;
        }
      default:
        throw new Error(`Unknown job '${job.name}' on queue '${MONITORING_QUEUE}'`);
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<CheckHostJobData> | undefined, error: Error): void {
    const where = job
      ? `host ${job.data.host_id} (task ${job.id}, attempt ${job.attemptsMade})`
      : 'a job';
    this.logger.warn(`Check of ${where} failed: ${error.message}`);
  }
}
