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
});
