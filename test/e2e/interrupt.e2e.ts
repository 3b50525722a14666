/*
 * Ctrl-C during `rollout apply`, through the real command line, with the real terraform: the in-flight
 * applies stop cleanly, no terraform process is left behind, no state lock is held, the report is written.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT, tempDir } from "../helpers/files";
import { describeWithRealTerraform } from "../helpers/real-terraform";
import { TerraformProject } from "../helpers/terraform-project";

const MANAGEMENT = "111111111111";
const MEMBERS = ["500000000001", "500000000002", "500000000003"];

/** Processes whose working directory is inside `dir` (terraform runs in the stack folders). */
function processesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (fs.readlinkSync(`/proc/${pid}/cwd`).startsWith(dir)) found.push(`${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ")}`);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

describeWithRealTerraform("Ctrl-C during rollout apply, with the real terraform", (real) => {
  const dir = tempDir("trelica-e2e-interrupt-");
  let project: TerraformProject;

  beforeAll(async () => {
    const config = `trelicaOrganizationId: "org-interrupt"\nmanagementAccountId: "${MANAGEMENT}"\naccounts:\n${[MANAGEMENT, ...MEMBERS].map((id) => `  - id: "${id}"`).join("\n")}\n`;
    // Slow answers keep each apply in flight for seconds: long enough to interrupt it there.
    project = await TerraformProject.create(real, dir, { "trelica.config.yaml": config }, { managementAccountId: MANAGEMENT, latencyMs: 400 });
  });
  afterAll(() => project?.close());

  test("GIVEN applies in flight WHEN the runner gets SIGINT THEN they finish cleanly, nothing new starts, no process or lock is left and the report says so", async () => {
    const runner = spawn(
      process.execPath,
      ["-r", path.join(PROJECT_ROOT, "node_modules", "sucrase", "register"), path.join(PROJECT_ROOT, "rollout", "main.ts"), "apply", "--plan-and-apply", "--no-synth", "--concurrency", "2", "--progress", "plain"],
      { cwd: dir, env: project.env(), stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    runner.stdout.on("data", (chunk) => (output += chunk));
    runner.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => runner.on("close", resolve));

    // Interrupt once terraform is creating resources in some account.
    const deadline = Date.now() + 240_000;
    while (!project.fake.requests.some((request) => request.action === "CreateRole") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(project.fake.requests.some((request) => request.action === "CreateRole")).toBe(true);
    runner.kill("SIGINT");
    const code = await exited;

    expect(code).toBe(130);
    expect(output).toContain("no new step starts in any account");
    expect(processesUnder(dir)).toEqual([]);
    // No state lock left: the local backend's lock file is gone and terraform takes the lock at once.
    expect(fs.readdirSync(dir).filter((name) => name.endsWith(".lock.info"))).toEqual([]);
    const runs = fs.readdirSync(path.join(dir, ".rollout")).filter((name) => name.includes("-apply"));
    const report = JSON.parse(fs.readFileSync(path.join(dir, ".rollout", runs[0], "report.json"), "utf8"));
    expect(report.interrupted).toBe(true);
    const statuses = report.accounts.map((account: { status: string }) => account.status);
    expect(statuses).toContain("interrupted");
    expect(statuses.filter((status: string) => status === "succeeded" || status === "interrupted").length).toBeLessThanOrEqual(2);
    for (const account of report.accounts.filter((a: { status: string }) => a.status === "not-started")) {
      expect(project.callsIn(account.accountId).filter((call) => call.startsWith("iam:"))).toEqual([]);
    }
    for (const stack of project.stackNames()) {
      const plan = await project.terraform(stack, ["plan", "-input=false", "-no-color", "-lock-timeout=0s"]);
      expect([stack, plan.stderr.includes("Error acquiring the state lock")]).toEqual([stack, false]);
    }
  });
});
