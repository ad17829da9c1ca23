import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { DestinationPolicy } from './destination-policy';
import type { ChannelType } from './notification-vocabulary';
import { SafeHttp } from './safe-http';
import { AlertmanagerSender } from './senders/alertmanager.sender';
import { EmailSender } from './senders/email.sender';
import type {
  ChannelTarget,
  NotificationSender,
  OutgoingMessage,
  SendContext,
  SendOutcome,
} from './senders/sender';
import { SlackSender } from './senders/slack.sender';
import { TeamsSender } from './senders/teams.sender';
import { WebhookSender } from './senders/webhook.sender';

/**
 * The outside effect of notifications: one sender per channel type, behind one call, with the
 * destination policy (NOTIFY_ALLOWED_HOSTS) applied to every connection.
 */
@Injectable()
export class NotificationTransport {
  readonly policy: DestinationPolicy;
  private readonly http: SafeHttp;
  private readonly senders: Record<ChannelType, NotificationSender>;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.policy = new DestinationPolicy(config.notifyAllowedHosts);
    this.http = new SafeHttp(this.policy, config.notifyTimeoutMs);
    const all: NotificationSender[] = [
      new WebhookSender(),
      new SlackSender(),
      new TeamsSender(),
      new EmailSender(this.policy),
      new AlertmanagerSender(),
    ];
    this.senders = Object.fromEntries(all.map((s) => [s.type, s])) as Record<
      ChannelType,
      NotificationSender
    >;
  }

  context(): SendContext {
    return {
      now: this.clock.now(),
      consoleUrl: this.config.notifyConsoleUrl,
      http: this.http,
      timeoutMs: this.config.notifyTimeoutMs,
      alertmanagerResendSeconds: this.config.notifyAlertmanagerResendSeconds,
    };
  }

  /** Sends once; throws a DeliveryError saying whether another try could help. */
  send(message: OutgoingMessage, target: ChannelTarget): Promise<SendOutcome> {
    return this.senders[target.type].send(message, target, this.context());
  }
}
