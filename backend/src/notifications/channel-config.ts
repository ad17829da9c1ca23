import { isEmail } from 'class-validator';
import { isIP } from 'node:net';
import { PRINTABLE } from '../common/text-patterns';
import type { FieldProblem } from '../common/validation';
import { EMAIL_TLS_MODES, type ChannelType, type EmailTlsMode } from './notification-vocabulary';

/** A channel's settings split in two: what may be shown, and what is only stored encrypted. */
export interface ChannelSettings {
  config: Record<string, unknown>;
  secrets: Record<string, string>;
}

export interface CheckedChannelConfig extends ChannelSettings {
  problems: FieldProblem[];
  /** Host names or addresses the channel sends to, with the field that names each. */
  destinations: Array<{ field: string; host: string }>;
}

/** The keys each type's config accepts. */
const KEYS: Record<ChannelType, readonly string[]> = {
  webhook: ['url', 'secret'],
  slack: ['url'],
  teams: ['url'],
  email: ['host', 'port', 'tls', 'username', 'password', 'from', 'to'],
  alertmanager: ['url'],
};

const DEFAULT_SMTP_PORTS: Record<EmailTlsMode, number> = { none: 25, starttls: 587, tls: 465 };
const HOSTNAME =
  /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A URL a channel may post to: http or https, with a host, without credentials. */
function urlProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'must be an http or https URL';
  if (value.length > 2048) return 'must be at most 2048 characters';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an http or https URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (!url.hostname) return 'must name a host';
  if (url.username || url.password) return 'must not carry a user name or password';
  return null;
}

function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '');
}

/**
 * Validates a channel's config for its type and splits it into shown and secret parts. With
 * `existing` (an update), fields left out keep their stored values, secrets included; a
 * secret set to null is removed. Every problem names its field (`config.url`).
 */
export function checkChannelConfig(
  type: ChannelType,
  input: unknown,
  existing: ChannelSettings | null,
): CheckedChannelConfig {
  const problems: FieldProblem[] = [];
  const destinations: CheckedChannelConfig['destinations'] = [];
  const out: CheckedChannelConfig = { config: {}, secrets: {}, problems, destinations };
  const given: Record<string, unknown> = isPlainObject(input) ? input : {};
  if (input !== undefined && !isPlainObject(input)) {
    problems.push({ field: 'config', problem: 'must be an object' });
    return out;
  }
  for (const key of Object.keys(given)) {
    if (!KEYS[type].includes(key)) {
      problems.push({
        field: `config.${key}`,
        problem: `is not a setting of a ${type} channel (expected: ${KEYS[type].join(', ')})`,
      });
    }
  }
  const old = existing ?? { config: {}, secrets: {} };
  const has = (key: string) => Object.prototype.hasOwnProperty.call(given, key);
  const pick = (key: string, fallback: unknown) => (has(key) ? given[key] : fallback);

  const requireUrl = (value: unknown): string | null => {
    const problem = value === undefined ? 'is required' : urlProblem(value);
    if (problem) {
      problems.push({ field: 'config.url', problem });
      return null;
    }
    destinations.push({ field: 'config.url', host: hostOf(value as string) });
    return value as string;
  };
  /** A write-only secret: given (set), null (removed), left out (kept). */
  const secret = (key: string, max: number) => {
    if (!has(key)) {
      if (old.secrets[key] !== undefined) out.secrets[key] = old.secrets[key];
      return;
    }
    const value = given[key];
    if (value === null) return;
    if (typeof value !== 'string' || value.length === 0 || value.length > max) {
      problems.push({
        field: `config.${key}`,
        problem: `must be text of 1 to ${max} characters, or null to remove it`,
      });
      return;
    }
    out.secrets[key] = value;
  };

  switch (type) {
    case 'webhook': {
      const url = requireUrl(pick('url', old.config.url));
      if (url) out.config.url = url;
      secret('secret', 1024);
      break;
    }
    case 'slack':
    case 'teams': {
      // The whole URL is the secret (it embeds the token); only its host is shown.
      const url = requireUrl(pick('url', old.secrets.url));
      if (url) {
        out.secrets.url = url;
        out.config.url_host = hostOf(url);
      }
      break;
    }
    case 'alertmanager': {
      const url = requireUrl(pick('url', old.config.url));
      if (url) out.config.url = url.replace(/\/+$/, '');
      break;
    }
    case 'email': {
      const host = pick('host', old.config.host);
      if (typeof host !== 'string' || !(HOSTNAME.test(host) || isIP(host)) || host.length > 253) {
        problems.push({
          field: 'config.host',
          problem: host === undefined ? 'is required' : 'must be a host name or address',
        });
      } else {
        out.config.host = host;
        destinations.push({ field: 'config.host', host });
      }
      const tls = pick('tls', old.config.tls ?? 'starttls');
      if (!(EMAIL_TLS_MODES as readonly unknown[]).includes(tls)) {
        problems.push({
          field: 'config.tls',
          problem: `must be one of: ${EMAIL_TLS_MODES.join(', ')}`,
        });
      } else {
        out.config.tls = tls;
      }
      const port = pick(
        'port',
        old.config.port ?? DEFAULT_SMTP_PORTS[(tls as EmailTlsMode) ?? 'starttls'] ?? 587,
      );
      if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) {
        problems.push({
          field: 'config.port',
          problem: 'must be a whole number between 1 and 65535',
        });
      } else {
        out.config.port = port;
      }
      const username = pick('username', old.config.username ?? null);
      if (
        username !== null &&
        (typeof username !== 'string' ||
          username.length === 0 ||
          username.length > 256 ||
          !PRINTABLE.test(username))
      ) {
        problems.push({
          field: 'config.username',
          problem: 'must be printable text of 1 to 256 characters, or null',
        });
      } else {
        out.config.username = username;
      }
      secret('password', 1024);
      if (out.secrets.password !== undefined && out.config.username === null) {
        problems.push({ field: 'config.password', problem: 'needs a username' });
      }
      const from = pick('from', old.config.from);
      if (typeof from !== 'string' || !isEmail(from)) {
        problems.push({
          field: 'config.from',
          problem: from === undefined ? 'is required' : 'must be an e-mail address',
        });
      } else {
        out.config.from = from;
      }
      const to = pick('to', old.config.to);
      if (!Array.isArray(to) || to.length === 0 || to.length > 50) {
        problems.push({
          field: 'config.to',
          problem: 'must be a list of 1 to 50 e-mail addresses',
        });
      } else {
        to.forEach((address, i) => {
          if (typeof address !== 'string' || !isEmail(address)) {
            problems.push({ field: `config.to[${i}]`, problem: 'must be an e-mail address' });
          }
        });
        if (!problems.some((p) => p.field.startsWith('config.to'))) out.config.to = to;
      }
      break;
    }
  }
  return out;
}

/** The config as answers show it: no secret, a flag saying whether one is stored. */
export function shownConfig(type: ChannelType, settings: ChannelSettings): Record<string, unknown> {
  switch (type) {
    case 'webhook':
      return { url: settings.config.url, secret_set: settings.secrets.secret !== undefined };
    case 'slack':
    case 'teams':
      return { url_host: settings.config.url_host, secret_set: settings.secrets.url !== undefined };
    case 'email':
      return {
        host: settings.config.host,
        port: settings.config.port,
        tls: settings.config.tls,
        username: settings.config.username ?? null,
        from: settings.config.from,
        to: settings.config.to,
        secret_set: settings.secrets.password !== undefined,
      };
    case 'alertmanager':
      return { url: settings.config.url };
  }
}
