import { metricsAccess } from './metrics-auth';

describe('metricsAccess', () => {
  const token = 'metrics-token-0123456789';

  it('serves the main port only with METRICS_TOKEN set, and then only for that bearer token', () => {
    expect(metricsAccess(undefined, `Bearer ${token}`, true)).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(metricsAccess(token, undefined, true)).toMatchObject({ ok: false, status: 401 });
    expect(metricsAccess(token, `Bearer ${token}x`, true)).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(metricsAccess(token, `Basic ${token}`, true)).toMatchObject({ ok: false, status: 401 });
    expect(metricsAccess(token, `Bearer ${token}`, true)).toEqual({ ok: true });
    expect(metricsAccess(token, `bearer ${token}`, true)).toEqual({ ok: true });
  });

  it('serves its own listener without a token when none is set, and asks for it when one is', () => {
    expect(metricsAccess(undefined, undefined, false)).toEqual({ ok: true });
    expect(metricsAccess(token, undefined, false)).toMatchObject({ ok: false, status: 401 });
    expect(metricsAccess(token, `Bearer ${token}`, false)).toEqual({ ok: true });
  });
});
