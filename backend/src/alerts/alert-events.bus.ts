import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import IORedis from 'ioredis';
import { isRedisUnavailable } from '../common/dependency-errors';
import { Observable, Subject } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { redisOptions } from '../config/redis-connection';
import { ALERT_LIVE_EVENT_TYPES, type AlertLiveEvent } from './dto/alert-event.dto';

/** Reads a message from the channel; anything that is not an alerting event is dropped. */
export function parseAlertLiveEvent(message: string): AlertLiveEvent | null {
  try {
    const event = JSON.parse(message) as AlertLiveEvent | null;
    if (
      event &&
      typeof event === 'object' &&
      (ALERT_LIVE_EVENT_TYPES as readonly string[]).includes(event.type) &&
      ('alert' in event ? typeof event.alert?.id === 'string' : true) &&
      ('delivery' in event ? typeof event.delivery?.message_id === 'string' : true)
    ) {
      return event;
    }
  } catch {
    // not JSON: not ours
  }
  return null;
}

/**
 * Alerting events across processes. Alerts open and resolve in worker processes (and in the
 * API on host delete or maintenance), deliveries fail in workers, and the console listens to
 * the API: so the process that committed the change publishes on a Redis pub/sub channel under
 * QUEUE_PREFIX, and every API process with an open /api/events stream subscribes (one
 * connection, opened with the first listener, closed with the last). Like host events, pub/sub
 * keeps nothing: a console that reconnects reads GET /api/alerts again.
 */
@Injectable()
export class AlertEventsBus implements OnModuleDestroy {
  private readonly logger = new Logger(AlertEventsBus.name);
  private readonly channel: string;
  private readonly subject = new Subject<AlertLiveEvent>();
  private publisher: IORedis | null = null;
  private subscriber: IORedis | null = null;
  private subscribed: Promise<void> | null = null;
  private listeners = 0;
  private lastWarning = 0;

  constructor(private readonly config: AppConfig) {
    this.channel = `${config.queuePrefix}:events:alerts`;
  }

  /** Sends events to every API process; a Redis failure is logged, never thrown. */
  publish(events: AlertLiveEvent[]): void {
    if (events.length === 0) return;
    if (!this.publisher) {
      this.publisher = new IORedis({
        ...redisOptions(this.config),
        maxRetriesPerRequest: 1,
      });
      this.publisher.on('error', () => undefined);
    }
    const pipeline = this.publisher.pipeline();
    for (const event of events) pipeline.publish(this.channel, JSON.stringify(event));
    pipeline.exec().catch((error: Error) => {
      if (isRedisUnavailable(error)) return; // logged once for the outage
      this.warn(`could not publish ${events.length} alerting event(s): ${error.message}`);
    });
  }

  /** Every alerting event from now on, from any process. */
  stream(): Observable<AlertLiveEvent> {
    return new Observable<AlertLiveEvent>((subscriber) => {
      const sub = this.subject.subscribe(subscriber);
      this.listeners += 1;
      void this.open();
      return () => {
        sub.unsubscribe();
        this.listeners -= 1;
        if (this.listeners === 0) void this.close();
      };
    });
  }

  /** Resolves once this process is subscribed (specs wait on it before acting). */
  async ready(): Promise<void> {
    await this.open();
  }

  async onModuleDestroy(): Promise<void> {
    this.subject.complete();
    await this.close();
    const publisher = this.publisher;
    this.publisher = null;
    await publisher?.quit().catch(() => publisher.disconnect());
  }

  private open(): Promise<void> {
    if (this.subscribed) return this.subscribed;
    const subscriber = new IORedis(redisOptions(this.config));
    // Redis away is DependencyStatus' to log, once for the outage; the subscription resumes.
    subscriber.on('error', (error: Error) => {
      if (!isRedisUnavailable(error)) this.warn(`Redis subscription failed: ${error.message}`);
    });
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const event = parseAlertLiveEvent(message);
      if (event) this.subject.next(event);
    });
    this.subscriber = subscriber;
    this.subscribed = subscriber.subscribe(this.channel).then(
      () => undefined,
      (error: Error) => {
        if (this.subscriber !== subscriber) return;
        this.warn(`could not subscribe to ${this.channel}: ${error.message}`);
      },
    );
    return this.subscribed;
  }

  private async close(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = null;
    this.subscribed = null;
    await subscriber?.quit().catch(() => subscriber.disconnect());
  }

  /** At most one warning a minute, so a Redis outage does not flood the log. */
  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < 60_000) return;
    this.lastWarning = now;
    this.logger.warn(`Live alerting events: ${message}`);
  }
}
