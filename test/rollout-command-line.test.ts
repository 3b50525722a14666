/*
 * Rollout as a user meets it from the command line: the same --config/--output as synth, a first line
 * naming what it works on, every option checked before synthesis runs, the example's placeholder
 * refused, a failed init that names its cause, terraform's debug log only on request, .rollout/
 * owner-only.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { EXAMPLE_ORGANIZATION_ID } from "../app/organization/defaults";
import { awsProviderConstraint, initFailure } from "../rollout/terraform/init-failure";
import { TerraformRunner } from "../rollout/terraform/terraform";
import { PROJECT_ROOT, tempDir, writeFile } from "./helpers/files";
import { FAKE_TERRAFORM, RolloutProject } from "./helpers/rollout";

const dir = tempDir("trelica-rollout-cli-");

/** `npm run rollout -- ...` from a project folder holding cdktf.json, with the stand-in terraform. */
function rolloutCli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const environment: NodeJS.ProcessEnv = { ...process.env, TERRAFORM_BINARY_NAME: FAKE_TERRAFORM, CI: "1", ...env };
  delete environment.TRELICA_CONFIG;
  delete environment.CDKTF_OUTDIR;
  return spawnSync(process.execPath, ["-r", require.resolve("sucrase/register"), path.join(PROJECT_ROOT, "rollout", "main.ts"), ...args], { cwd, env: environment, encoding: "utf8" });
}

/** A user's project folder: cdktf.json running this program, and their own config. */
function userProject(name: string, organizationId = "org-cli-42"): string {
  const folder = path.join(dir, name);
  const mainTs = path.join(PROJECT_ROOT, "main.ts");
  writeFile(folder, "cdktf.json", JSON.stringify({ language: "typescript", app: `"${process.execPath}" -r "${require.resolve("sucrase/register")}" "${mainTs}"` }));
  writeFile(folder, "org/trelica.yaml", `trelicaOrganizationId: "${organizationId}"\nmanagementAccountId: "111111111111"\naccounts: [{ id: "111111111111" }, { id: "222222222222" }]\n`);
  return folder;
}

describe("one command line for synth and rollout", () => {
  test("GIVEN --config and --output WHEN rollout plans THEN its first line names both, and it plans the stacks it synthesized there", () => {
    const folder = userProject("config-output");
    const run = rolloutCli(folder, ["plan", "--config", "org/trelica.yaml", "--output", "build/out", "--progress", "plain"]);
    expect(run.stderr).toBe("");
    expect(run.stdout.split("\n")[0]).toBe("trelica: 2 account stacks from ./org/trelica.yaml into ./build/out (local state in ./org).");
    expect(fs.existsSync(path.join(folder, "build", "out", "stacks", "trelica-222222222222", "cdk.tf.json"))).toBe(true);
    expect(fs.existsSync(path.join(folder, "cdktf.out"))).toBe(false);
    expect(run.stdout).toMatch(/plan: 2 accounts: 2 succeeded/);
    expect(run.status).toBe(2);
  });

  test("GIVEN --no-synth THEN the first line says which stacks it runs, that no config was read, and where their state is", () => {
    const folder = userProject("no-synth");
    rolloutCli(folder, ["plan", "--config", "org/trelica.yaml", "--output", "out"]);
    const run = rolloutCli(folder, ["plan", "--no-synth", "--output", "out", "--progress", "plain"]);
    expect(run.stdout.split("\n")[0]).toBe("trelica: rollout plan of the stacks in ./out as they are (--no-synth: no config read; local state in ./org).");
  });

  test("GIVEN the old --outdir THEN it still works, with a note to use --output; GIVEN both, different THEN refused naming both", () => {
    const folder = userProject("outdir");
    const old = rolloutCli(folder, ["plan", "--config", "org/trelica.yaml", "--outdir", "old-out", "--progress", "plain"]);
    expect(old.stderr).toBe("Note: --outdir is the old name of --output; use --output.\n");
    expect(old.stdout.split("\n")[0]).toBe("trelica: 2 account stacks from ./org/trelica.yaml into ./old-out (local state in ./org).");
    const both = rolloutCli(folder, ["plan", "--outdir", "a", "--output", "b"]);
    expect(both.status).toBe(1);
    expect(both.stderr).toContain('--outdir "a" and --output "b": two output folders; expected one, --output (--outdir is its deprecated name)');
  });

  test("GIVEN --resume naming a missing file THEN it is refused before synthesis runs: nothing is written", () => {
    const folder = userProject("resume-first");
    const run = rolloutCli(folder, ["apply", "--plan-and-apply", "--config", "org/trelica.yaml", "--resume", "missing.json"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim()).toBe("--resume missing.json: no such file; expected the report.json of an earlier run (.rollout/<run-id>/report.json).");
    expect(fs.existsSync(path.join(folder, "cdktf.out"))).toBe(false);
  });

  test("GIVEN apply with no plan run THEN it is refused before synthesis runs", () => {
    const folder = userProject("apply-first");
    const run = rolloutCli(folder, ["apply", "--config", "org/trelica.yaml"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim()).toBe(
      `apply applies the plans of the last \`plan\` run in this output folder (${path.join(folder, "cdktf.out")}), and there is none; nothing was written. ` +
        "Run `npm run rollout -- plan --config org/trelica.yaml` first, or use --plan-and-apply.",
    );
    expect(fs.existsSync(path.join(folder, "cdktf.out"))).toBe(false);
  });
});

describe("the example is an example", () => {
  test("GIVEN the shipped config THEN its organization ID is the placeholder", () => {
    const shipped = parseDocument(fs.readFileSync(path.join(PROJECT_ROOT, "trelica.config.yaml"), "utf8")).toJS();
    expect(shipped.trelicaOrganizationId).toBe(EXAMPLE_ORGANIZATION_ID);
  });

  test("GIVEN stacks synthesized from the placeholder WHEN apply or destroy runs THEN nothing is run and it says what to do; plan still runs", () => {
    const folder = userProject("placeholder", EXAMPLE_ORGANIZATION_ID);
    const plan = rolloutCli(folder, ["plan", "--config", "org/trelica.yaml", "--progress", "plain"]);
    expect(plan.status).toBe(2);
    expect(plan.stdout).toContain(`Warning: trelicaOrganizationId is the shipped example's placeholder "${EXAMPLE_ORGANIZATION_ID}"`);
    for (const args of [["apply", "--plan-and-apply"], ["destroy", "--confirm-destroy"]]) {
      const run = rolloutCli(folder, [...args, "--no-synth"]);
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toBe(
        `Nothing was run: 2 stacks (trelica-111111111111, trelica-222222222222) require the shipped example's placeholder organization ID "${EXAMPLE_ORGANIZATION_ID}" ` +
          `as the external ID, and ${args[0]} refuses it. Expected your own ID: put the organization ID from Trelica (user menu > Profile, bottom of the page) ` +
          "in trelicaOrganizationId, or start your own config with npm run init; " +
          `then run ${args[0]} again (plan shows what it would do).`,
      );
    }
  });
});

describe("a failed terraform init names its cause", () => {
  // What terraform 1.11.4 printed here: no network, and a provider mirror without a matching version.
  const noHost = `Initializing provider plugins...
- Finding hashicorp/aws versions matching "~> 6.25"...

Error: Failed to query available provider packages

Could not retrieve the list of available versions for provider hashicorp/aws:
could not connect to registry.terraform.io: failed to request discovery
document: Get "https://registry.terraform.io/.well-known/terraform.json":
dial tcp: lookup registry.terraform.io on 10.255.255.53:53: no such host
`;
  const noRelease = `Error: Failed to query available provider packages

Could not retrieve the list of available versions for provider hashicorp/aws:
no available releases match the given constraints ~> 6.25
`;

  test.each([
    ["DNS", noHost, "the provider registry's host registry.terraform.io does not resolve (no network or DNS here)"],
    ["a mirror without the version", noRelease, "no hashicorp/aws release matching ~> 6.25 where terraform looks (a provider mirror in TF_CLI_CONFIG_FILE holds other versions, or none)"],
    ["TLS", "Error: Failed to query available provider packages\nx509: certificate signed by unknown authority.", "TLS to the provider registry failed (x509: certificate signed by unknown authority); a proxy that intercepts TLS needs its CA trusted"],
    ["no route", "Error: Failed to install provider\ndial tcp 1.2.3.4:443: connect: connection refused", "the provider registry cannot be reached (connection refused)"],
  ])("GIVEN %s THEN the cause, and a hint naming the network, a mirror in TF_CLI_CONFIG_FILE and the version the stacks require", (_case, output, cause) => {
    expect(initFailure(output, "~> 6.25")).toEqual({
      cause,
      hint:
        "terraform init installs hashicorp/aws ~> 6.25 (the stacks' required_providers): give this machine access to registry.terraform.io, " +
        "or set TF_CLI_CONFIG_FILE to a CLI config whose provider_installation has a filesystem_mirror (or network_mirror) holding hashicorp/aws ~> 6.25",
    });
  });

  test("GIVEN other failures THEN no init cause is made up", () => {
    expect(initFailure("Error: api error AccessDenied: not authorized")).toBeUndefined();
  });

  test("GIVEN the first init fails offline WHEN rollout plans THEN every account's reason names the cause and the hint is in the report and the table", async () => {
    const project = new RolloutProject(dir, "offline", 2);
    fs.rmSync(path.join(project.dir, ".rollout"), { recursive: true, force: true });
    for (const name of project.stackNames()) fs.rmSync(path.join(project.dir, "cdktf.out", "stacks", name, ".terraform"), { recursive: true, force: true });
    const offline: TerraformRunner = {
      binary: project.double.binary,
      version: () => project.double.version(),
      run: async (args, options) => (args[0] === "init" ? { exitCode: 1, output: noHost, stdout: "" } : project.double.run(args, options)),
    };
    const result = await project.run({ command: "plan", terraform: offline });
    const constraint = awsProviderConstraint(JSON.parse(fs.readFileSync(path.join(project.dir, "cdktf.out", "stacks", project.stackNames()[0], "cdk.tf.json"), "utf8")));
    expect(constraint).toMatch(/^~> \d+\.\d+$/);
    for (const account of result.report.accounts) {
      expect(account.reason).toMatch(/^not started: the first terraform init \(trelica-\d{12}\) failed: the provider registry's host registry\.terraform\.io does not resolve/);
      expect(account.hint).toContain(`hashicorp/aws ${constraint}`);
    }
    expect(project.lines.join("\n")).toContain("set TF_CLI_CONFIG_FILE to a CLI config whose provider_installation");
  });
});

describe("secrets stay where they belong", () => {
  const project = new RolloutProject(dir, "hygiene", 2);
  const envs: NodeJS.ProcessEnv[] = [];
  const recording: TerraformRunner = {
    binary: project.double.binary,
    version: () => project.double.version(),
    run: (args, options) => {
      envs.push(options.env);
      return project.double.run(args, options);
    },
  };
  const ambient = project.env({ TF_LOG: "TRACE", TF_LOG_PATH: path.join(dir, "tf.log"), TF_LOG_PROVIDER: "DEBUG", TF_LOG_CORE: "DEBUG" });

  test("GIVEN TF_LOG and TF_LOG_PATH in the environment THEN terraform runs without them", async () => {
    envs.length = 0;
    await project.run({ command: "plan", terraform: recording, env: ambient });
    expect(envs.length).toBeGreaterThan(0);
    for (const env of envs) expect([env.TF_LOG, env.TF_LOG_PATH, env.TF_LOG_PROVIDER, env.TF_LOG_CORE]).toEqual([undefined, undefined, undefined, undefined]);
  });

  test("GIVEN --terraform-log debug THEN terraform gets TF_LOG=debug and still no TF_LOG_PATH (its log goes through the masked account log)", async () => {
    envs.length = 0;
    await project.run({ command: "plan", terraform: recording, env: ambient, terraformLog: "debug" });
    for (const env of envs) expect([env.TF_LOG, env.TF_LOG_PATH]).toEqual(["debug", undefined]);
  });

  test("GIVEN a run THEN .rollout, the run's folder, its plans and its report are the owner's alone", async () => {
    fs.chmodSync(path.join(project.dir, ".rollout"), 0o755);
    const result = await project.run({ command: "plan" });
    const mode = (file: string) => fs.statSync(file).mode & 0o777;
    const runDir = path.dirname(result.reportFile);
    expect([mode(path.join(project.dir, ".rollout")), mode(runDir), mode(path.join(runDir, "plans")), mode(result.reportFile)]).toEqual([0o700, 0o700, 0o700, 0o600]);
    expect(mode(result.report.accounts[0].log!)).toBe(0o600);
    // Every file rollout keeps there (last-plan.json, in-sync records, reports, logs, plans) is owner-only, as rollout.md says.
    const loose: string[] = [];
    for (const entry of fs.readdirSync(path.join(project.dir, ".rollout"), { recursive: true, withFileTypes: true })) {
      const file = path.join(entry.parentPath, entry.name);
      if (file.includes(`${path.sep}plugin-cache${path.sep}`)) continue; // terraform's provider binaries, executable by design
      if (mode(file) !== (entry.isDirectory() ? 0o700 : 0o600)) loose.push(`${path.relative(project.dir, file)} ${mode(file).toString(8)}`);
    }
    expect(loose).toEqual([]);
    expect(fs.existsSync(path.join(project.dir, ".rollout", "last-plan.json"))).toBe(true);
  });
});
