/**
 * Puts a simulated fleet into hostwatch: through its REST API (one shared credential, then
 * one POST per host), or as a CSV file for an operator to import.
 */
import { writeFile } from 'node:fs/promises';
import type { Fleet } from './fleet';

export interface RegisterOptions {
  /** Base URL of a running hostwatch, e.g. http://127.0.0.1:3000 */
  api: string;
  /** Sent as `Authorization: Bearer <token>` when set (HOSTWATCH_TOKEN). */
  token?: string;
  /** `key` (default): the shared ed25519 key; `password`: the shared password; `both`: alternate. */
  auth?: 'key' | 'password' | 'both';
  credentialName?: string;
  /** Requests in flight. Default 16. */
  concurrency?: number;
  /** Extra tag on every host. */
  tag?: string;
}

export interface RegisterResult {
  /** The key credential (or the password one with `auth: 'password'`). */
  credentialId: string;
  /** With `auth: 'both'`: the password credential, used by every second host. */
  passwordCredentialId: string | null;
  created: number;
  /** Host names that were already registered (409), left as they are. */
  existing: string[];
  hostIds: Map<string, string>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const url = `${base.replace(/\/$/, '')}${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    // fetch says only "fetch failed"; the reason (refused, no such host) is its cause.
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new Error(`could not reach hostwatch at ${base} (${method} ${path}: ${reason})`);
  }
  const text = await res.text();
  if (!res.ok) {
    const hint =
      res.status === 401 || res.status === 403 ? ' (pass --token or set HOSTWATCH_TOKEN)' : '';
    throw new ApiError(res.status, `${method} ${path}: ${res.status} ${text.slice(0, 300)}${hint}`);
  }
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

export async function registerInHostwatch(
  fleet: Fleet,
  options: RegisterOptions,
): Promise<RegisterResult> {
  const c = fleet.credential;
  const auth = options.auth ?? 'key';
  const name = options.credentialName ?? `fleet-sim-${Date.now()}`;
  const create = (method: 'key' | 'password', suffix: string) =>
    api<{ id: string }>(
      options.api,
      'POST',
      '/api/credentials',
      {
        name: `${name}${suffix}`,
        username: c.username,
        ...(method === 'key'
          ? {
              auth_method: 'private_key',
              private_key: c.privateKey,
              ...(c.passphrase ? { passphrase: c.passphrase } : {}),
            }
          : { auth_method: 'password', password: c.password }),
      },
      options.token,
    );
  const credential = await create(auth === 'password' ? 'password' : 'key', '');
  const passwordCredential = auth === 'both' ? await create('password', '-password') : null;
  const hostIds = new Map<string, string>();
  const existing: string[] = [];
  let created = 0;
  let next = 0;
  const lane = async () => {
    while (next < fleet.hosts.length) {
      const host = fleet.hosts[next++];
      try {
        const body = await api<{ id: string }>(
          options.api,
          'POST',
          '/api/hosts',
          {
            hostname: host.hostname,
            ip_address: host.address,
            port: host.port,
            credential_id:
              passwordCredential && host.index % 2 === 1 ? passwordCredential.id : credential.id,
            tags: ['fleet-sim', host.behaviour, ...(options.tag ? [options.tag] : [])],
          },
          options.token,
        );
        hostIds.set(host.hostname, body.id);
        created++;
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) existing.push(host.hostname);
        else throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, lane));
  return {
    credentialId: credential.id,
    passwordCredentialId: passwordCredential?.id ?? null,
    created,
    existing,
    hostIds,
  };
}

/** hostname,ip_address,port,behaviour,tags — one line per simulated host. */
export async function writeCsv(fleet: Fleet, path: string): Promise<void> {
  const lines = ['hostname,ip_address,port,behaviour,tags'];
  for (const h of fleet.hosts) {
    lines.push(`${h.hostname},${h.address},${h.port},${h.behaviour},fleet-sim;${h.behaviour}`);
  }
  await writeFile(path, `${lines.join('\n')}\n`);
}

/**
 * A long-lived API token for tools that start their own hostwatch with a known first admin:
 * log in, then create a token (`hwt_…`), since access tokens live 15 minutes.
 */
export async function adminToken(
  base: string,
  username: string,
  password: string,
  name: string,
): Promise<string> {
  const login = await api<{ access_token: string }>(base, 'POST', '/api/auth/login', {
    username,
    password,
  });
  const created = await api<{ token: string }>(
    base,
    'POST',
    '/api/tokens',
    { name: `${name}-${Date.now()}` },
    login.access_token,
  );
  return created.token;
}
