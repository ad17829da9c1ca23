import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Queue, QueueEvents } from 'bullmq';
import { Observable, Subject, takeUntil } from 'rxjs';
import type { CheckRunOutcome } from '../monitoring/check-runner.service';
import type { CheckOutcomeDto } from '../monitoring/dto/check-outcome.dto';
import { CHECK_QUEUES, MONITORING_QUEUE } from '../monitoring/queue/monitoring.constants';
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

/** Reads a job's return value as the processor wrote it (an applied outcome or a skip). */
export function appliedOutcome(returnvalue: unknown): CheckOutcomeDto | null {
  let value = returnvalue;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  const run = value as CheckRunOutcome | null;
  if (run && typeof run === 'object' && run.status === 'applied' && run.outcome) {
    return run.outcome;
  }
  return null;
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
  private queueEvents: QueueEvents[] | null = null;
  private listeners = 0;

  /** Emits when every open stream should end (shutdown), so clients reconnect elsewhere. */
  readonly closing$ = this.closing.asObservable();

  /** Open streams in this process. */
  get listenerCount(): number {
    return this.listeners;
  }

  /** Its connection and prefix are those of every check queue. */
  constructor(@InjectQueue(MONITORING_QUEUE) private readonly queue: Queue) {}

  /** Every event from now on; the subscription to Redis lives as long as someone listens. */
  stream(): Observable<HostwatchEvent> {
    return new Observable<HostwatchEvent>((subscriber) => {
      const sub = this.subject.pipe(takeUntil(this.closing)).subscribe(subscriber);
      this.listeners += 1;
      this.open();
      return () => {
        sub.unsubscribe();
        this.listeners -= 1;
        if (this.listeners === 0) void this.close();
      };
    });
  }

  /** Resolves once the Redis subscription is listening (specs wait on it before acting). */
  async ready(): Promise<void> {
    await Promise.all(this.open().map((events) => events.waitUntilReady()));
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

  private open(): QueueEvents[] {
    if (this.queueEvents) return this.queueEvents;
    const opts = this.queue.opts;
    this.queueEvents = CHECK_QUEUES.map((name) => {
      const events = new QueueEvents(name, {
        connection: opts.connection,
        prefix: opts.prefix,
        // Only what happens from now on: a reconnecting console reloads state over REST.
        lastEventId: '$',
      });
      events.on('completed', ({ returnvalue }) => {
        const outcome = appliedOutcome(returnvalue);
        if (outcome) this.publish(outcome);
      });
      events.on('error', (error) => {
        this.logger.warn(`Live events: Redis subscription to '${name}' failed: ${error.message}`);
      });
      return events;
    });
    return this.queueEvents;
  }

  private async close(): Promise<void> {
    const events = this.queueEvents ?? [];
    this.queueEvents = null;
    await Promise.all(events.map((e) => e.close().catch(() => undefined)));
  }
}
