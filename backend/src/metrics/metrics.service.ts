import { Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { Telemetry } from '../common/telemetry';
import { AppConfig } from '../config/app-config';
import { DEPENDENCIES, DependencyStatus } from '../config/dependency-status';
import { EventsService } from '../events/events.service';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { CheckQueues } from '../monitoring/queue/check-queues';
import { CHECK_QUEUES, JIT_QUEUE } from '../monitoring/queue/monitoring.constants';
import { fromQueuePriority, MONITORING_STATES } from '../state-machine';

/**
 * What GET /metrics answers: the process's own counters (Telemetry) and, in processes with the
 * api role, the fleet's figures read at scrape time from Postgres and Redis: hosts per state,
 * unreachable and flapping hosts, queued jobs, and this process's SSE clients. The fleet's
 * figures are the same whichever API process is scraped (see docs/operations.md, "Metrics").
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  constructor(
    private readonly telemetry: Telemetry,
    private readonly config: AppConfig,
    private readonly status: HostStatusRepository,
    private readonly queues: CheckQueues,
    private readonly events: EventsService,
    private readonly dependencies: DependencyStatus,
  ) {}

  get contentType(): string {
    return this.telemetry.registry.contentType;
  }

  render(): Promise<string> {
    return this.telemetry.registry.metrics();
  }

  onModuleInit(): void {
    this.registerOutageGauges();
    if (this.config.hasRole('api')) this.registerFleetGauges();
  }

  /** Outages of Redis and PostgreSQL as this process lived them (DependencyStatus). */
  private registerOutageGauges(): void {
    const registers = [this.telemetry.registry];
    const dependencies = this.dependencies;
    new Gauge({
      name: 'hostwatch_dependency_outages',
      help: 'Outages of each dependency this process has seen since it started',
      labelNames: ['dependency'] as const,
      registers,
      collect() {
        for (const dependency of DEPENDENCIES) {
          this.set({ dependency }, dependencies.state(dependency).outages);
        }
      },
    });
    new Gauge({
      name: 'hostwatch_dependency_down_seconds',
      help: 'Seconds each dependency has been down since this process started, the current outage included',
      labelNames: ['dependency'] as const,
      registers,
      collect() {
        for (const dependency of DEPENDENCIES) {
          this.set({ dependency }, dependencies.state(dependency).downSeconds);
        }
      },
    });
  }

  private registerFleetGauges(): void {
    const registers = [this.telemetry.registry];
    // Every gauge below is collected at once when a scrape starts: they share one read of
    // Postgres and one of Redis per scrape.
    const database = shared(() => this.status.countsForMetrics());
    const redis = shared(() => this.queues.counts());
    const events = this.events;
    new Gauge({
      name: 'hostwatch_hosts',
      help: 'Hosts per monitoring state (read from Postgres at scrape time)',
      labelNames: ['state'] as const,
      registers,
      async collect() {
        this.reset();
        const rows = await database().catch(() => null);
        if (!rows) return; // no figure rather than a stale one while Postgres is down
        const byState = new Map(rows.map((r) => [r.state, r.hosts]));
        for (const state of MONITORING_STATES) this.set({ state }, byState.get(state) ?? 0);
      },
    });
    new Gauge({
      name: 'hostwatch_hosts_unreachable',
      help: 'Hosts behind a failed parent or jump host (their problems are held)',
      registers,
      async collect() {
        this.reset();
        const rows = await database().catch(() => null);
        if (rows) this.set(rows.reduce((n, r) => n + r.unreachable, 0));
      },
    });
    new Gauge({
      name: 'hostwatch_hosts_flapping',
      help: 'Hosts whose state changes too often (their problems are held)',
      registers,
      async collect() {
        this.reset();
        const rows = await database().catch(() => null);
        if (rows) this.set(rows.reduce((n, r) => n + r.flapping, 0));
      },
    });
    new Gauge({
      name: 'hostwatch_queue_jobs',
      help:
        'Check jobs per queue, priority and status (read from Redis at scrape time). Waiting ' +
        'jobs are counted per priority (0-9, or jit); active, delayed and failed ones under ' +
        'priority="all". A scheduled job carries up to SCHEDULER_CHECKS_PER_JOB checks.',
      labelNames: ['queue', 'priority', 'status'] as const,
      registers,
      async collect() {
        this.reset();
        const read = await redis().catch(() => null);
        if (!read) return;
        CHECK_QUEUES.forEach((queue, i) => {
          const waiting: Record<string, number> = {};
          for (const [queuePriority, n] of Object.entries(read.perPriority[i] ?? {})) {
            const { apiPriority, kind } = fromQueuePriority(Number(queuePriority));
            // Each queue holds jobs of one kind: JIT jobs all have the JIT priority.
            if ((kind === 'jit') !== (queue === JIT_QUEUE)) continue;
            const priority = kind === 'jit' ? 'jit' : String(apiPriority);
            waiting[priority] = (waiting[priority] ?? 0) + n;
          }
          for (const [priority, n] of Object.entries(waiting)) {
            this.set({ queue, priority, status: 'waiting' }, n);
          }
          for (const state of ['active', 'delayed', 'failed'] as const) {
            this.set({ queue, priority: 'all', status: state }, read.counts[i]?.[state] ?? 0);
          }
        });
      },
    });
    new Gauge({
      name: 'hostwatch_dependency_up',
      help: 'Whether this scrape could read its figures from the dependency (1) or not (0)',
      labelNames: ['dependency'] as const,
      registers,
      async collect() {
        const [db, queue] = await Promise.all([
          database().then(
            () => 1,
            () => 0,
          ),
          redis().then(
            () => 1,
            () => 0,
          ),
        ]);
        this.set({ dependency: 'database' }, db);
        this.set({ dependency: 'redis' }, queue);
      },
    });
    new Gauge({
      name: 'hostwatch_sse_clients',
      help: 'Open live-event streams (GET /api/events) on this process',
      registers,
      collect() {
        this.set(events.listenerCount);
      },
    });
  }
}

/** One read shared by every caller while it is in flight (the gauges of one scrape). */
function shared<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => {
    if (!inFlight) {
      const started = read();
      inFlight = started;
      // Cleared once settled, so that the next scrape reads afresh.
      void started.then(
        () => (inFlight = null),
        () => (inFlight = null),
      );
    }
    return inFlight;
  };
}
