import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { readReport } from "../rollout/report";
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

describe("rollout under SIGINT (the real command line)", () => {
  test("GIVEN a run in flight WHEN interrupted twice THEN running terraform stops cleanly, nothing new starts, the report is written, no process is left", async () => {
    const project = new RolloutProject(dir, "signals", 6);
    project.scenario({}, { sleepMs: 4000 });
    const reportFile = path.join(dir, "interrupted.json");
    const child = spawn(
      process.execPath,
      ["-r", "sucrase/register", path.join(PROJECT_ROOT, "rollout", "main.ts"), "plan", "--no-synth", "--concurrency", "2", "--progress", "plain", "--report", reportFile],
      { cwd: project.dir, env: { ...project.env({ FAKE_TERRAFORM_SHUTDOWN_MS: "1500" }), NODE_PATH: path.join(PROJECT_ROOT, "node_modules") }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

    // Interrupt once two plans are running (and past their start-up).
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if ((stdout.match(/ planning$/gm) ?? []).length >= 2) {
          clearInterval(poll);
          resolve();
        }
      }, 50);
    });
    await new Promise((resolve) => setTimeout(resolve, 700));
    child.kill("SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill("SIGINT");
    const exitCode = await exited;

    expect(exitCode).toBe(1);
    expect(stdout).toContain("SIGINT: no new accounts start");
    expect(stdout).toMatch(/SIGINT again: still waiting for \d terraform processes to exit cleanly; nothing is killed/);

    const report = readReport(reportFile);
    expect(report.interrupted).toBe(true);
    expect(report.accounts.filter((a) => a.status === "interrupted")).toHaveLength(2);
    expect(report.accounts.filter((a) => a.status === "not-started").map((a) => a.reason)).toEqual(Array(4).fill("interrupted before it started"));

    const plans = project.events().filter((e) => e.command === "plan");
    expect(plans).toHaveLength(2);
    for (const plan of plans) {
      expect(plan.exit).toBe(1);
      expect(plan.end - plan.start).toBeLessThan(4000);
      expect(isAlive(plan.pid)).toBe(false);
    }
    const interrupted = report.accounts.find((a) => a.status === "interrupted")!;
    expect(fs.readFileSync(interrupted.log!, "utf8")).toContain("Interrupt received.");
  });
});
