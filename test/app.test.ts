import * as fs from "node:fs";
import * as path from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { validateConfig } from "../app/config/load";
import { resolveDeployments } from "../app/organization/deployments";
import { onlyResource, readStack, runApp, synthStacks } from "./helpers/app";
import { asOnCdktf } from "./helpers/cdk-flavour";
import { tempDir, writeFile } from "./helpers/files";
import vendorPolicy from "./fixtures/vendor-policy.json";

const dir = tempDir();

const CONFIG = {
  trelicaOrganizationId: "org-42",
  managementAccountId: "111111111111",
  services: { cognito: true, connect: false, iam: true, organizations: false },
  accounts: [
    { id: "222222222222", services: { connect: true } },
    { id: "111111111111", name: "management", services: { organizations: true }, assumeRoleName: false },
  ],
};

function stacksFor(raw: unknown) {
  return synthStacks(resolveDeployments(validateConfig({ file: "test.yaml", data: raw, numberText: new Map() }))).map((stack) => ({
    ...stack,
    synthesized: stack.text,
  }));
}

describe("the organization app", () => {
  test("GIVEN two accounts THEN one stack each, named trelica-<id>, in account-ID order", () => {
    expect(stacksFor(CONFIG).map((stack) => stack.name)).toEqual(["trelica-111111111111", "trelica-222222222222"]);
  });

  test("GIVEN a member account THEN its provider assumes the deployment role there and is guarded to that account", () => {
    const member = stacksFor(CONFIG)[1];
    expect(member.synthesized).toHaveProviderWithProperties(AwsProvider, {
      region: "us-east-1",
      allowed_account_ids: ["222222222222"],
      assume_role: [{ role_arn: "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole", session_name: "trelica-aws-role" }],
    });
  });

  test("GIVEN an account opting out of assume-role THEN its provider uses the ambient credentials, still guarded", () => {
    const management = stacksFor(CONFIG)[0];
    expect(management.json.provider.aws).toEqual([{ region: "us-east-1", allowed_account_ids: ["111111111111"] }]);
  });

  test("GIVEN any stack THEN its local backend path is relative and names the stack", () => {
    for (const stack of stacksFor(CONFIG)) {
      expect(stack.json.terraform.backend).toEqual({ local: { path: `../../../terraform.${stack.name}.tfstate` } });
    }
  });

  test("GIVEN any stack THEN it outputs what the user types into Trelica", () => {
    const member = stacksFor(CONFIG)[1];
    expect(member.json.output.account_id.value).toBe("222222222222");
    expect(member.json.output.region.value).toBe("us-east-1");
    expect(member.json.output.role_arn.value).toMatch(/^\$\{aws_iam_role\.[\w]+\.arn\}$/);
  });

  test("GIVEN per-account service overrides THEN each account's policy merges them over the defaults", () => {
    const [management, member] = stacksFor(CONFIG);
    const actionsOf = (stack: any) => JSON.parse(onlyResource(stack.json, "aws_iam_policy").policy).Statement[0].Action;
    expect(actionsOf(management)).toEqual(["cognito-idp:ListUserPools", "cognito-idp:ListUsers", "iam:ListUsers", "organizations:ListAccounts"]);
    expect(actionsOf(member)).toEqual([
      "cognito-idp:ListUserPools",
      "cognito-idp:ListUsers",
      "connect:DescribeUser",
      "connect:ListInstances",
      "connect:ListSecurityProfiles",
      "connect:ListUsers",
      "ds:DescribeDirectories",
      "iam:ListUsers",
    ]);
  });

  test("GIVEN no services in the config THEN the management account gets the vendor's full policy", () => {
    const [stack] = stacksFor({ trelicaOrganizationId: "org-42", managementAccountId: "111111111111", accounts: [{ id: "111111111111" }] });
    expect(JSON.parse(onlyResource(stack.json, "aws_iam_policy").policy)).toEqual(vendorPolicy);
  });

  test("GIVEN no services in the config THEN a member account gets everything but organizations", () => {
    const [, member] = stacksFor({
      trelicaOrganizationId: "org-42",
      managementAccountId: "111111111111",
      accounts: [{ id: "111111111111" }, { id: "222222222222" }],
    });
    const actions = JSON.parse(onlyResource(member.json, "aws_iam_policy").policy).Statement[0].Action;
    expect(actions).toEqual(vendorPolicy.Statement[0].Action.filter((action) => !action.startsWith("organizations:")));
  });

  test("GIVEN a role block THEN every account's role carries it", () => {
    const [stack] = stacksFor({
      trelicaOrganizationId: "org-42",
      role: { maxSessionDuration: 7200, tags: { team: "it" } },
      accounts: [{ id: "111111111111" }],
    });
    expect(onlyResource(stack.json, "aws_iam_role")).toMatchObject({ max_session_duration: 7200, tags: { team: "it" } });
  });

  test("GIVEN the shipped example config THEN the stacks match the reviewed snapshot", () => {
    // A copy beside the output folder: local state paths (beside the config) stay the same on every machine.
    const example = path.join(fs.mkdtempSync(path.join(dir, "example-")), "trelica.config.yaml");
    fs.copyFileSync(path.resolve(__dirname, "..", "trelica.config.yaml"), example);
    const outdir = path.join(path.dirname(example), "snapshot");
    const run = runApp(example, outdir);
    expect(run.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    const stacks = Object.keys(manifest.stacks).sort();
    // Reviewed on cdktf; on CDK Terrain the flavour's own differences are checked, then set aside.
    expect(stacks.map((name) => [name, asOnCdktf(readStack(outdir, name))])).toMatchSnapshot();
  });
});

describe("the app's entry point on a bad config", () => {
  test("GIVEN an invalid config THEN it exits 1 with every problem, no stack trace, and writes nothing", () => {
    const config = writeFile(dir, "bad.yaml", `trelicaOrganizationId: x\naccounts:\n  - id: 12345\n  - id: "111111111111"\n    colour: red\n`);
    const outdir = path.join(dir, "bad-out");
    const run = runApp(config, outdir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("has 3 problems; nothing was written");
    expect(run.stderr).toContain('trelicaOrganizationId: got "x"');
    expect(run.stderr).toContain("accounts[0].id: got 12345; expected exactly 12 digits");
    expect(run.stderr).toContain("accounts[1].colour: unknown key");
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test("GIVEN a missing config file THEN it exits 1 naming the file", () => {
    const run = runApp(path.join(dir, "nope.yaml"), path.join(dir, "nope-out"));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/nope\.yaml: the file does not exist/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
