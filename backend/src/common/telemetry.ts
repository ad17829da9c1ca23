import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The figures this process counts as it works, in one Prometheus registry per application:
 * checks, probe durations, schedule lateness, apply latency, job retries and stalls, HTTP
 * requests, notification deliveries, and the standard process metrics (`process_*`,
 * `nodejs_*`). Monitoring, notifications and the HTTP layer record into it; the metrics module
 * adds the figures read at scrape time (hosts per state, queue depth, SSE clients) and serves
 * it. It sits in common/ so that every layer can record without importing the one above.
 *
 * Each process counts only its own work; see docs/operations.md, "Metrics", for how figures of
 * several processes add up.
 */
export class Telemetry {
  readonly registry = new Registry();

  /** Applied checks; `result` is success or failure, `error_type` empty on success. */
  readonly checks = new Counter({
    name: 'hostwatch_checks_total',
    help: 'Checks applied, by who asked for them, result and error type',
    labelNames: ['checked_by', 'result', 'error_type'] as const,
    registers: [this.registry],
  });

  /** Probe duration by the stage where the probe ended (failed, or the last it completed). */
  readonly probeDuration = new Histogram({
    name: 'hostwatch_probe_duration_seconds',
    help: 'SSH probe duration, by the stage where the probe ended',
    labelNames: ['stage'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  /** Scheduled checks: when the probe started minus when the check was due. */
  readonly scheduleLateness = new Histogram({
    name: 'hostwatch_schedule_lateness_seconds',
    help: 'How late a scheduled check started: actual minus planned start',
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
    registers: [this.registry],
  });

  /** From handing a result to the apply path to its being committed (group commit included). */
  readonly applyDuration = new Histogram({
    name: 'hostwatch_apply_duration_seconds',
    help: 'Time to apply one check result to the database, batching wait included',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly jobsRetried = new Counter({
    name: 'hostwatch_jobs_retried_total',
    help: 'Check jobs that failed on a system fault and were queued for another attempt',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  readonly jobsFailed = new Counter({
    name: 'hostwatch_jobs_failed_total',
    help: 'Check jobs that failed for good, their attempts used up',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  readonly jobsStalled = new Counter({
    name: 'hostwatch_jobs_stalled_total',
    help: 'Check jobs found stalled (their worker stopped renewing the lock) and taken back',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  /** `route` is the route's pattern (`/api/hosts/:id`), never the raw path. */
  readonly httpRequests = new Counter({
    name: 'hostwatch_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'hostwatch_http_request_duration_seconds',
    help: 'HTTP request duration, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 30],
    registers: [this.registry],
  });

  /** `result`: delivered, retrying (an attempt failed, another follows) or failed (given up). */
  readonly deliveries = new Counter({
    name: 'hostwatch_notification_deliveries_total',
    help: 'Notification delivery attempts, by channel type and result',
    labelNames: ['channel_type', 'result'] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }
}
