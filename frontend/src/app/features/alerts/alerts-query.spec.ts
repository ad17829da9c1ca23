import {
  alertsQueryFromParams,
  DEFAULT_ALERTS_QUERY,
  openAlertsRequest,
  paramsFromAlertsQuery,
  resolvedAlertsRequest,
} from './alerts-query';

describe('alerts page query in the URL', () => {
  it('round-trips, leaving defaults out of the URL', () => {
    const q = { ...DEFAULT_ALERTS_QUERY, status: 'resolved' as const, tag: 'rack-7', page: 3 };
    expect(paramsFromAlertsQuery(DEFAULT_ALERTS_QUERY)).toEqual({});
    expect(alertsQueryFromParams(paramsFromAlertsQuery(q))).toEqual(q);
  });

  it('drops what the API would refuse instead of showing an error page', () => {
    expect(
      alertsQueryFromParams({ status: 'burning', page: '0', open_page: 'x', page_size: '9999' }),
    ).toEqual(DEFAULT_ALERTS_QUERY);
  });

  it('reads open problems and resolved ones as two lists, each with its own page', () => {
    const q = { ...DEFAULT_ALERTS_QUERY, tag: 'db', open_page: 2, page: 5 };
    expect(openAlertsRequest(q)).toEqual({ status: 'open', tag: 'db', page: 2, page_size: 25 });
    expect(resolvedAlertsRequest(q)).toEqual({
      status: 'resolved',
      tag: 'db',
      page: 5,
      page_size: 25,
    });
  });

  it('asks only for the section the status filter keeps', () => {
    expect(resolvedAlertsRequest({ ...DEFAULT_ALERTS_QUERY, status: 'open' })).toBeNull();
    expect(openAlertsRequest({ ...DEFAULT_ALERTS_QUERY, status: 'resolved' })).toBeNull();
    expect(openAlertsRequest(DEFAULT_ALERTS_QUERY)?.tag).toBeUndefined();
  });
});
