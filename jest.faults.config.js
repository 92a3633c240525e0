/** Fault-injection tests (`npm run test:faults`): test/faults/*.faults.ts, one file at a time. */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.faults.ts'],
  testTimeout: 600_000,
  maxWorkers: 1,
  forceExit: true,
};
