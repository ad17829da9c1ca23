import { createHmac } from 'node:crypto';
import type { AlertPayload } from '../../alerts/alert-vocabulary';
import { retryDelay } from '../delivery.service';
import { summarize } from '../message-text';
import { alertLabels, alertmanagerAlert, labelName } from './alertmanager.sender';
import { slackPayload } from './slack.sender';
import { signature, webhookBody } from './webhook.sender';

const alert = (over: Partial<AlertPayload> = {}): AlertPayload => ({
  alert_id: '5b0e7c1e-2f4b-4c53-9a7e-2d9d8f0c1a11',
  kind: 'problem_opened',
  alert_kind: 'problem',
  severity: 'critical',
  host: {
    id: 'h1',
    hostname: 'web-001',
    ip_address: '10.0.0.1',
    port: 22,
    tags: ['rack 7', 'prod'],
  },
  state: 'DOWN',
  previous_state: 'CRITICAL',
  error_type: 'timeout',
  error_message: 'no banner <in time> & more',
  stage: 'banner',
  opened_at: '2026-12-01T10:00:00.000Z',
  resolved_at: null,
  resolve_reason: null,
  state_at_open: 'DOWN',
  opening_error_type: 'timeout',
  ...over,
});

describe('webhook', () => {
  it('signs "<t>.<raw body>" with HMAC-SHA256 of the secret', () => {
    const body = '{"event_id":"e1"}';
    const expected = createHmac('sha256', 's3cret').update(`1700000000.${body}`).digest('hex');
    expect(signature('s3cret', 1700000000, body)).toBe(`t=1700000000,v1=${expected}`);
  });

  it('sends the documented fields, the event id first', () => {
    const body = webhookBody(
      { id: 'msg-1', kind: 'problem_opened', alerts: [alert()] },
      new Date('2026-12-01T10:00:30Z'),
      'https://hw.example.com',
    );
    expect(Object.keys(body)).toEqual(['event_id', 'kind', 'sent_at', 'console_url', 'alerts']);
    expect(body.alerts[0]).toMatchObject({
      alert_id: alert().alert_id,
      kind: 'problem_opened',
      host: {
        id: 'h1',
        hostname: 'web-001',
        ip_address: '10.0.0.1',
        port: 22,
        tags: ['rack 7', 'prod'],
      },
      state: 'DOWN',
      previous_state: 'CRITICAL',
      error_type: 'timeout',
      stage: 'banner',
      opened_at: '2026-12-01T10:00:00.000Z',
      resolved_at: null,
    });
    expect(body.alerts[0]).not.toHaveProperty('opening_error_type');
  });
});

describe('human-readable messages', () => {
  it('groups many hosts into one line with counts by state and tag', () => {
    const many = Array.from({ length: 1000 }, (_, i) =>
      alert({ host: { ...alert().host, hostname: `web-${String(i + 1).padStart(3, '0')}` } }),
    );
    const s = summarize('problem_opened', many, null);
    expect(s.headline).toBe(
      '🔴 1,000 hosts DOWN: web-001, web-002, web-003, web-004, web-005, web-006, web-007, web-008, web-009, web-010 … and 990 more',
    );
    expect(s.byState).toEqual([['DOWN', 1000]]);
    expect(s.byTag).toEqual([
      ['prod', 1000],
      ['rack 7', 1000],
    ]);
  });

  it('escapes Slack mrkdwn control characters and links to the host', () => {
    const payload = slackPayload(
      { id: 'm', kind: 'problem_opened', alerts: [alert()] },
      'https://hw',
    );
    const text = JSON.stringify(payload.blocks);
    expect(text).toContain('&lt;in time&gt; &amp; more');
    expect(text).toContain('https://hw/hosts/h1');
    expect(payload.text).toBe('🔴 DOWN: web-001');
  });
});

describe('Alertmanager', () => {
  const ctx = {
    now: new Date('2026-12-01T10:05:00Z'),
    consoleUrl: null,
    alertmanagerResendSeconds: 60,
  };

  it('labels an alert by what opened it, fixed for its life', () => {
    const opened = alertLabels(
      alert({ state: 'CRITICAL', state_at_open: 'CRITICAL', severity: 'warning' }),
    );
    const later = alertLabels(
      alert({
        state: 'DOWN',
        state_at_open: 'CRITICAL',
        severity: 'warning',
        error_type: 'refused',
      }),
    );
    expect(later).toEqual(opened);
    expect(opened).toEqual({
      alertname: 'HostwatchProblem',
      host: 'web-001',
      state: 'CRITICAL',
      error_type: 'timeout',
      severity: 'warning',
      tag_rack_7: 'true',
      tag_prod: 'true',
    });
    expect(alertLabels(alert({ alert_kind: 'host_key_mismatch' })).alertname).toBe(
      'HostwatchHostKeyMismatch',
    );
    expect(labelName('eu-west/1')).toBe('tag_eu_west_1');
  });

  it('fires with endsAt four resend intervals ahead; resolves with endsAt when it resolved', () => {
    expect(alertmanagerAlert(alert(), ctx)).toMatchObject({
      startsAt: '2026-12-01T10:00:00.000Z',
      endsAt: '2026-12-01T10:09:00.000Z',
      annotations: { current_state: 'DOWN', last_error: 'timeout: no banner <in time> & more' },
    });
    const resolved = alert({
      kind: 'problem_resolved',
      state: 'HEALTHY',
      resolved_at: '2026-12-01T10:04:00.000Z',
    });
    expect(alertmanagerAlert(resolved, ctx)).toMatchObject({ endsAt: '2026-12-01T10:04:00.000Z' });
  });
});

describe('retry delays', () => {
  it('double from the base up to the maximum, jittered within the upper half', () => {
    expect([1, 2, 3, 4, 10].map((n) => retryDelay(n, 1000, 8000, () => 1))).toEqual([
      1000, 2000, 4000, 8000, 8000,
    ]);
    expect(retryDelay(3, 1000, 8000, () => 0)).toBe(2000);
  });
});
