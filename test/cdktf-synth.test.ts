/* End to end through the real cdktf CLI: config file in, Terraform JSON per account out. */
import * as fs from "node:fs";
import * as path from "node:path";
import { cdktfSynth } from "./helpers/cdktf-cli";
import { onlyResource, readStack } from "./helpers/app";
import { tempDir, writeFile } from "./helpers/files";

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

describe("cdktf synth (the real CLI)", () => {
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

  test("GIVEN an invalid config THEN the CLI fails with the problems and the earlier output is untouched", () => {
    const before = fs.readFileSync(path.join(outdir, "stacks", "trelica-012345678901", "cdk.tf.json"), "utf8");
    const bad = writeFile(dir, "bad.yaml", `trelicaOrganizationId: "org-e2e"\naccounts:\n  - id: "0123"\n`);
    const run = cdktfSynth(bad, outdir);
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('accounts[0].id: got "0123"; expected exactly 12 digits');
    expect(fs.readFileSync(path.join(outdir, "stacks", "trelica-012345678901", "cdk.tf.json"), "utf8")).toBe(before);
  });

  // The CLI lists the stack folders before running the app and deletes the orphans afterwards: a folder
  // the app had already deleted made it fail with ENOENT (lstat), exit 1.
  test.each([
    [
      "an account excluded",
      `trelicaOrganizationId: "org-e2e"\nexclude: ["111111111111"]\naccounts:\n  - id: "012345678901"\n  - id: "111111111111"\n`,
      ["trelica-012345678901"],
    ],
    [
      "a switch to mode: stackset",
      `trelicaOrganizationId: "org-e2e"\nmode: stackset\nmanagementAccountId: "111111111111"\nstackSet: { organizationalUnitIds: ["r-ab12"] }\n`,
      ["trelica-organization"],
    ],
  ])("GIVEN %s since the last synth WHEN the CLI synthesizes again THEN it exits 0 and only the remaining stacks' folders are left", (name, yaml, remaining) => {
    const again = path.join(dir, `again-${name.replace(/\W+/g, "-")}`);
    fs.cpSync(outdir, again, { recursive: true });
    // Left behind by an earlier `cdktf deploy` of the stack that is going away.
    writeFile(again, "stacks/trelica-111111111111/.terraform/terraform.tfstate", "{}");
    const run = cdktfSynth(writeFile(dir, `${name.replace(/\W+/g, "-")}.yaml`, yaml), again);
    expect(run.stdout + run.stderr).not.toContain("ENOENT");
    expect(run.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(again, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks)).toEqual(remaining);
    expect(fs.readdirSync(path.join(again, "stacks")).sort()).toEqual(remaining);
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
