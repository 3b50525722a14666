import * as fs from "node:fs";
import * as path from "node:path";
import { shownPath } from "./project-options";
import { UserError } from "../common/errors";

const WHAT = "expected a folder to write the stacks into (created if missing): name one with --output or CDKTF_OUTDIR";

/**
 * Refuses an output folder that cannot be one before anything is written: a file, a path under a
 * file, or a place this user may not write. Other failures while writing still become our message
 * (see writingInto).
 */
export function checkOutputFolder(outdir: string): void {
  const target = path.resolve(outdir);
  for (let dir = target; ; dir = path.dirname(dir)) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === "ENOENT" || code === "ENOTDIR") && path.dirname(dir) !== dir) continue;
      throw folderError(outdir, dir, error as NodeJS.ErrnoException);
    }
    if (!stat.isDirectory()) {
      const where = dir === target ? "is a file" : `is under ${shownPath(dir)}, which is a file`;
      throw new UserError(`Output folder ${shownPath(outdir)}: ${where}; ${WHAT}. Nothing was written.`);
    }
    try {
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (error) {
      throw folderError(outdir, dir, error as NodeJS.ErrnoException);
    }
    return;
  }
}

/** Runs the part that writes; a file-system failure in it becomes our message, never a stack trace. */
export function writingInto<T>(outdir: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== "string" || !/^E[A-Z]+$/.test(code)) throw error;
    const at = (error as NodeJS.ErrnoException).path;
    throw new UserError(
      `Output folder ${shownPath(outdir)}: writing ${at ? shownPath(at) : "it"} failed: ${REASONS[code] ?? code}; ${WHAT}. ` +
        "It may hold some stacks of this run: fix that, then synthesize again.",
    );
  }
}

const REASONS: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "not permitted",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is used up",
  ENOTDIR: "a part of the path is a file",
  EEXIST: "a file is in the way",
  EISDIR: "a folder is where a file belongs",
};

function folderError(outdir: string, dir: string, error: NodeJS.ErrnoException): UserError {
  const reason = REASONS[error.code ?? ""] ?? error.code ?? String(error);
  return new UserError(`Output folder ${shownPath(outdir)}: ${shownPath(dir)} cannot be written (${reason}); ${WHAT}. Nothing was written.`);
}
