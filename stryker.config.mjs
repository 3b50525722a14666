// `npm run test:mutation`: which bugs the tests would let through (docs/development.md, "Mutation testing").
// One folder: `npm run test:mutation -- --mutate 'app/config/**/*.ts'` (with MUTATION_TESTS=app/config
// to run only that folder's tests; see jest.mutation.config.js).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "jest",
  jest: { projectType: "custom", configFile: "jest.mutation.config.js", enableFindRelatedTests: true },
  coverageAnalysis: "perTest",
  // A static mutant (a module-level constant: a schema, a rule, a table) has no covering tests of its
  // own, so Stryker would run every test file for each: hours on two cores. Their values are checked by
  // the message table and the policy tests; see docs/development.md.
  ignoreStatic: true,
  mutate: [
    "modules/trelica-integration/**/*.ts",
    "app/config/**/*.ts",
    "verify/compare.ts",
    "verify/read/policy.ts",
    "verify/in-sync.ts",
  ],
  // Two cores: one jest per core at most.
  concurrency: 2,
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  reporters: ["json", "html", "clear-text", "progress"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false },
  // The sandbox needs the sources and tests, not outputs.
  ignorePatterns: ["reports", "dist", "cdktf.out", ".rollout", ".terraform", "coverage", "/docs/api", "/examples"],
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
  // A mutant that loops is cut off; the suites' own timeout (300 s) is for a loaded machine.
  timeoutMS: 60000,
  thresholds: { high: 95, low: 90, break: null },
};
