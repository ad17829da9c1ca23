import { loadConfig } from '../config/app-config';
import { roleFromClaims, usernameFromClaims } from './oidc-verifier.service';

describe('OIDC claims', () => {
  const oidc = loadConfig({
    OIDC_ISSUER: 'https://idp.example',
    OIDC_AUDIENCE: 'hw',
    OIDC_ROLE_MAP: 'ops-admins:admin,ops:operator,staff:viewer',
  }).oidc!;

  it.each([
    [{ groups: ['staff'] }, 'viewer'],
    [{ groups: ['staff', 'ops'] }, 'operator'],
    [{ groups: ['ops', 'ops-admins', 'staff'] }, 'admin'],
    [{ groups: 'staff ops' }, 'operator'],
    [{ groups: ['marketing'] }, null],
    [{ groups: [42] }, null],
    [{}, null],
  ])('maps %j to %s (the highest match wins)', (claims, role) => {
    expect(roleFromClaims(claims, oidc)).toBe(role);
  });

  it('names the user by preferred_username, else sub, never by something unsafe', () => {
    expect(usernameFromClaims({ preferred_username: 'alice', sub: 'x1' }, oidc)).toBe('alice');
    expect(usernameFromClaims({ preferred_username: 'a b', sub: 'x1' }, oidc)).toBe('x1');
    expect(usernameFromClaims({ sub: '<script>' }, oidc)).toBeNull();
  });
});
