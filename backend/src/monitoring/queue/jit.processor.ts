import { Processor } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { CheckRunnerService } from '../check-runner.service';
import { JIT_QUEUE } from './monitoring.constants';
import { CHECK_WORKER_OPTIONS, CheckWorkerHost } from './monitoring.processor';

/**
 * Just-in-time checks: JIT_CONCURRENCY slots per worker process, apart from the scheduled
 * checks' slots, so a JIT check starts at once even while every scheduled slot is busy.
 */
@Processor(JIT_QUEUE, CHECK_WORKER_OPTIONS)
export class JitCheckProcessor extends CheckWorkerHost {
  protected readonly queueName = JIT_QUEUE;
  protected readonly logger = new Logger(JitCheckProcessor.name);

  constructor(runner: CheckRunnerService, config: AppConfig) {
    super(runner, config);
  }

  protected concurrency(): number {
    return this.config.jitConcurrency;
  }
}
