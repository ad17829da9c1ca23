import { humanProblem } from './field-problems';

describe('API problems as sentences', () => {
  it('names the field as people do and ends with a full stop', () => {
    expect(humanProblem('ip_address', 'ip_address must be an IPv4 or IPv6 address')).toBe(
      'The IP address must be an IPv4 or IPv6 address.',
    );
    expect(
      humanProblem(
        'hostname',
        'hostname must be a host name (letters, digits, ".", "-", "_"; no spaces)',
      ),
    ).toBe('The hostname must be a host name (letters, digits, ".", "-", "_"; no spaces)');
    expect(humanProblem('tags', 'each tag must be printable text without commas')).toBe(
      'Each tag must be printable text without commas.',
    );
    expect(humanProblem('parent_host_id', 'parent_host_id would make a loop: a → b → a')).toBe(
      'The parent host would make a loop: a → b → a.',
    );
  });

  it('leaves a problem that does not start with the field name in its own words', () => {
    expect(humanProblem('hostname', 'this hostname is already monitored')).toBe(
      'This hostname is already monitored.',
    );
  });
});
