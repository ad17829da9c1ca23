import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ClaimedCheck, HostStatusRepository } from '../hosts/host-status.repository';
import { CheckQueues, ScheduledJob } from '../monitoring/queue/check-queues';
import { scheduledTaskId } from '../monitoring/queue/monitoring.constants';

/**
 * Groups claimed hosts into jobs, in claim (urgency) order: hosts of one priority share a job,
 * up to `checksPerJob`. A job's id is its first check's task id. A job finishes with its
 * slowest check, but its other checks' results are applied as each finishes, and a worker takes
 * more jobs than it has probe slots (see scheduledCheckProcessor), so a slow host holds up no
 * other check.
 */
export function jobsFor(claims: readonly ClaimedCheck[], checksPerJob: number): ScheduledJob[] {
  const jobs: ScheduledJob[] = [];
  const open = new Map<number, ScheduledJob>();
  for (const claim of claims) {
    const check = {
      task_id: scheduledTaskId(claim.hostId, claim.dueAt),
      host_id: claim.hostId,
      target: targetOf(claim),
    };
    const job = open.get(claim.priority);
    if (job && job.checks.length < checksPerJob) {
      job.checks.push(check);
      continue;
    }
    const created: ScheduledJob = {
      jobId: check.task_id,
      priority: claim.priority,
      checks: [check],
    };
    jobs.push(created);
    open.set(claim.priority, created);
  }
  return jobs;
}

/** The claim without what only the producer needs. */
function targetOf(claim: ClaimedCheck) {
  const { priority: _priority, dueAt: _dueAt, ...target } = claim;
  return target;
}

export interface ProduceReport {
  /** Hosts claimed. */
  claimed: number;
  /** Checks queued: the claimed hosts whose earlier check was not still queued. */
  queued: number;
}

/**
 * The producer: claims due hosts in Postgres and queues their checks, with what each check
 * needs to know of its host, so a worker reads nothing before it probes.
 */
@Injectable()
export class DueChecksProducer {
  constructor(
    private readonly status: HostStatusRepository,
    private readonly queues: CheckQueues,
    private readonly config: AppConfig,
  ) {}

  /**
   * At most one batch (SCHEDULER_BATCH_SIZE, most urgent first): a backlog drains over the
   * following ticks while the queue keeps the most urgent work at its head. Claimed hosts whose
   * jobs cannot be queued (Redis away) come due again when their lease runs out.
   */
  async produce(now: Date): Promise<ProduceReport> {
    const claims = await this.status.claimDue(
      now,
      this.config.schedulerLeaseSeconds,
      this.config.schedulerBatchSize,
    );
    if (claims.length === 0) return { claimed: 0, queued: 0 };
    const queued = await this.queues.addScheduled(
      jobsFor(claims, this.config.schedulerChecksPerJob),
      now,
    );
    return { claimed: claims.length, queued };
  }
}
