import { formErrors, type FormErrors } from '../../core/api/api-errors';
import type {
  Channel,
  ChannelType,
  CreateChannel,
  EmailTls,
  UpdateChannel,
} from '../../core/api/api-types';

/** The channel dialog's fields, as typed (every type's fields; the type picks which count). */
export interface ChannelDraft {
  name: string;
  type: ChannelType;
  enabled: boolean;
  /** webhook and alertmanager: shown and edited; slack and teams: write-only (holds a token). */
  url: string;
  /** webhook: the signing secret, write-only. */
  secret: string;
  host: string;
  /** Empty: the default of the TLS mode (587, 465 or 25). */
  port: string;
  tls: EmailTls;
  username: string;
  /** email: write-only. */
  password: string;
  from: string;
  /** Addresses separated by commas, semicolons or spaces. */
  to: string;
  /** Remove the stored secret (webhook secret, email password) instead of keeping it. */
  clearSecret: boolean;
}

export const CHANNEL_TYPE_LABELS: Record<ChannelType, string> = {
  webhook: 'Webhook (signed JSON)',
  slack: 'Slack',
  teams: 'Microsoft Teams',
  email: 'E-mail (SMTP)',
  alertmanager: 'Prometheus Alertmanager',
};

/** The fields each type's dialog shows, and on which the API's 400s land. */
export const CHANNEL_FIELDS: Record<ChannelType, readonly (keyof ChannelDraft)[]> = {
  webhook: ['url', 'secret'],
  slack: ['url'],
  teams: ['url'],
  email: ['host', 'port', 'tls', 'username', 'password', 'from', 'to'],
  alertmanager: ['url'],
};

/** The one write-only field of each type that has one. */
export const SECRET_FIELD: Record<ChannelType, 'url' | 'secret' | 'password' | null> = {
  webhook: 'secret',
  slack: 'url',
  teams: 'url',
  email: 'password',
  alertmanager: null,
};

export function emptyChannelDraft(type: ChannelType = 'webhook'): ChannelDraft {
  return {
    name: '',
    type,
    enabled: true,
    url: '',
    secret: '',
    host: '',
    port: '',
    tls: 'starttls',
    username: '',
    password: '',
    from: '',
    to: '',
    clearSecret: false,
  };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A stored channel in the dialog: what the API shows, never a secret (it is not there). */
export function draftFromChannel(channel: Channel): ChannelDraft {
  const c = channel.config;
  const draft = {
    ...emptyChannelDraft(channel.type),
    name: channel.name,
    enabled: channel.enabled,
  };
  switch (channel.type) {
    case 'webhook':
    case 'alertmanager':
      return { ...draft, url: text(c['url']) };
    case 'email':
      return {
        ...draft,
        host: text(c['host']),
        port: typeof c['port'] === 'number' ? String(c['port']) : '',
        tls: (['none', 'starttls', 'tls'] as const).find((m) => m === c['tls']) ?? 'starttls',
        username: text(c['username']),
        from: text(c['from']),
        to: Array.isArray(c['to']) ? c['to'].filter((t) => typeof t === 'string').join(', ') : '',
      };
    default:
      return draft;
  }
}

/** Whether a stored channel has its secret, and what may be shown of it. */
export function storedSecret(channel: Channel | null): { set: boolean; shown: string | null } {
  if (!channel) return { set: false, shown: null };
  const set = channel.config['secret_set'] === true;
  const host = text(channel.config['url_host']);
  return { set, shown: host ? host : null };
}

/** Where a channel sends, for the list (never a secret: Slack and Teams show the host only). */
export function channelDestination(channel: Channel): string {
  const c = channel.config;
  switch (channel.type) {
    case 'webhook':
    case 'alertmanager':
      return text(c['url']);
    case 'slack':
    case 'teams':
      return text(c['url_host']);
    case 'email': {
      const to = Array.isArray(c['to']) ? c['to'].join(', ') : '';
      return `${to} via ${text(c['host'])}${typeof c['port'] === 'number' ? `:${c['port']}` : ''}`;
    }
  }
}

function addresses(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
}

/** An optional port: empty leaves the TLS mode's default; anything else goes as typed. */
function port(value: string): number | undefined {
  return value.trim() === '' ? undefined : Number(value);
}

/**
 * The type's config from the dialog. Secrets go only when typed (a stored one is kept
 * otherwise), or as null when the admin asked to remove the stored one; on a new channel
 * there is nothing to keep or remove, so an empty secret is simply left out.
 */
function configOf(draft: ChannelDraft, editing: boolean): Record<string, unknown> {
  const secret = (value: string): string | null | undefined => {
    if (editing && draft.clearSecret) return null;
    return value === '' ? undefined : value;
  };
  const out: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value !== undefined) out[key] = value;
  };
  switch (draft.type) {
    case 'webhook':
      put('url', draft.url.trim());
      put('secret', secret(draft.secret));
      break;
    case 'slack':
    case 'teams':
      // The URL is the secret: typed, it replaces the stored one; left empty, it is kept (a new
      // channel without one is refused by the API, on this field).
      put('url', draft.url.trim() || undefined);
      break;
    case 'alertmanager':
      put('url', draft.url.trim());
      break;
    case 'email':
      put('host', draft.host.trim());
      put('port', port(draft.port));
      put('tls', draft.tls);
      put('username', draft.username.trim() || null);
      put('password', secret(draft.password));
      put('from', draft.from.trim());
      put('to', addresses(draft.to));
      break;
  }
  return out;
}

/** POST /api/notifications/channels from the dialog. */
export function createChannelBody(draft: ChannelDraft): CreateChannel {
  return {
    name: draft.name.trim(),
    type: draft.type,
    enabled: draft.enabled,
    config: configOf(draft, false) as CreateChannel['config'],
  };
}

/**
 * PATCH /api/notifications/channels/{id} from the dialog: the name and switch when changed,
 * and the config (its shown fields as they stand; secrets only when typed or removed). The
 * type is fixed once a channel exists: the dialog does not offer to change it.
 */
export function updateChannelBody(draft: ChannelDraft, channel: Channel): UpdateChannel {
  const body: UpdateChannel = {};
  if (draft.name.trim() !== channel.name) body.name = draft.name.trim();
  if (draft.enabled !== channel.enabled) body.enabled = draft.enabled;
  const config = configOf({ ...draft, type: channel.type }, true);
  if (Object.keys(config).length > 0) body.config = config as UpdateChannel['config'];
  return body;
}

/** `config.url` → `url`, `config.to[1]` → `to`: the dialog's field for each API problem. */
export function channelField(field: string): string {
  const inConfig = /^config\.([^.[]+)/.exec(field);
  if (inConfig) return inConfig[1];
  return field.split(/[.[]/)[0] || field;
}

/**
 * The API's answer to a channel, filed by the dialog's fields: a 400 names them (config ones
 * as `config.<field>`), a 409 means the name is taken. Problems with fields the dialog does not
 * show for this type stay general, so none is lost.
 */
export function channelErrors(error: unknown, type: ChannelType): FormErrors {
  const out = formErrors(error, channelField);
  if ((error as { status?: number })?.status === 409) {
    return { fields: { name: [out.general.join(' ') || 'is taken'] }, general: [] };
  }
  const shown = new Set<string>(['name', 'type', 'enabled', ...CHANNEL_FIELDS[type]]);
  const fields: Record<string, string[]> = {};
  const general = [...out.general];
  for (const [field, messages] of Object.entries(out.fields)) {
    if (shown.has(field)) fields[field] = messages;
    else general.push(...messages.map((m) => `${field}: ${m}`));
  }
  return { fields, general };
}
