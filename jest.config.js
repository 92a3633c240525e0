/** Unit tests sit next to the code (`*.spec.ts`); workflow and end-to-end tests in test/ (`*.test.ts`). */
module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/workflows', '<rootDir>/activities', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  moduleNameMapper: require('./jest.paths.js'),
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json'}],
    // The BPMN export's libraries are ES modules (Node loads them with require, Jest does not):
    // compiled to CommonJS for the tests, and only they of node_modules.
    '^.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(bpmn-moddle|bpmn-auto-layout|moddle|moddle-xml|min-dash|saxen)/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 120_000,
  maxWorkers: 2,
};
