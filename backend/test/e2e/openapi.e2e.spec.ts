import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import request from 'supertest';
import { buildOpenApiDocument } from '../../src/bootstrap';
import { createTestApp, type TestApp } from '../support/test-app';

const COMMITTED = join(__dirname, '..', '..', '..', 'openapi.json');
const REGENERATE = 'run `npm run openapi` and commit openapi.json';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** JSON pointers where two documents differ (at most `max`). */
function differences(a: Json, b: Json, path = '', out: string[] = [], max = 15): string[] {
  if (out.length >= max || isDeepStrictEqual(a, b)) return out;
  const isObject = (v: Json): v is { [key: string]: Json } =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const where = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!(key in a)) out.push(`${where}: only in openapi.json`);
      else if (!(key in b)) out.push(`${where}: only in the code`);
      else differences(a[key], b[key], where, out, max);
      if (out.length >= max) break;
    }
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => differences(item, b[i], `${path}/${i}`, out, max));
    return out;
  }
  out.push(
    `${path || '/'}: ${JSON.stringify(b)?.slice(0, 80)} in openapi.json, ${JSON.stringify(a)?.slice(0, 80)} in the code`,
  );
  return out;
}

describe('OpenAPI document', () => {
  let app: TestApp;
  let fromCode: Json;

  beforeAll(async () => {
    app = await createTestApp();
    fromCode = JSON.parse(JSON.stringify(buildOpenApiDocument(app.http!)));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('the committed openapi.json matches the code', () => {
    if (!existsSync(COMMITTED)) {
      throw new Error(`openapi.json is missing at ${COMMITTED}: ${REGENERATE}`);
    }
    let committed: Json;
    try {
      committed = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    } catch (error) {
      throw new Error(
        `openapi.json is not valid JSON (${(error as Error).message}): ${REGENERATE}`,
      );
    }
    if (!isDeepStrictEqual(committed, fromCode)) {
      throw new Error(
        `openapi.json is out of date with the code: ${REGENERATE}.\nFirst differences:\n  ` +
          differences(fromCode, committed).join('\n  '),
      );
    }
  });

  it('is served at /api/docs-json, and the UI at /api/docs, to a browser without a token; the API still needs one', async () => {
    const server = app.http!.getHttpServer();
    const json = await request(server).get('/api/docs-json');
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toMatch(/application\/json/);
    expect(json.body).toEqual(fromCode);
    const ui = await request(server).get('/api/docs').set('Accept', 'text/html').redirects(1);
    expect(ui.status).toBe(200);
    expect(ui.text).toMatch(/swagger/i);
    // The UI's script keeps what is typed in its Authorize box across reloads.
    const init = await request(server).get('/api/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('"persistAuthorization": true');
    // Opening the docs opens nothing else.
    await request(server).get('/api/hosts').expect(401);
    await request(server).get('/api/monitoring/stats').expect(401);
  });

  it('gives every operation a stable verb-first operationId, a summary, a tag, its security and its errors', () => {
    const doc = fromCode as {
      info: { license?: { name: string } };
      paths: Record<
        string,
        Record<
          string,
          {
            operationId: string;
            summary?: string;
            tags?: string[];
            security?: unknown[];
            responses: Record<string, unknown>;
          }
        >
      >;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => ({ at: `${method.toUpperCase()} ${path}`, ...op })),
    );
    const ids = operations.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const VERBS =
      /^(list|get|create|update|delete|check|reset|revoke|test|set|stream|login|logout|refresh|change|start|complete|collect|acknowledge|unacknowledge|import|export|run)[A-Z]?/;
    const problems = operations.flatMap((o) => [
      ...(VERBS.test(o.operationId)
        ? []
        : [`${o.at}: operationId ${o.operationId} does not start with a verb`]),
      ...(o.summary ? [] : [`${o.at}: no summary`]),
      ...(o.tags?.length ? [] : [`${o.at}: no tag`]),
      ...(Array.isArray(o.security) ? [] : [`${o.at}: no explicit security`]),
      ...(o.security?.length && !('401' in o.responses)
        ? [`${o.at}: protected without a 401`]
        : []),
    ]);
    expect(problems).toEqual([]);
    for (const [at, id] of [
      ['GET /api/hosts', 'listHosts'],
      ['POST /api/monitoring/hosts/{id}/check-connectivity', 'checkHostConnectivity'],
      ['GET /api/monitoring/hosts/{id}/state', 'getHostState'],
    ]) {
      expect(operations.find((o) => o.at === at)?.operationId).toBe(id);
    }
    expect(doc.info.license?.name).toBeTruthy();
  });

  it('documents every endpoint of the API with at least one response', () => {
    const doc = fromCode as { paths: Record<string, Record<string, { responses?: object }>> };
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
    );
    const names = operations.map((o) => o.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/hosts',
        'GET /api/hosts',
        'GET /api/hosts/{id}',
        'PATCH /api/hosts/{id}',
        'DELETE /api/hosts/{id}',
        'POST /api/hosts/{id}/host-key/reset',
        'POST /api/credentials',
        'GET /api/credentials',
        'GET /api/credentials/{id}',
        'PATCH /api/credentials/{id}',
        'DELETE /api/credentials/{id}',
        'POST /api/monitoring/hosts/{id}/check-connectivity',
        'GET /api/monitoring/checks/{task_id}',
        'GET /api/monitoring/hosts/{id}/state',
        'GET /api/monitoring/hosts/{id}/history',
        'GET /api/monitoring/policy',
        'PUT /api/monitoring/policy',
        'GET /api/monitoring/scheduler',
        'PUT /api/monitoring/scheduler',
        'GET /api/monitoring/stats',
        'GET /health',
      ]),
    );
    const undocumented = operations
      .filter(({ op }) => !op.responses || Object.keys(op.responses).length === 0)
      .map((o) => o.name);
    expect(undocumented).toEqual([]);
  });

  it('never offers a secret in a response schema', () => {
    const schemas = (fromCode as { components?: { schemas?: Record<string, Json> } }).components
      ?.schemas;
    const credential = schemas?.CredentialResponseDto as { properties?: Record<string, Json> };
    expect(credential?.properties).toBeDefined();
    for (const secret of ['password', 'private_key', 'passphrase']) {
      expect(credential.properties).not.toHaveProperty(secret);
    }
  });
});
