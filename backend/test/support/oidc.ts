import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { freePort } from './ports';

export { freePort };

/** A fresh RS256 signing key as a private JWK, with a key id of its own. */
export async function signingKey(kid: string): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

export interface OidcProviderProcess {
  issuer: string;
  port: number;
  /** Who the next authorization-code login is (see GROUPS in oidc-provider.mjs). */
  loginAs(user: string): Promise<void>;
  /** The next authorization-code login ends with access_denied, as when a person declines. */
  denyNext(): Promise<void>;
  /** An access token (JWT) for a machine client, for `resource` (the audience). */
  clientToken(clientId: string, resource: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts backend/test/support/oidc-provider.mjs: a real OpenID Provider on loopback. */
export async function startOidcProvider(options: {
  port: number;
  jwk: Record<string, unknown>;
  redirectUri: string;
  resource: string;
  /** Show a sign-in page with a username field (for browser specs) instead of logging in. */
  loginForm?: boolean;
}): Promise<OidcProviderProcess> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-provider.mjs')], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      OIDC_PORT: String(options.port),
      OIDC_JWK: JSON.stringify(options.jwk),
      OIDC_REDIRECT_URI: options.redirectUri,
      OIDC_RESOURCE: options.resource,
      OIDC_LOGIN_FORM: options.loginForm ? '1' : '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`oidc-provider did not start: ${stderr}`)),
      15000,
    );
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const ready = /READY (\S+)/.exec(out);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`oidc-provider exited (${code}): ${stderr}`));
    });
  });
  return {
    issuer,
    port: options.port,
    loginAs: async (user) => {
      const res = await fetch(`${issuer}/_test/login-as/${user}`, { method: 'POST' });
      if (res.status !== 204) throw new Error(`login-as failed: ${res.status}`);
    },
    denyNext: async () => {
      const res = await fetch(`${issuer}/_test/deny-next`, { method: 'POST' });
      if (res.status !== 204) throw new Error(`deny-next failed: ${res.status}`);
    },
    clientToken: async (clientId, resource) => {
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: `${clientId}-secret`,
          resource,
          scope: 'api',
        }),
      });
      const body = (await res.json()) as { access_token?: string };
      if (!res.ok || !body.access_token) {
        throw new Error(`token for ${clientId} failed: ${res.status} ${JSON.stringify(body)}`);
      }
      return body.access_token;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
