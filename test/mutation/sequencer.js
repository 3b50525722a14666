const fs = require("node:fs");
const path = require("node:path");
const Sequencer = require("@jest/test-sequencer").default;

/*
 * For a Stryker mutant's run, only the test files that hold one of the tests it runs (its covering
 * tests, as Stryker's name pattern), found in the index record-tests.ts wrote during the initial run,
 * the file whose load and covering tests took least time first: a mutant is killed by its first failing test
 * (bail.js), so the cheap files decide most mutants. Without an index or a pattern (the initial run, a
 * static mutant): every file, in jest's own order.
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
    const load = new Map();
    const cost = new Map();
    for (const line of fs.readFileSync(TEST_INDEX, "utf8").split("\n")) {
      if (line === "") continue;
      const entry = JSON.parse(line);
      if (entry.load !== undefined) load.set(entry.file, entry.load);
      else if (pattern.test(entry.name)) cost.set(entry.file, (cost.get(entry.file) ?? 0) + entry.ms);
    }
    for (const file of cost.keys()) cost.set(file, cost.get(file) + (load.get(file) ?? 0));
    return Promise.resolve(sorted).then((all) => all.filter((test) => cost.has(test.path)).sort((a, b) => cost.get(a.path) - cost.get(b.path)));
  }
}

module.exports = CoveringFilesSequencer;
