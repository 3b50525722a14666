import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeAws } from "../../sandbox/fake-aws/fake-aws";

/*
 * The real terraform and the real hashicorp/aws provider binary, set up in a temporary folder (never the
 * user's CLI config): a filesystem mirror that serves the binary under the version our stacks ask for,
 * and a CLI config that installs from it only, so `terraform init` works offline.
 */

/** Where machine images put provider binaries in the mirror layout `registry.terraform.io/hashicorp/aws/<v>/<os_arch>/`. */
const PLUGIN_DIRS = ["/opt/tf-plugins", "/usr/share/terraform/plugins", "/usr/local/share/terraform/plugins", path.join(os.homedir(), ".terraform.d", "plugins")];

export interface RealTerraform {
  readonly terraform: string;
  readonly providerBinary: string;
  readonly providerVersion: string;
}

/** The terraform binary and an AWS provider binary, or what is missing. */
export function findRealTerraform(env: NodeJS.ProcessEnv = process.env): RealTerraform | { readonly missing: string } {
  const terraform = (env.PATH ?? "")
    .split(path.delimiter)
    .map((dir) => path.join(dir, "terraform"))
    .find((file) => isExecutable(file));
  if (!terraform) return { missing: "no terraform executable on PATH" };
  const explicit = env.TRELICA_AWS_PROVIDER_BINARY;
  if (explicit) {
    if (!isExecutable(explicit)) return { missing: `TRELICA_AWS_PROVIDER_BINARY=${explicit} is not an executable file` };
    return { terraform, providerBinary: explicit, providerVersion: /_v(\d+\.\d+\.\d+)/.exec(explicit)?.[1] ?? "unknown" };
  }
  for (const root of PLUGIN_DIRS) {
    const versionsDir = path.join(root, "registry.terraform.io", "hashicorp", "aws");
    if (!fs.existsSync(versionsDir)) continue;
    for (const version of fs.readdirSync(versionsDir).sort().reverse()) {
      const dir = path.join(versionsDir, version, `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`);
      const binary = fs.existsSync(dir) ? fs.readdirSync(dir).find((name) => name.startsWith("terraform-provider-aws_")) : undefined;
      if (binary && isExecutable(path.join(dir, binary))) return { terraform, providerBinary: path.join(dir, binary), providerVersion: version };
    }
  }
  return { missing: `no hashicorp/aws provider binary under ${PLUGIN_DIRS.join(", ")} (or set TRELICA_AWS_PROVIDER_BINARY)` };
}

/**
 * `describe` for tests that need the real terraform: skipped with one SKIPPED line naming what is
 * missing, unless TRELICA_REQUIRE_REAL_TERRAFORM=1 (CI on machines that have both), where missing fails.
 */
export function describeWithRealTerraform(name: string, body: (real: RealTerraform) => void): void {
  const found = findRealTerraform();
  if ("missing" in found) {
    if (process.env.TRELICA_REQUIRE_REAL_TERRAFORM === "1") {
      describe(name, () => test("has the real terraform and AWS provider (TRELICA_REQUIRE_REAL_TERRAFORM=1)", () => {
        throw new Error(`real terraform tests cannot run: ${found.missing}`);
      }));
      return;
    }
    process.stdout.write(`SKIPPED: ${name}: ${found.missing}\n`);
    describe.skip(name, () => test("needs the real terraform", () => undefined));
    return;
  }
  describe(name, () => body(found));
}

export interface ProviderInstallation {
  /** A CLI config that installs the AWS provider only from the mirror. */
  readonly cliConfig: string;
  /**
   * A home folder whose `.terraform.d/plugins` is the mirror: with `HOME` set to it and
   * `TF_CLI_CONFIG_FILE` naming a missing file, terraform finds the provider as an implied local mirror
   * and warns on stderr about the missing CLI config, as on this machine image.
   */
  readonly home: string;
}

/**
 * A mirror serving the provider binary as each of `versions` (our stacks ask for 6.x; the machine may
 * have 5.x, whose IAM resources have the same schema), inside `dir`.
 */
export function installProvider(real: RealTerraform, dir: string, versions: readonly string[]): ProviderInstallation {
  const home = path.join(dir, "home");
  const mirror = path.join(home, ".terraform.d", "plugins");
  for (const version of versions) {
    const target = path.join(mirror, "registry.terraform.io", "hashicorp", "aws", version, "linux_amd64");
    fs.mkdirSync(target, { recursive: true });
    const link = path.join(target, `terraform-provider-aws_v${version}_x5`);
    if (!fs.existsSync(link)) fs.symlinkSync(real.providerBinary, link);
  }
  const cliConfig = path.join(dir, "terraformrc");
  fs.writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
  );
  return { cliConfig, home };
}

/** The lowest version a stack's `~> X.Y` (or exact) AWS provider constraint admits: the one to serve. */
export function providerVersionFor(stackJson: any): string {
  const constraint: string = stackJson.terraform.required_providers.aws.version;
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(constraint);
  if (!match) throw new Error(`unexpected aws provider constraint ${constraint}`);
  return `${match[1]}.${match[2]}.${match[3] ?? 0}`;
}

/**
 * The environment for terraform against the fake as a user of `accountId`: endpoints and keys from the
 * environment only (the synthesized JSON is never changed), no shared AWS config of the user's.
 */
export function terraformEnv(fake: FakeAws, accountId: string, provider: ProviderInstallation, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("AWS_") || name.startsWith("TF_")) delete env[name];
  return {
    ...env,
    ...fake.environmentFor(accountId),
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    TF_CLI_CONFIG_FILE: provider.cliConfig,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    ...extra,
  };
}

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command asynchronously: the fake answers from this same process, so a synchronous spawn would hang. */
export function run(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 300_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * A copy of a synthesized stack's cdk.tf.json alone (a stale .terraform, lock file or saved plan would
 * break later runs). `translate` adapts it to the older provider binary, in this copy only.
 */
export function copyStack(outdir: string, stack: string, workDir: string, translate: (json: any) => any = (json) => json): string {
  const dir = path.join(workDir, stack);
  fs.mkdirSync(dir, { recursive: true });
  const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(translate(json), null, 2));
  return dir;
}

/**
 * Provider 6.x calls the stack set instance's region `stack_set_instance_region`; 5.x calls it `region`
 * (in 6.x `region` is the per-resource provider region). For the 5.x binary, rename it in a test copy.
 */
export function forProvider5(json: any): any {
  const instances = json.resource?.aws_cloudformation_stack_set_instance ?? {};
  for (const instance of Object.values<any>(instances)) {
    if ("stack_set_instance_region" in instance) {
      instance.region = instance.stack_set_instance_region;
      delete instance.stack_set_instance_region;
    }
  }
  return json;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
