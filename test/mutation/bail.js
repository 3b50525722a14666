/*
 * A mutant is killed by its first failing test: once one has failed, the rest of that mutant's run is
 * skipped (jest has no programmatic bail). The environment (environment.js) notes the failure and skips
 * the remaining tests of the file; the runner (runner.js) loads no further file. Both run in the jest
 * process Stryker drives, outside the tests' sandboxes, so they share this module's state.
 */
const FAILED = Symbol.for("trelica-aws-role.mutation.failed");

/** The mutant Stryker has switched on in this process, or undefined (the initial run, `npm test`). */
const activeMutant = () => process.env.__STRYKER_ACTIVE_MUTANT__;

module.exports = {
  activeMutant,
  /** Whether a test has failed with the active mutant on. */
  failed: () => activeMutant() !== undefined && globalThis[FAILED] === activeMutant(),
  noteFailure: () => {
    if (activeMutant() !== undefined) globalThis[FAILED] = activeMutant();
  },
  reset: () => {
    globalThis[FAILED] = undefined;
  },
};
