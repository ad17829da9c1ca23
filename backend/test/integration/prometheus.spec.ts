import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../support/ports';
import { startPrometheus, type Prometheus } from '../support/prometheus';
import { startSshd, type Sshd } from '../support/sshd';
import { createTestApp, type TestApp } from '../support/test-app';
import { truncateAll } from '../support/test-env';
import { waitUntil } from '../support/wait';

const METRICS_TOKEN = 'spec-metrics-token-5f2c9a7e1b';
const DOCKER = join(__dirname, '../../../docker');

/** One sample line of the exposition format: name, labels, value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]] = l[2];
    }
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/**
 * Debian's real Prometheus scrapes the real app (api and worker roles, real probes of a real
 * sshd and of closed ports) with METRICS_TOKEN, and its query API must agree with the app:
 * hosts DOWN as the stats endpoint counts them, and probe durations as the app recorded them.
 */
describe('Prometheus scrapes hostwatch', () => {
  let app: TestApp;
  let sshd: Sshd;
  let prometheus: Prometheus;

  beforeAll(async () => {
    sshd = await startSshd();
    app = await createTestApp({
      roles: 'api,worker',
      env: { METRICS_TOKEN, PROBE_CONNECT_TIMEOUT_MS: '1000', PROBE_TIMEOUT_MS: '3000' },
    });
    await truncateAll(app.dataSource);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await app?.close();
    await sshd?.stop();
  });

  const appMetrics = async (): Promise<Sample[]> => {
    const res = await app.api(METRICS_TOKEN).get('/metrics').expect(200);
    return parseExposition(res.text);
  };

  it('answers sum(hostwatch_hosts{state="DOWN"}) and probe-duration quantiles as the app does', async () => {
    const api = app.api();
    const closed = [await freePort(), await freePort()];
    const hosts = [];
    for (const [i, port] of closed.entries()) {
      hosts.push(
        (
          await api
            .post('/api/hosts')
            .send({ hostname: `closed-${i}`, ip_address: '127.0.0.1', port })
            .expect(201)
        ).body,
      );
    }
    const up = (
      await api
        .post('/api/hosts')
        .send({ hostname: 'sshd', ip_address: sshd.host, port: sshd.port })
        .expect(201)
    ).body;
    const jit = async (id: string) =>
      (
        await api
          .post(`/api/monitoring/hosts/${id}/check-connectivity?wait=true&timeout_ms=10000`)
          .expect(200)
      ).body;
    // Three failures make a host DOWN under the default thresholds.
    for (let round = 0; round < 3; round++) {
      for (const host of hosts) expect((await jit(host.id)).error_type).toBe('connection_refused');
    }
    expect((await jit(up.id)).success).toBe(true);

    const stats = (await api.get('/api/monitoring/stats').expect(200)).body;
    expect(stats.hosts_by_state.DOWN).toBe(2);
    const own = await appMetrics();
    const ownCount = own
      .filter((s) => s.name === 'hostwatch_probe_duration_seconds_count')
      .reduce((n, s) => n + s.value, 0);
    expect(ownCount).toBe(7);

    const address = new URL(app.url!).host;
    prometheus = await startPrometheus(
      { address, bearerToken: METRICS_TOKEN },
      { ruleFiles: [join(DOCKER, 'prometheus-alerts.yml')] },
    );
    // Until a scrape taken after the last check has landed.
    await waitUntil(
      async () => {
        const [sample] = await prometheus.query('sum(hostwatch_probe_duration_seconds_count)');
        return sample?.value === ownCount;
      },
      30000,
      'Prometheus has scraped the checks',
    ).catch(async (error) => {
      throw new Error(
        `${error.message}; targets: ${JSON.stringify(await prometheus.targets())}; logs: ${prometheus.logs()}`,
      );
    });
    const [target] = await prometheus.targets();
    expect(target.health).toBe('up');

    const [down] = await prometheus.query('sum(hostwatch_hosts{state="DOWN"})');
    expect(down.value).toBe(stats.hosts_by_state.DOWN);
    const [healthy] = await prometheus.query('sum(hostwatch_hosts{state="HEALTHY"})');
    expect(healthy.value).toBe(stats.hosts_by_state.HEALTHY);

    // The same buckets on both sides...
    const promBuckets = await prometheus.query(
      'sum by (le) (hostwatch_probe_duration_seconds_bucket)',
    );
    const ownBuckets = new Map<string, number>();
    for (const s of own.filter((x) => x.name === 'hostwatch_probe_duration_seconds_bucket')) {
      ownBuckets.set(s.labels.le, (ownBuckets.get(s.labels.le) ?? 0) + s.value);
    }
    expect(new Map(promBuckets.map((b) => [b.metric.le, b.value]))).toEqual(ownBuckets);

    // ...and Prometheus's p90 lies in the bucket that holds the app's own p90 response time.
    const [p90] = await prometheus.query(
      'histogram_quantile(0.9, sum by (le) (hostwatch_probe_duration_seconds_bucket))',
    );
    const times: number[] = (
      await app.dataSource.query(
        'SELECT response_time_ms FROM host_check_history ORDER BY response_time_ms',
      )
    ).map((r: { response_time_ms: number }) => r.response_time_ms / 1000);
    expect(times).toHaveLength(7);
    const ownP90 = times[Math.ceil(0.9 * times.length) - 1];
    const bounds = [0, ...[...ownBuckets.keys()].filter((le) => le !== '+Inf').map(Number)].sort(
      (a, b) => a - b,
    );
    const upper = bounds.find((b) => b >= ownP90)!;
    const lower = bounds[bounds.indexOf(upper) - 1] ?? 0;
    expect(p90.value).toBeGreaterThanOrEqual(lower);
    expect(p90.value).toBeLessThanOrEqual(upper);

    // Per stage and result, as the checks ended.
    const failures = await prometheus.query(
      'sum(hostwatch_checks_total{result="failure",error_type="connection_refused"})',
    );
    expect(failures[0].value).toBe(6);
    const byStage = await prometheus.query(
      'sum by (stage) (hostwatch_probe_duration_seconds_count)',
    );
    expect(Object.fromEntries(byStage.map((s) => [s.metric.stage, s.value]))).toEqual({
      connect: 6,
      kex: 1,
    });
  });

  it('evaluates the shipped alert rules and every dashboard query without error', async () => {
    await waitUntil(
      async () => {
        const rules = await prometheus.rules();
        return rules.length > 0 && rules.every((r) => r.health === 'ok');
      },
      20000,
      'every alert rule evaluated',
    ).catch(async (error) => {
      throw new Error(`${error.message}: ${JSON.stringify(await prometheus.rules())}`);
    });
    expect((await prometheus.rules()).map((r) => r.name).sort()).toEqual([
      'HostwatchDependencyDown',
      'HostwatchDown',
      'HostwatchJobsFailing',
      'HostwatchNotificationsFail',
      'HostwatchQueueBackingUp',
      'HostwatchScheduleLate',
    ]);
    const dashboard = JSON.parse(readFileSync(join(DOCKER, 'grafana-dashboard.json'), 'utf8'));
    const exprs: string[] = dashboard.panels.flatMap(
      (p: { targets?: Array<{ expr: string }> }) => p.targets?.map((t) => t.expr) ?? [],
    );
    expect(exprs.length).toBeGreaterThan(20);
    for (const expr of exprs) {
      // Grafana's $__rate_interval is at least four scrape intervals.
      await prometheus.query(expr.replaceAll('$__rate_interval', '1m'));
    }
  });
});
