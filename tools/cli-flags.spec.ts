import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** Runs one of the project's CLIs from source (no build step): exit code and output. */
function run(script: string, argv: string[]): { status: number | null; output: string } {
  const child = spawnSync(
    process.execPath,
    ['-r', join(ROOT, 'tools/fleet/ts-register.js'), join(ROOT, script), ...argv],
    { encoding: 'utf8', timeout: 30_000 },
  );
  return { status: child.status, output: child.stdout + child.stderr };
}

/** Bad flags stop each CLI before it starts anything, with a message naming the flag. */
describe('command-line flags', () => {
  it.each([
    [['--hosts', 'abc'], /--hosts: a whole number ≥ 1, got "abc"/],
    [['--port', '70000'], /--port: a whole number from 1 to 65535, got "70000"/],
    [['--mix', 'healthy=50,bogus=50'], /--mix: unknown behaviour "bogus"/],
    [['--mix', 'healthy=150'], /--mix: percentages must add up to 100, got 150/],
    [['--register', 'not-a-url'], /--register: the http\(s\) URL of a running hostwatch/],
    [['--register', 'ftp://example.org'], /--register: the http\(s\) URL/],
    [['--auth', 'token'], /--auth: key, password or both/],
    [['--frobnicate', '3'], /unknown flag --frobnicate/],
    [['--hosts'], /--hosts needs a value/],
  ])('fleet %j is refused', (argv, message) => {
    const fleet = run('tools/fleet/cli.ts', argv);
    expect(fleet.output).toMatch(message);
    expect(fleet.output).not.toMatch(/simulated SSH hosts/);
    expect(fleet.status).toBe(1);
  });

  it.each([
    [['--hosts', 'abc'], /--hosts: a whole number ≥ 1, got "abc"/],
    [['--hosts', '1.5'], /--hosts: a whole number ≥ 1, got "1.5"/],
    [['--only', '12'], /--only: figure numbers 1-11/],
    [['--only', '1,,2'], /--only: figure numbers 1-11/],
    [['--bogus'], /unknown flag --bogus/],
  ])('bench %j is refused', (argv, message) => {
    const bench = run('bench/run.ts', argv);
    expect(bench.output).toMatch(message);
    expect(bench.output).not.toMatch(/starting the simulated fleet/);
    expect(bench.status).toBe(2);
  });

  it.each([
    [['--hosts', '0'], /--hosts: a whole number from 1 to 60000, got "0"/],
    [['--port', '99999'], /--port: a whole number from 1 to 65535/],
    [['--bogus', '1'], /unknown argument "--bogus"/],
    [['stray'], /unknown argument "stray"/],
  ])('demo %j is refused', (argv, message) => {
    const demo = run('scripts/demo.ts', argv);
    expect(demo.output).toMatch(message);
    expect(demo.status).toBe(1);
  });
});
