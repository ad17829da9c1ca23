import type { Policy } from '../../core/api/api-types';

/** The checks the server makes too, so most mistakes are caught before saving. */
export function policyProblems(p: Policy): Record<string, string> {
  const out: Record<string, string> = {};
  const t = p.thresholds;
  for (const [key, value] of Object.entries(t)) {
    if (!Number.isInteger(value) || value < 1 || value > 1000) {
      out[`thresholds.${key}`] = 'a whole number from 1 to 1000';
    }
  }
  if (t.critical_after_failures < t.degraded_after_failures) {
    out['thresholds.critical_after_failures'] = 'must not be below the DEGRADED threshold';
  }
  if (t.down_after_failures < t.critical_after_failures) {
    out['thresholds.down_after_failures'] = 'must not be below the CRITICAL threshold';
  }
  for (const [key, value] of Object.entries(p.intervals_seconds)) {
    if (!Number.isInteger(value) || value < 1 || value > 604800) {
      out[`intervals_seconds.${key}`] = 'whole seconds from 1 to 604800 (a week)';
    }
  }
  for (const [key, value] of Object.entries(p.priorities)) {
    if (!Number.isInteger(value) || value < 0 || value > 9) {
      out[`priorities.${key}`] = 'a whole number from 0 to 9';
    }
  }
  if (!(p.jitter_ratio >= 0 && p.jitter_ratio <= 0.5)) out['jitter_ratio'] = 'from 0 to 0.5';
  for (const [key, value] of Object.entries(p.flapping)) {
    if (!(value >= 0 && value <= 100)) out[`flapping.${key}`] = 'a percentage from 0 to 100';
  }
  if (!out['flapping.stop_percent'] && p.flapping.stop_percent > p.flapping.start_percent) {
    out['flapping.stop_percent'] = 'must not be above the start percentage';
  }
  return out;
}
