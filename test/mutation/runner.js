const TestRunner = require("jest-runner").default;
const bail = require("./bail");

/** Jest's runner; under a mutant, one file at a time, and none after a test has failed (bail.js). */
class MutationRunner extends TestRunner {
  async runTests(tests, watcher, options) {
    if (bail.activeMutant() === undefined) return super.runTests(tests, watcher, options);
    bail.reset();
    for (const test of tests) {
      if (bail.failed()) break;
      await super.runTests([test], watcher, options);
    }
  }
}

module.exports = MutationRunner;
