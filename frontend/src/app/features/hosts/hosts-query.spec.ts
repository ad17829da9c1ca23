import { apiQuery, DEFAULT_QUERY, paramsFromQuery, queryFromParams } from './hosts-query';

describe('host list query in the URL', () => {
  it('reads the dashboard click-through (?state=DEGRADED) as a state filter', () => {
    expect(queryFromParams({ state: 'DEGRADED' })).toEqual({
      ...DEFAULT_QUERY,
      state: ['DEGRADED'],
    });
  });

  it('drops what the API would refuse instead of showing an error page', () => {
    const q = queryFromParams({
      state: 'degraded,BOGUS,DEGRADED',
      page: '-3',
      page_size: '9999',
      sort: 'password',
      order: 'sideways',
    });
    expect(q).toEqual({ ...DEFAULT_QUERY, state: ['DEGRADED'] });
  });

  it('round-trips, leaving defaults out of the URL', () => {
    const q = {
      ...DEFAULT_QUERY,
      page: 3,
      sort: 'next_check_at' as const,
      order: 'desc' as const,
      tag: 'prod',
      q: 'db',
    };
    expect(paramsFromQuery(DEFAULT_QUERY)).toEqual({});
    expect(queryFromParams(paramsFromQuery(q))).toEqual(q);
  });

  it('asks the API only for the filters that are set', () => {
    expect(apiQuery({ ...DEFAULT_QUERY, tag: '  ', q: ' web ' })).toEqual({
      page: 1,
      page_size: 25,
      sort: 'monitoring_state',
      order: 'asc',
      state: undefined,
      tag: undefined,
      q: 'web',
    });
  });

  it('opens worst first: states by severity, and a sort by name stays in the URL', () => {
    expect(queryFromParams({})).toMatchObject({ sort: 'monitoring_state', order: 'asc' });
    expect(paramsFromQuery({ ...DEFAULT_QUERY, sort: 'hostname' })).toEqual({ sort: 'hostname' });
  });
});
