import type { Delivery } from '../core/api/api-types';
import { formatMs } from './format';

type DeliveryResult = Pick<Delivery, 'status' | 'response' | 'latency_ms' | 'error'>;

export interface DeliveryStyle {
  /** The word shown (colour is never the only signal). */
  label: string;
  symbol: string;
  /** Text colour on the page's light surfaces, at least 4.5:1. */
  colour: string;
}

export const DELIVERY_STYLES: Record<Delivery['status'], DeliveryStyle> = {
  delivered: { label: 'Delivered', symbol: '✓', colour: '#1b5e20' },
  retrying: { label: 'Failed, retrying', symbol: '↻', colour: '#7a4100' },
  failed: { label: 'Failed', symbol: '✕', colour: '#b3261e' },
};

export function deliveryStyle(status: string): DeliveryStyle {
  return DELIVERY_STYLES[status as Delivery['status']] ?? DELIVERY_STYLES.failed;
}

/**
 * One line for an attempt, as the channel list and an alert's deliveries show it:
 * "Delivered: HTTP 200 in 12 ms", "Failed: HTTP 410 in 4 ms (the receiver answered 410: gone)",
 * "Failed, retrying: in 3.00 s (ETIMEDOUT: ...)". The receiver's answer (HTTP status or SMTP
 * reply) comes first, since it is what an operator compares with the receiver's own log.
 */
export function describeDelivery(d: DeliveryResult): string {
  const head = `${deliveryStyle(d.status).label}: ${d.response ? `${d.response} ` : ''}in ${formatMs(d.latency_ms)}`;
  return d.error && d.status !== 'delivered' ? `${head} (${d.error})` : head;
}
