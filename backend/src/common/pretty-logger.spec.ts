import { PrettyLogger } from './pretty-logger';

function output(run: () => void): string {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  const grab = ((chunk: unknown) => (chunks.push(String(chunk)), true)) as typeof write;
  process.stdout.write = grab;
  process.stderr.write = grab;
  try {
    run();
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
  return chunks.join('');
}

describe('PrettyLogger', () => {
  it("keeps Nest's start-up chatter (routes, modules) at debug", () => {
    const atLog = new PrettyLogger(['error', 'warn', 'log']);
    const quiet = output(() => atLog.log('Mapped {/api/hosts, GET} route', 'RouterExplorer'));
    expect(quiet).toBe('');
    const loud = output(() => atLog.log('Producer recovered', 'SchedulerService'));
    expect(loud).toContain('Producer recovered');
    const atDebug = new PrettyLogger(['error', 'warn', 'log', 'debug']);
    expect(output(() => atDebug.log('Mapped {/api/hosts, GET} route', 'RouterExplorer'))).toContain(
      'Mapped {/api/hosts, GET} route',
    );
  });

  it('prints the text of a message logged as an object, not its fields', () => {
    const logger = new PrettyLogger(['error', 'warn', 'log']);
    const text = output(() =>
      logger.warn({ message: 'Check of host h-1 failed', task_id: 't-1' }, 'CheckWorker'),
    );
    expect(text).toContain('Check of host h-1 failed');
    expect(text).not.toContain('task_id');
  });
});
