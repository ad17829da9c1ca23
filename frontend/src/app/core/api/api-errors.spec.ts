import { describeHttpError, formErrors } from './api-errors';

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
});
