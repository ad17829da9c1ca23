import { isUnreachable, recoveredFromDown } from './reachability';
import { MONITORING_STATES } from './monitoring-state';

describe('unreachable hosts (behind a parent that is down, or a jump host that failed)', () => {
  it.each(MONITORING_STATES.map((s) => [s]))(
    'a success is never unreachable (parent %s)',
    (parent) => {
      expect(
        isUnreachable({
          success: true,
          jumpLegFailed: false,
          hostAnswered: false,
          parentState: parent,
        }),
      ).toBe(false);
    },
  );

  it.each([
    ['CRITICAL', true],
    ['DOWN', true],
    ['DEGRADED', false],
    ['HEALTHY', false],
    ['UNKNOWN', false],
    ['MAINTENANCE', false],
  ] as const)('a failure behind a %s parent: unreachable %s', (parent, expected) => {
    expect(
      isUnreachable({
        success: false,
        jumpLegFailed: false,
        hostAnswered: false,
        parentState: parent,
      }),
    ).toBe(expected);
  });

  it('a failure on the jump leg is unreachable whatever the parent, and no parent is a plain failure', () => {
    expect(
      isUnreachable({
        success: false,
        jumpLegFailed: true,
        hostAnswered: false,
        parentState: 'HEALTHY',
      }),
    ).toBe(true);
    expect(
      isUnreachable({
        success: false,
        jumpLegFailed: true,
        hostAnswered: false,
        parentState: null,
      }),
    ).toBe(true);
    expect(
      isUnreachable({
        success: false,
        jumpLegFailed: false,
        hostAnswered: false,
        parentState: null,
      }),
    ).toBe(false);
  });

  it('a host that answered failed on its own, even behind a DOWN parent', () => {
    expect(
      isUnreachable({
        success: false,
        jumpLegFailed: false,
        hostAnswered: true,
        parentState: 'DOWN',
      }),
    ).toBe(false);
  });

  it('a parent recovers when it leaves CRITICAL or DOWN for a better state', () => {
    expect(recoveredFromDown('DOWN', 'DEGRADED')).toBe(true);
    expect(recoveredFromDown('CRITICAL', 'HEALTHY')).toBe(true);
    expect(recoveredFromDown('CRITICAL', 'DOWN')).toBe(false);
    expect(recoveredFromDown('DEGRADED', 'HEALTHY')).toBe(false);
  });
});
