import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd, type Sshd } from '../support/sshd';
import { createTestApp, type TestApp } from '../support/test-app';
import { TEST_ADMIN } from '../support/test-env';

const ROOT = join(__dirname, '..', '..', '..');
const GENERATOR = join(ROOT, 'node_modules/@hey-api/openapi-ts/bin/run.js');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

/**
 * What an enterprise team does first: generate a client with a third-party generator
 * (@hey-api/openapi-ts) from the committed openapi.json, compile it with strict TypeScript,
 * and use it against the running app: sign in, create a host, a JIT check with wait, its state.
 */
describe('a client generated from the committed openapi.json', () => {
  let dir: string;
  let sshd: Sshd;
  let app: TestApp;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hw-client-'));
    sshd = await startSshd();
    app = await createTestApp({ roles: 'api,worker' });
  });

  afterAll(async () => {
    await app?.close();
    await sshd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('generates, compiles, and signs in, creates a host, checks it and reads its state', async () => {
    execFileSync(
      process.execPath,
      [
        GENERATOR,
        '-i',
        join(ROOT, 'openapi.json'),
        '-o',
        dir,
        '-c',
        '@hey-api/client-fetch',
        '--no-log-file',
        '-s',
      ],
      { cwd: dir, stdio: 'pipe' },
    );
    // Strict TypeScript, as a consumer would compile it.
    execFileSync(
      process.execPath,
      [
        TSC,
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--target',
        'es2022',
        '--module',
        'esnext',
        '--moduleResolution',
        'bundler',
        '--lib',
        'es2022,dom',
        join(dir, 'index.ts'),
      ],
      { cwd: ROOT, stdio: 'pipe' },
    );

    const sdk = await import(join(dir, 'index.ts'));
    const { client } = await import(join(dir, 'client.gen.ts'));
    // Functions named by the document's operation ids.
    for (const name of [
      'login',
      'createHost',
      'checkHostConnectivity',
      'getHostState',
      'listHosts',
    ]) {
      expect(typeof sdk[name]).toBe('function');
    }
    client.setConfig({ baseUrl: app.url });

    const signedIn = await sdk.login({
      body: { username: TEST_ADMIN.username, password: TEST_ADMIN.password },
    });
    expect(signedIn.response.status).toBe(200);
    client.setConfig({ auth: () => signedIn.data.access_token });

    const created = await sdk.createHost({
      body: { hostname: `generated-${Date.now()}`, ip_address: sshd.host, port: sshd.port },
    });
    expect(created.response.status).toBe(201);
    const id = created.data.id;

    const checked = await sdk.checkHostConnectivity({
      path: { id },
      query: { wait: true, timeout_ms: 10000 },
    });
    expect(checked.response.status).toBe(200);
    expect(checked.data).toMatchObject({ host_id: id, success: true, checked_by: 'jit' });

    const state = await sdk.getHostState({ path: { id } });
    expect(state.response.status).toBe(200);
    expect(state.data).toMatchObject({ host_id: id, current_state: 'HEALTHY' });
    expect(state.data.recent_history).toHaveLength(1);

    // An error answer comes back typed, not thrown.
    const missing = await sdk.getHostState({
      path: { id: '5b0e7c1e-2f4b-4c53-9a7e-2d9d8f0c1a11' },
    });
    expect(missing.response.status).toBe(404);
  });
});
