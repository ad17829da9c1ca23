import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { NotifyAllowedHosts } from '../config/app-config';

/** Names of cloud metadata services, refused unless NOTIFY_ALLOWED_HOSTS lists them. */
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

/**
 * Link-local networks (where every cloud's metadata service lives: 169.254.169.254, ECS's
 * 169.254.170.2) and the metadata addresses outside them, refused unless a listed CIDR covers
 * them.
 */
const RESTRICTED = new BlockList();
RESTRICTED.addSubnet('169.254.0.0', 16, 'ipv4');
RESTRICTED.addSubnet('fe80::', 10, 'ipv6');
RESTRICTED.addAddress('fd00:ec2::254', 'ipv6');
RESTRICTED.addAddress('100.100.100.200', 'ipv4');

/** `::ffff:10.0.0.1` compares as `10.0.0.1`. */
function plain(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** A destination refused by NOTIFY_ALLOWED_HOSTS or the built-in restrictions. */
export class DestinationRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DestinationRefusedError';
  }
}

/**
 * Where notifications may go. Unset (null): anywhere, except link-local and cloud-metadata
 * names and addresses. Set: only the listed names (exact, or `*.domain`) and addresses inside
 * the listed CIDRs. A name is checked as given, and every address it resolves to is checked
 * again right before connecting (the connection uses that checked address), so a DNS answer
 * that changes between the two cannot lead elsewhere.
 */
export class DestinationPolicy {
  private readonly listed: BlockList | null = null;

  constructor(private readonly allowed: NotifyAllowedHosts | null) {
    if (allowed && allowed.cidrs.length > 0) {
      this.listed = new BlockList();
      for (const c of allowed.cidrs) this.listed.addSubnet(c.network, c.prefix, c.family);
    }
  }

  /** What NOTIFY_ALLOWED_HOSTS says, for messages. */
  describe(): string {
    if (!this.allowed) return 'NOTIFY_ALLOWED_HOSTS is unset';
    const entries = [
      ...this.allowed.names,
      ...this.allowed.cidrs.map((c) => `${c.network}/${c.prefix}`),
    ];
    return `NOTIFY_ALLOWED_HOSTS: ${entries.join(', ') || 'empty'}`;
  }

  /**
   * Why a host (a name or an address, as in a URL) may not be sent to, judged without DNS;
   * null when it may, or when only its addresses can tell (checkAddress decides then).
   */
  checkHost(host: string): string | null {
    const name = host
      .replace(/^\[|\]$/g, '')
      .replace(/\.$/, '')
      .toLowerCase();
    if (isIP(name)) return this.checkAddress(name, null);
    if (this.nameListedExactly(name)) return null;
    if (METADATA_NAMES.has(name)) {
      return `${name} is a cloud metadata service; list it in NOTIFY_ALLOWED_HOSTS to allow it`;
    }
    if (this.allowed && !this.nameListed(name) && !this.listed) {
      return `${name} is not among the allowed destinations (${this.describe()})`;
    }
    return null;
  }

  /** Why an address (resolved from `name`, if any) may not be connected to; null if it may. */
  checkAddress(address: string, name: string | null): string | null {
    const ip = plain(address);
    const family = familyOf(ip);
    const inListedCidr = this.listed?.check(ip, family) ?? false;
    const nameListed = name !== null && this.nameListed(name.toLowerCase());
    if (RESTRICTED.check(ip, family) && !inListedCidr && !(name && this.nameListedExactly(name))) {
      return `${ip} is a link-local or cloud-metadata address; list it in NOTIFY_ALLOWED_HOSTS to allow it`;
    }
    if (this.allowed && !inListedCidr && !nameListed) {
      return `${name ? `${name} (${ip})` : ip} is not among the allowed destinations (${this.describe()})`;
    }
    return null;
  }

  /**
   * Resolves a name and checks every address it has (all must pass: a name that also points
   * somewhere refused is refused). Returns the addresses, first one first.
   */
  async resolve(host: string): Promise<Array<{ address: string; family: 4 | 6 }>> {
    const name = host.replace(/^\[|\]$/g, '').replace(/\.$/, '');
    const problem = this.checkHost(name);
    if (problem) throw new DestinationRefusedError(problem);
    if (isIP(name)) return [{ address: name, family: isIP(name) as 4 | 6 }];
    let answers: Array<{ address: string; family: number }>;
    try {
      answers = await dnsLookup(name, { all: true });
    } catch (error) {
      throw new Error(
        `could not resolve ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    for (const answer of answers) {
      const refused = this.checkAddress(answer.address, name);
      if (refused) throw new DestinationRefusedError(refused);
    }
    return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  }

  /**
   * At channel creation: refuses what checkHost refuses and, when only addresses can tell (a
   * name not listed while CIDRs are), what its addresses say. A name that does not resolve
   * now is accepted (it may later), but still checked at every delivery.
   */
  async checkDestination(host: string): Promise<string | null> {
    const problem = this.checkHost(host);
    if (problem) return problem;
    const name = host
      .replace(/^\[|\]$/g, '')
      .replace(/\.$/, '')
      .toLowerCase();
    if (isIP(name) || !this.allowed || this.nameListed(name)) return null;
    try {
      await this.resolve(name);
      return null;
    } catch (error) {
      if (error instanceof DestinationRefusedError) return error.message;
      return `${name} is not among the allowed destinations (${this.describe()}), and ${(error as Error).message}`;
    }
  }

  private nameListed(name: string): boolean {
    if (!this.allowed) return false;
    return this.allowed.names.some((entry) =>
      entry.startsWith('*.') ? name.endsWith(entry.slice(1)) : entry === name,
    );
  }

  private nameListedExactly(name: string): boolean {
    return this.allowed?.names.includes(name) ?? false;
  }
}
