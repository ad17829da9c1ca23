import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { MONITORING_QUEUE } from '../monitoring/queue/monitoring.constants';

const PROBE_TIMEOUT_MS = 2000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(MONITORING_QUEUE) private readonly queue: Queue,
  ) {}

  async check(): Promise<{ status: string; database: string; redis: string }> {
    const [db, redis] = await Promise.all([
      within(this.dataSource.query('SELECT 1'), PROBE_TIMEOUT_MS).then(
        () => 'up',
        () => 'down',
      ),
      // Any queue read is a round trip to Redis.
      within(this.queue.getJobCounts('active'), PROBE_TIMEOUT_MS).then(
        () => 'up',
        () => 'down',
      ),
    ]);
    return { status: db === 'up' && redis === 'up' ? 'ok' : 'unavailable', database: db, redis };
  }
}
