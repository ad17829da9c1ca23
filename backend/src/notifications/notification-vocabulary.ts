import type { AlertEventKind } from '../alerts/alert-vocabulary';

/** Channel types, delivery statuses and other words of the notifications module. */
export const CHANNEL_TYPES = ['webhook', 'slack', 'teams', 'email', 'alertmanager'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export const EMAIL_TLS_MODES = ['none', 'starttls', 'tls'] as const;
export type EmailTlsMode = (typeof EMAIL_TLS_MODES)[number];

/** A message's life: waiting to be delivered (or retried), delivered, given up, or dropped. */
export const MESSAGE_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** One attempt: it worked, it failed and will be tried again, or it failed for good. */
export const DELIVERY_STATUSES = ['delivered', 'retrying', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What a message is about: an alert event kind, or a test sent from the API. */
export type MessageKind = AlertEventKind | 'test';

/** Most alerts in one message; a larger group is sent as several messages. */
export const MAX_ALERTS_PER_MESSAGE = 1000;
