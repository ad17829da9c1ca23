import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorkerPool, type WorkerPool } from './worker-pool';

/** A stand-in for main.js: records the roles it was given and stays up until told to stop. */
const FAKE_WORKER = `
const { appendFileSync } = require('node:fs');
appendFileSync(process.env.POOL_LOG, process.pid + ' ' + process.env.APP_ROLES + ' ' + process.env.WORKER_PROCESSES + '\\n');
process.once('disconnect', () => process.exit(0));
setInterval(() => {}, 1000);
`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('worker pool (WORKER_PROCESSES)', () => {
  let dir: string;
  let pool: WorkerPool | null = null;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hostwatch-pool-'));
    writeFileSync(join(dir, 'main.js'), FAKE_WORKER);
  });

  afterEach(async () => {
    await pool?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts N - 1 worker-only processes, restarts one that dies, and stops them all', async () => {
    const log = join(dir, 'log');
    writeFileSync(log, '');
    pool = startWorkerPool(
      2,
      join(dir, 'main.js'),
      { POOL_LOG: log, APP_ROLES: 'api,scheduler,worker' },
      {
        handleSignals: false,
      },
    );
    await until(() => pool!.pids.length === 2 && pool!.pids.every((p) => p > 0));
    const [first, second] = pool.pids;
    // Workers only: a second api or scheduler would fight the first for its port and its ticks.
    await until(() => readFileSync(log, 'utf8').trim().split('\n').length === 2);
    for (const line of readFileSync(log, 'utf8').trim().split('\n')) {
      expect(line.split(' ').slice(1)).toEqual(['worker', '1']);
    }

    process.kill(first, 'SIGKILL');
    await until(() => pool!.pids.length === 2 && !pool!.pids.includes(first));
    const replacement = pool.pids.find((p) => p !== second)!;
    expect(alive(replacement)).toBe(true);

    const stopped = [...pool.pids];
    await pool.stop();
    pool = null;
    expect(stopped.some(alive)).toBe(false);
  });
});
