// `npm run test:mutation` (test/mutation/run.js): which bugs the tests would let through, one Stryker run
// per folder of test/mutation/folders.js, named by MUTATION_TESTS (docs/development.md, "Mutation testing").
// Without MUTATION_TESTS (`npx stryker run`): every folder in one run, against every folder's tests.
import folders from "./test/mutation/folders.js";

const folder = process.env.MUTATION_TESTS;
// Each folder's own report and incremental file; run.js merges the reports into mutation.json.
const name = folder === undefined ? "mutation" : folder.replaceAll("/", "-");

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "jest",
  jest: { projectType: "custom", configFile: "jest.mutation.config.js", enableFindRelatedTests: true },
  coverageAnalysis: "perTest",
  // A static mutant (a module-level constant: a schema, a rule, a table) has no covering tests of its
  // own, so Stryker would run every test file for each: hours on two cores. Their values are checked by
  // the message table and the policy tests; see docs/development.md.
  ignoreStatic: true,
  mutate: folder === undefined ? Object.values(folders).flatMap((each) => each.mutate) : folders[folder].mutate,
  // Two cores: one jest per core at most.
  concurrency: 2,
  incremental: true,
  incrementalFile: folder === undefined ? "reports/stryker-incremental.json" : `reports/stryker-incremental/${name}.json`,
  reporters: ["json", "html", "clear-text", "progress"],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false },
  // The sandbox needs the sources and tests, not outputs.
  ignorePatterns: ["reports", "dist", "cdktf.out", ".rollout", ".terraform", "coverage", "/docs/api", "/examples"],
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
  // A mutant that loops is cut off after 3 times its tests' time in the initial run plus a minute: a
  // loaded machine (Stryker niced beside real terraform) slows a run severalfold, and a run cut off
  // by mistake would count as a killed mutant. The suites' own timeout (300 s) is for such a machine too.
  timeoutMS: 60000,
  timeoutFactor: 3,
  thresholds: { high: 95, low: 90, break: null },
};
