import type { Response } from 'supertest';
import { SecretBox } from '../../src/common/secret-box';
import { generateKey, makeTempDir, removeDir, type GeneratedKey } from '../support/ssh-keys';
import { createTestApp, type TestApp } from '../support/test-app';
import { truncateAll } from '../support/test-env';
import { expectBadField, expectStatus, fieldsOf, requestOf, UNKNOWN_UUID } from './helpers';

const PASSWORD = 'Tr0ub4dor&3-correct-horse';
const PASSPHRASE = 'open sesame, said the operator';

/**
 * Pieces of a secret that must never appear in an answer: the whole secret, and for long ones
 * (private keys) every 16-character run of its non-whitespace text.
 */
function fragmentsOf(secret: string): string[] {
  const compact = secret.replace(/\s+/g, '');
  if (compact.length <= 24) return [secret];
  const pieces = [secret];
  for (let i = 0; i + 16 <= compact.length; i += 8) pieces.push(compact.slice(i, i + 16));
  return pieces;
}

describe('Credentials API', () => {
  let app: TestApp;
  let keysDir: string;
  let plainKey: GeneratedKey;
  let encryptedKey: GeneratedKey;
  let otherKey: GeneratedKey;
  /** Every secret sent in this file; checked against every answer. */
  let secrets: string[];

  const api = () => app.api();

  /** Fails when any secret, or any fragment of one, is in the answer's text. */
  const expectNoSecrets = (res: Response) => {
    const text = `${res.text ?? ''}${JSON.stringify(res.body ?? null)}`;
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
    for (const secret of secrets) {
      for (const fragment of fragmentsOf(secret)) {
        if (text.includes(fragment)) {
          throw new Error(`answer of ${requestOf(res)} holds a secret fragment: ${fragment}`);
        }
      }
    }
    if (res.status < 300) {
      const items: unknown[] = Array.isArray(res.body) ? res.body : [res.body];
      for (const item of items) {
        for (const key of ['password', 'private_key', 'passphrase', 'secret_encrypted']) {
          expect(item).not.toHaveProperty(key);
        }
      }
    }
  };

  const create = async (body: Record<string, unknown>) => {
    const res = await api().post('/api/credentials').send(body);
    expectNoSecrets(res);
    expectStatus(res, 201);
    return res.body as { id: string; [k: string]: unknown };
  };
  const passwordCredential = (name: string, extra: Record<string, unknown> = {}) =>
    create({ name, username: 'monitor', auth_method: 'password', password: PASSWORD, ...extra });

  beforeAll(async () => {
    keysDir = await makeTempDir('hostwatch-e2e-keys-');
    [plainKey, encryptedKey, otherKey] = await Promise.all([
      generateKey(keysDir, { type: 'ed25519', name: 'plain' }),
      generateKey(keysDir, { type: 'rsa', passphrase: PASSPHRASE, name: 'encrypted' }),
      generateKey(keysDir, { type: 'ecdsa', name: 'other', format: 'pem' }),
    ]);
    secrets = [
      PASSWORD,
      PASSPHRASE,
      'an0ther-Pa55word!',
      plainKey.privateKey,
      encryptedKey.privateKey,
      otherKey.privateKey,
    ];
    app = await createTestApp();
  });

  afterAll(async () => {
    await app?.close();
    if (keysDir) await removeDir(keysDir);
  });

  beforeEach(async () => {
    await truncateAll(app.dataSource);
  });

  describe('create and read', () => {
    it('creates a password credential and never returns the password', async () => {
      const body = await passwordCredential('fleet-readonly');
      expect(body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'fleet-readonly',
        username: 'monitor',
        auth_method: 'password',
        has_passphrase: false,
        is_default: false,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const one = await api().get(`/api/credentials/${body.id}`);
      expectStatus(one, 200);
      expectNoSecrets(one);
      expect(one.body).toEqual(body);
      const list = await api().get('/api/credentials');
      expectStatus(list, 200);
      expectNoSecrets(list);
      expect(list.body).toEqual([body]);
    });

    it('creates a private-key credential from a real ssh-keygen key', async () => {
      const body = await create({
        name: 'deploy-key',
        username: 'deploy',
        auth_method: 'private_key',
        private_key: plainKey.privateKey,
      });
      expect(body).toMatchObject({
        name: 'deploy-key',
        username: 'deploy',
        auth_method: 'private_key',
        has_passphrase: false,
      });
      expectNoSecrets(await api().get(`/api/credentials/${body.id}`));
    });

    it('accepts a PEM-format key too', async () => {
      const body = await create({
        name: 'pem-key',
        username: 'deploy',
        auth_method: 'private_key',
        private_key: otherKey.privateKey,
      });
      expect(body.auth_method).toBe('private_key');
    });

    it('creates a credential from a passphrase-protected key with its passphrase', async () => {
      const body = await create({
        name: 'locked-key',
        username: 'deploy',
        auth_method: 'private_key',
        private_key: encryptedKey.privateKey,
        passphrase: PASSPHRASE,
      });
      expect(body.has_passphrase).toBe(true);
      const list = await api().get('/api/credentials');
      expectNoSecrets(list);
      expect(list.body[0]).toMatchObject({ name: 'locked-key', has_passphrase: true });
    });

    it('lists credentials by name', async () => {
      await passwordCredential('zulu');
      await passwordCredential('alpha');
      await passwordCredential('mike');
      const list = await api().get('/api/credentials');
      expectNoSecrets(list);
      expect((list.body as { name: string }[]).map((c) => c.name)).toEqual([
        'alpha',
        'mike',
        'zulu',
      ]);
    });
  });

  describe('secrets at rest', () => {
    it('stores only AES-GCM envelopes that open to the secrets under CREDENTIALS_KEY', async () => {
      const pw = await passwordCredential('pw');
      const key = await create({
        name: 'key',
        username: 'deploy',
        auth_method: 'private_key',
        private_key: encryptedKey.privateKey,
        passphrase: PASSPHRASE,
      });
      const rows: { id: string; secret_encrypted: string; passphrase_encrypted: string | null }[] =
        await app.dataSource.query(
          'SELECT id, secret_encrypted, passphrase_encrypted FROM credentials ORDER BY name',
        );
      const stored = JSON.stringify(rows);
      for (const secret of [PASSWORD, PASSPHRASE, encryptedKey.privateKey]) {
        for (const fragment of fragmentsOf(secret)) expect(stored).not.toContain(fragment);
      }
      const box = new SecretBox(Buffer.from(app.env.CREDENTIALS_KEY, 'base64'));
      const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
      expect(byId[pw.id].passphrase_encrypted).toBeNull();
      expect(box.open(byId[pw.id].secret_encrypted)).toBe(PASSWORD);
      expect(box.open(byId[key.id].secret_encrypted)).toBe(encryptedKey.privateKey);
      expect(box.open(byId[key.id].passphrase_encrypted!)).toBe(PASSPHRASE);
    });

    it('seals the same password differently each time (fresh IV)', async () => {
      await passwordCredential('one');
      await passwordCredential('two');
      const rows: { secret_encrypted: string }[] = await app.dataSource.query(
        'SELECT secret_encrypted FROM credentials',
      );
      expect(rows).toHaveLength(2);
      expect(rows[0].secret_encrypted).not.toBe(rows[1].secret_encrypted);
    });
  });

  describe('default credential', () => {
    it('making a second credential the default unsets the first', async () => {
      const first = await passwordCredential('first', { is_default: true });
      expect(first.is_default).toBe(true);
      const second = await passwordCredential('second', { is_default: true });
      expect(second.is_default).toBe(true);
      expect((await api().get(`/api/credentials/${first.id}`)).body.is_default).toBe(false);

      const promoted = await api().patch(`/api/credentials/${first.id}`).send({ is_default: true });
      expectStatus(promoted, 200);
      expect(promoted.body.is_default).toBe(true);
      const list = await api().get('/api/credentials');
      expect(
        (list.body as { name: string; is_default: boolean }[]).filter((c) => c.is_default),
      ).toEqual([expect.objectContaining({ name: 'first' })]);

      const demoted = await api().patch(`/api/credentials/${first.id}`).send({ is_default: false });
      expectStatus(demoted, 200);
      const after = await api().get('/api/credentials');
      expect((after.body as { is_default: boolean }[]).some((c) => c.is_default)).toBe(false);
    });

    it('re-saving the default keeps it the default', async () => {
      const only = await passwordCredential('only', { is_default: true });
      const res = await api()
        .patch(`/api/credentials/${only.id}`)
        .send({ is_default: true, username: 'root' });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ is_default: true, username: 'root' });
    });
  });

  describe('update', () => {
    it('renames and changes the username', async () => {
      const created = await passwordCredential('before');
      const res = await api()
        .patch(`/api/credentials/${created.id}`)
        .send({ name: 'after', username: 'svc.monitor@corp' });
      expectStatus(res, 200);
      expectNoSecrets(res);
      expect(res.body).toMatchObject({
        id: created.id,
        name: 'after',
        username: 'svc.monitor@corp',
        auth_method: 'password',
      });
      expect((await api().get(`/api/credentials/${created.id}`)).body.name).toBe('after');
    });

    it('changes the password: a new envelope that opens to the new password', async () => {
      const created = await passwordCredential('rotate');
      const [before] = await app.dataSource.query(
        'SELECT secret_encrypted FROM credentials WHERE id = $1',
        [created.id],
      );
      const res = await api()
        .patch(`/api/credentials/${created.id}`)
        .send({ password: 'an0ther-Pa55word!' });
      expectStatus(res, 200);
      expectNoSecrets(res);
      const [after] = await app.dataSource.query(
        'SELECT secret_encrypted FROM credentials WHERE id = $1',
        [created.id],
      );
      expect(after.secret_encrypted).not.toBe(before.secret_encrypted);
      const box = new SecretBox(Buffer.from(app.env.CREDENTIALS_KEY, 'base64'));
      expect(box.open(after.secret_encrypted)).toBe('an0ther-Pa55word!');
    });

    it('switches from password to private key only with a key, and forgets the password', async () => {
      const created = await passwordCredential('switch');
      expectBadField(
        await api().patch(`/api/credentials/${created.id}`).send({ auth_method: 'private_key' }),
        'private_key',
      );
      const res = await api().patch(`/api/credentials/${created.id}`).send({
        auth_method: 'private_key',
        private_key: encryptedKey.privateKey,
        passphrase: PASSPHRASE,
      });
      expectStatus(res, 200);
      expectNoSecrets(res);
      expect(res.body).toMatchObject({ auth_method: 'private_key', has_passphrase: true });
      const [row] = await app.dataSource.query(
        'SELECT secret_encrypted FROM credentials WHERE id = $1',
        [created.id],
      );
      const box = new SecretBox(Buffer.from(app.env.CREDENTIALS_KEY, 'base64'));
      expect(box.open(row.secret_encrypted)).toBe(encryptedKey.privateKey);
    });

    it('replaces a protected key by an unprotected one: has_passphrase goes false', async () => {
      const created = await create({
        name: 'k',
        username: 'deploy',
        auth_method: 'private_key',
        private_key: encryptedKey.privateKey,
        passphrase: PASSPHRASE,
      });
      const res = await api()
        .patch(`/api/credentials/${created.id}`)
        .send({ private_key: plainKey.privateKey });
      expectStatus(res, 200);
      expect(res.body.has_passphrase).toBe(false);
    });

    it('rejects a new passphrase that does not open the stored key', async () => {
      const created = await create({
        name: 'k',
        username: 'deploy',
        auth_method: 'private_key',
        private_key: encryptedKey.privateKey,
        passphrase: PASSPHRASE,
      });
      const res = await api()
        .patch(`/api/credentials/${created.id}`)
        .send({ passphrase: 'not the passphrase' });
      expectBadField(res, 'passphrase');
      expectNoSecrets(res);
      expect(JSON.stringify(res.body)).not.toContain('not the passphrase');
    });

    it('answers 409 when renaming onto a taken name', async () => {
      await passwordCredential('taken');
      const other = await passwordCredential('other');
      const res = await api().patch(`/api/credentials/${other.id}`).send({ name: 'taken' });
      expectStatus(res, 409);
      expect((await api().get(`/api/credentials/${other.id}`)).body.name).toBe('other');
    });
  });

  describe('delete', () => {
    it('deletes an unused credential', async () => {
      const created = await passwordCredential('unused');
      expectStatus(await api().delete(`/api/credentials/${created.id}`), 204);
      expectStatus(await api().get(`/api/credentials/${created.id}`), 404);
      expectStatus(await api().delete(`/api/credentials/${created.id}`), 404);
    });

    it('refuses with 409 while a host uses the credential, and allows it once detached', async () => {
      const credential = await passwordCredential('in-use');
      const host = await api()
        .post('/api/hosts')
        .send({ hostname: 'uses-cred', credential_id: credential.id });
      expectStatus(host, 201);
      const refused = await api().delete(`/api/credentials/${credential.id}`);
      expectStatus(refused, 409);
      expect(refused.body.message).toMatch(/in-use.*1 host/);
      expectStatus(await api().get(`/api/credentials/${credential.id}`), 200);

      expectStatus(
        await api().patch(`/api/hosts/${host.body.id}`).send({ credential_id: null }),
        200,
      );
      expectStatus(await api().delete(`/api/credentials/${credential.id}`), 204);
    });
  });

  describe('bad input', () => {
    it.each<[string, Record<string, unknown>, string]>([
      ['missing password', { name: 'c', username: 'u', auth_method: 'password' }, 'password'],
      [
        'missing private key',
        { name: 'c', username: 'u', auth_method: 'private_key' },
        'private_key',
      ],
      [
        'a private key for the password method',
        { name: 'c', username: 'u', auth_method: 'password', password: PASSWORD, private_key: 'k' },
        'private_key',
      ],
      [
        'a passphrase for the password method',
        { name: 'c', username: 'u', auth_method: 'password', password: PASSWORD, passphrase: 'p' },
        'passphrase',
      ],
      [
        'a password for the private_key method',
        { name: 'c', username: 'u', auth_method: 'private_key', password: PASSWORD },
        'password',
      ],
      ['missing name', { username: 'u', auth_method: 'password', password: PASSWORD }, 'name'],
      ['empty name', { name: '', username: 'u', auth_method: 'password', password: 'x' }, 'name'],
      [
        'name of 101 chars',
        { name: 'n'.repeat(101), username: 'u', auth_method: 'password', password: 'x' },
        'name',
      ],
      [
        'a NUL in the name',
        { name: 'a\u0000b', username: 'u', auth_method: 'password', password: 'x' },
        'name',
      ],
      ['missing username', { name: 'c', auth_method: 'password', password: PASSWORD }, 'username'],
      [
        'username with a space',
        { name: 'c', username: 'a b', auth_method: 'password', password: 'x' },
        'username',
      ],
      ['unknown auth_method', { name: 'c', username: 'u', auth_method: 'kerberos' }, 'auth_method'],
      ['missing auth_method', { name: 'c', username: 'u', password: PASSWORD }, 'auth_method'],
      [
        'empty password',
        { name: 'c', username: 'u', auth_method: 'password', password: '' },
        'password',
      ],
      [
        'a NUL in the password',
        { name: 'c', username: 'u', auth_method: 'password', password: 'a\u0000b' },
        'password',
      ],
      [
        'a numeric password',
        { name: 'c', username: 'u', auth_method: 'password', password: 1234 },
        'password',
      ],
      [
        'is_default "yes"',
        { name: 'c', username: 'u', auth_method: 'password', password: 'x', is_default: 'yes' },
        'is_default',
      ],
      [
        'an unknown property',
        { name: 'c', username: 'u', auth_method: 'password', password: 'x', secret: 'y' },
        'secret',
      ],
      [
        'an object for the name',
        { name: { a: 1 }, username: 'u', auth_method: 'password', password: 'x' },
        'name',
      ],
    ])('POST with %s is a 400 naming the field', async (_name, body, field) => {
      const res = await api().post('/api/credentials').send(body);
      expectBadField(res, field);
      expectNoSecrets(res);
      expect((await api().get('/api/credentials')).body).toEqual([]);
    });

    it('an unparsable private key is a 400 that says so without echoing the key', async () => {
      const bogus = [
        '-----BEGIN OPENSSH PRIVATE KEY-----',
        'Tm90QUtleUF0QWxsSnVzdFNvbWVCeXRlc1RoYXRMb29rTGlrZUJhc2U2NA',
        'WW91U2hvdWxkTmV2ZXJTZWVUaGlzVGV4dEluQW5BbnN3ZXJCb2R5',
        '-----END OPENSSH PRIVATE KEY-----',
      ].join('\n');
      secrets.push(bogus);
      const res = await api()
        .post('/api/credentials')
        .send({ name: 'bad-key', username: 'u', auth_method: 'private_key', private_key: bogus });
      expectBadField(res, 'private_key');
      expect(JSON.stringify(res.body)).toMatch(/could not be parsed/);
      expectNoSecrets(res);
    });

    it('a public key given as the private key is a 400 naming private_key', async () => {
      const res = await api().post('/api/credentials').send({
        name: 'pub',
        username: 'u',
        auth_method: 'private_key',
        private_key: plainKey.publicKey,
      });
      expectBadField(res, 'private_key');
      expect(JSON.stringify(res.body)).not.toContain(plainKey.publicKey.split(' ')[1]);
    });

    it('a protected key without its passphrase is a 400 that does not echo the key', async () => {
      const res = await api().post('/api/credentials').send({
        name: 'locked',
        username: 'u',
        auth_method: 'private_key',
        private_key: encryptedKey.privateKey,
      });
      expectStatus(res, 400);
      expect(fieldsOf(res).some((f) => f === 'private_key' || f === 'passphrase')).toBe(true);
      expect(JSON.stringify(res.body)).toMatch(/passphrase/i);
      expectNoSecrets(res);
    });

    it('a protected key with the wrong passphrase is a 400 that echoes neither', async () => {
      const wrong = 'definitely-the-wrong-passphrase';
      const res = await api().post('/api/credentials').send({
        name: 'locked',
        username: 'u',
        auth_method: 'private_key',
        private_key: encryptedKey.privateKey,
        passphrase: wrong,
      });
      expectStatus(res, 400);
      expect(fieldsOf(res).some((f) => f === 'private_key' || f === 'passphrase')).toBe(true);
      expectNoSecrets(res);
      expect(JSON.stringify(res.body)).not.toContain(wrong);
    });

    it('a second credential with the same name is a 409', async () => {
      await passwordCredential('dup');
      const res = await api()
        .post('/api/credentials')
        .send({ name: 'dup', username: 'x', auth_method: 'password', password: PASSWORD });
      expectStatus(res, 409);
      expectNoSecrets(res);
      expect((await api().get('/api/credentials')).body).toHaveLength(1);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['null name', { name: null }, 'name'],
      ['null username', { username: null }, 'username'],
      ['null password', { password: null }, 'password'],
      ['null is_default', { is_default: null }, 'is_default'],
      ['a private key for a password credential', { private_key: 'x' }, 'private_key'],
      ['an unknown property', { secret_encrypted: 'x' }, 'secret_encrypted'],
    ])('PATCH with %s is a 400 naming the field', async (_name, body, field) => {
      const created = await passwordCredential('stable');
      const res = await api().patch(`/api/credentials/${created.id}`).send(body);
      expectBadField(res, field);
      expectNoSecrets(res);
      const after = await api().get(`/api/credentials/${created.id}`);
      expect(after.body).toMatchObject({ name: 'stable', username: 'monitor', is_default: false });
    });

    it('PATCH with a null auth_method is a 400 and changes nothing', async () => {
      const created = await passwordCredential('stable');
      const res = await api().patch(`/api/credentials/${created.id}`).send({ auth_method: null });
      expectStatus(res, 400);
      expectNoSecrets(res);
      expect((await api().get(`/api/credentials/${created.id}`)).body.auth_method).toBe('password');
    });

    it('PATCH passphrase null on a protected key is a 400: the key would not open', async () => {
      const created = await create({
        name: 'locked',
        username: 'deploy',
        auth_method: 'private_key',
        private_key: encryptedKey.privateKey,
        passphrase: PASSPHRASE,
      });
      const res = await api().patch(`/api/credentials/${created.id}`).send({ passphrase: null });
      expectBadField(res, 'passphrase');
      expectNoSecrets(res);
      expect((await api().get(`/api/credentials/${created.id}`)).body.has_passphrase).toBe(true);
    });

    it('PATCH passphrase null removes a passphrase the key does not need (documented)', async () => {
      const created = await create({
        name: 'needless',
        username: 'deploy',
        auth_method: 'private_key',
        private_key: plainKey.privateKey,
        passphrase: PASSPHRASE,
      });
      expect(created.has_passphrase).toBe(true);
      const res = await api().patch(`/api/credentials/${created.id}`).send({ passphrase: null });
      expectStatus(res, 200);
      expectNoSecrets(res);
      expect(res.body.has_passphrase).toBe(false);
    });

    it('unknown ids are 404 and malformed ids 400 naming id', async () => {
      const path = `/api/credentials/${UNKNOWN_UUID}`;
      expectStatus(await api().get(path), 404);
      expectStatus(await api().patch(path).send({ name: 'x' }), 404);
      expectStatus(await api().delete(path), 404);
      expectBadField(await api().get('/api/credentials/nope'), 'id');
      expectBadField(await api().patch('/api/credentials/nope').send({ name: 'x' }), 'id');
      expectBadField(await api().delete('/api/credentials/nope'), 'id');
    });

    it('a body that is an array, a number or invalid JSON is a 400', async () => {
      for (const text of ['[]', '7', '{"name":']) {
        const res = await api()
          .post('/api/credentials')
          .set('Content-Type', 'application/json')
          .send(text);
        expectStatus(res, 400);
      }
    });

    it('a 5,000-level nested object for the name is a 400, not a 500', async () => {
      const res = await api()
        .post('/api/credentials')
        .set('Content-Type', 'application/json')
        .send(`{"name":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)},"username":"u"}`);
      expectStatus(res, 400);
    });

    it('a 17,000-character private key is a 400, not a 500', async () => {
      const res = await api()
        .post('/api/credentials')
        .send({
          name: 'huge',
          username: 'u',
          auth_method: 'private_key',
          private_key: 'A'.repeat(17_000),
        });
      expectBadField(res, 'private_key');
      expect(res.text).not.toContain('A'.repeat(64));
    });
  });
});
