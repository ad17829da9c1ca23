import { GroupCommit } from './group-commit';

/** A write whose batches are recorded and which finishes only when told to. */
function controlledWrite() {
  const batches: number[][] = [];
  const finish: Array<(fail?: Error) => void> = [];
  const write = (inputs: number[]) => {
    batches.push(inputs);
    return new Promise<string[]>((resolve, reject) => {
      finish.push((fail) => (fail ? reject(fail) : resolve(inputs.map((n) => `out-${n}`))));
    });
  };
  return { batches, finish, write };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('writes a lone submission at once, and what arrives meanwhile as the next batch', async () => {
    const w = controlledWrite();
    const group = new GroupCommit(w.write, 100);
    const first = group.submit(1);
    expect(w.batches).toEqual([[1]]);
    const rest = [2, 3, 4].map((n) => group.submit(n));
    expect(w.batches).toHaveLength(1);
    w.finish[0]();
    expect(await first).toBe('out-1');
    await tick();
    expect(w.batches).toEqual([[1], [2, 3, 4]]);
    w.finish[1]();
    expect(await Promise.all(rest)).toEqual(['out-2', 'out-3', 'out-4']);
  });

  it('caps a batch at maxBatch', async () => {
    const w = controlledWrite();
    const group = new GroupCommit(w.write, 2);
    const all = [1, 2, 3, 4, 5, 6].map((n) => group.submit(n));
    for (let i = 0; i < 4; i++) {
      await tick();
      w.finish[i]?.();
    }
    expect(await Promise.all(all)).toEqual(['out-1', 'out-2', 'out-3', 'out-4', 'out-5', 'out-6']);
    expect(w.batches).toEqual([[1], [2, 3], [4, 5], [6]]);
  });

  it('rejects every submission of a failed batch, and goes on with the next', async () => {
    const w = controlledWrite();
    const group = new GroupCommit(w.write, 10);
    const first = group.submit(1);
    const second = [2, 3].map((n) => group.submit(n));
    w.finish[0]();
    await first;
    await tick();
    w.finish[1](new Error('database away'));
    await expect(second[0]).rejects.toThrow('database away');
    await expect(second[1]).rejects.toThrow('database away');
    const later = group.submit(4);
    w.finish[2]();
    expect(await later).toBe('out-4');
  });

  it('rejects when the write throws before returning a promise', async () => {
    const group = new GroupCommit<number, number>(() => {
      throw new Error('bad input');
    }, 10);
    await expect(group.submit(1)).rejects.toThrow('bad input');
  });
});
