/*
 * What rollout knew the last time terraform had nothing left to do in an account: a plan that came back
 * empty, or a saved plan applied. The stack, the state, terraform and the providers are pinned by hash:
 * while all four are unchanged, only a change in the account itself can give terraform work, and the
 * live comparison looks for that. Anything else changed since, and the account plans.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { privateDir } from "../../runner/private-files";
import { Stack } from "../../runner/stacks";

export interface SyncRecord {
  /** sha256 of cdk.tf.json when terraform found nothing to do. */
  readonly stackHash: string;
  /** sha256 of the state file's text right after (a state written since, by anyone, differs). */
  readonly stateHash: string;
  readonly terraformVersion: string;
  /** sha256 of the stack's .terraform.lock.hcl: the providers terraform chose. */
  readonly lockHash: string;
  /** The rollout run and what terraform did: "empty plan" or "applied". */
  readonly runId: string;
  readonly how: "empty plan" | "applied";
}

const FOLDER = "in-sync";

export function recordFile(stateDir: string, stack: Stack): string {
  return path.join(stateDir, FOLDER, `${stack.name}.json`);
}

export function readSyncRecord(stateDir: string, stack: Stack): SyncRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(recordFile(stateDir, stack), "utf8")) as SyncRecord;
  } catch {
    return undefined;
  }
}

export function writeSyncRecord(stateDir: string, stack: Stack, record: SyncRecord): void {
  privateDir(path.join(stateDir, FOLDER));
  fs.writeFileSync(recordFile(stateDir, stack), JSON.stringify(record, null, 2) + "\n", { mode: 0o600 });
}

/** A record that no longer holds (a plan found changes, the state is gone): removed, so nothing leans on it. */
export function forgetSyncRecord(stateDir: string, stack: Stack): void {
  fs.rmSync(recordFile(stateDir, stack), { force: true });
}

/** The lock file's hash, or undefined without one (never initialized: terraform would init and choose). */
export function lockHash(stack: Stack): string | undefined {
  const lock = path.join(stack.dir, ".terraform.lock.hcl");
  return fs.existsSync(lock) ? crypto.createHash("sha256").update(fs.readFileSync(lock)).digest("hex") : undefined;
}
