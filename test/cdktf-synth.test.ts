/* End to end through the real cdktf CLI: config file in, Terraform JSON per account out. */
import * as fs from "node:fs";
import * as path from "node:path";
import { cdktfSynth, describeWithCdktfCli, testWithCdktfCli } from "./helpers/cdktf-cli";
import { onlyResource, readStack, runApp } from "./helpers/app";
import { PROJECT_ROOT, tempDir, writeFile } from "./helpers/files";

const dir = tempDir();
const outdir = path.join(dir, "cdktf.out");
const config = writeFile(
  dir,
  "trelica.config.yaml",
  `trelicaOrganizationId: "org-e2e"
managementAccountId: "111111111111"
services: { cognito: false, connect: false, iam: true, organizations: false }
accounts:
  - id: "012345678901"
  - id: "111111111111"
    services: { organizations: true }
    assumeRoleName: false
`,
);

describeWithCdktfCli("cdktf synth (the real CLI)", () => {
  let firstRun: ReturnType<typeof cdktfSynth>;
  beforeAll(() => {
    firstRun = cdktfSynth(config, outdir);
  });

  test("GIVEN a valid config THEN it succeeds and lists one stack per account", () => {
    expect(firstRun.stderr).toBe("");
    expect(firstRun.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(["trelica-012345678901", "trelica-111111111111"]);
  });

  test("GIVEN the synthesized stack THEN it holds the role, policy, attachment, guard, local backend and outputs", () => {
    const stack = readStack(outdir, "trelica-012345678901");
    expect(onlyResource(stack, "aws_iam_role")).toMatchObject({ name: "TrelicaIntegration", path: "/" });
    expect(JSON.parse(onlyResource(stack, "aws_iam_role").assume_role_policy).Statement[0].Condition).toEqual({
      StringEquals: { "sts:ExternalId": "org-e2e" },
    });
    expect(JSON.parse(onlyResource(stack, "aws_iam_policy").policy).Statement[0].Action).toEqual(["iam:ListUsers"]);
    expect(onlyResource(stack, "aws_iam_role_policy_attachment")).toBeDefined();
    expect(stack.provider.aws[0].allowed_account_ids).toEqual(["012345678901"]);
    expect(stack.terraform.backend.local.path).toBe("../../../terraform.trelica-012345678901.tfstate");
    expect(Object.keys(stack.output).sort()).toEqual(["account_id", "region", "role_arn"]);
  });

  test("GIVEN the output THEN it holds no absolute path of this machine", () => {
    const text = fs.readFileSync(path.join(outdir, "stacks", "trelica-012345678901", "cdk.tf.json"), "utf8");
    expect(text).not.toContain(dir);
    expect(text).not.toContain(process.cwd());
  });

  test("GIVEN an invalid config THEN the CLI fails with the problems, each printed once on stderr, and the earlier output is untouched", () => {
    const before = fs.readFileSync(path.join(outdir, "stacks", "trelica-012345678901", "cdk.tf.json"), "utf8");
    const bad = writeFile(dir, "bad.yaml", `trelicaOrganizationId: "org-e2e"\naccounts:\n  - id: "0123"\n`);
    const run = cdktfSynth(bad, outdir);
    expect(run.status).not.toBe(0);
    // The CLI shows the app's stderr once on its own stderr, indented (test/messages.test.ts checks npm run synth and rollout the same
    // way). Its logger also echoes it on stdout as an [ERROR] line while the app runs: cdktf's, not ours to change.
    for (const line of [`Config file ${bad} has 1 problem; nothing was written:`, 'accounts[0].id: got "0123"; expected exactly 12 digits, as a string']) {
      expect({ line, times: run.stderr.split(line).length - 1 }).toEqual({ line, times: 1 });
    }
    expect(fs.readFileSync(path.join(outdir, "stacks", "trelica-012345678901", "cdk.tf.json"), "utf8")).toBe(before);
  });

  // The CLI lists the stack folders before running the app and deletes the orphans afterwards: a folder
  // the app had already deleted made it fail with ENOENT (lstat), exit 1.
  const synthAgain = (name: string, yaml: string) => {
    const again = path.join(dir, `again-${name}`);
    fs.cpSync(outdir, again, { recursive: true });
    // Left behind by an earlier `cdktf deploy` of a stack that is going away.
    writeFile(again, "stacks/trelica-012345678901/.terraform/terraform.tfstate", "{}");
    writeFile(again, "stacks/trelica-111111111111/.terraform/terraform.tfstate", "{}");
    const run = cdktfSynth(writeFile(dir, `${name}.yaml`, yaml), again);
    const manifest = JSON.parse(fs.readFileSync(path.join(again, "manifest.json"), "utf8"));
    return { run, listed: Object.keys(manifest.stacks).sort(), folders: fs.readdirSync(path.join(again, "stacks")).sort() };
  };

  test("GIVEN an account excluded since the last synth WHEN the CLI synthesizes again THEN it exits 0, the manifest lists only the remaining stack and the excluded account's folder is gone", () => {
    const { run, listed, folders } = synthAgain(
      "excluded",
      `trelicaOrganizationId: "org-e2e"\nmanagementAccountId: "111111111111"\nexclude: ["111111111111"]\naccounts:\n  - id: "012345678901"\n  - id: "111111111111"\n`,
    );
    expect(run.stdout + run.stderr).not.toContain("ENOENT");
    expect(run.status).toBe(0);
    expect(listed).toEqual(["trelica-012345678901"]);
    expect(folders).toEqual(["trelica-012345678901"]);
  });

  test("GIVEN a switch to mode: stackset since the last synth WHEN the CLI synthesizes again THEN it exits 0 and the member account's folder is gone", () => {
    const { run, listed, folders } = synthAgain(
      "stackset",
      `trelicaOrganizationId: "org-e2e"\nmode: stackset\nmanagementAccountId: "111111111111"\nstackSet: { organizationalUnitIds: ["r-ab12"] }\n`,
    );
    expect(run.stdout + run.stderr).not.toContain("ENOENT");
    expect(run.status).toBe(0);
    expect(listed).toContain("trelica-organization");
    expect(listed).not.toContain("trelica-012345678901");
    expect(folders).toEqual(listed);
  });

  test("GIVEN --hcl WHEN the CLI synthesizes THEN the app refuses, saying why and what to run instead, and writes no stack", () => {
    const hclOut = path.join(dir, "hcl.out");
    const run = cdktfSynth(config, hclOut, { args: ["--hcl"] });
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain(
      "HCL output (cdktf synth --hcl, or SYNTH_HCL_OUTPUT=true) is not supported; nothing was written. " +
        "This program writes Terraform JSON only (stacks/<stack>/cdk.tf.json)",
    );
    expect(run.stdout + run.stderr).toContain("run cdktf synth without --hcl");
    expect(fs.existsSync(path.join(hclOut, "stacks"))).toBe(false);
    expect(fs.existsSync(path.join(hclOut, "manifest.json"))).toBe(false);
  });
});

describe("local state beside the config file (here in the project root), whatever the output folder", () => {
  // A project of its own, whose cdktf.json runs this program: the CLI runs in the folder holding cdktf.json.
  const project = path.join(dir, "project");
  writeFile(
    project,
    "cdktf.json",
    JSON.stringify({
      language: "typescript",
      app: `node -r ${require.resolve("sucrase/register")} ${path.join(PROJECT_ROOT, "main.ts")}`,
      terraformProviders: [],
      terraformModules: [],
    }),
  );
  const stack = "trelica-012345678901";
  // The deployment's config in the project root: its state goes beside it.
  const projectConfig = path.join(project, "trelica.config.yaml");
  fs.copyFileSync(config, projectConfig);
  const expectStateInProject = (outdir: string) => {
    const statePath: string = readStack(outdir, stack).terraform.backend.local.path;
    expect(path.resolve(outdir, "stacks", stack, statePath)).toBe(path.join(project, `terraform.${stack}.tfstate`));
    expect(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")).not.toContain(dir);
  };

  testWithCdktfCli("GIVEN cdktf synth --output build/nested/out THEN the state path, resolved from the stack folder, lands in the project root", () => {
    const run = cdktfSynth(projectConfig, "build/nested/out", { cwd: project });
    expect(run.status).toBe(0);
    expectStateInProject(path.join(project, "build", "nested", "out"));
  });

  test("GIVEN a direct run with CDKTF_OUTDIR nested in the project, from another working directory THEN the state lands in the project root", () => {
    const outdir = path.join(project, "build", "direct", "out");
    expect(runApp(projectConfig, outdir).status).toBe(0);
    expectStateInProject(outdir);
  });
});
