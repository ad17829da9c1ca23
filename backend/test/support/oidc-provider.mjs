// A real OpenID Provider (the `oidc-provider` package) on loopback, for the OIDC specs.
// Started as a child process (oidc-provider is an ES module jest does not load).
// Environment: OIDC_PORT, OIDC_JWK (a private JWK, JSON), OIDC_REDIRECT_URI, OIDC_RESOURCE.
// Prints "READY <issuer>" once listening. POST /_test/login-as/<user> chooses who logs in next;
// POST /_test/deny-next makes the next login end with access_denied (the person declined).
// With OIDC_LOGIN_FORM=1 the IdP shows a sign-in page instead, for browser specs: a username
// field, "Sign in" and "Cancel".
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const resource = process.env.OIDC_RESOURCE;

/** The IdP's groups per person (auth-code logins) and per machine client (client credentials). */
const GROUPS = {
  'oidc-alice': ['ops-admins'],
  'oidc-olga': ['staff', 'ops'],
  'oidc-vera': ['staff'],
  'oidc-nobody': ['marketing'],
  'admin-bot': ['ops-admins'],
  'operator-bot': ['ops'],
  'viewer-bot': ['staff'],
  'short-bot': ['ops-admins'],
  'nobody-bot': ['marketing'],
};
const machine = (id) => ({
  client_id: id,
  client_secret: `${id}-secret`,
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: 'client_secret_post',
});

let loginAs = 'oidc-alice';
let denyNext = false;
const loginForm = process.env.OIDC_LOGIN_FORM === '1';

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

const DENIED = { error: 'access_denied', error_description: 'The person declined to sign in' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'hostwatch-console',
      client_secret: 'console-secret',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [process.env.OIDC_REDIRECT_URI],
      token_endpoint_auth_method: 'client_secret_post',
    },
    ...Object.keys(GROUPS)
      .filter((id) => id.endsWith('-bot'))
      .map(machine),
  ],
  jwks: { keys: [JSON.parse(process.env.OIDC_JWK)] },
  cookies: { keys: ['oidc-test-cookie-key'] },
  claims: { openid: ['sub'], profile: ['preferred_username', 'groups'] },
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: (_ctx, _client, oneOf) => oneOf,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, indicator, client) => ({
        audience: indicator,
        scope: 'api',
        accessTokenFormat: 'jwt',
        accessTokenTTL: client.clientId === 'short-bot' ? 1 : 300,
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  extraTokenClaims: (_ctx, token) => ({
    groups: GROUPS[token.accountId ?? token.clientId] ?? [],
  }),
  findAccount: (_ctx, id) => ({
    accountId: id,
    claims: () => ({ sub: id, preferred_username: id, groups: GROUPS[id] ?? [] }),
  }),
  // First-party console: consent is implied.
  loadExistingGrant: async (ctx) => {
    const existing =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (existing) return ctx.oidc.provider.Grant.find(existing);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile');
    grant.addOIDCClaims(['preferred_username', 'groups']);
    if (resource) grant.addResourceScope(resource, 'api');
    await grant.save();
    return grant;
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
});

const callback = provider.callback();
const server = createServer(async (req, res) => {
  try {
    const login = /^\/_test\/login-as\/([\w.-]+)$/.exec(req.url ?? '');
    if (login && req.method === 'POST') {
      loginAs = login[1];
      res.writeHead(204).end();
      return;
    }
    if (req.url === '/_test/deny-next' && req.method === 'POST') {
      denyNext = true;
      res.writeHead(204).end();
      return;
    }
    if ((req.url ?? '').startsWith('/interaction/') && loginForm) {
      const { uid } = await provider.interactionDetails(req, res);
      if (req.method === 'POST') {
        const form = await readForm(req);
        const result =
          form.get('action') === 'cancel'
            ? DENIED
            : { login: { accountId: form.get('username') || 'unknown' } };
        await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        `<!doctype html><html lang="en"><head><title>Test IdP sign-in</title></head><body>
<main><h1>Test IdP</h1><form method="post" action="/interaction/${escapeHtml(uid)}">
<label>IdP username <input name="username" autocomplete="username"></label>
<button type="submit" name="action" value="login">Sign in at the IdP</button>
<button type="submit" name="action" value="cancel">Cancel</button>
</form></main></body></html>`,
      );
      return;
    }
    if ((req.url ?? '').startsWith('/interaction/')) {
      if (denyNext) {
        denyNext = false;
        await provider.interactionFinished(req, res, DENIED, { mergeWithLastSubmission: false });
        return;
      }
      // The person "types" their credentials: whoever the test chose.
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: loginAs } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    callback(req, res);
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`READY ${issuer}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
