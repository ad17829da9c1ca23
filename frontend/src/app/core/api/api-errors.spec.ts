import { describeHttpError, formErrors, retryAfterSeconds } from './api-errors';

describe('formErrors (the API 400 shown on its fields)', () => {
  it('files each problem under its top-level field', () => {
    const error = {
      status: 400,
      error: {
        message: [
          'ip_address: must be an IPv4 or IPv6 address',
          'tags[1]: each tag must be printable text without commas',
        ],
        errors: [
          { field: 'ip_address', problem: 'ip_address must be an IPv4 or IPv6 address' },
          { field: 'tags[1]', problem: 'each tag must be printable text without commas' },
          { field: 'thresholds.down_after_failures', problem: 'must be at most 1000' },
        ],
      },
    };
    expect(formErrors(error)).toEqual({
      fields: {
        ip_address: ['ip_address must be an IPv4 or IPv6 address'],
        tags: ['each tag must be printable text without commas'],
        thresholds: ['must be at most 1000'],
      },
      general: [],
    });
  });

  it('keeps messages without fields as general ones', () => {
    expect(formErrors({ status: 409, error: { message: 'already exists' } })).toEqual({
      fields: {},
      general: ['already exists'],
    });
  });

  it('says what to do when the server does not answer', () => {
    expect(formErrors({ status: 0, error: null }).general[0]).toMatch(/hostwatch is running/);
  });
});

describe('describeHttpError', () => {
  it('explains a 503 as paused checks when the server says nothing more', () => {
    expect(describeHttpError({ status: 503, error: {} })).toMatch(/Redis.*paused/);
    expect(describeHttpError({ status: 503, error: { message: 'Redis unreachable: x' } })).toBe(
      'Redis unreachable: x',
    );
    expect(describeHttpError({ status: 500, error: null })).toBe('Request failed (HTTP 500).');
  });

  it('turns a 429 into a sentence with the wait from Retry-After, never the limiter’s text', () => {
    const refused = (retryAfter: string | null) => ({
      status: 429,
      error: { statusCode: 429, message: 'ThrottlerException: Too Many Requests' },
      headers: { get: (name: string) => (name === 'Retry-After' ? retryAfter : null) },
    });
    expect(describeHttpError(refused('42'))).toBe(
      'Too many requests: the rate limit was reached. Try again in 42 s.',
    );
    expect(describeHttpError(refused(null))).toBe(
      'Too many requests: the rate limit was reached. Try again in a minute.',
    );
    expect(describeHttpError(refused('42'))).not.toContain('Throttler');
  });

  it('reads Retry-After as seconds or as a date', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    expect(retryAfterSeconds('7', now)).toBe(7);
    expect(retryAfterSeconds('Sun, 06 Dec 2026 12:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('soon', now)).toBeNull();
    expect(retryAfterSeconds(null, now)).toBeNull();
  });

  it('keeps the status of a server fault beside its text', () => {
    expect(describeHttpError({ status: 500, error: { message: 'Internal server error' } })).toBe(
      'Internal server error (HTTP 500).',
    );
  });
});
