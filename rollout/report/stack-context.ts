import * as fs from "node:fs";
import * as path from "node:path";
import { RolloutControl } from "../terraform/rollout-control";
import { RolloutOptions } from "./rollout-options";
import { PRIVATE_FILE } from "../../runner/private-files";
import { RunReport } from "./report";
import type { Invocation } from "../../app/common/commands";
import { Stack } from "../../runner/stacks";
import { TerraformRunner } from "../terraform/terraform";

/** What every account's steps share with the run they are part of. */
export interface StackContext {
  readonly options: RolloutOptions;
  readonly control: RolloutControl;
  readonly terraform: TerraformRunner;
  readonly env: NodeJS.ProcessEnv;
  readonly runId: string;
  readonly runDir: string;
  readonly planRun?: RunReport;
  /** Where rollout or verify last saw Trelica's role exist in an account (plans/known-roles.ts); read only when a plan creates a role. */
  readonly knownRole?: (accountId: string) => { readonly roleArn: string; readonly seenIn: string } | undefined;
  /** The config, output folder and selection as the user gave them, for the commands a refusal prints. */
  readonly invocation?: Invocation;
}

/** An account's log in the run's folder, appended to by each of its steps. */
export function openLog(stack: Stack, runDir: string): fs.WriteStream {
  return fs.createWriteStream(logFile(stack, runDir), { flags: "a", mode: PRIVATE_FILE });
}

export function logFile(stack: Stack, runDir: string): string {
  return path.join(runDir, `${stack.name}.log`);
}

/** The log is complete on disk before the account (or the run) is reported done. */
export function closeLog(log: fs.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    log.once("error", () => resolve());
    log.end(() => resolve());
  });
}
