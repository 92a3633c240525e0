/** The `@buf/*` path aliases of tsconfig.json, for Jest (tsc-alias rewrites them in dist/; the workflow bundler has its own alias). */
module.exports = {
  '^@buf/(domain|bpmn|config|auth|temporal|persistence|telemetry)$': '<rootDir>/libs/$1/src',
  '^@buf/(domain|bpmn|config|auth|temporal|persistence|telemetry)/(.*)$': '<rootDir>/libs/$1/src/$2',
  '^@buf/workflows$': '<rootDir>/workflows',
  '^@buf/(workflows|activities|infra|apps)/(.*)$': '<rootDir>/$1/$2',
};
