/** @type {import('jest').Config} */
const tsJest = [
  'ts-jest',
  {
    tsconfig: 'tsconfig.json',
    astTransformers: { before: ['<rootDir>/test/support/swagger-transformer.js'] },
    // 151002: hybrid module kinds want isolatedModules, which the Swagger plugin (it needs the
    // type checker) rules out; the app compiles as CommonJS either way.
    diagnostics: { ignoreCodes: [151002] },
  },
];

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': tsJest },
};

module.exports = {
  ...common,
  // One development database for the whole run; each e2e file uses its own database name.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  // One test file at a time (two cores), but in a worker process that is replaced once it holds
  // more than this after a file: each file's ESM imports (--experimental-vm-modules) stay in
  // memory, and in band the whole run reached the heap limit. (Setting it also makes Jest use a
  // worker where it would otherwise run in band.)
  workerIdleMemoryLimit: '1500MB',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
