/*
 * Interrupts with real processes: the runner's command line and the stand-in terraform
 * (test/fake-terraform/terraform), which stops gracefully on a first SIGINT and at once on a second.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PlainProgress } from "../runner/progress";
import { readReport } from "../rollout/report/report";
import { RolloutControl } from "../rollout/run";
import { PROJECT_ROOT, tempDir } from "./helpers/files";
import { RolloutProject } from "./helpers/rollout";

const dir = tempDir("trelica-signals-");

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await sleep(20);
  }
}

/** Plans whose stand-in terraform is running with its SIGINT handler in place (whatever the machine's load). */
function readyPlans(readyDir: string): number {
  return fs.readdirSync(readyDir).filter((name) => name.startsWith("plan-")).length;
}

function startCli(project: RolloutProject, reportFile: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    ["-r", "sucrase/register", path.join(PROJECT_ROOT, "rollout", "main.ts"), "plan", "--no-synth", "--concurrency", "2", "--progress", "plain", "--report", reportFile],
    { cwd: project.dir, env: { ...project.env(env), NODE_PATH: path.join(PROJECT_ROOT, "node_modules") }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe("rollout under SIGINT (the real command line)", () => {
  const project = new RolloutProject(dir, "signals", 6, "", "process");

  test("GIVEN two plans in flight WHEN interrupted once THEN each running terraform gets exactly one SIGINT and finishes, nothing new starts, the report is written, exit 130, no process is left", async () => {
    // Plans far longer than any machine's start-up: the first SIGINT cuts them short, so this costs no time.
    project.scenario({}, { sleepMs: 600_000 });
    project.clearEvents();
    const reportFile = path.join(dir, "once.json");
    const readyDir = fs.mkdtempSync(path.join(dir, "ready-"));
    const cli = startCli(project, reportFile, { FAKE_TERRAFORM_SHUTDOWN_MS: "300", FAKE_TERRAFORM_READY_DIR: readyDir });
    await until(() => readyPlans(readyDir) >= 2, 240_000);
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(130);
    expect(cli.output()).toContain("SIGINT: no new step starts in any account");

    const report = readReport(reportFile);
    expect(report.interrupted).toBe(true);
    expect(report.accounts.filter((a) => a.status === "interrupted")).toHaveLength(2);
    expect(report.accounts.filter((a) => a.status === "not-started").map((a) => a.reason)).toEqual(Array(4).fill("interrupted before it started"));
    const plans = project.events().filter((e) => e.command === "plan");
    expect(plans).toHaveLength(2);
    for (const plan of plans) {
      expect(plan).toMatchObject({ exit: 1, interrupts: 1 });
      expect(isAlive(plan.pid)).toBe(false);
    }
    const interrupted = report.accounts.find((a) => a.status === "interrupted")!;
    expect(fs.readFileSync(interrupted.log!, "utf8")).toContain("Interrupt received.");
  });

  test("GIVEN plans shutting down slowly after a first SIGINT WHEN a second SIGINT comes THEN it says what that risks, forwards a second SIGINT, terraform stops at once, exit 130", async () => {
    project.scenario({}, { sleepMs: 600_000 });
    project.clearEvents();
    const reportFile = path.join(dir, "twice.json");
    const readyDir = fs.mkdtempSync(path.join(dir, "ready-"));
    // A graceful shutdown of ten minutes: only the second SIGINT can end it within the test.
    const cli = startCli(project, reportFile, { FAKE_TERRAFORM_SHUTDOWN_MS: "600000", FAKE_TERRAFORM_READY_DIR: readyDir });
    await until(() => readyPlans(readyDir) >= 2, 240_000);
    cli.child.kill("SIGINT");
    await until(() => cli.output().includes("SIGINT: no new step starts"), 240_000);
    const secondAt = Date.now();
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(130);
    // Far below the ten-minute graceful shutdown, however loaded the machine.
    expect(Date.now() - secondAt).toBeLessThan(240_000);
    expect(cli.output()).toMatch(/SIGINT again: forwarding a second interrupt to 2 running terraform processes; they stop hard\. A state lock may stay held .*an apply may be partial/);

    const plans = project.events().filter((e) => e.command === "plan");
    expect(plans).toHaveLength(2);
    for (const plan of plans) {
      expect(plan).toMatchObject({ exit: 1, interrupts: 2 });
      expect(isAlive(plan.pid)).toBe(false);
    }
    expect(readReport(reportFile).accounts.filter((a) => a.status === "interrupted")).toHaveLength(2);
  });
});

describe("the gate between steps (rollout in-process, the stand-in as processes)", () => {
  const project = new RolloutProject(dir, "gate", 2, "", "process");

  test("GIVEN a throttled plan waiting out its backoff WHEN interrupted during the wait THEN the wait ends at once, terraform does not run again, the account is interrupted, exit 130", async () => {
    const [first] = project.stackNames();
    for (const name of project.stackNames()) fs.rmSync(path.join(project.dir, "cdktf.out", "stacks", name, ".fake-terraform-throttle"), { force: true });
    project.scenario({ [first]: { throttled: 1 } });
    project.clearEvents();
    const control = new RolloutControl();
    const running = project.run({ command: "plan", accounts: [first], retries: 3, retryDelayMs: 600_000 }, control);
    // The throttled plan has ended: the runner is now in its 7.5-12.5 minute backoff.
    await until(() => project.events().some((e) => e.command === "plan" && e.exit === 1), 240_000);
    await sleep(100);
    const interruptedAt = Date.now();
    control.interrupt();
    const result = await running;
    // Far below the backoff, however loaded the machine: the wait was cut short.
    expect(Date.now() - interruptedAt).toBeLessThan(240_000);
    expect(result.exitCode).toBe(130);
    expect(result.report.accounts[0]).toMatchObject({ status: "interrupted", attempts: 1 });
    expect(project.events().filter((e) => e.command === "plan")).toHaveLength(1);
  });

  test("GIVEN --plan-and-apply WHEN interrupted once the plan is made, before apply THEN no apply starts, the account is interrupted (plan not applied), exit 130", async () => {
    const [first] = project.stackNames();
    project.scenario({ [first]: { plan: "changes" } });
    project.clearEvents();
    const control = new RolloutControl();
    const lines: string[] = [];
    // Ctrl-C as the user reads the plan: right when the runner turns to reading it.
    const progress = new (class extends PlainProgress {
      phase(stack: string, phase: string): void {
        super.phase(stack, phase);
        if (phase === "reading plan") control.interrupt();
      }
    })((line) => lines.push(line));
    const result = await project.run({ command: "apply", planAndApply: true, accounts: [first], progress }, control);
    expect(result.exitCode).toBe(130);
    expect(result.report.accounts[0]).toMatchObject({ status: "interrupted", reason: "interrupted before applying: the plan was not applied" });
    expect(project.events().map((e) => e.command)).not.toContain("apply");
  });
});
