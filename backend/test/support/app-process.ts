/**
 * hostwatch as `npm start` runs it (the built app, dist/backend/src/main.js) in a process of
 * its own, for specs that break its dependencies: its log is kept line by line, and whether
 * it is still running is the spec's to check. Build first (scripts/build-if-needed.js --api).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { api } from '../../../tools/fleet/register';
import { TEST_ADMIN } from './test-env';
import { waitUntil } from './wait';

const ROOT = join(__dirname, '..', '..', '..');
export const MAIN_JS = join(ROOT, 'dist/backend/src/main.js');

export interface AppProcess {
  readonly pid: number;
  /** `http://127.0.0.1:<port>`, or null for a process without the api role. */
  readonly url: string | null;
  /** The first admin's access token (api role only). */
  readonly token: string;
  /** Null while it runs; its exit code or signal once it has exited. */
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Every line it has written to stdout and stderr, in order. */
  lines(): string[];
  /** Lines from index `from` on that match `pattern`. */
  grep(pattern: RegExp, from?: number): string[];
  /** SIGTERM (a clean shutdown), SIGKILL after 10 s. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
}

/**
 * Starts the app with `env` (DATABASE_URL, REDIS_URL or REDIS_SENTINELS, QUEUE_PREFIX, roles,
 * ...) on a port of its choosing and waits until it says it is listening (or started, without
 * the api role); logs the admin in when it serves the API.
 */
export async function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  const child: ChildProcess = spawn(process.execPath, [MAIN_JS], {
    // At 'log', so that start-up and the outage lines are seen.
    env: { ...process.env, ...env, LOG_LEVEL: 'log', PORT: env.PORT ?? '0' },
    // With an IPC channel, the app ends itself when this process goes away (followParent).
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const lines: string[] = [];
  let exit: AppProcess['exit'] = null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8').on('data', (text: string) => {
      const parts = (partial + text).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) lines.push(stripColour(line));
    });
  }
  const end = async (signal: NodeJS.Signals) => {
    if (exit) return;
    child.kill(signal);
    const late = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(late);
  };

  let url: string | null = null;
  try {
    await waitUntil(
      async () => {
        if (exit) throw new Error(`hostwatch exited during start-up:\n${lines.join('\n')}`);
        const started = lines.find((l) => / listening on http|\) started/.test(l));
        const match = started && /listening on (http:\/\/[^;\s]+)/.exec(started);
        if (match) url = match[1];
        return started !== undefined;
      },
      60_000,
      'hostwatch start-up',
    );
  } catch (error) {
    await end('SIGKILL');
    throw error;
  }
  let token = '';
  if (url) {
    const login = await api<{ access_token: string }>(url, 'POST', '/api/auth/login', {
      username: env.ADMIN_USERNAME ?? TEST_ADMIN.username,
      password: env.ADMIN_PASSWORD ?? TEST_ADMIN.password,
    });
    token = login.access_token;
  }
  return {
    pid: child.pid ?? -1,
    url,
    token,
    get exit() {
      return exit;
    },
    lines: () => [...lines],
    grep: (pattern, from = 0) => lines.slice(from).filter((l) => pattern.test(l)),
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}

function stripColour(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\u001b\[[0-9;]*m/g, '');
}
