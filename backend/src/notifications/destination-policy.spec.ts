import { parseCidr } from '../config/app-config';
import { DestinationPolicy } from './destination-policy';

const cidr = (text: string) => parseCidr(text)!;

describe('where notifications may go', () => {
  describe('NOTIFY_ALLOWED_HOSTS unset', () => {
    const policy = new DestinationPolicy(null);

    it.each(['hooks.slack.com', '10.0.0.5', '127.0.0.1', '::1', 'smtp.example.com'])(
      'allows %s',
      (host) => {
        expect(policy.checkHost(host)).toBeNull();
      },
    );

    it.each([
      '169.254.169.254',
      '169.254.170.2',
      'fe80::1',
      '[fe80::1]',
      'fd00:ec2::254',
      '100.100.100.200',
      '::ffff:169.254.169.254',
      'metadata.google.internal',
      'METADATA.GOOGLE.INTERNAL.',
      'metadata.goog',
    ])('refuses link-local and cloud-metadata %s', (host) => {
      expect(policy.checkHost(host)).toMatch(/NOTIFY_ALLOWED_HOSTS/);
    });

    it('checks every address a name resolves to, right before connecting', () => {
      expect(policy.checkAddress('169.254.169.254', 'innocent.example.com')).toMatch(/metadata/);
      expect(policy.checkAddress('93.184.216.34', 'example.com')).toBeNull();
    });

    it('refuses a name that resolves to a metadata address (localhost does not)', async () => {
      await expect(policy.resolve('localhost')).resolves.toEqual(
        expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]),
      );
    });
  });

  describe('NOTIFY_ALLOWED_HOSTS set', () => {
    const policy = new DestinationPolicy({
      names: ['hooks.slack.com', '*.example.com', 'metadata.google.internal'],
      cidrs: [cidr('10.0.0.0/8'), cidr('169.254.169.254')],
    });

    it('allows listed names, names under a listed *.domain, and addresses in listed CIDRs', () => {
      expect(policy.checkHost('hooks.slack.com')).toBeNull();
      expect(policy.checkHost('alerts.example.com')).toBeNull();
      expect(policy.checkHost('10.2.3.4')).toBeNull();
      expect(policy.checkHost('169.254.169.254')).toBeNull();
      expect(policy.checkHost('metadata.google.internal')).toBeNull();
    });

    it('refuses other addresses; other names only by their addresses', () => {
      expect(policy.checkHost('192.168.1.1')).toMatch(/not among the allowed destinations/);
      expect(policy.checkHost('169.254.1.1')).toMatch(/link-local/);
      expect(policy.checkAddress('8.8.8.8', 'hooks.slack.com.evil.org')).toMatch(/not among/);
      expect(policy.checkAddress('10.9.9.9', 'internal-hooks')).toBeNull();
      expect(policy.checkAddress('8.8.8.8', 'alerts.example.com')).toBeNull();
    });

    it('refuses at creation a name that is neither listed nor inside a listed CIDR', async () => {
      expect(await policy.checkDestination('localhost')).toMatch(
        /not among the allowed destinations/,
      );
      expect(await policy.checkDestination('hooks.slack.com')).toBeNull();
    });
  });

  it('with names only, an unlisted name is refused without a DNS lookup', () => {
    const policy = new DestinationPolicy({ names: ['hooks.slack.com'], cidrs: [] });
    expect(policy.checkHost('evil.example.org')).toMatch(/not among the allowed destinations/);
  });
});
