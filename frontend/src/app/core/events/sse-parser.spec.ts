import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('reads named events with JSON data, as GET /api/events sends them', () => {
    const parser = new SseParser();
    const out = parser.feed('event: check\ndata: {"type":"check"}\nretry: 3000\n\n');
    expect(out).toEqual([{ event: 'check', data: '{"type":"check"}', id: null, retry: 3000 }]);
  });

  it('completes a message split across chunks at any point', () => {
    const text = 'event: transition\ndata: {"a":1}\n\nevent: ping\ndata: {}\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      const parser = new SseParser();
      const out = [...parser.feed(text.slice(0, cut)), ...parser.feed(text.slice(cut))];
      expect(out.map((m) => [m.event, m.data])).toEqual([
        ['transition', '{"a":1}'],
        ['ping', '{}'],
      ]);
    }
  });

  it('accepts CRLF and CR line ends, joins multi-line data, ignores comments', () => {
    const parser = new SseParser();
    const out = parser.feed(': keep-alive\r\ndata: one\r\ndata: two\r\r\n');
    expect(out).toEqual([{ event: 'message', data: 'one\ntwo', id: null, retry: null }]);
  });

  it('does not emit a message for an event name without data', () => {
    const parser = new SseParser();
    expect(parser.feed('event: check\n\n')).toEqual([]);
    expect(parser.feed('data: x\n\n')[0].event).toBe('message');
  });
});
