import type { AlertEventKind, AlertPayload } from '../alerts/alert-vocabulary';
import { planMessages, type WaitingItem } from './grouping';

let n = 0;
const item = (host: string, kind: AlertEventKind): WaitingItem => ({
  itemId: `i${++n}`,
  host,
  kind,
  payload: { kind } as AlertPayload,
});
const shape = (items: WaitingItem[], max?: number) =>
  planMessages(items, max).map((m) => `${m.kind}:${m.items.map((i) => i.host).join(',')}`);

describe('planning a group into messages', () => {
  it('puts 1,000 hosts going DOWN together in one message', () => {
    const items = Array.from({ length: 1000 }, (_, i) => item(`h${i}`, 'problem_opened'));
    const messages = planMessages(items);
    expect(messages).toHaveLength(1);
    expect(messages[0].items).toHaveLength(1000);
  });

  it('splits only past the limit, keeping order', () => {
    const items = Array.from({ length: 2501 }, (_, i) => item(`h${i}`, 'problem_opened'));
    expect(planMessages(items).map((m) => m.items.length)).toEqual([1000, 1000, 501]);
  });

  it('makes one message per kind, interleaved kinds included', () => {
    expect(
      shape([
        item('a', 'problem_opened'),
        item('b', 'problem_resolved'),
        item('c', 'problem_opened'),
        item('d', 'degraded'),
      ]),
    ).toEqual(['problem_opened:a,c', 'problem_resolved:b', 'degraded:d']);
  });

  it("keeps a host's events in order: opened, resolved, opened again", () => {
    expect(
      shape([
        item('a', 'problem_opened'),
        item('b', 'problem_opened'),
        item('a', 'problem_resolved'),
        item('c', 'problem_opened'),
        item('a', 'problem_opened'),
      ]),
    ).toEqual(['problem_opened:a,b,c', 'problem_resolved:a', 'problem_opened:a']);
  });

  it('never repeats an item and loses none', () => {
    const kinds: AlertEventKind[] = ['problem_opened', 'problem_resolved', 'degraded'];
    const items = Array.from({ length: 300 }, (_, i) => item(`h${i % 17}`, kinds[(i * 7) % 3]));
    const planned = planMessages(items, 25).flatMap((m) => m.items.map((i) => i.itemId));
    expect(planned.sort()).toEqual(items.map((i) => i.itemId).sort());
    // Per host, the order of its items is kept across messages.
    const order = planMessages(items, 25).flatMap((m) => m.items);
    for (let h = 0; h < 17; h++) {
      const mine = items.filter((i) => i.host === `h${h}`).map((i) => i.itemId);
      expect(order.filter((i) => i.host === `h${h}`).map((i) => i.itemId)).toEqual(mine);
    }
  });
});
