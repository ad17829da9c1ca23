import type { CreatedApiToken } from '../../core/api/api-types';
import { expiresAt, OneTimeSecret, tokenStatus, withoutSecret } from './token-secret';

const created: CreatedApiToken = {
  id: '3f0b6c1e-2f4b-4c53-9a7e-2d9d8f0c1a11',
  name: 'nightly-report',
  user_id: '5b0e7c1e-2f4b-4c53-9a7e-2d9d8f0c1a11',
  created_by: '5b0e7c1e-2f4b-4c53-9a7e-2d9d8f0c1a11',
  token_prefix: 'hwt_Xy3k',
  role: 'viewer',
  expires_at: null,
  last_used_at: null,
  revoked_at: null,
  created_at: '2026-11-28T10:00:00.000Z',
  token: 'hwt_Xy3kSECRETSECRETSECRETSECRETSECRETSECRET12',
};

describe('API token secret, shown once', () => {
  it('is readable until forgotten, and never again after', () => {
    const secret = new OneTimeSecret(created.token);
    expect(secret.value).toBe(created.token);
    expect(secret.forgotten).toBe(false);
    secret.forget();
    expect(secret.value).toBeNull();
    expect(secret.forgotten).toBe(true);
    secret.forget();
    expect(secret.value).toBeNull();
  });

  it('is not in what the token list keeps', () => {
    const row = withoutSecret(created);
    expect(row).not.toHaveProperty('token');
    expect(JSON.stringify(row)).not.toContain('SECRET');
    expect(row).toMatchObject({ id: created.id, name: 'nightly-report', token_prefix: 'hwt_Xy3k' });
  });
});

describe('API token status and expiry', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');

  it('says revoked before expired, and active otherwise', () => {
    expect(tokenStatus({ revoked_at: null, expires_at: null }, now)).toBe('active');
    expect(tokenStatus({ revoked_at: null, expires_at: '2026-11-28T12:00:01Z' }, now)).toBe(
      'active',
    );
    expect(tokenStatus({ revoked_at: null, expires_at: '2026-11-28T12:00:00Z' }, now)).toBe(
      'expired',
    );
    expect(
      tokenStatus({ revoked_at: '2026-11-27T00:00:00Z', expires_at: '2026-01-01T00:00:00Z' }, now),
    ).toBe('revoked');
  });

  it('turns the expiry choice into expires_at', () => {
    expect(expiresAt('never', '', now)).toBeUndefined();
    expect(expiresAt('30d', '', now)).toBe('2026-12-28T12:00:00.000Z');
    expect(expiresAt('365d', '', now)).toBe('2027-11-28T12:00:00.000Z');
    expect(expiresAt('custom', '2027-03-01', now)).toBe('2027-03-01T23:59:59.000Z');
    expect(expiresAt('custom', '', now)).toBeNull();
    expect(expiresAt('custom', '2027-13-45', now)).toBeNull();
  });
});
