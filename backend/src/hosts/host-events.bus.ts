import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import IORedis from 'ioredis';
import { isRedisUnavailable } from '../common/dependency-errors';
import { Observable, Subject } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { redisOptions } from '../config/redis-connection';
import { HOST_EVENT_TYPES, type HostEvent } from './dto/host-event.dto';

/** Reads a message from the channel; anything that is not a host event is dropped. */
export function parseHostEvent(message: string): HostEvent | null {
  try {
    const event = JSON.parse(message) as HostEvent | null;
    if (
      event &&
      typeof event === 'object' &&
      (HOST_EVENT_TYPES as readonly string[]).includes(event.type) &&
      event.host &&
      typeof event.host.id === 'string'
    ) {
      return event;
    }
  } catch {
    // not JSON: not ours
  }
  return null;
}

/**
 * Host lifecycle events (created, updated, deleted) across API processes: the process that
 * made the change publishes on a Redis pub/sub channel under QUEUE_PREFIX, and every API
 * process with an open /api/events stream subscribes to it (one subscriber connection,
 * opened with the first listener and closed with the last). Pub/sub keeps nothing: a console
 * that reconnects reads the list again over REST, as it does for check events.
 */
@Injectable()
export class HostEventsBus implements OnModuleDestroy {
  private readonly logger = new Logger(HostEventsBus.name);
  private readonly channel: string;
  private readonly subject = new Subject<HostEvent>();
  private publisher: IORedis | null = null;
  private subscriber: IORedis | null = null;
  private subscribed: Promise<void> | null = null;
  private listeners = 0;
  private lastWarning = 0;

  constructor(private readonly config: AppConfig) {
    this.channel = `${config.queuePrefix}:events:hosts`;
  }

  /** Sends an event to every API process; a Redis failure is logged, never thrown. */
  publish(event: HostEvent): void {
    if (!this.publisher) {
      this.publisher = new IORedis({
        ...redisOptions(this.config),
        maxRetriesPerRequest: 1,
      });
      this.publisher.on('error', () => undefined);
    }
    this.publisher.publish(this.channel, JSON.stringify(event)).catch((error: Error) => {
      if (isRedisUnavailable(error)) return; // logged once for the outage
      this.warn(`could not publish ${event.type} for host ${event.host.id}: ${error.message}`);
    });
  }

  /** Every host event from now on, from any API process. */
  stream(): Observable<HostEvent> {
    return new Observable<HostEvent>((subscriber) => {
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
      const event = parseHostEvent(message);
      if (event) this.subject.next(event);
    });
    this.subscriber = subscriber;
    this.subscribed = subscriber.subscribe(this.channel).then(
      () => undefined,
      (error: Error) => {
        // Closed on purpose (the app stopped while subscribing): nothing to report.
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
    this.logger.warn(`Live host events: ${message}`);
  }
}
