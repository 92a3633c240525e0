/** Tests that need the Temporal cluster (`npm run test:cluster`): test/cluster/*.cluster.ts, one file at a time. */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.cluster.ts'],
  testTimeout: 600_000,
  maxWorkers: 1,
  forceExit: true,
};
