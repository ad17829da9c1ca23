import type { AlertPayload } from '../../alerts/alert-vocabulary';
import { DestinationRefusedError } from '../destination-policy';
import type { ChannelType, MessageKind } from '../notification-vocabulary';
import type { HttpAnswer, SafeHttp } from '../safe-http';

/** A message about to be sent: its stable id (the receivers' dedup key) and its alerts. */
export interface OutgoingMessage {
  id: string;
  kind: MessageKind;
  alerts: AlertPayload[];
}

/** A channel with its secrets opened, for one send. Never logged, never returned. */
export interface ChannelTarget {
  id: string;
  name: string;
  type: ChannelType;
  config: Record<string, unknown>;
  secrets: Record<string, string>;
}

/** What every sender may use: the time, the console's address, outgoing HTTP, deadlines. */
export interface SendContext {
  now: Date;
  consoleUrl: string | null;
  http: SafeHttp;
  timeoutMs: number;
  /** Seconds between re-sends of open alerts to Alertmanager (its endsAt looks this far ahead). */
  alertmanagerResendSeconds: number;
}

/** A successful send: what the receiver answered. */
export interface SendOutcome {
  response: string | null;
  httpStatus: number | null;
}

/**
 * A failed send. `permanent`: trying again cannot help (a refused destination, a 4xx answer
 * other than 408 and 429, a redirect); the message is marked failed at once.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly response: string | null = null,
    readonly httpStatus: number | null = null,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** One channel type's way of sending a message. One file per type. */
export interface NotificationSender {
  readonly type: ChannelType;
  send(message: OutgoingMessage, channel: ChannelTarget, ctx: SendContext): Promise<SendOutcome>;
}

/** HTTP answers that are worth another try. */
const RETRYABLE_STATUS = new Set([408, 425, 429]);

/** Posts a body and turns the answer into an outcome, or a DeliveryError saying why not. */
export async function postForOutcome(
  ctx: SendContext,
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<SendOutcome> {
  let answer: HttpAnswer;
  try {
    answer = await ctx.http.post(url, body, headers);
  } catch (error) {
    if (error instanceof DestinationRefusedError) throw new DeliveryError(error.message, true);
    const e = error as NodeJS.ErrnoException;
    throw new DeliveryError(`${e.code ? `${e.code}: ` : ''}${e.message}`, false);
  }
  const response = `HTTP ${answer.status}`;
  if (answer.status >= 200 && answer.status < 300) {
    return { response, httpStatus: answer.status };
  }
  const excerpt = answer.body.replace(/\s+/g, ' ').trim().slice(0, 300);
  if (answer.status >= 300 && answer.status < 400) {
    throw new DeliveryError(
      `the receiver redirects${answer.location ? ` to ${safeLocation(answer.location)}` : ''}; redirects are not followed: point the channel at the final URL`,
      true,
      response,
      answer.status,
    );
  }
  const permanent = answer.status < 500 && !RETRYABLE_STATUS.has(answer.status);
  throw new DeliveryError(
    `the receiver answered ${answer.status}${excerpt ? `: ${excerpt}` : ''}`,
    permanent,
    response,
    answer.status,
  );
}

/** A redirect target without its query (which may hold a token). */
function safeLocation(location: string): string {
  try {
    const u = new URL(location);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'another URL';
  }
}
