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
import { writePrivateFile } from "../../runner/private-files";

const LAST_PLAN = "last-plan.json";

/** `.rollout/last-plan.json`: per output folder (absolute), its last plan run. */
interface LastPlans {
  readonly plans: Record<string, { readonly runId: string; readonly report: string }>;
}

function readLastPlans(stateDir: string): LastPlans {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(stateDir, LAST_PLAN), "utf8")) as Partial<LastPlans>;
    // A pointer from before plans belonged to their folder (no `plans`) names no folder: it is not used.
    return { plans: parsed && typeof parsed.plans === "object" && parsed.plans !== null ? parsed.plans : {} };
  } catch {
    return { plans: {} };
  }
}

/** Points this output folder's entry in `.rollout/last-plan.json` at this plan run's report: the plans a later `apply` there applies. */
export function recordLastPlan(stateDir: string, outdir: string, runId: string, reportFile: string): void {
  const { plans } = readLastPlans(stateDir);
  const file = path.join(stateDir, LAST_PLAN);
  // Whole or not at all: a run in another output folder may read it meanwhile.
  const temp = `${file}.${process.pid}.tmp`;
  writePrivateFile(temp, JSON.stringify({ plans: { ...plans, [path.resolve(outdir)]: { runId, report: reportFile } } }, null, 2) + "\n");
  fs.renameSync(temp, file);
}

/**
 * The last plan run of this output folder. `planCommand`: the command that makes one, as the user would
 * type it. A plan run of another folder is never this folder's, whatever the pointer says.
 */
export function lastPlanRun(stateDir: string, outdir: string, planCommand: string): RunReport {
  const folder = path.resolve(outdir);
  const entry = readLastPlans(stateDir).plans[folder];
  const report = entry && fs.existsSync(entry.report) ? readReport(entry.report) : undefined;
  if (!report || report.outdir !== folder) {
    throw new UserError(
      `apply applies the plans of the last \`plan\` run in this output folder (${folder}), and there is none; nothing was written. ` +
        `Run \`${planCommand}\` first, or use --plan-and-apply.`,
    );
  }
  return report;
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
  writePrivateFile(planFile + APPLIED_MARKER, `${runId}\n`);
}

/** The run that applied this saved plan, if one did. */
export function appliedIn(planFile: string): string | undefined {
  const marker = planFile + APPLIED_MARKER;
  return fs.existsSync(marker) ? fs.readFileSync(marker, "utf8").trim() || "an earlier run" : undefined;
}
