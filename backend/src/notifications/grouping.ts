import type { AlertEventKind, AlertPayload } from '../alerts/alert-vocabulary';
import { MAX_ALERTS_PER_MESSAGE } from './notification-vocabulary';

/** An alert waiting in a group, in outbox order. */
export interface WaitingItem {
  itemId: string;
  /** Who the item is about, for ordering: the host's id, or its name once deleted. */
  host: string;
  kind: AlertEventKind;
  payload: AlertPayload;
}

export interface PlannedMessage {
  kind: AlertEventKind;
  items: WaitingItem[];
}

/**
 * Splits a group's waiting items (oldest first) into messages: one per event kind (a message
 * has one `kind`), at most `max` alerts each, so that 1,000 hosts going DOWN together make one
 * message. An item joins the latest message of its kind unless its host already appears in a
 * later message, or that message is full: then a new message starts. Messages are sent in the
 * order planned, so each host's events still arrive in the order they happened.
 */
export function planMessages(
  items: WaitingItem[],
  max: number = MAX_ALERTS_PER_MESSAGE,
): PlannedMessage[] {
  const messages: PlannedMessage[] = [];
  const latestOfKind = new Map<AlertEventKind, number>();
  const latestOfHost = new Map<string, number>();
  for (const item of items) {
    let index = latestOfKind.get(item.kind);
    const hostAt = latestOfHost.get(item.host) ?? -1;
    if (index === undefined || index < hostAt || messages[index].items.length >= max) {
      messages.push({ kind: item.kind, items: [] });
      index = messages.length - 1;
      latestOfKind.set(item.kind, index);
    }
    messages[index].items.push(item);
    latestOfHost.set(item.host, index);
  }
  return messages;
}
