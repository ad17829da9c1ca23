/**
 * A REAL Prometheus (Debian's `prometheus` package) on a free loopback port, with a temporary
 * config and TSDB directory, scraping one target every second. A spec asks its query API what
 * it scraped, and compares that with what the app says itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { waitUntil } from './wait';

export const PROMETHEUS_BINARY = '/usr/bin/prometheus';

export interface ScrapeTarget {
  /** `127.0.0.1:3000` */
  address: string;
  metricsPath?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  bearerToken?: string;
}

export interface PrometheusOptions {
  /** Rule files to load (absolute paths). */
  ruleFiles?: string[];
}

export interface Prometheus {
  url: string;
  /** An instant query; the vector's samples as labels and numbers. */
  query(promql: string): Promise<Array<{ metric: Record<string, string>; value: number }>>;
  /** GET /api/v1/rules: every loaded rule with its health. */
  rules(): Promise<Array<{ name: string; health: string; lastError?: string }>>;
  /** GET /api/v1/targets: the scrape target's health and last error. */
  targets(): Promise<Array<{ health: string; lastError: string; scrapeUrl: string }>>;
  logs(): string;
  stop(): Promise<void>;
}

export async function startPrometheus(
  target: ScrapeTarget,
  options: PrometheusOptions = {},
): Promise<Prometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'hw-prometheus-'));
  const port = await freePort();
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    ...(options.ruleFiles?.length
      ? ['rule_files:', ...options.ruleFiles.map((f) => `  - ${f}`)]
      : []),
    'scrape_configs:',
    '  - job_name: hostwatch',
    `    metrics_path: ${target.metricsPath ?? '/metrics'}`,
    ...(target.bearerToken
      ? ['    authorization:', '      type: Bearer', `      credentials: ${target.bearerToken}`]
      : []),
    '    static_configs:',
    `      - targets: ['${target.address}']`,
    '',
  ].join('\n');
  await writeFile(join(dir, 'prometheus.yml'), config);
  let output = '';
  const child: ChildProcess = spawn(
    PROMETHEUS_BINARY,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      });
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited: ${output}`);
        try {
          return (await fetch(`${url}/-/ready`)).ok;
        } catch {
          return false;
        }
      },
      30000,
      'prometheus ready',
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    query: async (promql) => {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await res.json()) as {
        status: string;
        error?: string;
        data: {
          resultType: string;
          result: Array<{ metric: Record<string, string>; value: [number, string] }>;
        };
      };
      if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error}`);
      return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    rules: async () => {
      const res = await fetch(`${url}/api/v1/rules`);
      const body = (await res.json()) as {
        data: {
          groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }>;
        };
      };
      return body.data.groups.flatMap((g) => g.rules);
    },
    targets: async () => {
      const res = await fetch(`${url}/api/v1/targets`);
      const body = (await res.json()) as {
        data: { activeTargets: Array<{ health: string; lastError: string; scrapeUrl: string }> };
      };
      return body.data.activeTargets;
    },
    logs: () => output,
    stop,
  };
}
