import type { Response } from 'supertest';
import { startHttpReceiver, startSmtpServer } from '../support/receivers';
import { startSshd, type Sshd } from '../support/sshd';
import { generateKey, makeTempDir, removeDir } from '../support/ssh-keys';
import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase, TEST_ADMIN } from '../support/test-env';

/** Everything the process writes to stdout and stderr (Nest's logger included) until stopped. */
function captureOutput(): { text(): string; stop(): void } {
  const chunks: string[] = [];
  const originals = {
    out: process.stdout.write.bind(process.stdout),
    err: process.stderr.write.bind(process.stderr),
  };
  const grab = (chunk: unknown): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
    return true;
  };
  process.stdout.write = grab as typeof process.stdout.write;
  process.stderr.write = grab as typeof process.stderr.write;
  const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
    jest.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      chunks.push(args.map(String).join(' '));
    }),
  );
  return {
    text: () => chunks.join(''),
    stop: () => {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
      consoleSpies.forEach((s) => s.mockRestore());
    },
  };
}

/** The distinctive pieces of a secret worth searching for (each line of a PEM body). */
function needles(secret: string): string[] {
  const lines = secret
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length >= 16 && !l.startsWith('-----'));
  return lines.length > 0 ? lines : [secret];
}

// Both log formats: Nest's text, and JSON lines with their structured fields (request lines,
// request ids, user ids), redacted by path.
describe.each(['pretty', 'json'] as const)(
  'no secret in any log line or API response (LOG_FORMAT=%s)',
  (logFormat) => {
    let sshd: Sshd;
    let app: TestApp;
    let keyDir: string;

    beforeAll(async () => {
      sshd = await startSshd();
      keyDir = await makeTempDir();
    });

    afterAll(async () => {
      await app?.close();
      await sshd?.stop();
      await removeDir(keyDir);
    });

    it('during a whole run of authenticated traffic, with every check authenticating', async () => {
      const secrets: Record<string, string> = {};
      const responses: Array<{ what: string; text: string }> = [];
      /** Tokens may appear in the one response that issued them, and nowhere else. */
      const issuedBy = new Map<string, number>();
      const keep = (what: string, res: Response): Response => {
        responses.push({
          what: `${what} -> ${res.status}`,
          text: `${JSON.stringify(res.headers)}\n${res.text ?? ''}`,
        });
        return res;
      };
      let stored = '';
      const issued = (name: string, token: string) => {
        secrets[name] = token;
        issuedBy.set(token, responses.length - 1);
      };

      const encrypted = await generateKey(keyDir, {
        type: 'ed25519',
        passphrase: 'key-passphrase-Zz9',
      });
      await sshd.authorizeKey(encrypted.publicKey);
      secrets.sshPassword = sshd.password!;
      secrets.privateKey = sshd.privateKey;
      secrets.encryptedKey = encrypted.privateKey;
      secrets.passphrase = 'key-passphrase-Zz9';
      secrets.adminPassword = TEST_ADMIN.password;
      secrets.wrongPassword = 'wrong-guess-Hq4-password';
      secrets.userPassword = 'operator-password-Pp7';
      secrets.newPassword = 'operator-new-password-Nn3';

      await cleanDatabase();
      const output = captureOutput();
      try {
        app = await createTestApp({
          roles: 'api,scheduler,worker',
          env: {
            LOG_LEVEL: 'verbose',
            LOG_FORMAT: logFormat,
            SCHEDULER_TICK_MS: '200',
            PROBE_TIMEOUT_MS: '5000',
          },
        });
        secrets.jwtSecret = app.env.JWT_SECRET;
        secrets.credentialsKey = app.env.CREDENTIALS_KEY;
        const anon = app.api(null);

        keep(
          'failed login',
          await anon
            .post('/api/auth/login')
            .send({ username: 'admin', password: secrets.wrongPassword }),
        );
        const login = keep(
          'admin login',
          await app
            .api(null)
            .post('/api/auth/login')
            .send({ username: 'admin', password: secrets.adminPassword }),
        );
        issued('adminAccess', login.body.access_token);
        issued('adminRefresh', login.body.refresh_token);
        const admin = () => app.api(login.body.access_token);

        const refreshed = keep(
          'refresh',
          await app
            .api(null)
            .post('/api/auth/refresh')
            .send({ refresh_token: login.body.refresh_token }),
        );
        issued('adminAccess2', refreshed.body.access_token);
        issued('adminRefresh2', refreshed.body.refresh_token);
        keep(
          'refresh replay',
          await app
            .api(null)
            .post('/api/auth/refresh')
            .send({ refresh_token: login.body.refresh_token }),
        );

        const relogin = keep(
          'admin login again',
          await app
            .api(null)
            .post('/api/auth/login')
            .send({ username: 'admin', password: secrets.adminPassword }),
        );
        issued('adminAccess3', relogin.body.access_token);
        issued('adminRefresh3', relogin.body.refresh_token);
        const root = () => app.api(relogin.body.access_token);

        keep(
          'create user',
          await root()
            .post('/api/users')
            .send({ username: 'op1', password: secrets.userPassword, role: 'operator' }),
        );
        const op = keep(
          'operator login',
          await app
            .api(null)
            .post('/api/auth/login')
            .send({ username: 'op1', password: secrets.userPassword }),
        );
        issued('opAccess', op.body.access_token);
        issued('opRefresh', op.body.refresh_token);
        keep(
          'password change',
          await app
            .api(op.body.access_token)
            .post('/api/auth/password')
            .send({ current_password: secrets.userPassword, new_password: secrets.newPassword }),
        );
        keep(
          'admin resets password',
          await root()
            .patch(`/api/users/${op.body.user.id}`)
            .send({ password: secrets.newPassword + 'x' }),
        );
        secrets.resetPassword = secrets.newPassword + 'x';

        const pw = keep(
          'password credential',
          await root().post('/api/credentials').send({
            name: 'pw',
            username: sshd.username,
            auth_method: 'password',
            password: secrets.sshPassword,
          }),
        );
        const key = keep(
          'key credential',
          await root().post('/api/credentials').send({
            name: 'key',
            username: sshd.username,
            auth_method: 'private_key',
            private_key: secrets.privateKey,
          }),
        );
        const enc = keep(
          'encrypted key credential',
          await root().post('/api/credentials').send({
            name: 'enc',
            username: sshd.username,
            auth_method: 'private_key',
            private_key: secrets.encryptedKey,
            passphrase: secrets.passphrase,
          }),
        );
        keep(
          'bad key',
          await root().post('/api/credentials').send({
            name: 'bad',
            username: 'u',
            auth_method: 'private_key',
            private_key: secrets.encryptedKey,
            passphrase: 'not-the-passphrase-1',
          }),
        );
        keep(
          'credential update',
          await root()
            .patch(`/api/credentials/${pw.body.id}`)
            .send({ password: secrets.sshPassword }),
        );
        keep('credentials', await root().get('/api/credentials'));

        const token = keep(
          'api token',
          await root().post('/api/tokens').send({ name: 'script', role: 'operator' }),
        );
        issued('apiToken', token.body.token);
        const script = () => app.api(token.body.token);

        for (const credential of [pw, key, enc]) {
          const host = keep(
            'host',
            await root()
              .post('/api/hosts')
              .send({
                hostname: `h-${credential.body.name}`,
                ip_address: sshd.host,
                port: sshd.port,
                credential_id: credential.body.id,
              }),
          );
          const check = keep(
            'jit',
            await script().post(
              `/api/monitoring/hosts/${host.body.id}/check-connectivity?wait=true&timeout_ms=15000`,
            ),
          );
          expect(check.status).toBe(200);
          expect(check.body).toMatchObject({ success: true });
          keep('state', await script().get(`/api/monitoring/hosts/${host.body.id}/state`));
          keep('history', await script().get(`/api/monitoring/hosts/${host.body.id}/history`));
        }
        // A failing authentication too: a wrong password, logged as a failed check.
        const wrong = keep(
          'wrong credential',
          await root().post('/api/credentials').send({
            name: 'wrong',
            username: sshd.username,
            auth_method: 'password',
            password: secrets.wrongPassword,
          }),
        );
        const bad = keep(
          'host',
          await root().post('/api/hosts').send({
            hostname: 'h-wrong',
            ip_address: sshd.host,
            port: sshd.port,
            credential_id: wrong.body.id,
          }),
        );
        const failed = keep(
          'jit',
          await root().post(
            `/api/monitoring/hosts/${bad.body.id}/check-connectivity?wait=true&timeout_ms=15000`,
          ),
        );
        expect(failed.body).toMatchObject({ success: false, error_type: 'auth_failed' });

        // Notification channels: secrets go in, are used to send, and never come back out.
        secrets.webhookSecret = 'whsec-never-shown-Kk2';
        secrets.slackToken = 'T0SECRET/B0SECRET/slackTokenNeverShownZz';
        secrets.teamsSig = 'teamsSignatureNeverShownYy3';
        secrets.smtpPassword = 'smtp-password-never-shown-Jj5';
        const receiver = await startHttpReceiver({ secret: secrets.webhookSecret });
        const smtp = await startSmtpServer({ username: 'hw', password: secrets.smtpPassword });
        try {
          const channels = [
            {
              name: 'hook',
              type: 'webhook',
              config: { url: `${receiver.url}/h`, secret: secrets.webhookSecret },
            },
            {
              name: 'slack',
              type: 'slack',
              config: { url: `${receiver.url}/services/${secrets.slackToken}` },
            },
            {
              name: 'teams',
              type: 'teams',
              config: { url: `${receiver.url}/teams?sig=${secrets.teamsSig}` },
            },
            {
              name: 'mail',
              type: 'email',
              config: {
                host: '127.0.0.1',
                port: smtp.port,
                tls: 'none',
                username: 'hw',
                password: secrets.smtpPassword,
                from: 'hw@example.com',
                to: ['oncall@example.com'],
              },
            },
          ];
          for (const body of channels) {
            const created = keep(
              'channel',
              await root().post('/api/notifications/channels').send(body),
            );
            expect(created.status).toBe(201);
            keep(
              'channel update',
              await root()
                .patch(`/api/notifications/channels/${created.body.id}`)
                .send({ config: body.config }),
            );
            const test = keep(
              'channel test',
              await root().post(`/api/notifications/channels/${created.body.id}/test`),
            );
            expect(test.body).toMatchObject({ ok: true });
          }
          // A refused send logs its reason: without the secret in it.
          receiver.mode = 'fail';
          const listed = keep('channels', await root().get('/api/notifications/channels'));
          for (const c of listed.body as Array<{ id: string }>) {
            keep('failing test', await root().post(`/api/notifications/channels/${c.id}/test`));
          }
          keep('deliveries', await root().get('/api/notifications/deliveries?page_size=500'));
          keep('channels', await root().get('/api/notifications/channels'));
          expect(receiver.requests.find((r) => r.path === '/h')?.signatureValid).toBe(true);
          expect(smtp.mails.length).toBeGreaterThan(0);
        } finally {
          await receiver.close();
          await smtp.close();
        }
        keep('tokens', await root().get('/api/tokens'));
        keep('users', await root().get('/api/users'));
        keep('audit', await root().get('/api/audit?page_size=500'));
        keep('me via token', await script().get('/api/auth/me'));
        keep('revoke', await root().delete(`/api/tokens/${token.body.id}`));
        keep('revoked use', await script().get('/api/hosts'));
        keep('bad bearer', await app.api(`${secrets.adminAccess3}x`).get('/api/hosts'));
        keep('logout', await root().post('/api/auth/logout'));
        keep('after logout', await root().get('/api/hosts'));
        void admin;
        const tables = [
          'users',
          'api_tokens',
          'refresh_tokens',
          'credentials',
          'audit_log',
          'notification_channels',
          'notification_messages',
          'notification_deliveries',
        ];
        for (const table of tables) {
          stored += JSON.stringify(await app.dataSource.query(`SELECT * FROM ${table}`));
        }
        await app.close();
      } finally {
        output.stop();
      }

      const log = output.text();
      expect(log.length).toBeGreaterThan(1000); // verbose logging really ran
      if (logFormat === 'json') {
        // Every line the app wrote is one JSON object, and the request lines carry their fields.
        const lines = log.split('\n').filter((l) => l.startsWith('{'));
        const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(entries.length).toBeGreaterThan(50);
        const requests = entries.filter((e) => e.context === 'HTTP' && e.route !== undefined);
        expect(requests.length).toBeGreaterThan(10);
        expect(requests.some((e) => e.user_id !== undefined && e.request_id !== undefined)).toBe(
          true,
        );
        for (const e of requests)
          expect(e).toMatchObject({ level: 'info', status: expect.any(Number) });
      }
      for (const [name, secret] of Object.entries(secrets)) {
        for (const needle of needles(secret)) {
          if (log.includes(needle)) throw new Error(`the log contains ${name}`);
        }
        responses.forEach((res, index) => {
          if (issuedBy.get(secret) === index) return;
          for (const needle of needles(secret)) {
            if (res.text.includes(needle)) throw new Error(`${res.what} contains ${name}`);
          }
        });
      }
      // And at rest: hashed or encrypted, never as they are.
      for (const [name, secret] of Object.entries(secrets)) {
        if (name === 'jwtSecret' || name === 'credentialsKey') continue;
        for (const needle of needles(secret)) {
          if (stored.includes(needle)) throw new Error(`the database holds ${name} in clear`);
        }
      }
    });
  },
);
