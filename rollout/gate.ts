import * as fs from "node:fs";
import { costEstimateIn, policyOutcomeIn, runUrlIn } from "./terraform-cloud/cloud";
import { Progress } from "../runner/progress";
import { AccountReport, errorExcerpt } from "./report/report";
import { StackContext } from "./report/stack-context";
import { awsProviderConstraint, initFailure } from "./terraform/init-failure";
import { Stack, stackJson } from "../runner/stacks";
import { TerraformResult } from "./terraform/terraform";
import { backoffMs, classifyFailure } from "./terraform/transient";

export type Step = "init" | "plan" | "show" | "apply" | "output";
export type GatedTerraform = (step: Step, args: string[], phase: string, okCodes?: number[]) => Promise<TerraformResult>;
export type Fail = (result: TerraformResult) => void;

export interface Stopped extends TerraformResult {
  readonly stoppedBefore: string;
}

export const stoppedBefore = (phase: string): Stopped => ({ exitCode: null, output: "", stdout: "", stoppedBefore: phase });
export const isStopped = (result: TerraformResult): result is Stopped => "stoppedBefore" in result;


/** Every terraform run and every backoff of an account passes the gate: after an interrupt, nothing new starts. */
export function gate(stack: Stack, account: AccountReport, context: StackContext, log: fs.WriteStream): { terraform: GatedTerraform; fail: Fail } {
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
    const init = initFailure(result.output, awsProviderConstraint(stackJson(stack)));
    if (init) {
      account.reason = `terraform init: ${init.cause}`;
      if (!control.interrupted) account.hint = init.hint;
      return;
    }
    account.reason = errorExcerpt(result.output) || (result.signal ? `terraform ended by ${result.signal}` : `terraform exited ${result.exitCode}`);
    const { hint } = classifyFailure(result.output);
    if (hint && !control.interrupted) account.hint = hint;
  };
  return { terraform, fail };
}

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
