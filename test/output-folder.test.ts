/* The output folder's failures in our words, for the cases the message table's inputs cannot make (test/messages.test.ts makes the rest). */
import * as fs from "node:fs";
import * as path from "node:path";
import { checkOutputFolder, writingInto } from "../app/commands/output-folder";
import { UserError } from "../app/common/errors";
import { tempDir } from "./helpers/files";

const dir = tempDir("trelica-output-folder-");

test("GIVEN an output folder inside a symlink loop THEN it is refused before anything is written, naming the folder and why", () => {
  fs.symlinkSync(path.join(dir, "loop"), path.join(dir, "loop"));
  expect(() => checkOutputFolder(path.join(dir, "loop", "out"))).toThrow(
    new UserError(
      `Output folder ${path.join(dir, "loop", "out")}: ${path.join(dir, "loop", "out")} cannot be written (ELOOP); expected a folder to write the stacks into (created if missing): name one with --output or CDKTF_OUTDIR. Nothing was written.`,
    ),
  );
});

test.each([
  ["EACCES", "permission denied"],
  ["EROFS", "the file system is read-only"],
  ["ENOSPC", "no space left on the device"],
])("GIVEN a write refused with %s THEN our words for it, the file, and what to do; never the system's stack trace", (code, words) => {
  const file = path.join(dir, "out", "stacks", "x", "cdk.tf.json");
  const refused = Object.assign(new Error(`${code}: refused, open '${file}'`), { code, path: file });
  expect(() =>
    writingInto(path.join(dir, "out"), () => {
      throw refused;
    }),
  ).toThrow(
    `Output folder ${path.join(dir, "out")}: writing ${file} failed: ${words}; expected a folder to write the stacks into (created if missing): name one with --output or CDKTF_OUTDIR. It may hold some stacks of this run: fix that, then synthesize again.`,
  );
});

test("GIVEN a failure that is not the file system's THEN it is not dressed up as one", () => {
  expect(() =>
    writingInto(dir, () => {
      throw new TypeError("a bug");
    }),
  ).toThrow(TypeError);
});
