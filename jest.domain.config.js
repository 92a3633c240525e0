/**
 * The domain's own unit tests (libs/domain: definitions, field rules, calendar, deadline engine,
 * rules), with no servers and no workflow bundle: what `npm run test:mutation` mutates against.
 */
module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/libs/domain'],
  testMatch: ['**/*.spec.ts'],
  moduleNameMapper: require('./jest.paths.js'),
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }] },
};
