import { pageRead } from './hosts.repository';

// Rows [offset, offset + limit) of `total`, read from the nearer end: the reversed read must
// cover exactly the same rows, as reversed positions total - 1 - i.
describe('pageRead', () => {
  it.each([
    // offset, limit, total, expected
    [0, 25, 100, { offset: 0, limit: 25, reversed: false }],
    [37, 25, 100, { offset: 37, limit: 25, reversed: false }], // 38 back from the end
    [38, 25, 100, { offset: 37, limit: 25, reversed: true }], // 37 back: the nearer end
    [25, 25, 100, { offset: 25, limit: 25, reversed: false }],
    [60, 25, 100, { offset: 15, limit: 25, reversed: true }],
    [75, 25, 100, { offset: 0, limit: 25, reversed: true }], // the last full page
    [90, 25, 100, { offset: 0, limit: 10, reversed: true }], // a partial last page
    [99, 25, 100, { offset: 0, limit: 1, reversed: true }],
    [99_975, 25, 100_000, { offset: 0, limit: 25, reversed: true }],
  ])('offset %d, limit %d of %d', (offset, limit, total, expected) => {
    expect(pageRead(offset, limit, total)).toEqual(expected);
  });

  it('reads no page past the end', () => {
    expect(pageRead(100, 25, 100)).toBeNull();
    expect(pageRead(500, 25, 100)).toBeNull();
    expect(pageRead(0, 25, 0)).toBeNull();
  });

  it('covers exactly the requested rows, whichever end it reads from', () => {
    for (let total = 1; total <= 40; total++) {
      for (let limit = 1; limit <= 12; limit++) {
        for (let offset = 0; offset < total; offset++) {
          const read = pageRead(offset, limit, total)!;
          const positions = Array.from({ length: read.limit }, (_, i) => read.offset + i)
            .map((p) => (read.reversed ? total - 1 - p : p))
            .sort((a, b) => a - b);
          const wanted = Array.from(
            { length: Math.min(limit, total - offset) },
            (_, i) => offset + i,
          );
          expect(positions).toEqual(wanted);
          // Never a longer walk than the forward read's.
          expect(read.offset).toBeLessThanOrEqual(offset);
        }
      }
    }
  });
});
