/**
 * The app under test as real processes (the built `dist/backend/src/main.js`), and what the
 * kernel says about them: CPU time and resident memory from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MAIN_JS = join(__dirname, '..', '..', 'backend', 'src', 'main.js');
const CLOCK_TICKS_PER_SECOND = 100;

export interface AppProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Log lines kept for error reports (the tail only). */
  log(): string;
  stop(): Promise<void>;
}

export async function startAppProcess(
  name: string,
  env: Record<string, string>,
  ready: RegExp = /hostwatch \([a-z,-]+\) (started|listening)/,
  timeoutMs = 30000,
): Promise<AppProcess> {
  // With BENCH_CPU_PROF_DIR set, the process can be profiled on demand (see cpu-profile.ts).
  const preload = env.BENCH_CPU_PROF_DIR ? ['-r', join(__dirname, 'cpu-profile.js')] : [];
  const child = spawn(process.execPath, [...preload, MAIN_JS], {
    // Only what the bench decides: the caller's environment must not leak into the measurement.
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', TZ: 'UTC', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const onText = (text: string) => {
    tail = (tail + text).slice(-8000);
  };
  child.stdout?.setEncoding('utf8').on('data', onText);
  child.stderr?.setEncoding('utf8').on('data', onText);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + timeoutMs;
  while (!ready.test(tail)) {
    if (child.exitCode !== null) throw new Error(`${name} exited during start-up:\n${tail}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start within ${timeoutMs} ms:\n${tail}`);
    }
    await sleep(50);
  }
  return {
    name,
    child,
    pid: child.pid ?? 0,
    log: () => tail,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
  };
}

/** User + system CPU seconds a process has used so far (0 once it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds of each of these processes (those already gone are left out). */
export function cpuSecondsByPid(pids: number[]): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const pid of pids) {
    const s = cpuSeconds(pid);
    if (s > 0) seconds.set(pid, s);
  }
  return seconds;
}

/** The processes `pid` started (WORKER_PROCESSES' workers), read from /proc. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Resident set size and its peak, in MB. */
export function memoryMb(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
