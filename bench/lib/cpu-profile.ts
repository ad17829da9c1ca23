/**
 * Preloaded into the app's processes by `npm run bench -- --cpu-prof DIR` (node -r): SIGWINCH
 * (a signal Nest's shutdown hooks leave alone, and one ignored by default)
 * starts a V8 CPU profile, the next SIGWINCH stops it and writes
 * DIR/<name>-<pid>-<n>.cpuprofile. The bench brackets one end-to-end cycle with the two
 * signals, so the profile holds that cycle and nothing of start-up or idle time.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

// eslint-disable-next-line no-restricted-properties -- a bench tool, set by the bench itself
const dir = process.env.BENCH_CPU_PROF_DIR;
// eslint-disable-next-line no-restricted-properties
const name = process.env.BENCH_CPU_PROF_NAME ?? 'app';

if (dir) {
  const session = new Session();
  session.connect();
  let running = false;
  let taken = 0;
  process.on('SIGWINCH', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 200 }, () =>
          session.post('Profiler.start'),
        ),
      );
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      taken += 1;
      const file = join(dir, `${name}-${process.pid}-${taken}.cpuprofile`);
      writeFileSync(file, JSON.stringify(result.profile));
    });
  });
}
