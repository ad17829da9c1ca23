/**
 * Loads the real application for the e2e specs, in this process.
 *
 * NestJS 12 ships as ES modules only. Jest's own module registry cannot require() an ES module
 * before Node 24.9, but Node itself can (20.19+). So: first try the ordinary way (test-app.ts
 * through Jest); if Jest refuses an ES module, load test-app.ts through Node's own require,
 * compiling this repository's TypeScript with SWC (the same options as .swcrc). Either way the
 * specs get the same `createTestApp` and `buildOpenApiDocument`, from one module graph.
 *
 * Objects built by a Node-loaded app live in Node's main realm, not in Jest's sandbox: compare
 * them by value (toEqual), never with toBeInstanceOf.
 */
import { readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { createTestApp as CreateTestApp, TestApp } from './test-app';

export type { TestApp };

export interface AppModules {
  createTestApp: typeof CreateTestApp;
  buildOpenApiDocument: (app: INestApplication) => OpenAPIObject;
  /** 'jest' when Jest could load the app itself, 'node' when it went through Node's require. */
  loadedBy: 'jest' | 'node';
}

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const TEST_APP = join(__dirname, 'test-app.ts');
const BOOTSTRAP = join(REPO_ROOT, 'backend', 'src', 'bootstrap.ts');

type NodeRequire = (id: string) => unknown;
interface NodeModuleApi {
  createRequire(path: string): NodeRequire;
  _extensions: Record<string, (module: CompilableModule, filename: string) => void>;
}
interface CompilableModule {
  _compile(code: string, filename: string): void;
}
interface SwcApi {
  transformSync(source: string, options: Record<string, unknown>): { code: string };
}

let cached: AppModules | null = null;

function isEsmRefusal(error: unknown): boolean {
  const message = (error as Error)?.message ?? '';
  return /ES ?Module|require\(esm\)|Cannot use import statement/i.test(message);
}

function nodeBuiltin<T>(name: string): T {
  const get = (process as unknown as { getBuiltinModule?: (id: string) => unknown })
    .getBuiltinModule;
  if (typeof get !== 'function') {
    throw new Error(
      'Jest cannot load NestJS 12 (ES modules) here, and this Node has no process.getBuiltinModule ' +
        'to load it natively: use Node >= 20.19',
    );
  }
  return get(name) as T;
}

/** Teaches Node's own require to load this repository's .ts files (once per process). */
function installTypeScriptHook(nodeModule: NodeModuleApi, nodeRequire: NodeRequire): void {
  if (nodeModule._extensions['.ts']) return;
  const swc = nodeRequire('@swc/core') as SwcApi;
  nodeModule._extensions['.ts'] = (module, filename) => {
    if (!filename.startsWith(REPO_ROOT + sep) || filename.includes(`${sep}node_modules${sep}`)) {
      throw new Error(`app-loader compiles only this repository's sources, not ${filename}`);
    }
    const { code } = swc.transformSync(readFileSync(filename, 'utf8'), {
      filename,
      swcrc: false,
      sourceMaps: 'inline',
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
    });
    module._compile(code, filename);
  };
}

export function loadAppModules(): AppModules {
  if (cached) return cached;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const testApp = require('./test-app') as { createTestApp: typeof CreateTestApp };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bootstrap = require('../../src/bootstrap') as Pick<AppModules, 'buildOpenApiDocument'>;
    cached = {
      createTestApp: testApp.createTestApp,
      buildOpenApiDocument: bootstrap.buildOpenApiDocument,
      loadedBy: 'jest',
    };
    return cached;
  } catch (error) {
    if (!isEsmRefusal(error)) throw error;
  }
  const nodeModule = nodeBuiltin<NodeModuleApi>('node:module');
  const nodeRequire = nodeModule.createRequire(TEST_APP);
  installTypeScriptHook(nodeModule, nodeRequire);
  const testApp = nodeRequire(TEST_APP) as { createTestApp: typeof CreateTestApp };
  const bootstrap = nodeRequire(BOOTSTRAP) as Pick<AppModules, 'buildOpenApiDocument'>;
  cached = {
    createTestApp: testApp.createTestApp,
    buildOpenApiDocument: bootstrap.buildOpenApiDocument,
    loadedBy: 'node',
  };
  return cached;
}

/** `createTestApp` from whichever loader works here. */
export function startTestApp(options?: Parameters<typeof CreateTestApp>[0]): Promise<TestApp> {
  return loadAppModules().createTestApp(options);
}
