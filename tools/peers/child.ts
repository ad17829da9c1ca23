/**
 * One server process that a peer launcher runs (redis-server, redis-sentinel): spawned in a
 * process group of its own, its output kept (the tail) for failure messages, and ended with
 * SIGTERM, then SIGKILL when it does not exit in time. Never leaks: `end()` waits for the exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const END_TIMEOUT_MS = 5_000;
const KEEP_OUTPUT = 64 * 1024;

export interface PeerChild {
  readonly pid: number;
  /** Whether it is still running. */
  readonly running: boolean;
  /** Its stdout and stderr so far (the last 64 KiB). */
  output(): string;
  /** Resolves when it has exited. */
  readonly exited: Promise<void>;
  /**
   * Sends `signal` (SIGTERM by default) and waits for the exit; SIGKILL after 5 s. SIGKILL
   * itself is the crash a test wants: no shutdown, no save.
   */
  end(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnPeer(
  command: string,
  args: readonly string[],
  as?: { uid: number; gid: number },
): PeerChild {
  const child: ChildProcess = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    ...as,
  });
  let output = '';
  let running = true;
  const keep = (text: string) => {
    output = (output + text).slice(-KEEP_OUTPUT);
  };
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  child.once('error', (error) => keep(`\n${command}: ${error.message}\n`));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running = false;
      resolve();
    });
    child.once('error', () => {
      running = false;
      resolve();
    });
  });
  const pid = child.pid ?? -1;
  return {
    pid,
    get running() {
      return running;
    },
    output: () => output,
    exited,
    async end(signal: NodeJS.Signals = 'SIGTERM') {
      if (!running) return;
      kill(pid, signal);
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([
        exited.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), END_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
      if (late) {
        kill(pid, 'SIGKILL');
        await exited;
      }
    },
  };
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal); // its own process group (detached)
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `ready` every 20 ms until it is true; throws `failure()` after `timeoutMs`, or at once
 * when `child` has exited.
 */
export async function waitFor(
  ready: () => Promise<boolean>,
  timeoutMs: number,
  failure: () => Error,
  child?: PeerChild,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && !child.running) break;
    if (await ready().catch(() => false)) return;
    await sleep(20);
  }
  throw failure();
}
