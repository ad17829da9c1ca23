import { safeNext, ssoErrorMessage, ssoLoginHref } from './sso';

describe('single sign-on in the console', () => {
  it.each([
    ['/hosts?state=DOWN', '/hosts?state=DOWN'],
    ['/hosts/4d7c2b8e-0000-4000-8000-000000000001', '/hosts/4d7c2b8e-0000-4000-8000-000000000001'],
    ['/settings', '/settings'],
  ])('comes back to the console page %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  it.each([
    [undefined],
    [''],
    ['//evil.example/'],
    ['/\\evil.example'],
    ['https://evil.example/'],
    ['javascript:alert(1)'],
    ['/api/auth/me'],
    ['/login?next=/hosts'],
    ['/hosts with space'],
  ])('never leaves the console for %s: the dashboard instead', (next) => {
    expect(safeNext(next)).toBe('/dashboard');
  });

  it('starts at the API with the page to come back to, encoded', () => {
    expect(ssoLoginHref('/api/auth/oidc/login', '/hosts?state=DOWN')).toBe(
      '/api/auth/oidc/login?return_to=%2Fhosts%3Fstate%3DDOWN',
    );
    expect(ssoLoginHref('/api/auth/oidc/login', '//evil.example')).toBe(
      '/api/auth/oidc/login?return_to=%2Fdashboard',
    );
  });

  it('says what went wrong in words, for every reason the API gives', () => {
    expect(ssoErrorMessage('denied')).toMatch(/cancelled at your identity provider/);
    expect(ssoErrorMessage('no_role')).toMatch(/no group that gives access/);
    expect(ssoErrorMessage('state_mismatch')).toMatch(/another tab or browser/);
    expect(ssoErrorMessage('something new')).toMatch(/Single sign-on failed/);
  });
});
