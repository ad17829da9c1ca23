import type { Alert, AlertEvent } from '../api/api-types';
import { OpenAlertCount } from './open-alert-count';

const alert = (id: string): Alert =>
  ({ id, status: 'open', host: { id: 'h', hostname: 'web', tags: [] } }) as unknown as Alert;
const opened = (id: string): AlertEvent => ({
  type: 'alert_opened',
  alert: alert(id),
  at: '2026-12-01T10:00:00.000Z',
});
const resolved = (id: string): AlertEvent => ({
  type: 'alert_resolved',
  alert: { ...alert(id), status: 'resolved' },
  at: '2026-12-01T10:01:00.000Z',
});

function readOnce(count: OpenAlertCount, total: number): boolean {
  count.readStarted();
  return count.readAnswered(total);
}

describe('the bell: open problems, live', () => {
  it('starts from the read total and follows opened and resolved events', () => {
    const count = new OpenAlertCount();
    expect(count.value).toBeNull();
    expect(readOnce(count, 2)).toBe(false);
    expect(count.value).toBe(2);
    expect(count.apply(opened('a'))).toBe(true);
    expect(count.apply(opened('b'))).toBe(true);
    expect(count.value).toBe(4);
    expect(count.apply(resolved('a'))).toBe(true);
    // One that was open before the read resolves too.
    expect(count.apply(resolved('old'))).toBe(true);
    expect(count.value).toBe(2);
  });

  it('counts an event seen twice once, and never drops below zero', () => {
    const count = new OpenAlertCount();
    readOnce(count, 0);
    count.apply(opened('a'));
    expect(count.apply(opened('a'))).toBe(false);
    expect(count.value).toBe(1);
    count.apply(resolved('a'));
    expect(count.apply(resolved('a'))).toBe(false);
    // An open event that arrives after its own resolve (out of order) does not count it again.
    expect(count.apply(opened('a'))).toBe(false);
    expect(count.apply(resolved('z'))).toBe(false);
    expect(count.value).toBe(0);
  });

  it('does not take an answer that events may have overtaken, and asks for another read', () => {
    const count = new OpenAlertCount();
    readOnce(count, 3);
    count.readStarted();
    // Committed and announced while the read was out: the answer may or may not include it.
    count.apply(opened('x'));
    expect(count.value).toBe(4);
    expect(count.readAnswered(4)).toBe(true);
    expect(count.value).toBe(4);
    // The read after the burst includes every event so far: its answer is the number.
    expect(readOnce(count, 4)).toBe(false);
    expect(count.value).toBe(4);
  });

  it('is put right by the read after a reconnect, whatever was missed meanwhile', () => {
    const count = new OpenAlertCount();
    readOnce(count, 1);
    count.apply(opened('a'));
    expect(count.value).toBe(2);
    // Disconnected: three problems opened and one resolved unseen. Reconnected: read again.
    expect(readOnce(count, 4)).toBe(false);
    expect(count.value).toBe(4);
    // Ids seen before that read no longer matter: its total includes them.
    expect(count.apply(resolved('a'))).toBe(true);
    expect(count.value).toBe(3);
  });

  it('shows the first answer even when events crossed it, and keeps a failed read harmless', () => {
    const count = new OpenAlertCount();
    count.readStarted();
    count.apply(opened('a'));
    expect(count.value).toBeNull();
    expect(count.readAnswered(1)).toBe(true);
    expect(count.value).toBe(1);
    count.readStarted();
    count.readFailed();
    expect(count.apply(opened('b'))).toBe(true);
    expect(count.value).toBe(2);
  });
});
