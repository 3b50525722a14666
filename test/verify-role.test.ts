/*
 * verify's read-only role in every member (TrelicaDeployerVerify, app/deployer/verify-role.ts), as the
 * deployer's stack set synthesizes it, through the IAM simulator over every IAM action AWS documents: it may
 * do exactly verify's reads (each one AWS rates List or Read), never iam:UpdateAccessKey nor any other
 * write, and only the deployer's trusted principals may assume it (no Terraform Cloud role). Verify uses it
 * by default where Terraform uses the deployer.
 */
import { verifyRoleFor } from "../app/organization/defaults";
import { loadConfig } from "../app/config/load";
import { VERIFY_READS, VERIFY_WRITE, verifyPolicy } from "../app/deployer/verify-role";
import { accountTargets } from "../verify/targets";
import { accessLevelOf, allowedOf, CI_ROLE, deployerConfig, MEMBER, memberTemplate, simulate } from "./helpers/deployer";
import { tempDir, writeFile } from "./helpers/files";
import { allActionsOf } from "./helpers/iam";
import { cloudConfig, synthesize } from "./helpers/terraform-cloud";

const dir = tempDir("trelica-verify-role-");
const iam = `arn:aws:iam::${MEMBER}`;
const VERIFY_ROLE = `${iam}:role/TrelicaDeployerVerify`;
const template = memberTemplate(synthesize(dir, deployerConfig()), MEMBER);
const policy = template.Resources.VerifyPolicy.Properties.PolicyDocument;
const readsOn = (on: string) => VERIFY_READS.filter((row) => row.on === on).map((row) => row.action).sort();

let everyIamAction: string[];
beforeAll(async () => {
  everyIamAction = await allActionsOf("iam");
  expect(everyIamAction.length).toBeGreaterThan(150);
});

describe("the verify role in the deployer's stack set", () => {
  test("GIVEN the template THEN the role is TrelicaDeployerVerify with its one policy, the table's rendering for that account, trusting exactly the deployer's principals", () => {
    expect(template.Resources.VerifyRole.Properties.RoleName).toBe("TrelicaDeployerVerify");
    expect(template.Resources.VerifyRole.Properties.ManagedPolicyArns).toEqual([`${iam}:policy/TrelicaDeployerVerifyPolicy`].map(() => expect.anything()));
    expect(template.Resources.VerifyPolicy.Properties.ManagedPolicyName).toBe("TrelicaDeployerVerifyPolicy");
    expect(policy).toEqual(verifyPolicy("aws", MEMBER));
    expect(template.Resources.VerifyRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([{ Effect: "Allow", Principal: { AWS: CI_ROLE }, Action: "sts:AssumeRole" }]);
  });

  test("GIVEN Terraform Cloud beside the deployer THEN its apply and plan roles may assume the deployer and the twin, never the verify role", () => {
    const out = synthesize(dir, cloudConfig({ deployment: { deployer: { trustedPrincipalArns: [CI_ROLE], organizationalUnitIds: ["r-ab12"] } } }));
    const cloudTemplate = memberTemplate(out, MEMBER);
    expect(cloudTemplate.Resources.VerifyRole.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ AWS: CI_ROLE });
    expect(JSON.stringify(cloudTemplate.Resources.Deployer.Properties.AssumeRolePolicyDocument)).toContain("TrelicaTerraformCloudRun");
  });

  test("GIVEN Terraform Cloud and no trusted principal of the user's THEN no verify role is made (nobody to trust)", () => {
    const out = synthesize(dir, cloudConfig({ deployment: { deployer: { organizationalUnitIds: ["r-ab12"] } } }));
    expect(Object.keys(memberTemplate(out, MEMBER).Resources)).not.toContain("VerifyRole");
  });
});

describe("the verify role's policy, simulated", () => {
  const asVerify = (resource: string) => ({ principal: VERIFY_ROLE, identityPolicy: policy, resource });

  test("GIVEN every IAM action THEN exactly verify's reads are allowed: on TrelicaIntegration, on any user, and the account-wide read", async () => {
    expect(await allowedOf(everyIamAction, asVerify(`${iam}:role/TrelicaIntegration`))).toEqual(readsOn("role"));
    expect(await allowedOf(everyIamAction, asVerify(`${iam}:user/jane.trelica-admin`))).toEqual(readsOn("user"));
    // A request on "*" (GetAccountAuthorizationDetails has no resource type) also matches the role's and users' ARN patterns in the simulator: still nothing beyond the table.
    const onAnything = await allowedOf(everyIamAction, asVerify("*"));
    expect(onAnything).toEqual(expect.arrayContaining(readsOn("*")));
    expect(onAnything.filter((action) => !VERIFY_READS.some((row) => row.action === action))).toEqual([]);
  });

  test("GIVEN each action it allows THEN AWS rates it List or Read", async () => {
    for (const row of VERIFY_READS) expect([row.action, await accessLevelOf(row.action)]).toEqual([row.action, expect.stringMatching(/^(List|Read)$/)]);
  });

  test.each([
    ["iam:UpdateAccessKey on a user", VERIFY_WRITE, `${iam}:user/legacy-trelica`],
    ["iam:DeleteAccessKey on a user", "iam:DeleteAccessKey", `${iam}:user/legacy-trelica`],
    ["iam:GetRole on another role", "iam:GetRole", `${iam}:role/OrganizationAccountAccessRole`],
    ["iam:UpdateAssumeRolePolicy on TrelicaIntegration", "iam:UpdateAssumeRolePolicy", `${iam}:role/TrelicaIntegration`],
    ["iam:CreateAccessKey on a user", "iam:CreateAccessKey", `${iam}:user/legacy-trelica`],
  ])("GIVEN %s THEN it is denied", async (_case, action, resource) => {
    expect(await simulate({ ...asVerify(resource), action })).toMatch(/Denied$/);
  });

  test("GIVEN any other policy on the role that allows everything THEN iam:UpdateAccessKey is still explicitly denied", async () => {
    const both = { ...policy, Statement: [...policy.Statement, { Effect: "Allow", Action: "*", Resource: "*" }] };
    expect(await simulate({ principal: VERIFY_ROLE, identityPolicy: both, resource: `${iam}:user/legacy-trelica`, action: VERIFY_WRITE })).toBe("ExplicitlyDenied");
  });
});

describe("verify's role by default", () => {
  const loaded = (config: object) => loadConfig(writeFile(dir, `c-${Math.random().toString(36).slice(2)}.json`, JSON.stringify(config)));

  test("GIVEN the deployer THEN verify assumes TrelicaDeployerVerify in members, the standard credentials in the management account", () => {
    const targets = accountTargets(loaded(deployerConfig()), { accounts: [], exclude: [] }).targets;
    expect(targets.map((target) => [target.accountId, target.assumeRoleName, target.readOnlyRole])).toEqual([
      ["111111111111", undefined, false],
      [MEMBER, "TrelicaDeployerVerify", true],
      ["333333333333", "TrelicaDeployerVerify", true],
    ]);
  });

  test("GIVEN --role-name THEN it replaces the verify role, and is no longer read-only as far as verify knows", () => {
    const targets = accountTargets(loaded(deployerConfig()), { accounts: [MEMBER], exclude: [], roleName: "SecurityAudit" }).targets;
    expect(targets.map((target) => [target.assumeRoleName, target.readOnlyRole])).toEqual([["SecurityAudit", false]]);
  });

  test("GIVEN no deployer THEN verify assumes the deployment role, as Terraform does", () => {
    const config = loaded({ trelicaOrganizationId: "org-42", managementAccountId: "111111111111", accounts: [{ id: "111111111111" }, { id: MEMBER }] }).config;
    expect(verifyRoleFor(config, "OrganizationAccountAccessRole")).toBe("OrganizationAccountAccessRole");
  });
});
