/*
 * One account's terraform steps: init (if needed), plan, the guard, apply, reading outputs; and, for an
 * account an apply did not run, reading its outputs only. Every terraform call goes through the gate.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PRIVATE_FILE } from "../runner/private-files";
import { guardRefusal } from "./plans/access-guard";
import { roleExistsRefusal } from "./plans/known-roles";
import { stateLocation } from "./plans/terraform-state";
import { npmCommand } from "../app/common/commands";
import { hold, progressLine, refuse } from "./report/account-outcome";
import { cloudProblemIn, countsFromPlanLine, isJsonPlanDenied, readSavedCloudPlan } from "./terraform-cloud/cloud";
import { parseOutputs } from "./connections";
import { Fail, gate, GatedTerraform, isStopped } from "./gate";
import { emptyCounts, hasChanges, PlanSummary, summarizePlan } from "./terraform/plan-summary";
import { AccountReport } from "./report/report";
import { markApplied } from "./plans/saved-plans";
import { closeLog, logFile, openLog, StackContext } from "./report/stack-context";
import { runsInTerraformCloud, Stack, stackHash } from "../runner/stacks";
import { TerraformResult } from "./terraform/terraform";
import { isInitialized, markInitialized } from "./terraform-init";

const NO_CHANGES: PlanSummary = { counts: emptyCounts(), destructive: [], cutsTrelicaOff: false, accessChanges: [] };

export async function runStack(stack: Stack, account: AccountReport, context: StackContext): Promise<void> {
  const { options } = context;
  const started = Date.now();
  account.startedAt = new Date(started).toISOString();
  account.log = logFile(stack, context.runDir);
  const log = openLog(stack, context.runDir);
  options.progress.started(stack.name, "init");

  const { terraform, fail } = gate(stack, account, context, log);

  try {
    if (!isInitialized(stack, context)) {
      const init = await terraform("init", ["init", "-input=false", "-no-color"], "init");
      if (init.exitCode !== 0) return fail(init);
      markInitialized(stack, context);
    }

    if (options.command === "connections") {
      if (!(await readOutputs(terraform, fail, account))) return;
      account.status = "succeeded";
      account.outcome = "read";
      return;
    }

    // A stack whose cloud block runs it in Terraform Cloud: its failures may be holds and refusals to name.
    const inCloud = runsInTerraformCloud(stack);
    const failOrHeld = (result: TerraformResult) => {
      const problem = inCloud && !isStopped(result) && !context.control.interrupted ? cloudProblemIn(result.output) : undefined;
      return problem ? hold(account, problem) : fail(result);
    };

    let planFile = account.planFile;
    if (!planFile) {
      planFile = path.join(context.runDir, "plans", `${stack.name}.tfplan`);
      account.stackHash = stackHash(stack);
      const planArgs = ["plan", "-input=false", "-no-color", "-detailed-exitcode", `-lock-timeout=${options.lockTimeout}`, `-out=${planFile}`];
      // A leaving stack is kept only to remove its role: whatever the command, its plan destroys.
      if (options.command === "destroy" || stack.leaving) planArgs.push("-destroy");
      const plan = await terraform("plan", planArgs, "planning", [0, 2]);
      if (plan.exitCode !== 0 && plan.exitCode !== 2) return failOrHeld(plan);
      // terraform writes the saved plan (the stack's values, provider settings) with its own mode: owner-only here.
      if (fs.existsSync(planFile)) fs.chmodSync(planFile, PRIVATE_FILE);
      // A saved cloud plan (a bookmark of the run) rather than a local plan: the workspace runs remotely.
      const remote = readSavedCloudPlan(planFile) !== undefined;
      // -detailed-exitcode 0 means an empty diff: nothing for `show -json` (a provider start-up) to read.
      let summary = NO_CHANGES;
      let unchecked: string | undefined;
      if (plan.exitCode === 2) {
        const show = await terraform("show", ["show", "-json", "-no-color", planFile], "reading plan");
        if (show.exitCode !== 0 && !(remote && isJsonPlanDenied(show.output))) return fail(show);
        if (show.exitCode === 0) summary = summarizePlan(show.stdout);
        else {
          // The remote JSON plan needs workspace admin; the guard cannot look, so apply will not go unattended.
          unchecked = "terraform show -json of the saved cloud plan needs workspace admin permission in Terraform Cloud, which this token lacks";
          summary = { ...NO_CHANGES, counts: countsFromPlanLine(plan.output) ?? emptyCounts() };
        }
      }
      const changed = hasChanges(summary.counts) || unchecked !== undefined;
      Object.assign(account, { counts: summary.counts, destructive: summary.destructive, cutsTrelicaOff: summary.cutsTrelicaOff, planFile });
      if (summary.accessChanges.length > 0) account.accessChanges = summary.accessChanges;
      if (unchecked) account.accessUnchecked = unchecked;
      // A role rollout or verify saw exist, which this plan would create: its state is not where terraform looked.
      const known = summary.createsRole && stack.accountId !== undefined ? context.knownRole?.(stack.accountId) : undefined;
      if (known) {
        refuse(account, roleExistsRefusal(known, stateLocation(stack, context.env), npmCommand("verify", [], { ...context.invocation, accounts: [stack.accountId!], exclude: undefined })));
        return;
      }
      // A saved plan run is never auto-applied: it waits in Terraform Cloud until someone confirms it.
      if (remote && changed) (account.cloud ??= { runs: {} }).state = "awaiting-confirmation";
      if (options.command === "plan" && !options.planAndApply) {
        account.status = "succeeded";
        account.outcome = changed ? "changes" : "no-changes";
        return;
      }
      if (!changed) {
        if (stack.accountId !== undefined && !(await readOutputs(terraform, fail, account))) return;
        account.status = "succeeded";
        account.outcome = "no-changes";
        return;
      }
      const refusal = guardRefusal(summary.destructive, summary.accessChanges, options, unchecked, stack.leaving);
      if (refusal) {
        refuse(account, refusal);
        return;
      }
    }
    const apply = await terraform("apply", ["apply", "-input=false", "-no-color", `-lock-timeout=${options.lockTimeout}`, planFile], "applying");
    if (apply.exitCode !== 0) {
      failOrHeld(apply);
      // Terraform Cloud applied it already (confirmed in its UI): the saved plan is used up all the same.
      if (account.cloud?.state === "already-applied") markApplied(planFile, context.runId);
      return;
    }
    if (context.planRun) markApplied(planFile, context.runId);
    account.status = "succeeded";
    account.outcome = options.command === "destroy" || stack.leaving ? "destroyed" : "applied";
    if (account.cloud && readSavedCloudPlan(planFile)) account.cloud.state = "applied";
    // The applied state, for the connections table (after destroy: no role_arn any more): a read that
    // fails leaves the account failed (exit 1), its row unknown.
    if (stack.accountId !== undefined) await readOutputs(terraform, fail, account);
  } catch (error) {
    account.status = "failed";
    account.reason = (error as Error).message;
  } finally {
    account.durationSeconds = Number(((Date.now() - started) / 1000).toFixed(1));
    await closeLog(log);
    options.progress.finished(stack.name, progressLine(account));
  }
}


/** Runs `terraform output -json` (state only, no provider start-up) into account.outputs; false when it failed. */
async function readOutputs(terraform: GatedTerraform, fail: Fail, account: AccountReport): Promise<boolean> {
  const result = await terraform("output", ["output", "-json", "-no-color"], "reading outputs");
  if (result.exitCode !== 0) {
    fail(result);
    account.outputsUnread = true;
    return false;
  }
  try {
    account.outputs = parseOutputs(result.stdout);
    return true;
  } catch (error) {
    account.status = "failed";
    account.outputsUnread = true;
    account.reason = `terraform output -json: ${(error as Error).message}`;
    return false;
  }
}

/**
 * An account an apply did not run: only its outputs are read (after an init if it needs one). It keeps
 * its status; a read that fails makes a skipped account failed (exit 1) and adds the error to the reason.
 */
export async function readOutputsOnly(stack: Stack, account: AccountReport, context: StackContext): Promise<void> {
  const log = openLog(stack, context.runDir);
  const { terraform, fail } = gate(stack, account, context, log);
  const before = { status: account.status, reason: account.reason, hint: account.hint };
  const unread = () => {
    account.outputsUnread = true;
    const error = account.reason ?? "";
    if (before.status !== "skipped") Object.assign(account, before);
    if (before.status !== "skipped") account.reason = `${before.reason ?? before.status}; its outputs could not be read: ${error}`;
  };
  try {
    if (!isInitialized(stack, context)) {
      const init = await terraform("init", ["init", "-input=false", "-no-color"], "init");
      if (init.exitCode !== 0) {
        fail(init);
        return unread();
      }
      markInitialized(stack, context);
    }
    if (!(await readOutputs(terraform, fail, account))) return unread();
    Object.assign(account, before);
  } catch (error) {
    account.status = "failed";
    account.reason = (error as Error).message;
    unread();
  } finally {
    await closeLog(log);
  }
}
