import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CheckQueues } from '../monitoring/queue/check-queues';

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
    private readonly queues: CheckQueues,
  ) {}

  async check(): Promise<{ status: string; database: string; redis: string }> {
    const [db, redis] = await Promise.all([
      within(this.dataSource.query('SELECT 1'), PROBE_TIMEOUT_MS).then(
        () => 'up',
        () => 'down',
      ),
      within(this.queues.ping(), PROBE_TIMEOUT_MS).then(
        () => 'up',
        () => 'down',
      ),
    ]);
    return { status: db === 'up' && redis === 'up' ? 'ok' : 'unavailable', database: db, redis };
  }
}
