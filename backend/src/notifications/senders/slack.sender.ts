import { countsLine, summarize } from '../message-text';
import {
  type ChannelTarget,
  type NotificationSender,
  type OutgoingMessage,
  postForOutcome,
  type SendContext,
  type SendOutcome,
} from './sender';

/** Slack's limits on a section's text and a header's. */
const SECTION_LIMIT = 3000;
const HEADER_LIMIT = 150;

/** Slack mrkdwn treats &, < and > as control characters. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** A Slack incoming-webhook payload: fallback text and mrkdwn blocks. */
export function slackPayload(message: OutgoingMessage, consoleUrl: string | null) {
  const s = summarize(message.kind, message.alerts, consoleUrl);
  const blocks: Array<Record<string, unknown>> = [
    { type: 'header', text: { type: 'plain_text', text: cut(s.title, HEADER_LIMIT), emoji: true } },
  ];
  if (message.kind === 'test') {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: 'This channel works: hostwatch can send notifications here.' },
    });
  } else {
    const lines = s.lines.map((line) => `• ${escape(line)}`);
    if (s.more > 0) lines.push(`_… and ${s.more.toLocaleString('en-US')} more_`);
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: cut(lines.join('\n'), SECTION_LIMIT) },
    });
    const counts = countsLine(s);
    if (counts) {
      blocks.push({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: cut(escape(counts), SECTION_LIMIT) }],
      });
    }
  }
  if (s.link) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open in hostwatch' },
          url: s.link,
        },
      ],
    });
  }
  return { text: cut(s.headline, SECTION_LIMIT), blocks };
}

/** Posts to a Slack incoming webhook (the URL, which embeds its token, is the secret). */
export class SlackSender implements NotificationSender {
  readonly type = 'slack' as const;

  send(message: OutgoingMessage, channel: ChannelTarget, ctx: SendContext): Promise<SendOutcome> {
    const body = JSON.stringify(slackPayload(message, ctx.consoleUrl));
    return postForOutcome(ctx, channel.secrets.url, body);
  }
}
