/*
 * npm run bench [-- --runs N] [--sizes 1,100,1000,10000] [--only synth|rollout|terraform|fake|verify|in-sync] [--rollout-stacks N]
 *                  [--terraform-sizes 1,12,48]
 * Prints wall time and peak memory of the real `cdktf synth` (node_modules/.bin/cdktf, what
 * `npx cdktf synth` runs) for Organizations of several sizes, the
 * CLI's own floor (a no-op app), and the stock cdktf setup (ts-node app, root import of the provider)
 * as the baseline. Figures only: nothing here passes or fails.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { thousands } from "../app/common/list";
import { CDK_CLI } from "../modules/cdk-flavour";
import { measure, Measurement, median } from "./bench/measure";
import { benchFakeAws } from "./bench/fake-aws";
import { benchRealTerraform } from "./bench/real-terraform";
import { benchVerify } from "./bench/verify";
import { benchInSync } from "./bench/in-sync";

const ROOT = path.resolve(__dirname, "..");
// `cdktf`, or `cdktn` on CDK Terrain (docs/cdk-terrain.md).
const CDKTF = path.join(ROOT, "node_modules", ".bin", CDK_CLI);

const USAGE = `npm run bench -- [options]
Prints figures; nothing here passes or fails. Runs on a fresh temporary folder each time.

Options:
  --only synth|rollout|terraform|fake|verify|in-sync   one section (default: all)
  --runs N                         runs per synthesis row; the median is printed (default: 3)
  --sizes 1,100,1000,10000         Organization sizes for synthesis (default: 1,100,1000,10000)
  --rollout-stacks N               stacks for the rollout runner's overhead, stand-in terraform (default: 1000)
  --terraform-sizes 1,12,48        accounts for rollout plan with the real terraform (default: 1,12,48)
  --verify-sizes 10,100,1000       accounts for npm run verify against the fake AWS (default: 10,100,1000)
  --verify-plan-accounts 3         accounts of the steady-state rollout plan verify is compared with (default: 3; 0 skips it and the real terraform)
  --in-sync-accounts 1000          accounts of the steady-state rollout plan (default: 1000)
  --in-sync-sample 10              accounts planned with --full by the real terraform, scaled per account (default: 10)
  --help                           this help

Sections:
  synth      npm run synth (the app directly) and cdktf synth (the CLI), the CLI's floor, the stock cdktf setup
  rollout    the runner's own overhead with a stand-in terraform
  terraform  the real terraform and AWS provider against the fake AWS (skipped without them)
  fake       the fake AWS's cost per request with IAM enforcement off and on
  verify     npm run verify against the fake AWS, beside a steady-state rollout plan's CPU per account (real terraform)
  in-sync    rollout plan of an Organization in steady state (accounts proven in sync without terraform) against --full, and with 10 changed`;
if (process.argv.includes("--help")) {
  console.log(USAGE);
  process.exit(0);
}

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}
const RUNS = Number(option("runs", "3"));
/** synth, rollout, terraform (the real one against the fake AWS), or all. */
const ONLY = option("only", "all");
const SIZES = option("sizes", "1,100,1000,10000").split(",").map(Number);

const work = fs.mkdtempSync(path.join(os.tmpdir(), "trelica-bench-"));
const baseEnv = { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1" };

/** An `aws organizations list-accounts` export of `size` accounts, one in `suspendedEvery` suspended. */
function writeOrganization(size: number, suspendedEvery = 20, extraConfig = ""): string {
  const dir = path.join(work, `org-${size}-${suspendedEvery}${extraConfig ? "-extra" : ""}`);
  fs.mkdirSync(dir, { recursive: true });
  const management = "100000000000";
  const accounts = Array.from({ length: size }, (_, i) => {
    const id = String(100000000000 + i * 7919).padStart(12, "0");
    return {
      Id: id,
      Arn: `arn:aws:organizations::${management}:account/o-bench12345/${id}`,
      Email: `aws+${i}@example.com`,
      Name: `account-${i}`,
      State: i % suspendedEvery === suspendedEvery - 1 ? "SUSPENDED" : "ACTIVE",
      JoinedMethod: "CREATED",
      JoinedTimestamp: "2024-01-01T00:00:00.000000+00:00",
    };
  });
  fs.writeFileSync(path.join(dir, "accounts.json"), JSON.stringify({ Accounts: accounts }));
  const config = path.join(dir, "trelica.config.yaml");
  fs.writeFileSync(config, `trelicaOrganizationId: bench-org\naccountsFile: accounts.json\nservices: { connect: false }\n${extraConfig}`);
  return config;
}

/** A project that runs the CLI with an app that only writes a one-stack manifest: the CLI's own cost. */
function writeNoopProject(): string {
  const dir = path.join(work, "cli-floor");
  fs.mkdirSync(dir, { recursive: true });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "node noop.js", terraformProviders: [], terraformModules: [] }));
  fs.writeFileSync(
    path.join(dir, "noop.js"),
    `const fs = require("fs"), out = process.env.CDKTF_OUTDIR;
fs.mkdirSync(out + "/stacks/noop", { recursive: true });
fs.writeFileSync(out + "/stacks/noop/cdk.tf.json", JSON.stringify({ "//": { metadata: { backend: "local", stackName: "noop", version: "0.21.0" }, outputs: {} }, terraform: { required_providers: {} } }));
fs.writeFileSync(out + "/manifest.json", JSON.stringify({ version: "0.21.0", stacks: { noop: { name: "noop", constructPath: "noop",
  workingDirectory: "stacks/noop", synthesizedStackPath: "stacks/noop/cdk.tf.json", stackMetadataPath: "stacks/noop/metadata.json",
  annotations: [], dependencies: [] } } }));
`,
  );
  return dir;
}

/** What `cdktf init --template typescript` gives: ts-node app, the template's tsconfig, root import of the provider. */
function writeStockProject(): string {
  const dir = path.join(work, "stock");
  const template = path.join(ROOT, "node_modules", "cdktf-cli", "bundle", "templates", "typescript");
  fs.mkdirSync(dir, { recursive: true });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  fs.copyFileSync(path.join(template, "tsconfig.json"), path.join(dir, "tsconfig.json"));
  fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "npx ts-node main.ts", terraformProviders: [], terraformModules: [] }));
  // Kept as .txt so it is not compiled or linted as part of this project: its root import is the point.
  fs.copyFileSync(path.join(__dirname, "bench", "stock-main.ts.txt"), path.join(dir, "main.ts"));
  return dir;
}

interface Row {
  readonly label: string;
  readonly runs: Measurement[];
}

async function repeat(label: string, run: () => Promise<Measurement>): Promise<Row> {
  const runs: Measurement[] = [];
  for (let i = 0; i < RUNS; i++) {
    const result = await run();
    if (result.exitCode !== 0) throw new Error(`${label} failed (exit ${result.exitCode}):\n${result.output.slice(-2000)}`);
    runs.push(result);
  }
  process.stderr.write(`  measured ${label}\n`);
  return { label, runs };
}

const plural = (count: number) => `${thousands(count)} account${count === 1 ? "" : "s"}`;
const seconds = (row: Row) => median(row.runs.map((r) => r.seconds));
const megabytes = (row: Row) => Math.max(...row.runs.map((r) => r.peakTreeMb));

function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  console.log("| what | wall time (median of %d) | peak memory, process tree |", RUNS);
  console.log("| --- | ---: | ---: |");
  for (const row of rows) console.log(`| ${row.label} | ${seconds(row).toFixed(2)} s | ${megabytes(row).toFixed(0)} MB |`);
}

async function main(): Promise<void> {
  console.log(`trelica-aws-role benchmark: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  if (ONLY === "all" || ONLY === "synth") await benchSynth();
  if (ONLY === "all" || ONLY === "rollout") await benchRollout();
  if (ONLY === "all" || ONLY === "fake") await benchFakeAws(2000);
  if (ONLY === "all" || ONLY === "terraform") {
    const sizes = option("terraform-sizes", "1,12,48").split(",").map(Number);
    await benchRealTerraform(work, synthesizeInto, sizes);
  }
  if (ONLY === "all" || ONLY === "verify") {
    await benchVerify(work, option("verify-sizes", "10,100,1000").split(",").map(Number), Number(option("verify-plan-accounts", "3")));
  }
  if (ONLY === "all" || ONLY === "in-sync") await benchInSync(work, Number(option("in-sync-accounts", "1000")), Number(option("in-sync-sample", "10")), 10);
}

async function benchSynth(): Promise<void> {
  const directRows: Row[] = [];
  const cliRows: Row[] = [];
  const direct = (config: string, outdir: string, fresh: boolean) => () => {
    if (fresh) fs.rmSync(outdir, { recursive: true, force: true });
    return measure("npm", ["run", "--silent", "synth", "--", "--config", config, "--output", outdir], { cwd: ROOT, env: baseEnv });
  };
  const viaCli = (config: string, outdir: string) => () => {
    fs.rmSync(outdir, { recursive: true, force: true });
    return measure(CDKTF, ["synth", "--output", outdir], { cwd: ROOT, env: { ...baseEnv, TRELICA_CONFIG: config } });
  };
  for (const size of SIZES) {
    const config = writeOrganization(size);
    directRows.push(await repeat(`npm run synth, ${plural(size)}`, direct(config, path.join(path.dirname(config), "direct.out"), true)));
    cliRows.push(await repeat(`cdktf synth, ${plural(size)}`, viaCli(config, path.join(path.dirname(config), "cli.out"))));
  }
  const largestSize = Math.max(...SIZES);
  const largest = writeOrganization(largestSize);
  const unchanged = await repeat(`npm run synth, ${plural(largestSize)}, unchanged re-synth`, direct(largest, path.join(path.dirname(largest), "direct.out"), false));
  // A value made per account must not make every account a shape of its own.
  const perAccountBoundary = writeOrganization(largestSize, 20, 'role: { permissionsBoundaryArn: "arn:aws:iam::{accountId}:policy/Boundary" }\n');
  const boundary = await repeat(`npm run synth, ${plural(largestSize)}, boundary per account ({accountId})`, direct(perAccountBoundary, path.join(path.dirname(perAccountBoundary), "direct.out"), true));
  const floorDir = writeNoopProject();
  const floor = await repeat("cdktf CLI floor (no-op app)", () => measure(CDKTF, ["synth"], { cwd: floorDir, env: baseEnv }));
  const stockDir = writeStockProject();
  const stock = await repeat("stock cdktf setup (ts-node, root import, cdktf synth), 1 account", () =>
    measure(CDKTF, ["synth"], { cwd: stockDir, env: baseEnv }),
  );

  printTable("Synthesis (fresh output folder unless said otherwise)", [...directRows, unchanged, boundary, ...cliRows, floor, stock]);
  const one = directRows.find((row) => row.label.endsWith(" 1 account"));
  if (one) console.log(`\nStock setup / npm run synth, 1 account: ${(seconds(stock) / seconds(one)).toFixed(1)}x`);
  console.log("Targets (npm run synth): 1 account under 1.5 s and at least 10x faster than stock; 10,000 accounts under 5 s and 500 MB.");
}

/**
 * The rollout runner's own cost: `plan` over 1,000 stacks at concurrency 16 with a shell stand-in for
 * terraform whose plan sleeps a fixed time. Ideal wall time is the sleeps alone, perfectly packed.
 */
async function benchRollout(): Promise<void> {
  const stacks = Number(option("rollout-stacks", "1000"));
  const concurrency = 16;
  const sleepMs = 200;
  const config = writeOrganization(stacks, Infinity);
  const project = path.dirname(config);
  const synth = await measure(process.execPath, ["-r", "sucrase/register", path.join(ROOT, "main.ts")], {
    cwd: ROOT,
    env: { ...baseEnv, TRELICA_CONFIG: config, CDKTF_OUTDIR: path.join(project, "cdktf.out") },
  });
  if (synth.exitCode !== 0) throw new Error(synth.output);
  const reportFile = path.join(project, "rollout-report.json");
  const run = await measure(
    process.execPath,
    ["-r", require.resolve("sucrase/register"), path.join(ROOT, "rollout", "main.ts"), "plan", "--no-synth", "--progress", "plain",
      "--concurrency", String(concurrency), "--report", reportFile],
    {
      cwd: project,
      env: { ...baseEnv, TERRAFORM_BINARY_NAME: path.join(ROOT, "test", "fake-terraform", "terraform-fast"), FAKE_TERRAFORM_SLEEP_MS: String(sleepMs) },
    },
  );
  const spawnMs = await spawnCostMs();
  if (run.exitCode !== 2) throw new Error(`rollout plan exited ${run.exitCode}:\n${run.output.slice(-2000)}`);
  const report = JSON.parse(fs.readFileSync(reportFile, "utf8"));
  const ideal = (Math.ceil(stacks / concurrency) * sleepMs) / 1000;
  console.log(`\nRollout runner, plan of ${thousands(stacks)} stacks at concurrency ${concurrency}, stand-in plan sleeping ${sleepMs} ms`);
  console.log("| what | value |");
  console.log("| --- | ---: |");
  console.log(`| wall time | ${run.seconds.toFixed(1)} s |`);
  console.log(`| the stand-in's sleeps, perfectly packed | ${ideal.toFixed(1)} s |`);
  console.log(`| overhead beyond the sleeps | ${(run.seconds - ideal).toFixed(1)} s (${(((run.seconds - ideal) / stacks) * 1000).toFixed(1)} ms per stack) |`);
  console.log(`| runner's own CPU time | ${report.runner.cpuSeconds} s (${((report.runner.cpuSeconds / stacks) * 1000).toFixed(1)} ms per stack) |`);
  console.log(`| runner's peak memory (its own process) | ${report.runner.peakRssMb} MB |`);
  console.log(`| peak memory, runner and its terraform processes | ${run.peakTreeMb.toFixed(0)} MB |`);
  console.log(`| for scale: one process start from Node on this machine (/bin/true) | ${spawnMs.toFixed(1)} ms; a stack needs 3 terraform calls |`);
}

/** Our app, as the cdktf CLI would run it, into `outdir`. */
async function synthesizeInto(config: string, outdir: string): Promise<void> {
  const result = await measure(process.execPath, ["-r", "sucrase/register", path.join(ROOT, "main.ts")], {
    cwd: ROOT,
    env: { ...baseEnv, TRELICA_CONFIG: config, CDKTF_OUTDIR: outdir },
  });
  if (result.exitCode !== 0) throw new Error(result.output);
}

/** What starting one process costs here, to put the runner's per-stack overhead in proportion. */
async function spawnCostMs(): Promise<number> {
  const { spawn } = await import("node:child_process");
  const count = 100;
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    await new Promise((resolve) => spawn("/bin/true", [], { stdio: ["ignore", "pipe", "pipe"] }).on("close", resolve));
  }
  return (Date.now() - started) / count;
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(work, { recursive: true, force: true }));
