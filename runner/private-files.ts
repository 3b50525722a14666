import * as fs from "node:fs";

/*
 * `.rollout/` holds terraform's output per account, saved plans (which embed the stack's values and
 * provider settings) and reports: owner-only, whatever the umask. A folder made before this rule is
 * tightened on the next run.
 */

export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

export function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  fs.chmodSync(dir, PRIVATE_DIR);
}

/** Writes a file owner-only: a new one made so, an existing one (made before this rule, or by hand) tightened. */
export function writePrivateFile(file: string, text: string): void {
  fs.writeFileSync(file, text, { mode: PRIVATE_FILE });
  fs.chmodSync(file, PRIVATE_FILE);
}
