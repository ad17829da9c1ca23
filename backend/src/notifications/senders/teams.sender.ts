import { countsLine, summarize } from '../message-text';
import {
  type ChannelTarget,
  type NotificationSender,
  type OutgoingMessage,
  postForOutcome,
  type SendContext,
  type SendOutcome,
} from './sender';

/** The card's accent: red for problems, green for resolutions, yellow otherwise. */
function colorOf(kind: OutgoingMessage['kind']): string {
  if (kind === 'problem_resolved') return 'Good';
  if (kind === 'problem_opened' || kind === 'host_key_mismatch') return 'Attention';
  return 'Warning';
}

/**
 * A Teams Workflows ("Post to a channel when a webhook request is received") payload: a
 * message with one Adaptive Card attachment.
 */
export function teamsPayload(message: OutgoingMessage, consoleUrl: string | null) {
  const s = summarize(message.kind, message.alerts, consoleUrl);
  const body: Array<Record<string, unknown>> = [
    {
      type: 'TextBlock',
      text: s.headline,
      weight: 'Bolder',
      size: 'Medium',
      color: colorOf(message.kind),
      wrap: true,
    },
  ];
  if (message.kind === 'test') {
    body.push({
      type: 'TextBlock',
      text: 'This channel works: hostwatch can send notifications here.',
      wrap: true,
    });
  }
  for (const line of s.lines)
    body.push({ type: 'TextBlock', text: line, wrap: true, spacing: 'Small' });
  if (s.more > 0) {
    body.push({
      type: 'TextBlock',
      text: `… and ${s.more.toLocaleString('en-US')} more`,
      wrap: true,
      isSubtle: true,
    });
  }
  const counts = countsLine(s);
  if (counts && message.kind !== 'test') {
    body.push({ type: 'TextBlock', text: counts, wrap: true, isSubtle: true, size: 'Small' });
  }
  const card: Record<string, unknown> = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
  };
  if (s.link) card.actions = [{ type: 'Action.OpenUrl', title: 'Open in hostwatch', url: s.link }];
  return {
    type: 'message',
    attachments: [
      { contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card },
    ],
  };
}

/** Posts to a Teams workflow webhook (the URL, which embeds its signature, is the secret). */
export class TeamsSender implements NotificationSender {
  readonly type = 'teams' as const;

  send(message: OutgoingMessage, channel: ChannelTarget, ctx: SendContext): Promise<SendOutcome> {
    const body = JSON.stringify(teamsPayload(message, ctx.consoleUrl));
    return postForOutcome(ctx, channel.secrets.url, body);
  }
}
