/** Unit tests sit next to the code (`*.spec.ts`); workflow and end-to-end tests in test/ (`*.test.ts`). */
module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/workflows', '<rootDir>/activities', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  moduleNameMapper: require('./jest.paths.js'),
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json'}] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 120_000,
  maxWorkers: 2,
};
