/*
 * For `npm run test:mutation` only (jest.mutation.config.js): messages.test.ts's first table test, on
 * the rows this process produces (config, props, template, policy), without that file's scan of the
 * source, which would read Stryker's instrumented copy. `npm test` runs the same rows in messages.test.ts.
 */
import { tempDir } from "../helpers/files";
import { MessageInputs, readMessageRows } from "../helpers/message-inputs";

const IN_PROCESS = new Set(["config", "props", "template", "permissionPolicy"]);
const inputs = new MessageInputs(tempDir("trelica-mutation-messages-"));
const rows = readMessageRows().filter((row) => IN_PROCESS.has(row.kind));

test.each(rows.map((row) => [row.given, row] as const))("GIVEN %s THEN the message is exactly the table's", async (_given, row) => {
  expect(await inputs.produce(row)).toEqual([row.message]);
});
