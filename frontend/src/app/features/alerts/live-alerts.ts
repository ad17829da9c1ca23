import type { Alert, AlertEvent, CheckOutcome } from '../../core/api/api-types';

/** One section of the Alerts page: a page of open or of resolved problems. */
export interface AlertSection {
  items: Alert[];
  total: number;
  page: number;
  pageSize: number;
}

/** What the page shows: either section may be hidden by the status filter (null). */
export interface AlertsView {
  open: AlertSection | null;
  resolved: AlertSection | null;
}

/** Newest first, as the API lists open problems (opened_at desc, id desc). */
export function compareOpen(a: Alert, b: Alert): number {
  return b.opened_at.localeCompare(a.opened_at) || b.id.localeCompare(a.id);
}

/** Newest first, as the API lists resolved problems (resolved_at desc, id desc). */
export function compareResolved(a: Alert, b: Alert): number {
  return (b.resolved_at ?? '').localeCompare(a.resolved_at ?? '') || b.id.localeCompare(a.id);
}

/** The API's tag filter: the tags the host had when the problem opened (kept on the alert). */
export function matchesTag(alert: Alert, tag: string): boolean {
  return tag === '' || alert.host.tags.includes(tag);
}

/**
 * An alert that belongs in a section: replaced in place when listed; on page 1, put in its
 * place (the page keeps its size, the last row moving on to page 2); on a later page, only
 * counted, since the rows on show did not change.
 */
function upsert(
  section: AlertSection,
  alert: Alert,
  compare: (a: Alert, b: Alert) => number,
): AlertSection {
  const at = section.items.findIndex((a) => a.id === alert.id);
  if (at >= 0) {
    const items = [...section.items];
    items[at] = alert;
    return { ...section, items };
  }
  const total = section.total + 1;
  if (section.page !== 1) return { ...section, total };
  const items = [...section.items, alert].sort(compare).slice(0, section.pageSize);
  return { ...section, items, total };
}

/** An alert that left a section: its row goes; one on another page is only uncounted. */
function remove(section: AlertSection, id: string): AlertSection {
  const items = section.items.filter((a) => a.id !== id);
  if (items.length !== section.items.length) {
    return { ...section, items, total: Math.max(0, section.total - 1) };
  }
  // Not on show: it can only have been counted if other pages exist.
  const elsewhere = section.total > section.items.length;
  return elsewhere ? { ...section, total: section.total - 1 } : section;
}

/**
 * A live alert_opened or alert_resolved applied to the page: an opened problem joins the open
 * section, a resolved one leaves it and joins the resolved section, each where the API would
 * list it. Problems outside the tag filter change nothing. Which rows a later page now holds
 * only the server can say: the page reads itself again quietly once events settle.
 */
export function applyAlertEvent(view: AlertsView, event: AlertEvent, tag: string): AlertsView {
  const alert = event.alert;
  if (!matchesTag(alert, tag)) return view;
  if (event.type === 'alert_opened') {
    if (view.resolved?.items.some((a) => a.id === alert.id)) return view;
    return { ...view, open: view.open && upsert(view.open, alert, compareOpen) };
  }
  return {
    open: view.open && remove(view.open, alert.id),
    resolved: view.resolved && upsert(view.resolved, alert, compareResolved),
  };
}

/**
 * A check result for a host with open problems: their current state and last error follow it,
 * as the server records them (the last error changes only when the check failed).
 */
export function applyCheck(items: Alert[], outcome: CheckOutcome): Alert[] {
  let changed = false;
  const next = items.map((a) => {
    if (a.status !== 'open' || a.host.id !== outcome.host_id) return a;
    changed = true;
    return outcome.success
      ? { ...a, current_state: outcome.new_state }
      : {
          ...a,
          current_state: outcome.new_state,
          last_error_type: outcome.error_type,
          last_error_message: outcome.error_message,
          last_stage: outcome.stage,
        };
  });
  return changed ? next : items;
}

export function applyCheckToView(view: AlertsView, outcome: CheckOutcome): AlertsView {
  const open = view.open && applyCheck(view.open.items, outcome);
  if (!view.open || open === view.open.items) return view;
  return { ...view, open: { ...view.open, items: open! } };
}

/** An alert whose acknowledgement changed, replaced where it is listed (nowhere: unchanged). */
export function replaceAlert(items: Alert[], alert: Alert): Alert[] {
  return items.some((a) => a.id === alert.id)
    ? items.map((a) => (a.id === alert.id ? alert : a))
    : items;
}

export function replaceAlertInView(view: AlertsView, alert: Alert): AlertsView {
  if (!view.open) return view;
  const items = replaceAlert(view.open.items, alert);
  return items === view.open.items ? view : { ...view, open: { ...view.open, items } };
}
