import type { DeliveryFailedEvent } from '../api/api-types';

type FailedDelivery = DeliveryFailedEvent['delivery'];

/** What the admin's notice shows: the latest notification given up on, and how many so far. */
export interface DeliveryNotice {
  latest: FailedDelivery;
  at: string;
  /** Given up on since the notice was last dismissed. */
  count: number;
}

/**
 * The notice after a delivery_failed event. A failed test is left out: whoever pressed
 * "Send test" sees its result where they pressed it, and nobody is paged by a test.
 */
export function noticeAfter(
  notice: DeliveryNotice | null,
  event: DeliveryFailedEvent,
): DeliveryNotice | null {
  if (event.delivery.kind === 'test') return notice;
  if (notice?.latest.message_id === event.delivery.message_id) return notice;
  return { latest: event.delivery, at: event.at, count: (notice?.count ?? 0) + 1 };
}

/** "A notification to channel 'ops' (webhook) was given up on after 3 attempts: <error>." */
export function noticeText(notice: DeliveryNotice): string {
  const d = notice.latest;
  const what =
    d.alert_count > 1 ? `A notification about ${d.alert_count} alerts` : 'A notification';
  const attempts = `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`;
  const text = `${what} to channel '${d.channel_name}' (${d.channel_type}) was given up on after ${attempts}${d.error ? `: ${d.error}` : ''}.`;
  const others = notice.count - 1;
  return others > 0 ? `${text} ${others} more failed before it.` : text;
}
