/*
 * Jest as `npm run test:mutation` (stryker.config.mjs) runs it: the normal config, with the source
 * folders among the roots (Stryker's perTest coverage and --findRelatedTests need the mutated files in
 * jest's module map) and only the test files that exercise the mutated code in this process. Files
 * that spawn the app or terraform cannot see a mutant (it is switched on inside this process), and
 * the suites that read the source as text (messages' completeness scan, docs, imports) would read
 * Stryker's instrumented copy: they stay in `npm test` only.
 */
const path = require("node:path");
const base = require("./jest.config");

const FOLDERS = require("./test/mutation/folders");

// MUTATION_TESTS=app/config (a folder of folders.js) narrows the tests to that folder's.
const only = process.env.MUTATION_TESTS;
if (only !== undefined && !FOLDERS[only]) throw new Error(`MUTATION_TESTS=${only}: expected one of ${Object.keys(FOLDERS).join(", ")}`);
const names = only ? FOLDERS[only].tests : [...new Set(Object.values(FOLDERS).flatMap((folder) => folder.tests))];

module.exports = {
  ...base,
  roots: ["<rootDir>/test", "<rootDir>/modules", "<rootDir>/app", "<rootDir>/verify"],
  testMatch: names.map((name) => `<rootDir>/test/${name}.${name.startsWith("mutation/") ? "mutation" : "test"}.ts`),
  setupFilesAfterEnv: [...base.setupFilesAfterEnv, "<rootDir>/test/mutation/record-tests.ts"],
  testSequencer: "<rootDir>/test/mutation/sequencer.js",
  // A mutant's run stops at its first failing test (test/mutation/bail.js). An absolute path: Stryker's
  // own environment loads this one by name.
  testEnvironment: path.join(__dirname, "test/mutation/environment.js"),
  runner: "<rootDir>/test/mutation/runner.js",
};
