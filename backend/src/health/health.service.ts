import { Injectable, Logger, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { DEPENDENCIES, DependencyStatus, type Dependency } from '../config/dependency-status';
import { CheckWorkerHost, checkWorkerClass } from '../monitoring/queue/check.processor';
import { CheckQueues } from '../monitoring/queue/check-queues';
import {
  JIT_QUEUE,
  MONITORING_QUEUE,
  type CheckQueueName,
} from '../monitoring/queue/monitoring.constants';
import { SchedulerService } from '../scheduler/scheduler.service';
import { eventLoopStatus, migrationsStatus, type ComponentStatus } from './readiness';

const PROBE_TIMEOUT_MS = 2000;
/** A process whose event loop lags this much behind a timer is not live. */
const EVENT_LOOP_LIMIT_MS = 5000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The lag of one timer turn of the event loop. */
function eventLoopLag(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => setTimeout(() => resolve(performance.now() - started), 0));
}

/**
 * /health (database and Redis, kept as it was), /health/live (this process and its event loop
 * answer) and /health/ready (database reachable with every migration applied, Redis reachable,
 * and each role this process runs up). Readiness goes down as soon as shutdown starts.
 */
@Injectable()
export class HealthService {
  private readonly logger = new Logger('Health');
  private shuttingDown = false;
  /** The components down at the last readiness check, to log changes once. */
  private lastDown = '';
  /** Whether the log last said this process is not ready (so it says when it is again). */
  private saidNotReady = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: CheckQueues,
    private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
    private readonly terminus: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly dependencies: DependencyStatus,
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

  /** From now on, readiness answers 503 (shutdown has begun). */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  live(): Promise<HealthCheckResult> {
    return this.terminus.check([
      async () =>
        this.result('event_loop', eventLoopStatus(await eventLoopLag(), EVENT_LOOP_LIMIT_MS)),
    ]);
  }

  async ready(): Promise<HealthCheckResult> {
    const checks = [
      () =>
        this.result(
          'shutdown',
          this.shuttingDown ? { status: 'down', message: 'shutting down' } : { status: 'up' },
        ),
      async () => this.result('database', await this.database()),
      async () => this.result('migrations', await this.migrations()),
      async () => this.result('redis', await this.redis()),
      ...[...this.config.roles].map((role) => () => this.result(role, this.role(role))),
    ];
    try {
      const result = await this.terminus.check(checks);
      this.noteDown([]);
      return result;
    } catch (error) {
      const body = (error as { response?: HealthCheckResult }).response;
      this.noteDown(Object.keys(body?.error ?? {}), body);
      throw error;
    }
  }

  private result(key: string, status: ComponentStatus) {
    const session = this.indicator.check(key);
    const { status: state, ...details } = status;
    return state === 'up' ? session.up(details) : session.down(details);
  }

  private async database(): Promise<ComponentStatus> {
    try {
      await within(this.dataSource.query('SELECT 1'), PROBE_TIMEOUT_MS);
      return { status: 'up' };
    } catch (error) {
      return { status: 'down', message: `PostgreSQL: ${(error as Error).message}` };
    }
  }

  private async migrations(): Promise<ComponentStatus> {
    try {
      const rows: { name: string }[] = await within(
        this.dataSource.query('SELECT name FROM migrations'),
        PROBE_TIMEOUT_MS,
      );
      return migrationsStatus(
        this.dataSource.migrations.map((m) => m.name ?? m.constructor.name),
        rows.map((r) => r.name),
      );
    } catch (error) {
      return {
        status: 'down',
        message: `cannot read the migrations table: ${(error as Error).message}`,
      };
    }
  }

  private async redis(): Promise<ComponentStatus> {
    try {
      await within(this.queues.ping(), PROBE_TIMEOUT_MS);
      return { status: 'up' };
    } catch (error) {
      return { status: 'down', message: `Redis: ${(error as Error).message}` };
    }
  }

  /** Each role of this process: the API answers (this request), the producer ticks, workers run. */
  private role(role: string): ComponentStatus {
    if (role === 'api') return { status: 'up' };
    if (role === 'scheduler') {
      const scheduler = this.find(SchedulerService);
      if (!scheduler) return { status: 'down', message: 'the producer is not loaded' };
      const { running, lastError } = scheduler.status();
      if (!running) return { status: 'down', message: 'the producer is stopped' };
      if (lastError)
        return { status: 'down', message: `the producer's last tick failed: ${lastError}` };
      return { status: 'up' };
    }
    const queues: CheckQueueName[] =
      role !== 'worker'
        ? [JIT_QUEUE]
        : this.config.jitConcurrency > 0
          ? [MONITORING_QUEUE, JIT_QUEUE]
          : [MONITORING_QUEUE];
    const stopped = queues
      .filter((queue) => {
        const type = checkWorkerClass(queue);
        return !type || !this.find<CheckWorkerHost>(type)?.worker?.isRunning();
      })
      .map(([queue]) => queue);
    return stopped.length === 0
      ? { status: 'up' }
      : { status: 'down', message: `no worker runs on queue ${stopped.join(', ')}` };
  }

  private find<T>(type: Type<T>): T | undefined {
    try {
      return this.moduleRef.get(type, { strict: false });
    } catch {
      return undefined;
    }
  }

  /**
   * One log line per change of readiness. A dependency whose outage DependencyStatus has
   * already logged (Redis or PostgreSQL away) is not said again here, so an outage stays one
   * line going and one coming back.
   */
  private noteDown(down: string[], body?: HealthCheckResult): void {
    const key = down.join(',');
    if (key === this.lastDown) return;
    this.lastDown = key;
    const news = down.filter((name) => !(isDependency(name) && !this.dependencies.isUp(name)));
    if (down.length === 0) {
      if (this.saidNotReady) this.logger.log('Ready');
      this.saidNotReady = false;
      return;
    }
    if (news.length === 0) return;
    this.saidNotReady = true;
    const why = news
      .map((name) => `${name}: ${(body?.error?.[name] as { message?: string })?.message ?? 'down'}`)
      .join('; ');
    this.logger.warn(`Not ready: ${why}`);
  }
}

function isDependency(name: string): name is Dependency {
  return (DEPENDENCIES as readonly string[]).includes(name);
}
