import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "./backend";

/*
 * Never orphan a role. A stack whose account left the config (removed, excluded, filtered out,
 * suspended) is the only thing that can destroy that account's TrelicaIntegration role: deleting its
 * folder while its state still holds resources would leave the role in AWS with nothing to manage it.
 * Such a stack is kept as it was last synthesized and marked leaving; rollout destroys it only with
 * --confirm-destroy, and the synth after that (state now empty) drops the folder.
 */

/** The marker beside a leaving stack's cdk.tf.json; rollout reads it. */
export const LEAVING_MARKER = "leaving.json";

export interface LeavingMarker {
  readonly stack: string;
  /** Why it is kept: what its state holds, in words. */
  readonly holds: string;
}

export interface LeavingStack extends LeavingMarker {
  readonly folder: string;
}

/** What a stale stack's state holds: resources (kept), nothing (dropped), or unknown (kept: we cannot prove it empty). */
type StateHolding = { readonly holds: false } | { readonly holds: true; readonly what: string };

/**
 * Sorts the stack folders no longer configured into those to drop (state empty) and those to keep
 * as leaving, and clears a leaving marker from any stack configured again.
 */
export function sortStaleStacks(outdir: string, current: ReadonlySet<string>): { drop: string[]; leaving: LeavingStack[] } {
  const stacksDir = path.join(outdir, "stacks");
  const existing = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).sort() : [];
  const drop: string[] = [];
  const leaving: LeavingStack[] = [];
  for (const name of existing) {
    if (!name.startsWith("trelica-")) continue;
    const folder = path.join(stacksDir, name);
    if (current.has(name)) {
      fs.rmSync(path.join(folder, LEAVING_MARKER), { force: true });
      continue;
    }
    const state = stateHolding(outdir, name, folder);
    if (state.holds) leaving.push({ stack: name, folder, holds: state.what });
    else drop.push(folder);
  }
  return { drop, leaving };
}

export function markLeaving(stack: LeavingStack): void {
  const marker: LeavingMarker = { stack: stack.stack, holds: stack.holds };
  fs.writeFileSync(path.join(stack.folder, LEAVING_MARKER), JSON.stringify(marker, null, 2) + "\n");
}

/** The marker of a stack kept only to be destroyed, if it is one. */
export function leavingMarker(stackDir: string): LeavingMarker | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(stackDir, LEAVING_MARKER), "utf8")) as LeavingMarker;
  } catch {
    return undefined;
  }
}

function stateHolding(outdir: string, name: string, folder: string): StateHolding {
  let json: { terraform?: { backend?: Record<string, { path?: string }>; cloud?: unknown } };
  try {
    json = JSON.parse(fs.readFileSync(path.join(folder, "cdk.tf.json"), "utf8"));
  } catch {
    // No stack file (already emptied, or never written): nothing terraform could run from here.
    return { holds: false };
  }
  const local = json.terraform?.backend?.local;
  if (json.terraform?.cloud === undefined && (json.terraform?.backend === undefined || local !== undefined)) {
    const stateFile = path.resolve(folder, local?.path ?? "terraform.tfstate");
    const count = resourcesIn(stateFile);
    return count > 0 ? { holds: true, what: `its state (${stateFile}) holds ${count} resource${count === 1 ? "" : "s"}` } : { holds: false };
  }
  return remoteHolding(projectRoot(outdir), name);
}

/** Resources with at least one instance in a local state file; 0 when there is none. */
function resourcesIn(stateFile: string): number {
  try {
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as { resources?: { instances?: unknown[] }[] };
    return (state.resources ?? []).filter((resource) => (resource.instances ?? []).length > 0).length;
  } catch {
    return 0;
  }
}

/**
 * A remote state (S3, Terraform Cloud) is not read at synthesis (no credentials, no network): the newest
 * rollout report that read this stack's outputs says whether it held the role then. No report: unknown,
 * so kept.
 */
function remoteHolding(projectDir: string, name: string): StateHolding {
  const rolloutDir = path.join(projectDir, ".rollout");
  const runs = fs.existsSync(rolloutDir) ? fs.readdirSync(rolloutDir).sort().reverse() : [];
  for (const run of runs) {
    let report: { accounts?: { stack: string; outputs?: Record<string, unknown> }[] };
    try {
      report = JSON.parse(fs.readFileSync(path.join(rolloutDir, run, "report.json"), "utf8"));
    } catch {
      continue;
    }
    const account = report.accounts?.find((entry) => entry.stack === name && entry.outputs !== undefined);
    if (!account) continue;
    return account.outputs!.role_arn ? { holds: true, what: `rollout run ${run} read its role ${String(account.outputs!.role_arn)} from the remote state` } : { holds: false };
  }
  return { holds: true, what: "its state is remote and no rollout report says it is empty" };
}
