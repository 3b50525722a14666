/*
 * npm run verify's cost against the in-process fake AWS: Organizations of 10, 100 and 1,000 accounts,
 * every role applied, verify as a user runs it (its own process, reaching the fake through
 * AWS_ENDPOINT_URL), wall and CPU per account; beside it, a steady-state `rollout plan` with the real
 * terraform (a few accounts) for the CPU one terraform plan costs per account. The fake answers in this
 * process, so its CPU is not counted in verify's (it is shown beside it). Wall time depends on what else
 * runs on the machine: the load average is printed with each row.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { rollout } from "../../rollout/run";
import { FakeAws } from "../../sandbox/fake-aws/fake-aws";
import { findRealTerraform, installProvider, providerVersionFor, terraformEnv } from "../../test/helpers/real-terraform";
import { inProcessRollout } from "../../test/helpers/rollout";
import { applyStacks, synthProject } from "../../test/helpers/verify";
import { childrenCpuSeconds } from "./real-terraform";
import { measure } from "./measure";

const MANAGEMENT = "111111111111";
const ROOT = path.resolve(__dirname, "..", "..");

const config = (size: number) =>
  `trelicaOrganizationId: bench-org\nmanagementAccountId: "${MANAGEMENT}"\nservices: { connect: false }\naccounts:\n` +
  [MANAGEMENT, ...Array.from({ length: size - 1 }, (_, i) => String(600000000001 + i))].map((id) => `  - id: "${id}"`).join("\n") +
  "\n";

export async function benchVerify(work: string, sizes: readonly number[], planAccounts: number): Promise<void> {
  console.log("\nnpm run verify against the in-process fake AWS (its own process, --concurrency 16, every role as applied)");
  console.log("| accounts | wall | per account | verify's CPU | per account | fake AWS's CPU (this process) | API calls per account | peak memory | load average |");
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  const rows: { size: number; cpu: number }[] = [];
  for (const size of sizes) {
    const fake = await FakeAws.start({ managementAccountId: MANAGEMENT });
    try {
      const dir = path.join(work, `verify-${size}`);
      fs.mkdirSync(dir, { recursive: true });
      const configFile = synthProject(dir, config(size));
      applyStacks(fake, path.join(dir, "cdktf.out"));
      const env = { PATH: process.env.PATH, HOME: dir, CI: "1", ...fake.environmentFor(MANAGEMENT), AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" };
      const before = fake.requests.length;
      const cpuBefore = childrenCpuSeconds();
      const ownBefore = process.cpuUsage();
      const result = await measure(process.execPath, ["-r", require.resolve("sucrase/register"), path.join(ROOT, "verify", "main.ts"), "--config", configFile, "--report", "verify.json", "--progress", "plain"], { cwd: dir, env });
      const cpu = childrenCpuSeconds() - cpuBefore;
      const own = process.cpuUsage(ownBefore);
      const fakeCpu = (own.user + own.system) / 1e6;
      if (result.exitCode !== 0) throw new Error(`verify of ${size} accounts exited ${result.exitCode}:\n${result.output.slice(-2000)}`);
      const calls = (fake.requests.length - before) / size;
      rows.push({ size, cpu });
      console.log(`| ${size} | ${result.seconds.toFixed(1)} s | ${((result.seconds / size) * 1000).toFixed(1)} ms | ${cpu.toFixed(1)} s | ${((cpu / size) * 1000).toFixed(1)} ms | ${fakeCpu.toFixed(1)} s | ${calls.toFixed(2)} | ${result.peakTreeMb.toFixed(0)} MB | ${os.loadavg()[0].toFixed(1)} |`);
    } finally {
      await fake.stop();
    }
  }
  const [small, large] = [rows[0], rows[rows.length - 1]];
  const marginal = large && small && large.size > small.size ? (large.cpu - small.cpu) / (large.size - small.size) : undefined;
  if (marginal !== undefined) console.log(`Marginal CPU per account (${large.size} vs ${small.size} accounts, start-up excluded): ${(marginal * 1000).toFixed(1)} ms`);

  const planCpu = planAccounts > 0 ? await steadyPlanCpuPerAccount(work, planAccounts) : undefined;
  if (planCpu === undefined) return;
  console.log(`\nSteady-state rollout plan (real terraform, ${planAccounts} accounts, everything applied): ${planCpu.toFixed(2)} s CPU per account`);
  for (const row of rows) console.log(`  verify at ${row.size} accounts: ${(planCpu / (row.cpu / row.size)).toFixed(0)}x less CPU per account than a steady-state plan`);
  if (marginal !== undefined) console.log(`  marginal: ${(planCpu / marginal).toFixed(0)}x less`);
  console.log("Targets: 1,000 accounts verified in under 30 s; at least 50x less CPU per account than a steady-state terraform plan.");
}

/** terraform CPU per account of `rollout plan` after everything is applied (nothing to change): the question verify answers, asked of terraform. */
async function steadyPlanCpuPerAccount(work: string, size: number): Promise<number | undefined> {
  const real = findRealTerraform();
  if ("missing" in real) {
    console.log(`\nSteady-state rollout plan: SKIPPED (${real.missing})`);
    return undefined;
  }
  const fake = await FakeAws.start({ managementAccountId: MANAGEMENT });
  try {
    const dir = path.join(work, `verify-plan-${size}`);
    fs.mkdirSync(dir, { recursive: true });
    synthProject(dir, config(size));
    const stack = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", `trelica-${MANAGEMENT}`, "cdk.tf.json"), "utf8"));
    const env = terraformEnv(fake, MANAGEMENT, installProvider(real, dir, [providerVersionFor(stack)]));
    const run = (command: "plan" | "apply") =>
      rollout({ ...inProcessRollout(dir, () => undefined), command, planAndApply: command === "apply", full: command === "plan", concurrency: 2, maxFailures: 0, lockTimeout: "60s", retries: 0, retryDelayMs: 0, env });
    const applied = await run("apply");
    if (applied.exitCode !== 0) throw new Error(`rollout apply of ${size} accounts exited ${applied.exitCode}`);
    const cpuBefore = childrenCpuSeconds();
    const planned = await run("plan");
    if (planned.exitCode !== 0) throw new Error(`steady rollout plan of ${size} accounts exited ${planned.exitCode} (expected 0: no changes)`);
    return (childrenCpuSeconds() - cpuBefore) / size;
  } finally {
    await fake.stop();
  }
}
