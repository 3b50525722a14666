/*
 * Honest bookkeeping (changed stacks, resume, attempts, totals), the command line's input checks, and
 * which terraform/AWS errors are retried.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../app/common/errors";
import { checkOptions, RawOptions } from "../rollout/options";
import { RolloutControl } from "../rollout/run";
import { selectStacks, Stack } from "../runner/stacks";
import { classifyFailure } from "../rollout/terraform/transient";
import { TERRAFORM_CLOUD_STACK_NAME } from "../app/stacks/stack-names";
import { PROJECT_ROOT, tempDir } from "./helpers/files";
import { RolloutProject } from "./helpers/rollout";

const dir = tempDir("trelica-checks-");

describe("bookkeeping", () => {
  const project = new RolloutProject(dir, "bookkeeping", 3);

  test("GIVEN a plan without changes AND the stack edited since WHEN applied THEN that account is refused as changed (not skipped) and the run exits 1", async () => {
    project.scenario({}, { plan: "none" });
    await project.run({ command: "plan" });
    const [edited] = project.stackNames();
    const file = path.join(project.dir, "cdktf.out", "stacks", edited, "cdk.tf.json");
    const synthesized = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, synthesized.replace('"us-east-1"', '"eu-west-1"'));
    try {
      const apply = await project.run({ command: "apply" });
      expect(apply.report.accounts.find((a) => a.stack === edited)).toMatchObject({ status: "refused", reason: expect.stringMatching(/^the synthesized stack changed since plan run /) });
      expect(apply.report.accounts.filter((a) => a.status === "skipped")).toHaveLength(2);
      expect(apply.exitCode).toBe(1);
    } finally {
      fs.writeFileSync(file, synthesized);
    }
  });

  test("GIVEN a plan report WHEN apply --resume uses it THEN it is rejected naming both commands", async () => {
    project.scenario({});
    const plan = await project.run({ command: "plan" });
    const error = await project.run({ command: "apply", resume: plan.reportFile }).catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(`--resume ${plan.reportFile}: that report is of \`plan\`, this run is \`apply\`; resume only a run of the same command.`);
    const planAndApply = await project.run({ command: "apply", planAndApply: true, resume: plan.reportFile }).catch((e) => e);
    expect(planAndApply.message).toMatch(/that report is of `plan`, this run is `apply --plan-and-apply`/);
  });

  test("GIVEN --resume with a file that does not exist THEN a UserError names the option and the file", async () => {
    const missing = path.join(dir, "nope.json");
    const error = await project.run({ command: "plan", resume: missing }).catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(`--resume ${missing}: no such file; expected the report.json of an earlier run (.rollout/<run-id>/report.json).`);
  });

  test("GIVEN a throttled apply WHEN retried THEN attempts per step count terraform runs and retries = attempts - 1", async () => {
    project.double.resetAttempts();
    const [first] = project.stackNames();
    project.scenario({ [first]: { throttled: 1 } });
    const result = await project.run({ command: "apply", planAndApply: true, accounts: [first] });
    // throttled: 1 fails the first plan and the first apply once each; then one output -json for the connections table.
    expect(result.report.accounts[0]).toMatchObject({
      status: "succeeded",
      attempts: 6,
      steps: { plan: { attempts: 2, retries: 1 }, show: { attempts: 1, retries: 0 }, apply: { attempts: 2, retries: 1 }, output: { attempts: 1, retries: 0 } },
    });
  });

  test("GIVEN an interrupt before the run starts THEN no terraform runs at all (not even the warm-up init) and every account is not started", async () => {
    for (const name of project.stackNames()) fs.rmSync(path.join(project.dir, "cdktf.out", "stacks", name, ".terraform"), { recursive: true, force: true });
    project.clearEvents();
    const control = new RolloutControl();
    control.interrupt();
    const result = await project.run({ command: "plan" }, control);
    expect(project.events()).toEqual([]);
    expect(result.exitCode).toBe(130);
    expect(result.report.accounts.map((a) => [a.status, a.reason])).toEqual(Array(3).fill(["not-started", "interrupted before it started"]));
  });

  test("GIVEN two plans in flight WHEN interrupted once, then escalated THEN each got one SIGINT, then exactly one more", async () => {
    project.scenario({}, { sleepMs: 5000 });
    project.double.shutdownMs = 60_000;
    const control = new RolloutControl();
    let started = 0;
    project.double.onStart = (call) => {
      if (call.command === "plan" && ++started === 2) setTimeout(() => control.interrupt(), 10);
    };
    const running = project.run({ command: "plan", concurrency: 2 }, control);
    while (control.group.size < 2 || !control.interrupted) await new Promise((resolve) => setTimeout(resolve, 5));
    expect([...project.double.running].map((call) => call.interrupts)).toEqual([1, 1]);
    control.escalate();
    control.escalate();
    const result = await running;
    project.double.onStart = undefined;
    project.double.shutdownMs = 20;
    expect(result.exitCode).toBe(130);
    expect(project.events().filter((e) => e.command === "plan").map((e) => e.interrupts)).toEqual([2, 2]);
    expect(result.report.accounts.map((a) => a.status).sort()).toEqual(["interrupted", "interrupted", "not-started"]);
  });
});

describe("command line checks", () => {
  const valid: RawOptions = { concurrency: "8", maxFailures: "0", accounts: [], exclude: [], lockTimeout: "60s", retries: "3", retryDelay: "5000", planAndApply: false, progress: "auto" };

  test("GIVEN good values THEN they are parsed", () => {
    expect(checkOptions("apply", { ...valid, lockTimeout: "1m30s", accounts: ["1234*", "trelica-?5"] })).toEqual({
      command: "apply",
      concurrency: 8,
      maxFailures: 0,
      lockTimeout: "1m30s",
      retries: 3,
      retryDelayMs: 5000,
      progress: "auto",
    });
  });

  test("GIVEN several bad values and a misspelt command THEN one UserError lists every problem, each naming the option, the value and what is allowed", () => {
    let error: UserError | undefined;
    try {
      checkOptions("aply", { ...valid, concurrency: "0", maxFailures: "-1", lockTimeout: "60", retries: "two", retryDelay: "1.5", accounts: ["12 34"], exclude: ["a/b"], progress: "fancy" });
    } catch (e) {
      error = e as UserError;
    }
    expect(error).toBeInstanceOf(UserError);
    expect(error!.problems).toEqual([
      'command "aply": expected plan, apply, destroy, connections; did you mean "apply"?',
      '--concurrency "0": expected a whole number from 1 to 64',
      '--max-failures "-1": expected a whole number from 0 to 1000000',
      '--retries "two": expected a whole number from 0 to 10',
      '--retry-delay "1.5": expected a whole number from 0 to 600000',
      '--lock-timeout "60": expected a terraform duration such as 0s, 60s, 5m or 1m30s (units ms, s, m, h)',
      '--accounts "12 34": expected account IDs or stack names with * and ? as wildcards (letters, digits, _ . -)',
      '--exclude "a/b": expected account IDs or stack names with * and ? as wildcards (letters, digits, _ . -)',
      '--progress "fancy": expected auto, live or plain',
    ]);
  });

  test("GIVEN --plan-and-apply with plan THEN it says it goes with apply only", () => {
    expect(() => checkOptions("plan", { ...valid, planAndApply: true })).toThrow(/--plan-and-apply with plan: it goes with apply only/);
  });

  test("GIVEN the real command line WHEN --help THEN it lists the environment variables read and the exit codes; WHEN a bad value THEN the message and exit 1, no stack trace", () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ["-r", "sucrase/register", path.join(PROJECT_ROOT, "rollout", "main.ts"), ...args], { cwd: PROJECT_ROOT, encoding: "utf8" });
    const help = cli("--help");
    expect(help.status).toBe(0);
    for (const text of ["TERRAFORM_BINARY_NAME", "TRELICA_CONFIG", "Exit codes:", "130  interrupted", "--allow-access-change"]) expect(help.stdout).toContain(text);
    const bad = cli("plna", "--lock-timeout", "5");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('command "plna": expected plan, apply, destroy, connections; did you mean "plan"?');
    expect(bad.stderr).toContain('--lock-timeout "5": expected a terraform duration');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("which terraform/AWS errors are retried", () => {
  test.each([
    ["throttling", "api error Throttling: Rate exceeded", true],
    ["EC2-style request limit", "RequestLimitExceeded: Request limit exceeded.", true],
    ["connection reset", "read tcp 10.0.0.1:443: read: connection reset by peer", true],
    ["i/o timeout", "dial tcp 52.94.0.1:443: i/o timeout", true],
    ["TLS handshake timeout", "net/http: TLS handshake timeout", true],
    ["state lock held", "Error: Error acquiring the state lock", true],
  ])("GIVEN %s THEN retried", (_name, output, transient) => {
    expect(classifyFailure(output)).toEqual({ transient, hint: undefined });
  });

  test.each([
    ["DNS", "dial tcp: lookup iam.amazonaws.com: no such host", /host name did not resolve/],
    ["AccessDenied", "api error AccessDenied: User: arn:aws:iam::1:user/x is not authorized to perform: iam:GetRole", /may not do this/],
    ["InvalidClientTokenId", "api error InvalidClientTokenId: The security token included in the request is invalid.", /the AWS credentials are not valid/],
    ["ExpiredToken", "api error ExpiredToken: The security token included in the request is expired", /the AWS credentials expired: sign in again/],
    ["validation", "api error ValidationError: 1 validation error detected", /fix it and synthesize again/],
    ["expired token while throttled", "Throttling ... ExpiredToken: expired", /credentials expired: sign in again/],
  ])("GIVEN %s THEN not retried, with a hint", (_name, output, hint) => {
    const failure = classifyFailure(output);
    expect(failure.transient).toBe(false);
    expect(failure.hint).toMatch(hint);
  });

  test("GIVEN an expired token in one account WHEN planned THEN it runs once, fails with the hint in the report and the table", async () => {
    const project = new RolloutProject(dir, "expired", 2);
    const [first] = project.stackNames();
    project.scenario({ [first]: { planError: "Error: api error ExpiredToken: The security token included in the request is expired\n" } });
    const result = await project.run({ command: "plan", maxFailures: 5 });
    expect(result.report.accounts[0]).toMatchObject({ status: "failed", attempts: 1, hint: expect.stringMatching(/the AWS credentials expired: sign in again/) });
    expect(result.report.accounts[0].steps).toMatchObject({ plan: { attempts: 1, retries: 0 } });
    expect(project.lines.join("\n")).toMatch(/ExpiredToken.*\(the AWS credentials expired: sign in again/);
  });
});

describe("which stacks a rollout takes", () => {
  const stack = (name: string): Stack => ({ name, dir: `/x/${name}`, accountId: /-(\d{12})$/.exec(name)?.[1] });
  const stacks = [stack("trelica-111111111111"), stack("trelica-222222222222"), stack(TERRAFORM_CLOUD_STACK_NAME)];

  test.each([
    ["no filter", [], ["trelica-111111111111", "trelica-222222222222"]],
    ["a glob matching every stack name", ["trelica-*"], ["trelica-111111111111", "trelica-222222222222"]],
    ["the bootstrap stack by its exact name", [TERRAFORM_CLOUD_STACK_NAME], [TERRAFORM_CLOUD_STACK_NAME]],
  ])("GIVEN %s THEN the Terraform Cloud bootstrap stack is taken only when named exactly", (_case, include, expected) => {
    expect(selectStacks(stacks, include, []).map((selected) => selected.name)).toEqual(expected);
  });
});
