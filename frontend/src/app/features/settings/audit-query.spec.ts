import {
  auditApiQuery,
  auditFilterProblem,
  auditFiltersFromParams,
  DEFAULT_AUDIT_FILTERS,
  detailLines,
  paramsFromAuditFilters,
  shownMinute,
  typedUtcMinute,
} from './audit-query';

describe('audit log filters', () => {
  it('become the API query: times in UTC, "to" including its whole minute', () => {
    expect(
      auditApiQuery({
        ...DEFAULT_AUDIT_FILTERS,
        page: 2,
        actor: 'alice',
        action: 'token.create',
        target_type: 'api_token',
        since: '2026-11-28T09:00',
        until: '2026-11-28T10:30',
      }),
    ).toEqual({
      page: 2,
      page_size: 50,
      actor: 'alice',
      action: 'token.create',
      target_type: 'api_token',
      since: '2026-11-28T09:00:00.000Z',
      until: '2026-11-28T10:31:00.000Z',
    });
  });

  it('ask for nothing that is not set', () => {
    expect(auditApiQuery(DEFAULT_AUDIT_FILTERS)).toEqual({
      page: 1,
      page_size: 50,
      actor: undefined,
      action: undefined,
      target_type: undefined,
      since: undefined,
      until: undefined,
    });
  });

  it('round-trip through the URL, leaving defaults out', () => {
    const f = {
      ...DEFAULT_AUDIT_FILTERS,
      page: 3,
      page_size: 100,
      actor: 'bob',
      action: 'user.update',
      since: '2026-11-01T00:00',
    };
    expect(paramsFromAuditFilters(DEFAULT_AUDIT_FILTERS)).toEqual({});
    expect(auditFiltersFromParams(paramsFromAuditFilters(f))).toEqual(f);
  });

  it('drop from the URL what the API would refuse, instead of an error page', () => {
    expect(
      auditFiltersFromParams({
        page: '-1',
        page_size: '7',
        action: 'DROP TABLE',
        target_type: 'password',
        since: 'yesterday',
        until: '2026-11-28T25:99',
      }),
    ).toEqual(DEFAULT_AUDIT_FILTERS);
  });

  it('catch a range that ends before it starts', () => {
    expect(
      auditFilterProblem({
        ...DEFAULT_AUDIT_FILTERS,
        since: '2026-11-28T10:00',
        until: '2026-11-28T09:00',
      }),
    ).toMatch(/before/);
    expect(auditFilterProblem({ ...DEFAULT_AUDIT_FILTERS, since: '2026-11-28T10:00' })).toBeNull();
  });
});

describe('audit entry details', () => {
  it('read changes as from → to and keep redacted values as the API sent them', () => {
    expect(
      detailLines({
        role: { from: 'viewer', to: 'admin' },
        is_active: { from: true, to: false },
        password: 'changed',
        owner: 'alice',
        expires_at: null,
        tags: ['a', 'b'],
      }),
    ).toEqual([
      { key: 'role', value: 'viewer → admin' },
      { key: 'is_active', value: 'true → false' },
      { key: 'password', value: 'changed' },
      { key: 'owner', value: 'alice' },
      { key: 'expires_at', value: '—' },
      { key: 'tags', value: '["a","b"]' },
    ]);
    expect(detailLines(null)).toEqual([]);
  });
});

describe('typed audit times', () => {
  it('reads 24-hour UTC times typed with a space or a T, and refuses others', () => {
    expect(typedUtcMinute('2026-12-06 14:30')).toBe('2026-12-06T14:30');
    expect(typedUtcMinute(' 2026-12-06T09:05 ')).toBe('2026-12-06T09:05');
    expect(typedUtcMinute('')).toBe('');
    expect(typedUtcMinute('12/06/2026 2:30 PM')).toBeNull();
    expect(typedUtcMinute('2026-12-06 25:00')).toBeNull();
    expect(shownMinute('2026-12-06T14:30')).toBe('2026-12-06 14:30');
  });
});
