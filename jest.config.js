// Projects: pure unit specs beside the code (server and console), integration specs against
// real Postgres/Redis/sshd, API end-to-end specs against the real Nest app, and browser specs
// driving the built console in Debian's Chromium against the same real app.
// NestJS 12 ships ES modules only. Node 20 loads them with require(esm), but jest's module
// runtime does not, so jest compiles them to CommonJS with swc like our own sources.
const swc = ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }];
// jose, openid-client and its oauth4webapi are ES modules only as well.
const ESM_ONLY = '@nestjs/|jose/|openid-client/|oauth4webapi/';
const transform = {
  '^.+\\.ts$': ['@swc/jest'],
  [`/node_modules/(${ESM_ONLY}).+\\.m?js$`]: swc,
};
const common = {
  transform,
  transformIgnorePatterns: [`/node_modules/(?!${ESM_ONLY})`],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  // Integration specs wait for real probes and state walks; unit specs never come near this.
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/backend/src/**/*.spec.ts',
        '<rootDir>/scripts/**/*.spec.ts',
        '<rootDir>/tools/**/*.spec.ts',
      ],
    },
    {
      ...common,
      // The console's own logic (formatting, state colours, live-stream reconnection): plain
      // TypeScript beside the components, no browser needed.
      displayName: 'console',
      testMatch: ['<rootDir>/frontend/src/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/backend/test/integration/**/*.spec.ts'],
      globalSetup: '<rootDir>/backend/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/backend/test/support/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'load',
      testMatch: ['<rootDir>/backend/test/load/**/*.spec.ts'],
      globalSetup: '<rootDir>/backend/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/backend/test/support/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/backend/test/e2e/**/*.spec.ts'],
      globalSetup: '<rootDir>/backend/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/backend/test/support/global-teardown.ts',
    },
    {
      ...common,
      // Breaking Redis, Sentinel and PostgreSQL under a running app: each spec starts its own
      // servers (tools/peers), never the machine's shared ones. `npm run chaos` runs them
      // longer, on a bigger fleet.
      displayName: 'chaos',
      testMatch: ['<rootDir>/backend/test/chaos/**/*.spec.ts'],
      globalSetup: '<rootDir>/backend/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/backend/test/support/global-teardown.ts',
      testTimeout: 600000,
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/frontend/e2e/**/*.spec.ts'],
      globalSetup: '<rootDir>/backend/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/backend/test/support/global-teardown.ts',
    },
  ],
};
