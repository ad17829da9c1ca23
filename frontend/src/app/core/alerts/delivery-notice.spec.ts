import type { DeliveryFailedEvent } from '../api/api-types';
import { noticeAfter, noticeText } from './delivery-notice';

const failed = (change: Partial<DeliveryFailedEvent['delivery']> = {}): DeliveryFailedEvent => ({
  type: 'delivery_failed',
  delivery: {
    message_id: 'm-1',
    channel_id: 'c-1',
    channel_name: 'ops-hook',
    channel_type: 'webhook',
    rule_id: 'r-1',
    kind: 'problem_opened',
    alert_count: 1,
    attempts: 3,
    error: 'the receiver answered 410: gone',
    ...change,
  },
  at: '2026-12-01T10:00:00.000Z',
});

describe('the admin notice for notifications given up on', () => {
  it('names the channel, the attempts and the error', () => {
    const notice = noticeAfter(null, failed());
    expect(notice).not.toBeNull();
    expect(noticeText(notice!)).toBe(
      "A notification to channel 'ops-hook' (webhook) was given up on after 3 attempts: the receiver answered 410: gone.",
    );
  });

  it('shows the latest and counts the others since it was dismissed', () => {
    let notice = noticeAfter(null, failed({ message_id: 'm-1' }));
    notice = noticeAfter(
      notice,
      failed({ message_id: 'm-2', alert_count: 40, attempts: 1, error: null }),
    );
    expect(notice!.count).toBe(2);
    expect(noticeText(notice!)).toBe(
      "A notification about 40 alerts to channel 'ops-hook' (webhook) was given up on after 1 attempt. 1 more failed before it.",
    );
    // The same message announced twice counts once.
    expect(noticeAfter(notice, failed({ message_id: 'm-2' }))!.count).toBe(2);
  });

  it('leaves failed tests to the page that sent them', () => {
    expect(noticeAfter(null, failed({ kind: 'test', rule_id: null }))).toBeNull();
  });
});
