import type { MonitoringState } from '../core/api/api-types';

export interface StateStyle {
  /** What the badge says (colour is never the only signal). */
  label: string;
  /** A symbol beside the label, for those who skim or cannot tell the colours apart. */
  symbol: string;
  background: string;
  foreground: string;
  /** Chart colour, same hue as the badge. */
  chart: string;
  /** Worst first, for sorting and for the dashboard's order. */
  severity: number;
}

/** Badge colours chosen for a contrast of at least 4.5:1 between text and background. */
export const STATE_STYLES: Record<MonitoringState, StateStyle> = {
  HEALTHY: {
    label: 'Healthy',
    symbol: '●',
    background: '#1b5e20',
    foreground: '#ffffff',
    chart: '#2e7d32',
    severity: 1,
  },
  DEGRADED: {
    label: 'Degraded',
    symbol: '▲',
    background: '#7a4100',
    foreground: '#ffffff',
    chart: '#ef6c00',
    severity: 3,
  },
  CRITICAL: {
    label: 'Critical',
    symbol: '◆',
    background: '#b3261e',
    foreground: '#ffffff',
    chart: '#c62828',
    severity: 4,
  },
  DOWN: {
    label: 'Down',
    symbol: '■',
    background: '#3e0a10',
    foreground: '#ffffff',
    chart: '#5d1019',
    severity: 5,
  },
  UNKNOWN: {
    label: 'Unknown',
    symbol: '?',
    background: '#e3e3e3',
    foreground: '#1f1f1f',
    chart: '#9e9e9e',
    severity: 2,
  },
  MAINTENANCE: {
    label: 'Maintenance',
    symbol: '‖',
    background: '#0b3d91',
    foreground: '#ffffff',
    chart: '#1565c0',
    severity: 0,
  },
};

export function stateStyle(state: string | null | undefined): StateStyle {
  return STATE_STYLES[(state ?? 'UNKNOWN') as MonitoringState] ?? STATE_STYLES.UNKNOWN;
}

/** "Ready for scan?": yes only when authentication succeeded and the host key is pinned. */
export function readyForScan(outcome: {
  success: boolean;
  stage: string;
  host_key_pinned: boolean;
}): { ready: boolean; reason: string } {
  if (!outcome.success) return { ready: false, reason: 'the check failed' };
  if (outcome.stage !== 'auth') {
    return {
      ready: false,
      reason: 'reachable, but no credential was tried: add one so authentication is checked',
    };
  }
  if (!outcome.host_key_pinned) return { ready: false, reason: 'the host key is not pinned' };
  return { ready: true, reason: 'authentication succeeded and the host key is pinned' };
}
