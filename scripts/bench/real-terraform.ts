/*
 * What the real terraform and AWS provider cost per account, against the fake AWS: each step the
 * rollout runs, and rollout plans of growing Organizations at concurrency 2, fresh and in the steady
 * state (everything applied, nothing changed), where the floor is one `terraform plan` per account.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { rollout, RolloutOptions } from "../../rollout/run";
import { FakeAws } from "../../sandbox/fake-aws/fake-aws";
import { inProcessRollout } from "../../test/helpers/rollout";
import { findRealTerraform, installProvider, providerVersionFor, terraformEnv } from "../../test/helpers/real-terraform";
import { measure } from "./measure";

const MANAGEMENT = "111111111111";
const TICKS_PER_SECOND = 100;

/** CPU seconds of this process's finished children so far (cutime + cstime in /proc/self/stat). */
export function childrenCpuSeconds(): number {
  const stat = fs.readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
}

interface Project {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
}

/** One fake AWS per project: each starts with empty accounts. */
const fakes: FakeAws[] = [];

export async function benchRealTerraform(work: string, synthesize: (config: string, outdir: string) => Promise<void>, sizes: readonly number[]): Promise<void> {
  const real = findRealTerraform();
  if ("missing" in real) {
    console.log(`\nReal terraform: SKIPPED (${real.missing})`);
    return;
  }
  try {
    const makeProject = async (name: string, size: number): Promise<Project> => {
      const fake = await FakeAws.start({ managementAccountId: MANAGEMENT });
      fakes.push(fake);
      const dir = path.join(work, name);
      fs.mkdirSync(dir, { recursive: true });
      const members = Array.from({ length: size - 1 }, (_, i) => String(600000000001 + i));
      const accounts = [MANAGEMENT, ...members].map((id) => `  - id: "${id}"`).join("\n");
      const config = path.join(dir, "trelica.config.yaml");
      fs.writeFileSync(config, `trelicaOrganizationId: bench-org\nmanagementAccountId: "${MANAGEMENT}"\naccounts:\n${accounts}\n`);
      await synthesize(config, path.join(dir, "cdktf.out"));
      const stack = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", `trelica-${MANAGEMENT}`, "cdk.tf.json"), "utf8"));
      return { dir, env: terraformEnv(fake, MANAGEMENT, installProvider(real, dir, [providerVersionFor(stack)])) };
    };

    // Each step of one member account, as the runner runs it.
    const single = await makeProject("real-steps", 2);
    const stackDir = path.join(single.dir, "cdktf.out", "stacks", "trelica-600000000001");
    const steps: [string, string[]][] = [
      ["init", ["init", "-input=false", "-no-color"]],
      ["plan (3 + 2 resources to create)", ["plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=bench.tfplan"]],
      ["show -json", ["show", "-json", "-no-color", "bench.tfplan"]],
      ["apply", ["apply", "-input=false", "-no-color", "bench.tfplan"]],
      ["plan, nothing changed", ["plan", "-input=false", "-no-color", "-detailed-exitcode"]],
    ];
    console.log(`\nReal terraform ${real.terraform} + AWS provider ${real.providerVersion} against the fake AWS: one account's steps`);
    console.log("| step | wall | CPU (user + system) | peak memory, process tree |");
    console.log("| --- | ---: | ---: | ---: |");
    let planCpu = 0;
    for (const [label, args] of steps) {
      const cpuBefore = childrenCpuSeconds();
      const result = await measure(real.terraform, args, { cwd: stackDir, env: single.env });
      const cpu = childrenCpuSeconds() - cpuBefore;
      if (result.exitCode !== 0 && result.exitCode !== 2) throw new Error(`terraform ${args[0]} failed:\n${result.output.slice(-2000)}`);
      if (label === "plan, nothing changed") planCpu = cpu;
      console.log(`| ${label} | ${result.seconds.toFixed(2)} s | ${cpu.toFixed(2)} s | ${result.peakTreeMb.toFixed(0)} MB |`);
    }

    console.log("\nRollout plan at concurrency 2 (fresh: first plan of new stacks, with init; steady: after apply, nothing changed)");
    console.log("| accounts | case | wall | per account | terraform CPU | per account | floor: one plan each, 2 cores |");
    console.log("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
    const rolloutRow = async (project: Project, size: number, label: string, command: RolloutOptions["command"]) => {
      const cpuBefore = childrenCpuSeconds();
      const started = process.hrtime.bigint();
      const result = await rollout({
        ...inProcessRollout(project.dir, () => undefined),
        command,
        concurrency: 2,
        maxFailures: 0,
        lockTimeout: "60s",
        retries: 0,
        retryDelayMs: 0,
        planAndApply: command === "apply",
        // The steady-state rows are terraform's cost: every account planned, none proven in sync without it (bench/in-sync.ts).
        full: command === "plan",
        env: project.env,
      });
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = childrenCpuSeconds() - cpuBefore;
      const failed = result.report.accounts.filter((account) => account.status !== "succeeded");
      if (failed.length > 0) throw new Error(`rollout ${command} of ${size} accounts failed: ${failed.map((a) => `${a.stack} ${a.status}: ${a.reason}`).join("; ")}`);
      if (label) {
        const floor = (planCpu * size) / 2;
        console.log(`| ${size} | ${label} | ${wall.toFixed(1)} s | ${(wall / size).toFixed(2)} s | ${cpu.toFixed(1)} s | ${(cpu / size).toFixed(2)} s | ${floor.toFixed(1)} s |`);
      }
    };
    for (const size of sizes) {
      const project = await makeProject(`real-rollout-${size}`, size);
      await rolloutRow(project, size, "fresh", "plan");
      await rolloutRow(project, size, "", "apply");
      await rolloutRow(project, size, "steady", "plan");
    }
  } finally {
    for (const fake of fakes) await fake.stop();
  }
}
