import type { CheckOutcome } from '../../core/api/api-types';
import { fakeAlert, openedEvent, resolvedAlert, resolvedEvent } from './alert.fixture';
import {
  applyAlertEvent,
  applyCheckToView,
  replaceAlertInView,
  type AlertSection,
  type AlertsView,
} from './live-alerts';

const ids = (section: AlertSection | null) => section?.items.map((a) => a.id) ?? null;
const section = (items: ReturnType<typeof fakeAlert>[], total = items.length, page = 1) => ({
  items,
  total,
  page,
  pageSize: 3,
});

describe('alerts page: live opened and resolved events', () => {
  const a = fakeAlert('a', 30);
  const b = fakeAlert('b', 20);
  const old = resolvedAlert(fakeAlert('old', 0), 10);
  const view: AlertsView = { open: section([a, b]), resolved: section([old]) };

  it('puts a problem that opens at the top of the open problems, counted', () => {
    const c = fakeAlert('c', 40);
    const next = applyAlertEvent(view, openedEvent(c), '');
    expect(ids(next.open)).toEqual(['c', 'a', 'b']);
    expect(next.open!.total).toBe(3);
    expect(next.resolved).toBe(view.resolved);
  });

  it('moves a problem that resolves from the open ones to the top of the resolved ones', () => {
    const next = applyAlertEvent(view, resolvedEvent(resolvedAlert(b, 45)), '');
    expect(ids(next.open)).toEqual(['a']);
    expect(next.open!.total).toBe(1);
    expect(ids(next.resolved)).toEqual(['b', 'old']);
    expect(next.resolved!.total).toBe(2);
    expect(next.resolved!.items[0].resolve_reason).toBe('recovered');
  });

  it('applies an event seen twice once', () => {
    const c = fakeAlert('c', 40);
    const twice = applyAlertEvent(applyAlertEvent(view, openedEvent(c), ''), openedEvent(c), '');
    expect(ids(twice.open)).toEqual(['c', 'a', 'b']);
    expect(twice.open!.total).toBe(3);
    const done = resolvedEvent(resolvedAlert(a, 50));
    const resolvedTwice = applyAlertEvent(applyAlertEvent(view, done, ''), done, '');
    expect(resolvedTwice.open!.total).toBe(1);
    expect(resolvedTwice.resolved!.total).toBe(2);
  });

  it('keeps the page size on page 1 and only counts news on later pages', () => {
    const full: AlertsView = {
      open: section([fakeAlert('x', 50), a, b], 7),
      resolved: section([old], 9, 2),
    };
    const next = applyAlertEvent(full, openedEvent(fakeAlert('new', 59)), '');
    expect(ids(next.open)).toEqual(['new', 'x', 'a']);
    expect(next.open!.total).toBe(8);
    // Older than everything on page 1: it belongs on page 2 and is only counted.
    const older = applyAlertEvent(full, openedEvent(fakeAlert('older', 1)), '');
    expect(ids(older.open)).toEqual(['x', 'a', 'b']);
    expect(older.open!.total).toBe(8);
    // Page 2 of the resolved ones: the rows on show stay, the count grows.
    const moved = applyAlertEvent(full, resolvedEvent(resolvedAlert(a, 59)), '');
    expect(ids(moved.resolved)).toEqual(['old']);
    expect(moved.resolved!.total).toBe(10);
    expect(ids(moved.open)).toEqual(['x', 'b']);
    expect(moved.open!.total).toBe(6);
  });

  it('uncounts a problem that resolves on another page of open ones, but not one never counted', () => {
    const paged: AlertsView = { open: section([a], 4, 2), resolved: null };
    const elsewhere = fakeAlert('elsewhere', 5);
    const next = applyAlertEvent(paged, resolvedEvent(resolvedAlert(elsewhere, 59)), '');
    expect(next.open!.total).toBe(3);
    expect(next.resolved).toBeNull();
    const complete: AlertsView = { open: section([a, b]), resolved: null };
    expect(
      applyAlertEvent(complete, resolvedEvent(resolvedAlert(elsewhere, 59)), '').open!.total,
    ).toBe(2);
  });

  it('leaves out problems of hosts without the filtered tag, and sections the filter hides', () => {
    const tagged = fakeAlert('t', 55, {
      host: { id: 'h', hostname: 'db-1', ip_address: null, port: 22, tags: ['db'] },
    });
    expect(applyAlertEvent(view, openedEvent(tagged), 'web')).toBe(view);
    expect(ids(applyAlertEvent(view, openedEvent(tagged), 'db').open)).toEqual(['t', 'a', 'b']);
    const resolvedOnly: AlertsView = { open: null, resolved: section([old]) };
    expect(applyAlertEvent(resolvedOnly, openedEvent(tagged), '')).toEqual(resolvedOnly);
  });
});

describe('alerts page: check results on open problems', () => {
  const a = fakeAlert('a', 30);
  const view: AlertsView = { open: section([a]), resolved: null };
  const outcome = (change: Partial<CheckOutcome>): CheckOutcome =>
    ({
      host_id: a.host.id,
      success: false,
      new_state: 'DOWN',
      error_type: 'timeout',
      error_message: 'no answer within 10 s',
      stage: 'connect',
      ...change,
    }) as CheckOutcome;

  it("follows the host's state and its last error", () => {
    const next = applyCheckToView(view, outcome({}));
    expect(next.open!.items[0]).toMatchObject({
      current_state: 'DOWN',
      last_error_type: 'timeout',
      last_error_message: 'no answer within 10 s',
      severity: 'warning',
    });
  });

  it('keeps the last error after a success, and ignores other hosts', () => {
    const next = applyCheckToView(view, outcome({ success: true, new_state: 'DEGRADED' }));
    expect(next.open!.items[0]).toMatchObject({
      current_state: 'DEGRADED',
      last_error_type: 'connection_refused',
    });
    expect(applyCheckToView(view, outcome({ host_id: 'someone-else' }))).toBe(view);
  });
});

describe('alerts page: acknowledgements from other consoles', () => {
  it('replaces the acknowledged problem in place, and leaves a page without it alone', () => {
    const a = fakeAlert('a', 1);
    const b = fakeAlert('b', 2);
    const view: AlertsView = { open: section([b, a]), resolved: section([]) };
    const acked = { ...a, acknowledged: true, acknowledged_by: 'op', ack_comment: 'on it' };
    const next = replaceAlertInView(view, acked);
    expect(next.open?.items[1]).toEqual(acked);
    expect(next.open?.items[0]).toBe(b);
    expect(replaceAlertInView(view, fakeAlert('elsewhere', 3))).toBe(view);
  });
});
