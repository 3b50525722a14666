/*
 * The bookkeeping that lets apply run only what a plan run reviewed, and only once: the pointer to the
 * last plan run, the checks on each saved plan, and the marker beside a saved plan that says which run applied it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../../app/common/errors";
import { guardRefusal } from "./access-guard";
import { refuse, skip } from "../report/account-outcome";
import { AccountReport, readReport, RunReport, statusLabel } from "../report/report";
import { RolloutOptions } from "../report/rollout-options";
import { Stack, stackHash } from "../../runner/stacks";

const LAST_PLAN = "last-plan.json";

/** Points `.rollout/last-plan.json` at this plan run's report: the plans a later `apply` applies. */
export function recordLastPlan(stateDir: string, runId: string, reportFile: string): void {
  fs.writeFileSync(path.join(stateDir, LAST_PLAN), JSON.stringify({ runId, report: reportFile }, null, 2) + "\n");
}

export function lastPlanRun(stateDir: string): RunReport {
  const pointer = path.join(stateDir, LAST_PLAN);
  if (!fs.existsSync(pointer)) throw new UserError("apply applies the plans of the last `plan` run, and there is none: run `npm run rollout -- plan` first, or use --plan-and-apply.");
  const { report } = JSON.parse(fs.readFileSync(pointer, "utf8")) as { report: string };
  return readReport(report);
}

/**
 * Apply only what was reviewed, and only once: the plan must have succeeded, the stack must not have
 * changed since (whatever the plan found: a no-change plan of an edited stack says nothing about it),
 * and the plan must not have been applied already (terraform would call it stale).
 */
export function checkSavedPlan(stack: Stack, account: AccountReport, planRun: RunReport, planned: AccountReport | undefined, options: RolloutOptions): boolean {
  if (!planned) return refuse(account, `not in plan run ${planRun.runId}; run plan first`);
  if (planned.cloud) account.cloud = { ...planned.cloud, runs: { plan: planned.cloud.runs.plan } };
  if (planned.status !== "succeeded") {
    const run = planned.cloud?.runs.plan ? `: ${planned.cloud.runs.plan}` : "";
    return refuse(account, `its plan in ${planRun.runId} did not succeed (${statusLabel(planned)})${run}`);
  }
  // Leaving or back in the config since: the stack file may be byte for byte the same, the plan is not.
  if (Boolean(planned.leaving) !== Boolean(stack.leaving)) {
    return refuse(account, `${stack.leaving ? "its account left the config" : "its account is back in the config"} since plan run ${planRun.runId}; run plan again`);
  }
  const stackChanged = planned.stackHash !== stackHash(stack);
  // Already applied: its changes are made, so its counts are not copied as if still to do. A stack
  // edited since is refused instead: that is new work, not something already done.
  const appliedBy = planned.planFile && appliedIn(planned.planFile);
  if (appliedBy && !stackChanged) return skip(account, `its saved plan was applied in run ${appliedBy}; run plan again to pick up new changes`);
  if (stackChanged) return refuse(account, `the synthesized stack changed since plan run ${planRun.runId}; run plan again`);
  Object.assign(account, {
    counts: planned.counts,
    destructive: planned.destructive,
    cutsTrelicaOff: planned.cutsTrelicaOff,
    accessChanges: planned.accessChanges,
    accessUnchecked: planned.accessUnchecked,
  });
  if (planned.outcome === "no-changes") return skip(account, "no changes in the plan");
  // Proven in sync without terraform: nothing to apply, done. Its outputs are the state's, as read then.
  if (planned.outcome === "in-sync") {
    Object.assign(account, { outcome: "in-sync", inSync: planned.inSync, outputs: planned.outputs });
    return skip(account, `in sync (live and state) in plan run ${planRun.runId}: nothing to apply`);
  }
  if (!planned.planFile || !fs.existsSync(planned.planFile)) return refuse(account, `its saved plan is gone (${planned.planFile}); run plan again`);
  const refusal = guardRefusal(planned.destructive ?? [], planned.accessChanges ?? [], options, planned.accessUnchecked, stack.leaving);
  if (refusal) return refuse(account, refusal);
  account.planFile = planned.planFile;
  return true;
}

/** A saved plan applies once; after that terraform rejects it as stale. A marker beside it says by which run. */
const APPLIED_MARKER = ".applied";

export function markApplied(planFile: string, runId: string): void {
  fs.writeFileSync(planFile + APPLIED_MARKER, `${runId}\n`);
}

/** The run that applied this saved plan, if one did. */
export function appliedIn(planFile: string): string | undefined {
  const marker = planFile + APPLIED_MARKER;
  return fs.existsSync(marker) ? fs.readFileSync(marker, "utf8").trim() || "an earlier run" : undefined;
}
