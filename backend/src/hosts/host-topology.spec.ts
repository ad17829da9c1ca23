import { topologyErrors, type HostLinks } from './host-topology';

const host = (id: string, parent: string | null = null, jump: string | null = null): HostLinks => ({
  id,
  hostname: `h-${id}`,
  parentHostId: parent,
  jumpHostId: jump,
});

const propose = (
  hostId: string | null,
  parentHostId: string | null,
  jumpHostId: string | null,
  jumpDependents = 0,
) => ({ hostId, parentHostId, jumpHostId, jumpDependents });

describe('a host’s parent and jump host', () => {
  it('accepts a parent and a directly reached jump host', () => {
    expect(topologyErrors(propose('x', 'r', 'j'), [host('r'), host('j', 'r')])).toEqual([]);
    expect(topologyErrors(propose(null, 'r', null), [host('r')])).toEqual([]);
  });

  it('refuses the host itself and hosts that do not exist, naming the field', () => {
    expect(topologyErrors(propose('x', 'x', null), [host('x')])).toEqual([
      { field: 'parent_host_id', problem: 'cannot be the host itself' },
    ]);
    expect(topologyErrors(propose('x', null, 'gone'), [])).toEqual([
      { field: 'jump_host_id', problem: 'no host with id gone' },
    ]);
  });

  it('refuses a loop through parents and jump hosts alike, and shows it', () => {
    // x would sit behind a; a is behind b; b is behind x (by its jump host).
    const above = [host('a', 'b'), host('b', null, 'x'), host('x')];
    const [error] = topologyErrors(propose('x', 'a', null), above);
    expect(error.field).toBe('parent_host_id');
    expect(error.problem).toBe(
      'would make a loop: h-a is behind this host (h-a → h-b → this host)',
    );
  });

  it('allows one level of jump host only, both ways', () => {
    expect(topologyErrors(propose('x', null, 'j'), [host('j', null, 'k'), host('k')])).toEqual([
      {
        field: 'jump_host_id',
        problem:
          'h-j is itself reached through jump host h-k; a jump host must be reached directly (one level of jump host)',
      },
    ]);
    expect(topologyErrors(propose('x', null, 'j', 3), [host('j')])[0].problem).toMatch(
      /jump host of 3 host\(s\)/,
    );
    // Somebody's jump host may still have a parent.
    expect(topologyErrors(propose('x', 'r', null, 3), [host('r')])).toEqual([]);
  });

  it('is not fooled by a loop already above (terminates)', () => {
    const above = [host('a', 'b'), host('b', 'a')];
    expect(topologyErrors(propose('x', 'a', null), above)).toEqual([]);
  });
});
