import { createTransport } from 'nodemailer';
import { countsLine, summarize } from '../message-text';
import { DestinationRefusedError } from '../destination-policy';
import type { EmailTlsMode } from '../notification-vocabulary';
import {
  type ChannelTarget,
  DeliveryError,
  type NotificationSender,
  type OutgoingMessage,
  type SendContext,
  type SendOutcome,
} from './sender';
import type { DestinationPolicy } from '../destination-policy';

function html(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Subject, plain text and HTML of a message. */
export function emailContent(message: OutgoingMessage, consoleUrl: string | null) {
  const s = summarize(message.kind, message.alerts, consoleUrl);
  const intro =
    message.kind === 'test' ? ['This channel works: hostwatch can send notifications here.'] : [];
  const more = s.more > 0 ? [`… and ${s.more.toLocaleString('en-US')} more`] : [];
  const counts = message.kind === 'test' ? '' : countsLine(s);
  const text = [
    s.headline,
    '',
    ...intro,
    ...s.lines.map((l) => `- ${l}`),
    ...more,
    ...(counts ? ['', counts] : []),
    ...(s.link ? ['', `Open in hostwatch: ${s.link}`] : []),
    '',
    `Event id: ${message.id}`,
  ].join('\n');
  const htmlBody = [
    `<h2>${html(s.headline)}</h2>`,
    ...intro.map((l) => `<p>${html(l)}</p>`),
    s.lines.length ? `<ul>${s.lines.map((l) => `<li>${html(l)}</li>`).join('')}</ul>` : '',
    ...more.map((l) => `<p>${html(l)}</p>`),
    counts ? `<p style="color:#555">${html(counts)}</p>` : '',
    s.link ? `<p><a href="${html(s.link)}">Open in hostwatch</a></p>` : '',
    `<p style="color:#888;font-size:small">Event id: ${html(message.id)}</p>`,
  ].join('\n');
  return { subject: `[hostwatch] ${s.headline}`.slice(0, 200), text, html: htmlBody };
}

/** SMTP via nodemailer: the server's address resolved and checked first, TLS as configured. */
export class EmailSender implements NotificationSender {
  readonly type = 'email' as const;

  constructor(private readonly policy: DestinationPolicy) {}

  async send(
    message: OutgoingMessage,
    channel: ChannelTarget,
    ctx: SendContext,
  ): Promise<SendOutcome> {
    const host = String(channel.config.host);
    let address: string;
    try {
      address = (await this.policy.resolve(host))[0].address;
    } catch (error) {
      throw new DeliveryError((error as Error).message, error instanceof DestinationRefusedError);
    }
    const tls = channel.config.tls as EmailTlsMode;
    const username = channel.config.username as string | null | undefined;
    const transport = createTransport({
      host: address,
      port: Number(channel.config.port),
      secure: tls === 'tls',
      requireTLS: tls === 'starttls',
      ignoreTLS: tls === 'none',
      // The certificate is checked against the name, though the connection uses its address.
      tls: { servername: host },
      auth: username ? { user: username, pass: channel.secrets.password ?? '' } : undefined,
      connectionTimeout: ctx.timeoutMs,
      greetingTimeout: ctx.timeoutMs,
      socketTimeout: ctx.timeoutMs,
      logger: false,
      debug: false,
    });
    const content = emailContent(message, ctx.consoleUrl);
    try {
      const info = await transport.sendMail({
        from: String(channel.config.from),
        to: (channel.config.to as string[]).join(', '),
        subject: content.subject,
        text: content.text,
        html: content.html,
        headers: { 'X-Hostwatch-Event-Id': message.id },
      });
      return { response: String(info.response ?? '').slice(0, 300) || null, httpStatus: null };
    } catch (error) {
      const e = error as Error & { responseCode?: number; response?: string; code?: string };
      const reply = e.response ? String(e.response).slice(0, 300) : null;
      // 5xx replies are permanent (bad address, authentication refused); 4xx and network
      // faults are worth another try.
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
      throw new DeliveryError(
        `${e.code ? `${e.code}: ` : ''}${e.message}`.slice(0, 500),
        permanent,
        reply,
      );
    } finally {
      transport.close();
    }
  }
}
