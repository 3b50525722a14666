const fs = require("node:fs");
const path = require("node:path");
const Sequencer = require("@jest/test-sequencer").default;

/*
 * Jest's own order, but for a Stryker mutant's run only the test files that hold one of the tests it
 * runs (its covering tests, as Stryker's name pattern), found in the index record-tests.ts wrote during
 * the initial run. Without an index or a pattern (the initial run, a static mutant): every file.
 */
const TEST_INDEX = path.join(__dirname, "..", "..", ".mutation-test-index.jsonl");

class CoveringFilesSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.pattern = options.globalConfig.testNamePattern;
  }

  sort(tests) {
    const sorted = super.sort(tests);
    if (process.env.__STRYKER_ACTIVE_MUTANT__ === undefined || !this.pattern || !fs.existsSync(TEST_INDEX)) return sorted;
    const pattern = new RegExp(this.pattern, "i");
    const files = new Set();
    for (const line of fs.readFileSync(TEST_INDEX, "utf8").split("\n")) {
      if (line === "") continue;
      const { file, name } = JSON.parse(line);
      if (pattern.test(name)) files.add(file);
    }
    return Promise.resolve(sorted).then((all) => all.filter((test) => files.has(test.path)));
  }
}

module.exports = CoveringFilesSequencer;
