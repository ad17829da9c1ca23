/**
 * npm run fleet -- --hosts 1000 --mix healthy=70,refused=10,silent=5,not_ssh=5,auth_fail=5,flapping=5
 *                  [--register http://127.0.0.1:3000 [--token T] [--auth key|password]] [--csv fleet.csv]
 *
 * Starts a simulated fleet of real SSH servers on loopback addresses and keeps it running
 * until Ctrl-C. Run with --help for every flag.
 */
import { writeFile } from 'node:fs/promises';
import { BEHAVIOURS } from './behaviours';
import { startFleet, type FleetOptions } from './fleet';
import { registerInHostwatch, writeCsv } from './register';

const HELP = `Usage: npm run fleet -- [flags]

  --hosts N              simulated hosts (default 100)
  --mix b=pct,...        behaviour mix adding up to 100 (default healthy=100)
                         behaviours: ${BEHAVIOURS.join(', ')}
  --port P               SSH port of every host, each on its own 127.x.y.z (default 2222)
  --processes N          simulator processes (default 1, or 2 above 2,000 hosts)
  --control-port P       control API on 127.0.0.1 (default 7100; 0 = any free port)
  --first-index N        start numbering at host N (to run fleets side by side)
  --register URL         register the hosts in a running hostwatch (e.g. http://127.0.0.1:3000)
  --token T              bearer token for --register (or HOSTWATCH_TOKEN)
  --auth key|password|both  credential the hosts are registered with (default key;
                         both: every second host logs in with the password)
  --passphrase P         encrypt the shared private key with P
  --csv FILE             write the hosts as CSV (hostname,ip_address,port,behaviour,tags)
  --key-file FILE        write the shared private key here (mode 0600), for ssh -i
  --slow-ms MS           slow: added latency per stage (default 200)
  --flap-every N         flapping: N connections up, N down (default 1)
  --flap-period S        flapping: S seconds up, S down (instead of counting connections)
  --rotate-every N       rotate_key: new host key every N connections (default 1)
  --dies-after N         dies_after: stop listening after N connections (default 3)
`;

interface Args {
  [flag: string]: string | undefined;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') {
      args.help = 'yes';
      continue;
    }
    if (!flag.startsWith('--')) throw new Error(`unexpected argument "${flag}" (see --help)`);
    const eq = flag.indexOf('=');
    if (eq !== -1) {
      args[flag.slice(2, eq)] = flag.slice(eq + 1);
    } else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
      args[flag.slice(2)] = value;
      i++;
    }
  }
  return args;
}

function int(args: Args, name: string, fallback: number, min = 0, max = Infinity): number {
  const raw = args[name];
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    const range = max === Infinity ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new Error(`--${name}: a whole number ${range}, got "${raw}"`);
  }
  return Number(raw);
}

/** --register's value: the base URL of a running hostwatch. */
function apiUrl(raw: string): string {
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Error(
      `--register: the http(s) URL of a running hostwatch (e.g. http://127.0.0.1:3000), got "${raw}"`,
    );
  }
  return raw;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(HELP);
    return;
  }
  const known = new Set([...HELP.matchAll(/--([a-z-]+)/g)].map((m) => m[1]).concat(['help']));
  for (const flag of Object.keys(args)) {
    if (!known.has(flag)) throw new Error(`unknown flag --${flag} (see --help)`);
  }
  const options: FleetOptions = {
    hosts: int(args, 'hosts', 100, 1),
    mix: args.mix ?? 'healthy=100',
    port: int(args, 'port', 2222, 1, 65535),
    processes: args.processes ? int(args, 'processes', 1, 1) : undefined,
    controlPort: int(args, 'control-port', 7100, 0, 65535),
    firstIndex: int(args, 'first-index', 0),
    passphrase: args.passphrase,
    params: {
      slowMs: int(args, 'slow-ms', 200),
      flapEvery: int(args, 'flap-every', 1, 1),
      flapPeriodMs: int(args, 'flap-period', 0) * 1000,
      rotateEvery: int(args, 'rotate-every', 1, 1),
      diesAfter: int(args, 'dies-after', 3, 1),
    },
  };
  // Checked before the fleet starts, so a typo does not leave it running unregistered.
  const register = args.register === undefined ? undefined : apiUrl(args.register);
  const auth = args.auth ?? 'key';
  if (auth !== 'key' && auth !== 'password' && auth !== 'both') {
    throw new Error('--auth: key, password or both');
  }

  const fleet = await startFleet(options);
  const first = fleet.hosts[0].address;
  const last = fleet.hosts[fleet.hosts.length - 1].address;
  const counts = new Map<string, number>();
  for (const h of fleet.hosts) counts.set(h.behaviour, (counts.get(h.behaviour) ?? 0) + 1);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`fleet: ${fleet.hosts.length} simulated SSH hosts, ${first} … ${last}, port ${fleet.port}`);
  out(`       ${[...counts].map(([b, n]) => `${b} ${n}`).join(', ')}`);
  out(`       ${fleet.pids.length} process(es), open-file limit ${fleet.nofile.join('/')} each`);
  out(
    `       login ${fleet.credential.username} / password ${fleet.credential.password}, or the shared key`,
  );
  if (fleet.controlUrl) out(`       control API ${fleet.controlUrl} (GET / lists the routes)`);

  const stop = async () => {
    await fleet.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  if (args['key-file']) {
    await writeFile(args['key-file'], fleet.credential.privateKey, { mode: 0o600 });
    out(`       private key written to ${args['key-file']}`);
  }
  if (args.csv) {
    await writeCsv(fleet, args.csv);
    out(`       hosts written to ${args.csv}`);
  }
  if (register) {
    // eslint-disable-next-line no-restricted-properties -- a CLI flag's documented fallback
    const token = args.token ?? process.env.HOSTWATCH_TOKEN;
    const result = await registerInHostwatch(fleet, { api: register, token, auth });
    out(
      `       registered in ${register}: ${result.created} new host(s)` +
        (result.existing.length ? `, ${result.existing.length} already there (left as is)` : '') +
        `, credential ${result.credentialId}`,
    );
  }
  out('fleet: running; Ctrl-C stops it');
}

main().catch((error: Error) => {
  process.stderr.write(`fleet: ${error.message}\n`);
  process.exit(1);
});
