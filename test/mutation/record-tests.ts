import * as fs from "node:fs";
import * as path from "node:path";

/*
 * Under Stryker (jest.mutation.config.js), the initial run notes which file each test is in, how long
 * it took and how long its file took to load, so that a mutant's run loads only the files holding the
 * tests that cover it, the quickest first (sequencer.js): loading every related file costs ~14 s a
 * mutant, most of it files none of whose tests run.
 */
export const TEST_INDEX = path.join(__dirname, "..", "..", ".mutation-test-index.jsonl");

const underStryker = (globalThis as { __strykerGlobalNamespace__?: string }).__strykerGlobalNamespace__ !== undefined;
if (underStryker && process.env.__STRYKER_ACTIVE_MUTANT__ === undefined) {
  // This file runs before the test file's imports: the first test's start less this is its load time.
  let started = performance.now();
  let loaded = false;
  beforeEach(() => {
    const now = performance.now();
    if (!loaded) fs.appendFileSync(TEST_INDEX, `${JSON.stringify({ file: expect.getState().testPath, load: Math.round(now - started) })}\n`);
    loaded = true;
    started = now;
  });
  afterEach(() => {
    const { testPath, currentTestName } = expect.getState();
    fs.appendFileSync(TEST_INDEX, `${JSON.stringify({ file: testPath, name: currentTestName, ms: Math.round(performance.now() - started) })}\n`);
  });
}
