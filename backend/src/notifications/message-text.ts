import type { AlertPayload } from '../alerts/alert-vocabulary';
import type { MessageKind } from './notification-vocabulary';

/** Alerts named one by one in a message; the rest are counted ("and 990 more"). */
export const NAMED_ALERTS = 10;

const number = (n: number) => n.toLocaleString('en-US');

/** A state or event as a word and a symbol that read on a phone's lock screen. */
export function symbolOf(kind: MessageKind, state: string | null): string {
  if (kind === 'problem_resolved') return '✅';
  if (kind === 'host_key_mismatch') return '🔑';
  if (kind === 'test') return '🔔';
  if (kind === 'flapping_started') return '🔁';
  if (kind === 'flapping_stopped') return '⏹️';
  if (state === 'DOWN') return '🔴';
  if (state === 'CRITICAL') return '🟠';
  if (state === 'DEGRADED') return '🟡';
  return '⚪';
}

export interface MessageSummary {
  /** One line: symbol, count, state word and the first host names. */
  headline: string;
  /** Short title (no host names), for e-mail subjects and card headers. */
  title: string;
  /** One line per named alert. */
  lines: string[];
  /** Alerts not named. */
  more: number;
  byState: Array<[string, number]>;
  byTag: Array<[string, number]>;
  /** The console page to open: the host for one alert, the alert list for several. */
  link: string | null;
}

function counts(values: string[]): Array<[string, number]> {
  const map = new Map<string, number>();
  for (const v of values) map.set(v, (map.get(v) ?? 0) + 1);
  return [...map.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function where(a: AlertPayload): string {
  return `${a.host.ip_address ?? a.host.hostname}:${a.host.port}`;
}

/** One alert as one line: host, address, state, error. */
export function alertLine(kind: MessageKind, a: AlertPayload): string {
  const head = `${a.host.hostname} (${where(a)})`;
  if (kind === 'problem_resolved') {
    const was = a.previous_state ? `, was ${a.previous_state}` : '';
    return `${head} resolved: ${a.resolve_reason ?? 'recovered'} (now ${a.state}${was})`;
  }
  if (kind === 'flapping_started' || kind === 'flapping_stopped') {
    const verb = kind === 'flapping_started' ? 'started' : 'stopped';
    return `${head} ${verb} flapping (${a.flap_percent ?? 0}% of recent checks changed; now ${a.state})`;
  }
  const error = a.error_type
    ? ` — ${a.error_type}${a.stage ? ` at ${a.stage}` : ''}${a.error_message ? `: ${a.error_message}` : ''}`
    : '';
  const again =
    a.notice === 'reminder'
      ? ' (reminder: still open, not acknowledged)'
      : a.notice === 'escalation'
        ? ' (escalated: not acknowledged)'
        : '';
  return `${head} ${a.state}${error}${again}`;
}

function title(
  kind: MessageKind,
  alerts: AlertPayload[],
  byState: Array<[string, number]>,
): string {
  const n = alerts.length;
  if (kind === 'test') return 'Test notification from hostwatch';
  if (kind === 'problem_resolved') {
    return n === 1 ? 'RESOLVED' : `${number(n)} problems resolved`;
  }
  if (kind === 'host_key_mismatch') {
    return n === 1 ? 'HOST KEY CHANGED' : `${number(n)} hosts: HOST KEY CHANGED`;
  }
  if (kind === 'flapping_started') {
    return n === 1 ? 'FLAPPING' : `${number(n)} hosts FLAPPING`;
  }
  if (kind === 'flapping_stopped') {
    return n === 1 ? 'FLAPPING STOPPED' : `${number(n)} hosts stopped flapping`;
  }
  if (byState.length === 1) {
    return n === 1 ? byState[0][0] : `${number(n)} hosts ${byState[0][0]}`;
  }
  const label = kind === 'degraded' ? 'hosts degraded' : 'problems';
  return `${number(n)} ${label}: ${byState.map(([s, c]) => `${number(c)} ${s}`).join(', ')}`;
}

/** What every human-readable channel (Slack, Teams, e-mail) says about a message. */
export function summarize(
  kind: MessageKind,
  alerts: AlertPayload[],
  consoleUrl: string | null,
): MessageSummary {
  const byState = counts(alerts.map((a) => a.state));
  const byTag = counts(alerts.flatMap((a) => a.host.tags));
  // The first names in name order (web-001, web-002, ...), which reads better than arrival order.
  const named = [...alerts]
    .sort((a, b) => a.host.hostname.localeCompare(b.host.hostname, 'en', { numeric: true }))
    .slice(0, NAMED_ALERTS);
  const more = alerts.length - named.length;
  const t = title(kind, alerts, byState);
  const symbol = symbolOf(kind, byState.length === 1 ? byState[0][0] : (byState[0]?.[0] ?? null));
  let headline: string;
  if (kind === 'test') {
    headline = `${symbol} ${t}: this channel works`;
  } else {
    const names = named.map((a) => a.host.hostname).join(', ');
    headline = `${symbol} ${t}: ${names}${more > 0 ? ` … and ${number(more)} more` : ''}`;
  }
  const single = alerts.length === 1 && alerts[0].host.id;
  const link = consoleUrl
    ? single
      ? `${consoleUrl}/hosts/${alerts[0].host.id}`
      : `${consoleUrl}/alerts`
    : null;
  return {
    headline,
    title: `${symbol} ${t}`,
    lines: named.map((a) => alertLine(kind, a)),
    more,
    byState,
    byTag: byTag.slice(0, 10),
    link,
  };
}

/** Counts as one line: "DOWN 990, CRITICAL 10 · tags: rack-7 1,000". */
export function countsLine(summary: MessageSummary): string {
  const states = summary.byState.map(([s, c]) => `${s} ${number(c)}`).join(', ');
  const tags = summary.byTag.map(([t, c]) => `${t} ${number(c)}`).join(', ');
  return [states && `states: ${states}`, tags && `tags: ${tags}`].filter(Boolean).join(' · ');
}
