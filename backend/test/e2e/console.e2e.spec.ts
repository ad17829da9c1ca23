import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types';
import { createTestApp, type TestApp } from '../support/test-app';

const SHELL = '<!doctype html><title>hostwatch</title><hw-root></hw-root>';

describe('the admin console served beside the API', () => {
  let t: TestApp;
  let http: App;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hw-console-'));
    await writeFile(join(dir, 'index.html'), SHELL);
    await writeFile(join(dir, 'main-ABCDEFGH.js'), 'console.log(1)');
    await mkdir(join(dir, 'media'));
    await writeFile(join(dir, 'media', 'logo.svg'), '<svg/>');
    t = await createTestApp({ env: { CONSOLE_DIR: dir } });
    http = t.http!.getHttpServer() as App;
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the console at / and its client routes (deep links survive a reload)', async () => {
    for (const path of [
      '/',
      '/dashboard',
      '/hosts',
      '/hosts/5b0e7c1e-2f4b-4c53-9a7e-2d9d8f0c1a11',
    ]) {
      const res = await request(http).get(path).set('Accept', 'text/html');
      expect([path, res.status, res.text]).toEqual([path, 200, SHELL]);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves built files, hashed bundles cached for good', async () => {
    const js = await request(http).get('/main-ABCDEFGH.js').expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
    await request(http).get('/media/logo.svg').expect(200);
  });

  it('answers a missing file with 404, not the app shell', async () => {
    const res = await request(http).get('/main-MISSING1.js');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('hw-root');
  });

  it('leaves /api, /api/docs, /health and /metrics to the server', async () => {
    const missing = await request(http).get('/api/no-such-thing').set('Accept', 'text/html');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/json/);
    // The console's files are public; the API behind them is not.
    await request(http).get('/api/hosts').expect(401).expect('Content-Type', /json/);
    await t.api().get('/api/hosts').expect(200).expect('Content-Type', /json/);
    const health = await request(http).get('/health');
    expect(health.headers['content-type']).toMatch(/json/);
    for (const path of ['/health/live', '/health/ready']) {
      expect((await request(http).get(path)).headers['content-type']).toMatch(/json/);
    }
    // Metrics are the server's too: a 404 naming METRICS_TOKEN here (none is set), never the shell.
    const metrics = await request(http).get('/metrics').set('Accept', 'text/html');
    expect(metrics.status).toBe(404);
    expect(metrics.text).toContain('METRICS_TOKEN');
    const docs = await t.api().get('/api/docs').set('Accept', 'text/html').expect(200);
    expect(docs.text).toContain('swagger');
  });

  it('does not answer writes to client routes with the shell', async () => {
    const res = await request(http).post('/hosts').send({});
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('hw-root');
  });
});

describe('without a built console', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { CONSOLE_DIR: join(tmpdir(), 'hw-console-missing') } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('says at / how to build it, and the API still works', async () => {
    const http = t.http!.getHttpServer() as App;
    const res = await request(http).get('/');
    expect(res.status).toBe(404);
    expect(res.text).toContain('npm run build');
    await t.api().get('/api/hosts').expect(200);
  });
});
