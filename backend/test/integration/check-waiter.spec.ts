import { randomUUID } from 'node:crypto';
import { Job, Queue, QueueEvents, Worker } from 'bullmq';
import { CheckJob, CheckQueues } from '../../src/monitoring/queue/check-queues';
import { CheckWaiter } from '../../src/monitoring/queue/check-waiter';
import {
  CHECK_HOST_JOB,
  CheckJobData,
  CheckQueueName,
  JIT_QUEUE,
  jitJobId,
  MONITORING_QUEUE,
} from '../../src/monitoring/queue/monitoring.constants';
import { SystemClock } from '../../src/common/clock';
import { loadConfig } from '../../src/config/app-config';
import { DependencyStatus } from '../../src/config/dependency-status';
import { redisOptions } from '../../src/config/redis-connection';
import { testQueuePrefix, testRedisUrl } from '../support/test-env';

const prefix = testQueuePrefix();
const connection = redisOptions(testRedisUrl());

/**
 * A waiter whose event streams never deliver anything: what a wait sees when the completion
 * event falls in the moment a fresh stream starts reading (it reads from "now"), or while it
 * reconnects. The wait must still end with the job's result.
 */
class DeafWaiter extends CheckWaiter {
  readonly opened: QueueEvents[] = [];

  protected override async queueEvents(name: CheckQueueName): Promise<QueueEvents> {
    const events = new QueueEvents(name, {
      connection,
      prefix,
      autorun: false,
    });
    this.opened.push(events);
    await events.waitUntilReady();
    return events;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.opened.map((e) => e.close()));
  }
}

describe('CheckWaiter', () => {
  const scheduled = new Queue<CheckJobData>(MONITORING_QUEUE, { connection, prefix });
  const jit = new Queue<CheckJobData>(JIT_QUEUE, { connection, prefix });
  const queues = new CheckQueues(
    scheduled,
    jit,
    loadConfig({ REDIS_URL: testRedisUrl() }),
    new DependencyStatus(new SystemClock()),
  );
  const waiter = new DeafWaiter(queues);
  const workers: Worker[] = [];

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await waiter.onModuleDestroy();
    await jit.obliterate({ force: true });
    await scheduled.obliterate({ force: true });
    await Promise.all([jit.close(), scheduled.close()]);
  });

  const queueJit = async (): Promise<CheckJob> => {
    const added = await jit.add(
      CHECK_HOST_JOB,
      {
        host_id: randomUUID(),
        checked_by: 'jit',
        priority: 1,
        queued_at: new Date().toISOString(),
      },
      { jobId: jitJobId(randomUUID()) },
    );
    return (await waiter.find(added.id!))!;
  };

  const runJobs = (process: (job: Job<CheckJobData>) => Promise<unknown>): void => {
    workers.push(new Worker<CheckJobData>(JIT_QUEUE, process, { connection, prefix }));
  };

  it('answers with the result of a job that finishes while the wait runs, with no event', async () => {
    const job = await queueJit();
    const waiting = waiter.waitFor(job, 20_000);
    // The job is still waiting when the wait begins; it finishes a moment later.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const skipped = { status: 'skipped', reason: 'host deleted' };
    runJobs(async () => skipped);

    // Without an event, only the wait's own look at the job can see it finish.
    expect(await waiting).toEqual({ kind: 'finished', outcome: skipped });
    expect(await waiter.state(job)).toBe('completed');
  });

  it('answers timeout when the job does not finish within the limit', async () => {
    await workers.pop()?.close();
    const job = await queueJit();
    const started = Date.now();
    expect(await waiter.waitFor(job, 1_500)).toEqual({ kind: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(await waiter.state(job)).toBe('queued');
  });

  it('answers gone for a job removed from its queue while the wait runs', async () => {
    const job = await queueJit();
    const waiting = waiter.waitFor(job, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await job.remove();
    expect(await waiting).toEqual({ kind: 'gone' });
  });

  it('answers with the reason of a job that failed', async () => {
    runJobs(async () => {
      throw new Error('database unreachable');
    });
    const job = await queueJit();
    expect(await waiter.waitFor(job, 20_000)).toEqual({
      kind: 'failed',
      reason: 'database unreachable',
    });
  });
});
