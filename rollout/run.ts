/*
 * The run's orchestration: synthesize, select the accounts, decide up front what must not run, warm the
 * provider cache, run the accounts' steps (account-steps.ts) within the limits, then report.
 * What a second command needs without terraform steps lives apart: stacks.ts (selection), scheduler.ts,
 * progress.ts, report.ts, connections.ts, redact.ts, exit-codes.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../app/common/errors";
import { readOutputsOnly, runStack } from "./account-steps";
import { skip } from "./report/account-outcome";
import { writeAppliedConnections } from "./connections";
import { exitCodeOf } from "./report/exit-codes";
import { Command, errorExcerpt, RunReport, summaryTable, writeReport } from "./report/report";
import { resumedReport } from "./plans/resume";
import { RolloutControl } from "./terraform/rollout-control";
import { RolloutOptions } from "./report/rollout-options";
import { checkSavedPlan, lastPlanRun, recordLastPlan } from "./plans/saved-plans";
import { runBounded } from "../runner/scheduler";
import { StackContext } from "./report/stack-context";
import { readStacks, selectStacks, Stack, stackJson, versionRequirements } from "../runner/stacks";
import { awsProviderConstraint, initFailure } from "./terraform/init-failure";
import { synthesize } from "./synth-app";
import { refusePlaceholder } from "./plans/placeholder-guard";
import { knownRoles } from "./plans/known-roles";
import { stateWhere } from "./plans/terraform-state";
import { privateDir } from "../runner/private-files";
import { HELD_BY_ENV, lockFolder, refuseIfHeld } from "../runner/lock";
import { Invocation, npmCommand } from "../app/common/commands";
import { DEFAULT_CONFIG_FILE, DEFAULT_OUTDIR, shownPath } from "../app/commands/project-options";
import { checkTerraformVersion, processRunner } from "./terraform/terraform";
import { copyLockFile, warmPluginCache } from "./terraform-init";
import { proveInSync, recordInSync } from "./prove-in-sync";
import { plural } from "../app/common/list";

export { EXIT_INTERRUPTED } from "./report/exit-codes";
export { RolloutControl } from "./terraform/rollout-control";
export type { RolloutOptions } from "./report/rollout-options";

/** Accounts proven in sync at once: a handful of IAM reads each, no terraform. */
const PROOF_CONCURRENCY = 16;

export interface RolloutResult {
  readonly exitCode: number;
  readonly report: RunReport;
  readonly reportFile: string;
}


export async function rollout(options: RolloutOptions, control = new RolloutControl()): Promise<RolloutResult> {
  const outdir = path.resolve(options.projectDir, options.outdir ?? DEFAULT_OUTDIR);
  const stateDir = path.join(options.projectDir, ".rollout");
  const output = options.output ?? ((text: string) => process.stdout.write(text));
  const given = options.given ?? { config: options.configFile, output: options.outdir };
  const invocation: Invocation = { ...given, accounts: options.accounts, exclude: options.exclude };
  // Everything the command line names is checked before anything runs, synthesis included.
  if (options.command === "destroy" && !options.confirmDestroy) {
    throw new UserError(
      "destroy removes the TrelicaIntegration role from every selected account and cuts Trelica off; " +
        `to do it (narrow it first with --accounts): ${npmCommand("rollout", ["destroy", "--confirm-destroy"], invocation)}`,
    );
  }
  const resumed = options.resume ? resumedReport(options.resume, options, outdir) : undefined;
  const usesSavedPlans = options.command === "apply" && !options.planAndApply;
  const planCommand = npmCommand("rollout", ["plan"], invocation);
  // Said before anything is written, the lock included; read again once the folder is ours.
  refuseIfHeld(outdir);
  if (usesSavedPlans) lastPlanRun(stateDir, outdir, planCommand);
  const synthCommand = npmCommand("synth", [], invocation, { selection: false });
  if (!options.synth) readStacks(outdir, synthCommand);

  const lock = lockFolder(outdir, `rollout ${options.command}`);
  try {
    if (lock.note) options.progress.note(lock.note);
    return await runLocked(options, control, { outdir, stateDir, output, invocation, resumed, planRun: usesSavedPlans ? lastPlanRun(stateDir, outdir, planCommand) : undefined });
  } finally {
    lock.release();
  }
}

interface RunSetting {
  readonly outdir: string;
  readonly stateDir: string;
  readonly output: (text: string) => void;
  readonly invocation: Invocation;
  readonly resumed?: RunReport;
  readonly planRun?: RunReport;
}

async function runLocked(options: RolloutOptions, control: RolloutControl, { outdir, stateDir, output, invocation, resumed, planRun }: RunSetting): Promise<RolloutResult> {
  // The first line names what is run: synthesis prints the config and output folder it used.
  const configFile = path.resolve(options.projectDir, options.configFile ?? options.env.TRELICA_CONFIG ?? DEFAULT_CONFIG_FILE);
  // The synthesis is this run's own: it writes into the folder this run holds.
  if (options.synth) synthesize(options.projectDir, outdir, configFile, { ...options.env, [HELD_BY_ENV]: String(process.pid) });
  const stacks = readStacks(outdir, npmCommand("synth", [], invocation, { selection: false }));
  if (!options.synth) {
    output(`trelica: rollout ${options.command} of the stacks in ${shownPath(outdir)} as they are (--no-synth: no config read; ${stateWhere(stacks, shownPath)}).\n`);
  }

  const terraform = options.terraform ?? processRunner(options.env);
  const binary = terraform.binary;
  const version = await terraform.version();
  const selected = selectStacks(stacks, options.accounts, options.exclude);
  if (options.command === "apply" || options.command === "destroy") refusePlaceholder(options.command, selected);
  // Only commands that plan save cloud plans; `connections` reads outputs, which any terraform with a cloud block can.
  checkTerraformVersion(binary, version, versionRequirements(selected, { savedCloudPlans: options.command !== "connections" }));

  const runId = newRunId(stateDir, options.command);
  const runDir = path.join(stateDir, runId);
  for (const dir of [stateDir, runDir, path.join(runDir, "plans")]) privateDir(dir);

  const report: RunReport = {
    runId,
    command: options.command,
    planAndApply: options.planAndApply,
    startedAt: new Date().toISOString(),
    interrupted: false,
    terraform: { binary, version },
    options: { concurrency: options.concurrency, maxFailures: options.maxFailures, lockTimeout: options.lockTimeout, retries: options.retries },
    fromPlanRun: planRun?.runId,
    outdir,
    accounts: selected.map((stack) => ({ stack: stack.name, accountId: stack.accountId, ...(stack.leaving ? { leaving: true } : {}), status: "not-started", attempts: 0 })),
  };
  const accountOf = new Map(report.accounts.map((account) => [account.stack, account]));
  const reportFiles = [path.join(runDir, "report.json"), ...(options.report ? [path.resolve(options.report)] : [])];

  // Decide up front what must not run at all, so nothing is half-done for a reason known in advance.
  const plannedOf = new Map((planRun?.accounts ?? []).map((a) => [a.stack, a]));
  const succeededBefore = new Set((resumed?.accounts ?? []).filter((a) => a.status === "succeeded").map((a) => a.stack));
  const mayRun = selected.filter((stack) => {
    const account = accountOf.get(stack.name)!;
    if (succeededBefore.has(stack.name)) return skip(account, `succeeded in ${path.basename(options.resume!)}`);
    return planRun ? checkSavedPlan(stack, account, planRun, plannedOf.get(stack.name), options) : true;
  });

  // Accounts proven in sync without terraform are done; terraform plans the rest (--full: all of them).
  const proves = options.command === "plan" || (options.command === "apply" && options.planAndApply);
  const proofContext = { stateDir, env: options.env, terraformVersion: version, concurrency: PROOF_CONCURRENCY, prove: !options.full };
  const proof = proves ? await proveInSync(mayRun, (stack) => accountOf.get(stack.name)!, proofContext) : undefined;
  const toRun = proof ? mayRun.filter((stack) => !proof.inSync.has(stack.name)) : mayRun;
  if (proof && !options.full) options.progress.note(`In sync (live and state), proven without terraform: ${proof.inSync.size} of ${plural(mayRun.length, "account")}; terraform plans ${toRun.length}.`);

  const env = {
    ...withoutTerraformLog(options.env),
    // Only on request, and then into the account's log, where lines are masked (never a TF_LOG_PATH file).
    ...(options.terraformLog ? { TF_LOG: options.terraformLog } : {}),
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    // One provider download for the whole run (and later runs); stacks get the lock file of the first.
    TF_PLUGIN_CACHE_DIR: path.join(stateDir, "plugin-cache"),
  };
  privateDir(env.TF_PLUGIN_CACHE_DIR);

  // Every report under .rollout is read once, and only if some plan creates a role.
  let known: ReturnType<typeof knownRoles> | undefined;
  const knownRole = (accountId: string) => (known ??= knownRoles(outdir, stateDir)).get(accountId);
  const context: StackContext = { options, control, terraform, env, runId, runDir, planRun, invocation, knownRole };
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
      const init = initFailure(warmUp.output, awsProviderConstraint(stackJson(toRun[0])));
      const why = `not started: the first terraform init (${toRun[0].name}) failed: ${init ? init.cause : errorExcerpt(warmUp.output, 300)}`;
      for (const stack of toRun) Object.assign(accountOf.get(stack.name)!, { reason: why, ...(init ? { hint: init.hint } : {}) });
    }
  }

  // What terraform left with nothing to do gets a record, for the next plan to prove without it.
  if (!control.interrupted) await recordInSync(toRun, (stack) => accountOf.get(stack.name)!, { ...proofContext, runId }, proof?.stateBefore ?? new Map());

  // An apply's (or destroy's) accounts that did not run (skipped: no changes in the saved plan, resumed; refused; not
  // started) may be applied from before: their outputs say so. Read-only, with the same gate, retries
  // and concurrency.
  const writesConnections = options.command !== "plan";
  if ((options.command === "apply" || options.command === "destroy") && !control.interrupted) {
    // In sync: their outputs were read from the state the proof read.
    const unread = selected.filter((stack) => stack.accountId !== undefined && accountOf.get(stack.name)!.outcome !== "in-sync" && ["skipped", "refused", "not-started", "needs-action"].includes(accountOf.get(stack.name)!.status));
    // Nothing ran (every account refused or skipped): parallel inits of a cold folder would race to fill
    // the empty provider cache ("file exists"), so one init warms it first here too.
    if (toRun.length === 0 && unread.length > 1) {
      const warmUp = await warmPluginCache(unread[0], context);
      if (warmUp.exitCode === 0) copyLockFile(unread[0], unread.slice(1));
    }
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
    recordLastPlan(stateDir, outdir, runId, path.join(runDir, "report.json"));
  }
  const connections = writesConnections ? writeAppliedConnections(selected, report, outdir, stateDir) : undefined;
  options.progress.close();
  const connectionsLine = connections ? `Connections (applied state; \`applied\` rows have a confirmed role ARN): ${connections} and .md\n` : "";
  output(`\n${summaryTable(report)}\nReport: ${reportFiles.join(", ")}\nLogs: ${runDir}\n${connectionsLine}`);
  return { exitCode: exitCodeOf(report), report, reportFile: reportFiles[0] };
}

/**
 * terraform's debug log holds request and response bodies (credentials, tokens): an ambient TF_LOG or
 * TF_LOG_PATH left in a shell must not fill .rollout/ with them unasked.
 */
function withoutTerraformLog(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { TF_LOG, TF_LOG_PATH, TF_LOG_CORE, TF_LOG_PROVIDER, ...rest } = env;
  return rest;
}

/** A run's own folder under .rollout, made here: two runs that start in the same second (in two output folders) never share one. */
function newRunId(stateDir: string, command: Command): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  privateDir(stateDir);
  for (let n = 1; ; n++) {
    const runId = n === 1 ? `${stamp}-${command}` : `${stamp}-${command}-${n}`;
    try {
      fs.mkdirSync(path.join(stateDir, runId), { mode: 0o700 });
      return runId;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}
