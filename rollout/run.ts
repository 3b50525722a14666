import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../app/errors";
import { CloudProblem, cloudProblemIn, costEstimateIn, countsFromPlanLine, isJsonPlanDenied, policyOutcomeIn, readSavedCloudPlan, runUrlIn } from "./cloud";
import { parseOutputs, writeAppliedConnections } from "./connections";
import { AccessChange, emptyCounts, hasChanges, PlanSummary, summarizePlan } from "./plan-summary";
import { Progress } from "./progress";
import { AccountReport, changeText, Command, errorExcerpt, readReport, RunReport, statusLabel, summaryTable, writeReport } from "./report";
import { runBounded } from "./scheduler";
import { readStacks, runsInTerraformCloud, selectStacks, Stack, stackHash, stackJson, versionRequirements } from "./stacks";
import { checkTerraformVersion, ProcessGroup, processRunner, TerraformResult, TerraformRunner } from "./terraform";
import { backoffMs, classifyFailure } from "./transient";

export interface RolloutOptions {
  readonly command: Command;
  /** Where cdktf.json is; `.rollout/` goes here. */
  readonly projectDir: string;
  /** cdktf's output folder. @default <projectDir>/cdktf.out */
  readonly outdir?: string;
  readonly synth: boolean;
  readonly concurrency: number;
  /** Failures tolerated; one more and no new account starts. */
  readonly maxFailures: number;
  readonly accounts: readonly string[];
  readonly exclude: readonly string[];
  /** A report whose succeeded accounts are skipped. */
  readonly resume?: string;
  readonly lockTimeout: string;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly planAndApply: boolean;
  readonly allowDestroy: boolean;
  /** Apply plans that change Trelica's access (trust policy, role, policy, attachments, stack set, removed actions). @default false */
  readonly allowAccessChange?: boolean;
  readonly confirmDestroy: boolean;
  /** Extra copy of the report. */
  readonly report?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly progress: Progress;
  /** Where the final table goes. @default stdout */
  readonly output?: (text: string) => void;
  /** How terraform runs. @default processes of $TERRAFORM_BINARY_NAME or terraform on PATH */
  readonly terraform?: TerraformRunner;
}

/**
 * The one gate every step of every account passes: each terraform call, each retry, each backoff
 * sleep, the warm-up init. After interrupt() nothing new starts and sleeps end at once; running
 * terraform processes get one SIGINT and finish; escalate() forwards a second one (terraform then
 * stops hard).
 */
export class RolloutControl {
  interrupted = false;
  escalated = false;
  readonly group = new ProcessGroup();
  private readonly wakeSleepers = new Set<() => void>();

  get mayProceed(): boolean {
    return !this.interrupted;
  }

  interrupt(): void {
    if (this.interrupted) return;
    this.interrupted = true;
    this.group.interruptAll();
    for (const wake of this.wakeSleepers) wake();
  }

  /** The second signal: forwards a second SIGINT to every running terraform, once. */
  escalate(): void {
    this.interrupt();
    if (this.escalated) return;
    this.escalated = true;
    this.group.interruptAll();
  }

  /** Waits `ms` unless interrupted first; says whether the wait ran its course (so the caller may proceed). */
  sleep(ms: number): Promise<boolean> {
    if (this.interrupted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeSleepers.delete(wake);
        resolve(!this.interrupted);
      };
      const timer = setTimeout(wake, ms);
      this.wakeSleepers.add(wake);
    });
  }
}

export interface RolloutResult {
  readonly exitCode: number;
  readonly report: RunReport;
  readonly reportFile: string;
}

const LAST_PLAN = "last-plan.json";

export async function rollout(options: RolloutOptions, control = new RolloutControl()): Promise<RolloutResult> {
  const outdir = path.resolve(options.projectDir, options.outdir ?? "cdktf.out");
  const stateDir = path.join(options.projectDir, ".rollout");
  if (options.command === "destroy" && !options.confirmDestroy) {
    throw new UserError(
      "destroy removes the TrelicaIntegration role from every selected account and cuts Trelica off; " +
        "rerun with --confirm-destroy to do it (narrow it first with --accounts).",
    );
  }
  if (options.synth) synthesize(options.projectDir, outdir, options.env);

  const terraform = options.terraform ?? processRunner(options.env);
  const binary = terraform.binary;
  const version = await terraform.version();
  const selected = selectStacks(readStacks(outdir), options.accounts, options.exclude);
  // Only commands that plan save cloud plans; `connections` reads outputs, which any terraform with a cloud block can.
  checkTerraformVersion(binary, version, versionRequirements(selected, { savedCloudPlans: options.command !== "connections" }));

  const runId = newRunId(stateDir, options.command);
  const runDir = path.join(stateDir, runId);
  fs.mkdirSync(path.join(runDir, "plans"), { recursive: true });
  const usesSavedPlans = options.command === "apply" && !options.planAndApply;
  const planRun = usesSavedPlans ? lastPlanRun(stateDir) : undefined;

  const report: RunReport = {
    runId,
    command: options.command,
    planAndApply: options.planAndApply,
    startedAt: new Date().toISOString(),
    interrupted: false,
    terraform: { binary, version },
    options: { concurrency: options.concurrency, maxFailures: options.maxFailures, lockTimeout: options.lockTimeout, retries: options.retries },
    fromPlanRun: planRun?.runId,
    accounts: selected.map((stack) => ({ stack: stack.name, accountId: stack.accountId, status: "not-started", attempts: 0 })),
  };
  const accountOf = new Map(report.accounts.map((account) => [account.stack, account]));
  const reportFiles = [path.join(runDir, "report.json"), ...(options.report ? [path.resolve(options.report)] : [])];

  // Decide up front what must not run at all, so nothing is half-done for a reason known in advance.
  const plannedOf = new Map((planRun?.accounts ?? []).map((a) => [a.stack, a]));
  const succeededBefore = new Set(
    options.resume ? resumedReport(options.resume, options).accounts.filter((a) => a.status === "succeeded").map((a) => a.stack) : [],
  );
  const toRun = selected.filter((stack) => {
    const account = accountOf.get(stack.name)!;
    if (succeededBefore.has(stack.name)) return skip(account, `succeeded in ${path.basename(options.resume!)}`);
    return planRun ? checkSavedPlan(stack, account, planRun, plannedOf.get(stack.name), options) : true;
  });

  const env = {
    ...options.env,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    // One provider download for the whole run (and later runs); stacks get the lock file of the first.
    TF_PLUGIN_CACHE_DIR: path.join(stateDir, "plugin-cache"),
  };
  fs.mkdirSync(env.TF_PLUGIN_CACHE_DIR, { recursive: true });

  const context: StackContext = { options, control, terraform, env, runId, runDir, planRun };
  let failures = 0;
  const mayStart = () => !control.interrupted && failures <= options.maxFailures;
  const runOne = async (stack: Stack) => {
    const account = accountOf.get(stack.name)!;
    await runStack(stack, account, context);
    if (account.status !== "succeeded" && account.status !== "skipped") failures++;
  };

  if (toRun.length > 0) {
    options.progress.begin(toRun.length);
    const warmUp = await warmPluginCache(toRun[0], context);
    if (control.interrupted) {
      for (const stack of toRun) if (accountOf.get(stack.name)!.status === "not-started") accountOf.get(stack.name)!.reason = "interrupted before it started";
    } else if (warmUp.exitCode === 0) {
      copyLockFile(toRun[0], toRun.slice(1));
      const notStarted = await runBounded(toRun, options.concurrency, mayStart, runOne);
      const why = control.interrupted ? "interrupted before it started" : `not started: more than ${options.maxFailures} failures`;
      for (const stack of notStarted) accountOf.get(stack.name)!.reason = why;
    } else {
      const why = `not started: the first terraform init (${toRun[0].name}) failed: ${errorExcerpt(warmUp.output, 300)}`;
      for (const stack of toRun) accountOf.get(stack.name)!.reason = why;
    }
  }

  // An apply's (or destroy's) accounts that did not run (skipped: no changes in the saved plan, resumed; refused; not
  // started) may be applied from before: their outputs say so. Read-only, with the same gate, retries
  // and concurrency.
  const writesConnections = options.command !== "plan";
  if ((options.command === "apply" || options.command === "destroy") && !control.interrupted) {
    const unread = selected.filter((stack) => stack.accountId !== undefined && ["skipped", "refused", "not-started", "needs-action"].includes(accountOf.get(stack.name)!.status));
    await runBounded(unread, options.concurrency, () => !control.interrupted, (stack) => readOutputsOnly(stack, accountOf.get(stack.name)!, context));
  }

  report.interrupted = control.interrupted;
  report.finishedAt = new Date().toISOString();
  const usage = process.resourceUsage();
  report.runner = {
    cpuSeconds: Number(((usage.userCPUTime + usage.systemCPUTime) / 1e6).toFixed(2)),
    peakRssMb: Number((usage.maxRSS / 1024).toFixed(0)),
  };
  writeReport(report, reportFiles);
  if (options.command === "plan" && !options.planAndApply) {
    fs.writeFileSync(path.join(stateDir, LAST_PLAN), JSON.stringify({ runId, report: path.join(runDir, "report.json") }, null, 2) + "\n");
  }
  const connections = writesConnections ? writeAppliedConnections(selected, report, outdir, stateDir) : undefined;
  options.progress.close();
  const output = options.output ?? ((text: string) => process.stdout.write(text));
  const connectionsLine = connections ? `Connections (applied state; only \`applied\` rows have a role ARN): ${connections} and .md\n` : "";
  output(`\n${summaryTable(report)}\nReport: ${reportFiles.join(", ")}\nLogs: ${runDir}\n${connectionsLine}`);
  return { exitCode: exitCodeOf(report), report, reportFile: reportFiles[0] };
}

interface StackContext {
  readonly options: RolloutOptions;
  readonly control: RolloutControl;
  readonly terraform: TerraformRunner;
  readonly env: NodeJS.ProcessEnv;
  readonly runId: string;
  readonly runDir: string;
  readonly planRun?: RunReport;
}

function skip(account: AccountReport, reason: string): false {
  account.status = "skipped";
  account.reason = reason;
  return false;
}

function refuse(account: AccountReport, reason: string): false {
  account.status = "refused";
  account.reason = reason;
  return false;
}

/** A run Terraform Cloud holds for a person or refused: a status of its own, the reason and the run to open. */
function hold(account: AccountReport, problem: CloudProblem): void {
  const cloud = (account.cloud ??= { runs: {} });
  cloud.state = problem.state;
  const url = cloud.runs.apply ?? cloud.runs.plan;
  account.status = problem.status;
  account.reason = url ? `${problem.says}: ${url}` : problem.says;
}

/**
 * Apply only what was reviewed, and only once: the plan must have succeeded, the stack must not have
 * changed since (whatever the plan found: a no-change plan of an edited stack says nothing about it),
 * and the plan must not have been applied already (terraform would call it stale).
 */
function checkSavedPlan(stack: Stack, account: AccountReport, planRun: RunReport, planned: AccountReport | undefined, options: RolloutOptions): boolean {
  if (!planned) return refuse(account, `not in plan run ${planRun.runId}; run plan first`);
  if (planned.cloud) account.cloud = { ...planned.cloud, runs: { plan: planned.cloud.runs.plan } };
  if (planned.status !== "succeeded") {
    const run = planned.cloud?.runs.plan ? `: ${planned.cloud.runs.plan}` : "";
    return refuse(account, `its plan in ${planRun.runId} did not succeed (${statusLabel(planned)})${run}`);
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
  if (!planned.planFile || !fs.existsSync(planned.planFile)) return refuse(account, `its saved plan is gone (${planned.planFile}); run plan again`);
  const refusal = guardRefusal(planned.destructive ?? [], planned.accessChanges ?? [], options, planned.accessUnchecked);
  if (refusal) return refuse(account, refusal);
  account.planFile = planned.planFile;
  return true;
}

/**
 * Why apply must not run this plan unattended: it changes Trelica's access (needs
 * --allow-access-change), or deletes or replaces something else (needs --allow-destroy), or nobody
 * could check which (needs both: they allow whatever it holds).
 */
function guardRefusal(destructive: readonly string[], accessChanges: readonly AccessChange[], options: RolloutOptions, unchecked?: string): string | undefined {
  if (options.command === "destroy") return undefined;
  if (unchecked && !(options.allowAccessChange && options.allowDestroy)) {
    return `the plan could not be checked for changes to Trelica's access (${unchecked}); review its run, then rerun with --allow-access-change --allow-destroy, or confirm it in Terraform Cloud`;
  }
  if (accessChanges.length > 0 && !options.allowAccessChange) {
    return `the plan changes Trelica's access: ${accessChanges.map((change) => `${change.address} ${change.reason}`).join("; ")}; review it, then rerun with --allow-access-change`;
  }
  const accessAddresses = new Set(accessChanges.map((change) => change.address));
  const otherDestructive = destructive.filter((address) => !accessAddresses.has(address));
  if (otherDestructive.length > 0 && !options.allowDestroy) {
    return `the plan deletes or replaces ${otherDestructive.join(", ")}; review it, then rerun with --allow-destroy`;
  }
  return undefined;
}

/** A report to resume from: it must exist and be of the same command, or its "succeeded" means something else. */
function resumedReport(file: string, options: RolloutOptions): RunReport {
  if (!fs.existsSync(file)) throw new UserError(`--resume ${file}: no such file; expected the report.json of an earlier run (.rollout/<run-id>/report.json).`);
  let report: RunReport;
  try {
    report = readReport(file);
  } catch {
    throw new UserError(`--resume ${file}: not JSON; expected the report.json of an earlier run (.rollout/<run-id>/report.json).`);
  }
  if (!report || !Array.isArray(report.accounts) || typeof report.command !== "string") {
    throw new UserError(`--resume ${file}: not a rollout report (no command or accounts); expected the report.json of an earlier run.`);
  }
  const describe = (command: string, planAndApply: boolean) => (planAndApply ? `${command} --plan-and-apply` : command);
  const theirs = describe(report.command, Boolean(report.planAndApply));
  const ours = describe(options.command, options.planAndApply);
  if (theirs !== ours) throw new UserError(`--resume ${file}: that report is of \`${theirs}\`, this run is \`${ours}\`; resume only a run of the same command.`);
  return report;
}

/** A step the gate did not let start: no terraform ran. */
interface Stopped extends TerraformResult {
  readonly stoppedBefore: string;
}

const stoppedBefore = (phase: string): Stopped => ({ exitCode: null, output: "", stdout: "", stoppedBefore: phase });
const isStopped = (result: TerraformResult): result is Stopped => "stoppedBefore" in result;

async function runStack(stack: Stack, account: AccountReport, context: StackContext): Promise<void> {
  const { options } = context;
  const started = Date.now();
  account.startedAt = new Date(started).toISOString();
  account.log = path.join(context.runDir, `${stack.name}.log`);
  const log = fs.createWriteStream(account.log, { flags: "a" });
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
      if (options.command === "destroy") planArgs.push("-destroy");
      const plan = await terraform("plan", planArgs, "planning", [0, 2]);
      if (plan.exitCode !== 0 && plan.exitCode !== 2) return failOrHeld(plan);
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
      const refusal = guardRefusal(summary.destructive, summary.accessChanges, options, unchecked);
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
    account.outcome = options.command === "destroy" ? "destroyed" : "applied";
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

type GatedTerraform = (step: Step, args: string[], phase: string, okCodes?: number[]) => Promise<TerraformResult>;
type Fail = (result: TerraformResult) => void;

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
async function readOutputsOnly(stack: Stack, account: AccountReport, context: StackContext): Promise<void> {
  const log = fs.createWriteStream(path.join(context.runDir, `${stack.name}.log`), { flags: "a" });
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

/** Every terraform run and every backoff of an account passes the gate: after an interrupt, nothing new starts. */
function gate(stack: Stack, account: AccountReport, context: StackContext, log: fs.WriteStream): { terraform: GatedTerraform; fail: Fail } {
  const { options, control } = context;
  const terraform = async (step: Step, args: string[], phase: string, okCodes = [0]): Promise<TerraformResult> => {
    for (let attempt = 1; ; attempt++) {
      if (!control.mayProceed) return stoppedBefore(phase);
      const attemptPhase = attempt === 1 ? phase : `${phase} (try ${attempt})`;
      options.progress.phase(stack.name, attemptPhase);
      countAttempt(account, step);
      const onOutput = step === "plan" || step === "apply" ? announceRun(stack, account, step, attemptPhase, options.progress) : undefined;
      const result = await context.terraform.run(args, { cwd: stack.dir, env: context.env, log, group: control.group, onOutput });
      if (step === "plan" || step === "apply") noteCloudRun(account, step, result.output);
      if (okCodes.includes(result.exitCode ?? -1) || control.interrupted) return result;
      if (attempt > options.retries || !classifyFailure(result.output).transient) return result;
      const wait = backoffMs(attempt, options.retryDelayMs);
      log.write(`[transient failure; retrying in ${wait} ms]\n`);
      options.progress.retrying?.(stack.name, phase, wait);
      if (!(await control.sleep(wait))) return result;
    }
  };
  const fail = (result: TerraformResult) => {
    account.status = control.interrupted ? "interrupted" : "failed";
    if (isStopped(result)) {
      account.reason = `interrupted before ${result.stoppedBefore}${result.stoppedBefore === "applying" ? ": the plan was not applied" : ""}`;
      return;
    }
    account.reason = errorExcerpt(result.output) || (result.signal ? `terraform ended by ${result.signal}` : `terraform exited ${result.exitCode}`);
    const { hint } = classifyFailure(result.output);
    if (hint && !control.interrupted) account.hint = hint;
  };
  return { terraform, fail };
}

type Step = "init" | "plan" | "show" | "apply" | "output";

/**
 * Watches a plan's or apply's output for the URL of its run in Terraform Cloud and shows it as soon as
 * terraform prints it: the run may take minutes, and it goes on remotely even if terraform is stopped.
 */
function announceRun(stack: Stack, account: AccountReport, step: "plan" | "apply", phase: string, progress: Progress): (text: string) => void {
  let seen = "";
  let announced = false;
  return (text) => {
    if (announced) return;
    // The URL comes within the first lines; a bounded tail still holds any line split across reads.
    seen = (seen + text).slice(-8192);
    const url = runUrlIn(seen);
    if (!url) return;
    announced = true;
    (account.cloud ??= { runs: {} }).runs[step] = url;
    progress.phase(stack.name, `${phase} in Terraform Cloud: ${url}`);
  };
}

/** What a finished plan or apply says about its run in Terraform Cloud: URL, policy results, cost estimate. */
function noteCloudRun(account: AccountReport, step: "plan" | "apply", output: string): void {
  const url = runUrlIn(output);
  if (!url) return;
  const cloud = (account.cloud ??= { runs: {} });
  cloud.runs[step] = url;
  const policy = policyOutcomeIn(output);
  if (policy) cloud.policy = policy;
  const cost = costEstimateIn(output);
  if (cost) cloud.costEstimate = cost;
}

/** attempts: terraform runs in all; steps: runs per step, and retries = runs − 1. */
function countAttempt(account: AccountReport, step: Step): void {
  account.attempts++;
  account.steps ??= {};
  const entry = (account.steps[step] ??= { attempts: 0, retries: 0 });
  entry.attempts++;
  entry.retries = entry.attempts - 1;
}

const NO_CHANGES: PlanSummary = { counts: emptyCounts(), destructive: [], cutsTrelicaOff: false, accessChanges: [] };

/**
 * What `terraform init` of a stack depends on: its `terraform` block (backend, providers), its lock
 * file, where providers come from and which terraform. Unchanged since the last init that succeeded
 * there (and the provider still installed), init would only cost time.
 */
function initInputs(stack: Stack, context: StackContext): string {
  const json = stackJson<{ terraform?: unknown }>(stack);
  const lock = path.join(stack.dir, ".terraform.lock.hcl");
  return crypto
    .createHash("sha256")
    .update(JSON.stringify([json.terraform, fs.existsSync(lock) ? fs.readFileSync(lock, "utf8") : "", context.terraform.binary, context.env.TF_CLI_CONFIG_FILE ?? "", context.env.TF_PLUGIN_CACHE_DIR ?? ""]))
    .digest("hex");
}

const INIT_MARKER = path.join(".terraform", "trelica-rollout-init.sha256");

function isInitialized(stack: Stack, context: StackContext): boolean {
  const marker = path.join(stack.dir, INIT_MARKER);
  const providers = path.join(stack.dir, ".terraform", "providers");
  try {
    // fs.existsSync follows the provider symlinks: a cache or mirror that moved means init again.
    const installed = fs.readdirSync(providers, { recursive: true }).every((entry) => fs.existsSync(path.join(providers, String(entry))));
    return installed && fs.readFileSync(marker, "utf8") === initInputs(stack, context);
  } catch {
    return false;
  }
}

function markInitialized(stack: Stack, context: StackContext): void {
  fs.writeFileSync(path.join(stack.dir, INIT_MARKER), initInputs(stack, context));
}

/** A saved plan applies once; after that terraform rejects it as stale. A marker beside it says by which run. */
const APPLIED_MARKER = ".applied";

function markApplied(planFile: string, runId: string): void {
  fs.writeFileSync(planFile + APPLIED_MARKER, `${runId}\n`);
}

/** The run that applied this saved plan, if one did. */
function appliedIn(planFile: string): string | undefined {
  const marker = planFile + APPLIED_MARKER;
  return fs.existsSync(marker) ? fs.readFileSync(marker, "utf8").trim() || "an earlier run" : undefined;
}

function progressLine(account: AccountReport): string {
  const time = `(${account.durationSeconds}s)`;
  const url = account.cloud?.runs.apply ?? account.cloud?.runs.plan;
  const reason = (account.reason ?? "").split("\n")[0];
  if (account.status !== "succeeded") return `${statusLabel(account)}: ${reason}${url && !reason.includes(url) ? ` ${url}` : ""} ${time}`;
  if (account.outcome === "read") return `${account.outputs?.role_arn ? "applied" : "planned only"} ${time}`;
  const warning = account.cutsTrelicaOff ? " [DESTROYS the TrelicaIntegration role]" : account.accessChanges?.length ? " [CHANGES Trelica's access]" : "";
  const unchecked = account.accessUnchecked ? " [NOT CHECKED for changes to Trelica's access]" : "";
  const policy = account.cloud?.policy && account.cloud.policy !== "passed" ? ` [policy ${account.cloud.policy}]` : "";
  const run = url ? `; ${account.cloud?.state === "awaiting-confirmation" ? "run awaits confirmation" : "run"}: ${url}` : "";
  return `${account.outcome}: ${changeText(account.counts ?? emptyCounts())}${warning}${unchecked}${policy}${run} ${time}`;
}

/**
 * One `terraform init` before the parallel phase fills the shared plugin cache: parallel inits that
 * all find it empty download the provider N times and collide writing it ("text file busy").
 */
async function warmPluginCache(stack: Stack, context: StackContext): Promise<TerraformResult> {
  const log = fs.createWriteStream(path.join(context.runDir, `${stack.name}.log`), { flags: "a" });
  context.options.progress.note(`Warming the provider cache with terraform init in ${stack.name}...`);
  try {
    if (isInitialized(stack, context)) return { exitCode: 0, output: "", stdout: "" };
    if (!context.control.mayProceed) return { exitCode: null, output: "", stdout: "" };
    const result = await context.terraform.run(["init", "-input=false", "-no-color"], { cwd: stack.dir, env: context.env, log, group: context.control.group });
    if (result.exitCode === 0) markInitialized(stack, context);
    return result;
  } finally {
    await closeLog(log);
  }
}

/** The log is complete on disk before the account (or the run) is reported done. */
function closeLog(log: fs.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    log.once("error", () => resolve());
    log.end(() => resolve());
  });
}

function copyLockFile(from: Stack, to: readonly Stack[]): void {
  const lock = path.join(from.dir, ".terraform.lock.hcl");
  if (!fs.existsSync(lock)) return;
  for (const stack of to) {
    const target = path.join(stack.dir, ".terraform.lock.hcl");
    if (!fs.existsSync(target)) fs.copyFileSync(lock, target);
  }
}

/** 130 = 128 + SIGINT, as shells and terraform report an interrupted command. */
export const EXIT_INTERRUPTED = 130;

function exitCodeOf(report: RunReport): number {
  if (report.interrupted) return EXIT_INTERRUPTED;
  const bad = report.accounts.some((a) => ["failed", "refused", "interrupted", "not-started", "needs-action"].includes(a.status));
  if (bad) return 1;
  const planOnly = report.command === "plan" && !report.planAndApply;
  return planOnly && report.accounts.some((a) => a.outcome === "changes") ? 2 : 0;
}

function newRunId(stateDir: string, command: Command): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  let runId = `${stamp}-${command}`;
  for (let n = 2; fs.existsSync(path.join(stateDir, runId)); n++) runId = `${stamp}-${command}-${n}`;
  return runId;
}

function lastPlanRun(stateDir: string): RunReport {
  const pointer = path.join(stateDir, LAST_PLAN);
  if (!fs.existsSync(pointer)) throw new UserError("apply applies the plans of the last `plan` run, and there is none: run `npm run rollout -- plan` first, or use --plan-and-apply.");
  const { report } = JSON.parse(fs.readFileSync(pointer, "utf8")) as { report: string };
  return readReport(report);
}

/** Runs the app from cdktf.json, as `cdktf synth` would, into `outdir`. */
function synthesize(projectDir: string, outdir: string, env: NodeJS.ProcessEnv): void {
  const { app } = JSON.parse(fs.readFileSync(path.join(projectDir, "cdktf.json"), "utf8")) as { app: string };
  const result = spawnSync(app, { cwd: projectDir, env: { ...env, CDKTF_OUTDIR: outdir }, shell: true, stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new UserError(`Synthesis failed (${app} exited ${result.status}); nothing was run. Fix what it printed above, then run again.`);
}
