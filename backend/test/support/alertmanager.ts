/**
 * A REAL Prometheus Alertmanager (Debian's prometheus-alertmanager) on a free loopback port,
 * with a temporary config and storage directory. Its one receiver is a webhook to `webhookUrl`
 * (with resolved notifications), so a spec can see what Alertmanager itself does with the
 * alerts hostwatch posts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { waitUntil } from './wait';

export const ALERTMANAGER_BINARY = '/usr/bin/prometheus-alertmanager';

export interface Alertmanager {
  url: string;
  /** GET /api/v2/alerts: the alerts it holds as active. */
  alerts(): Promise<
    Array<{
      labels: Record<string, string>;
      annotations: Record<string, string>;
      startsAt: string;
      endsAt: string;
      status: { state: string };
    }>
  >;
  logs(): string;
  stop(): Promise<void>;
}

export async function startAlertmanager(webhookUrl: string): Promise<Alertmanager> {
  const dir = await mkdtemp(join(tmpdir(), 'hw-alertmanager-'));
  const port = await freePort();
  await writeFile(
    join(dir, 'alertmanager.yml'),
    [
      'route:',
      '  receiver: hostwatch-spec',
      '  group_by: [alertname, host]',
      '  group_wait: 0s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: hostwatch-spec',
      '    webhook_configs:',
      `      - url: ${webhookUrl}`,
      '        send_resolved: true',
      '',
    ].join('\n'),
  );
  let output = '';
  const child: ChildProcess = spawn(
    ALERTMANAGER_BINARY,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
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
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      });
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`alertmanager exited: ${output}`);
        try {
          return (await fetch(`${url}/-/ready`)).ok;
        } catch {
          return false;
        }
      },
      15000,
      'alertmanager ready',
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    alerts: async () => (await (await fetch(`${url}/api/v2/alerts`)).json()) as never,
    logs: () => output,
    stop,
  };
}
