import { auditTarget } from './audit-target';

const HOST = '2b8d3f6e-1c1a-4c55-9a57-0d3f8f5b6a01';
const USER = '7c1d9e2a-3b4f-4a6d-8e9f-1a2b3c4d5e6f';

describe('audit targets', () => {
  it('names a host from the entry and links to its page', () => {
    expect(
      auditTarget(
        { target_type: 'host', target_id: HOST, details: { hostname: 'db-7' } },
        new Map(),
      ),
    ).toEqual({ type: 'host', name: 'db-7', named: true, link: ['/hosts', HOST] });
  });

  it('names a user from the accounts known, else from the entry', () => {
    const users = new Map([[USER, 'alice']]);
    expect(
      auditTarget({ target_type: 'user', target_id: USER, details: { role: 'admin' } }, users)
        ?.name,
    ).toBe('alice');
    expect(
      auditTarget({ target_type: 'user', target_id: USER, details: { username: 'bob' } }, new Map())
        ?.name,
    ).toBe('bob');
  });

  it('falls back to the id, and to nothing without a target', () => {
    expect(
      auditTarget({ target_type: 'host', target_id: HOST, details: null }, new Map()),
    ).toMatchObject({
      name: HOST,
      named: false,
    });
    expect(
      auditTarget({ target_type: null, target_id: null, details: null }, new Map()),
    ).toBeNull();
  });
});
