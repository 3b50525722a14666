const { TestEnvironment } = require("jest-environment-node");
const bail = require("./bail");

/** Jest's node environment; under a mutant, the tests after the first failure are skipped (bail.js). */
class MutationEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    if (bail.activeMutant() === undefined) return;
    if (event.name === "test_start" && bail.failed()) event.test.mode = "skip";
    if ((event.name === "test_done" && event.test.errors.length > 0) || event.name === "hook_failure") bail.noteFailure();
  }
}

module.exports = MutationEnvironment;
