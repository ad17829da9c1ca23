import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import { Observable, Subject, takeUntil } from 'rxjs';
import { isRedisUnavailable } from '../common/dependency-errors';
import type { CheckRunOutcome } from '../monitoring/check-runner.service';
import type { CheckOutcomeDto } from '../monitoring/dto/check-outcome.dto';
import { CheckQueues } from '../monitoring/queue/check-queues';
import { CHECK_QUEUES } from '../monitoring/queue/monitoring.constants';
import type { CheckEventDto, HostwatchEvent, TransitionEventDto } from './dto/event.dto';

/** The events one applied check produces: its result, then its transition if it made one. */
export function eventsForOutcome(outcome: CheckOutcomeDto): HostwatchEvent[] {
  const check: CheckEventDto = { type: 'check', outcome };
  if (!outcome.state_changed) return [check];
  const transition: TransitionEventDto = {
    type: 'transition',
    host_id: outcome.host_id,
    hostname: outcome.hostname,
    from: outcome.previous_state,
    to: outcome.new_state,
    at: outcome.checked_at,
    task_id: outcome.task_id,
  };
  return [check, transition];
}

/**
 * Reads a job's return value as the processor wrote it: the applied outcomes among a
 * scheduled job's checks, or a JIT job's one outcome (an applied result or a skip).
 */
export function appliedOutcomes(returnvalue: unknown): CheckOutcomeDto[] {
  let value = returnvalue;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return [];
    }
  }
  const runs = (Array.isArray(value) ? value : [value]) as Array<CheckRunOutcome | null>;
  return runs.flatMap((run) =>
    run && typeof run === 'object' && run.status === 'applied' && run.outcome ? [run.outcome] : [],
  );
}

/**
 * Check results and state transitions as they are applied, from any worker: one BullMQ
 * QueueEvents subscription per check queue (scheduled and JIT) per API process (Redis
 * streams), opened with the first listener and closed with the last, fanned out to every open
 * /api/events stream.
 */
@Injectable()
export class EventsService implements OnModuleDestroy {
  private readonly logger = new Logger(EventsService.name);
  private readonly subject = new Subject<HostwatchEvent>();
  private readonly closing = new Subject<void>();
  private attached: Promise<QueueEvents[]> | null = null;
  private listeners = 0;

  /** Emits when every open stream should end (shutdown), so clients reconnect elsewhere. */
  readonly closing$ = this.closing.asObservable();

  /** Open streams in this process. */
  get listenerCount(): number {
    return this.listeners;
  }

  constructor(private readonly queues: CheckQueues) {}

  /** Every event from now on; the subscription to Redis lives as long as someone listens. */
  stream(): Observable<HostwatchEvent> {
    return new Observable<HostwatchEvent>((subscriber) => {
      const sub = this.subject.pipe(takeUntil(this.closing)).subscribe(subscriber);
      this.listeners += 1;
      void this.open();
      return () => {
        sub.unsubscribe();
        this.listeners -= 1;
        if (this.listeners === 0) void this.close();
      };
    });
  }

  /** Resolves once the Redis subscription is listening (specs wait on it before acting). */
  async ready(): Promise<void> {
    await Promise.all((await this.open()).map((events) => events.waitUntilReady()));
  }

  /** Publishes an applied outcome to this process's listeners. */
  publish(outcome: CheckOutcomeDto): void {
    for (const event of eventsForOutcome(outcome)) this.subject.next(event);
  }

  /** Ends every open stream; the console reconnects by itself (and re-reads what it shows). */
  disconnectAll(): void {
    this.closing.next();
  }

  async onModuleDestroy(): Promise<void> {
    this.disconnectAll();
    this.subject.complete();
    await this.close();
  }

  /**
   * Listens on both queues' event streams (shared with CheckQueues' other users, and kept
   * open by it): each completed job's applied outcomes are published here.
   */
  private open(): Promise<QueueEvents[]> {
    this.attached ??= Promise.all(
      CHECK_QUEUES.map(async (name) => {
        const events = await this.queues.queueEvents(name);
        events.on('completed', this.onCompleted);
        events.on('error', this.onError);
        return events;
      }),
    ).catch((error: unknown) => {
      this.attached = null;
      this.logger.warn(`Live events: Redis subscription failed: ${(error as Error).message}`);
      return [];
    });
    return this.attached;
  }

  private async close(): Promise<void> {
    const attached = this.attached;
    this.attached = null;
    for (const events of (await attached) ?? []) {
      events.off('completed', this.onCompleted);
      events.off('error', this.onError);
    }
  }

  private readonly onCompleted = ({ returnvalue }: { returnvalue: unknown }): void => {
    for (const outcome of appliedOutcomes(returnvalue)) this.publish(outcome);
  };

  private readonly onError = (error: Error): void => {
    // Redis away is DependencyStatus' to log, once for the outage; the stream resumes.
    if (isRedisUnavailable(error)) return;
    this.logger.warn(`Live events: Redis subscription failed: ${error.message}`);
  };
}
