import * as fs from "node:fs";
import * as path from "node:path";

/*
 * Under Stryker (jest.mutation.config.js), the initial run notes which file each test is in, so that a
 * mutant's run loads only the files holding the tests that cover it (sequencer.js): loading every
 * related file costs ~14 s a mutant, most of it files none of whose tests run.
 */
export const TEST_INDEX = path.join(__dirname, "..", "..", ".mutation-test-index.jsonl");

const underStryker = (globalThis as { __strykerGlobalNamespace__?: string }).__strykerGlobalNamespace__ !== undefined;
if (underStryker && process.env.__STRYKER_ACTIVE_MUTANT__ === undefined) {
  beforeEach(() => {
    const { testPath, currentTestName } = expect.getState();
    fs.appendFileSync(TEST_INDEX, `${JSON.stringify({ file: testPath, name: currentTestName })}\n`);
  });
}
