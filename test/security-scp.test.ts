/*
 * The SCP docs/security.md offers, evaluated by @cloud-copilot/iam-simulate as AWS Organizations would:
 * an administrator of a member account cannot change TrelicaIntegration or its policy, the deployer can,
 * and nothing else in the account is touched.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import scp from "../docs/examples/protect-trelica-integration.scp.json";
import { DEFAULT_TAGS } from "../modules/trelica-integration";

const MEMBER = "222222222222";
const ADMINISTRATOR = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const role = (name: string) => `arn:aws:iam::${MEMBER}:role/${name}`;
const policy = (name: string) => `arn:aws:iam::${MEMBER}:policy/${name}`;

/** What the member account's `callerRole` (holding AdministratorAccess) may do under the SCP. */
async function decide(callerRole: string, action: string, resource: string, resourceTags: Record<string, string> = {}): Promise<string> {
  const result = await runSimulation(
    {
      identityPolicies: [{ name: "AdministratorAccess", policy: ADMINISTRATOR }],
      serviceControlPolicies: [{ orgIdentifier: "r-ab12", policies: [{ name: "FullAWSAccess", policy: ADMINISTRATOR }, { name: "ProtectTrelicaIntegration", policy: scp }] }],
      resourceControlPolicies: [],
      request: {
        action,
        principal: `arn:aws:sts::${MEMBER}:assumed-role/${callerRole}/session`,
        resource: { accountId: MEMBER, resource },
        contextVariables: {
          "aws:PrincipalArn": role(callerRole),
          ...Object.fromEntries(Object.entries(resourceTags).map(([key, value]) => [`aws:ResourceTag/${key}`, value])),
        },
      },
    },
    {},
  );
  if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

describe("the example SCP protecting TrelicaIntegration (docs/security.md)", () => {
  test.each([
    ["rewrite the role's trust", "iam:UpdateAssumeRolePolicy", role("TrelicaIntegration")],
    ["attach another policy to the role", "iam:AttachRolePolicy", role("TrelicaIntegration")],
    ["put an inline policy on the role", "iam:PutRolePolicy", role("TrelicaIntegration")],
    ["lift the role's boundary", "iam:DeleteRolePermissionsBoundary", role("TrelicaIntegration")],
    ["delete the role", "iam:DeleteRole", role("TrelicaIntegration")],
    ["widen the policy", "iam:CreatePolicyVersion", policy("TrelicaIntegrationReadOnly")],
    ["remove the managed-by tag", "iam:UntagRole", role("TrelicaIntegration")],
  ])("GIVEN a member account's administrator WHEN it tries to %s THEN the SCP denies it explicitly", async (_case, action, resource) => {
    expect(await decide("Administrator", action, resource)).toBe("ExplicitlyDenied");
  });

  test("GIVEN a policy under another name, tagged as the program tags it THEN the tag protects it too", async () => {
    expect(await decide("Administrator", "iam:CreatePolicyVersion", policy("OurOwnName"), DEFAULT_TAGS)).toBe("ExplicitlyDenied");
    expect(await decide("Administrator", "iam:CreatePolicyVersion", policy("OurOwnName"))).toBe("Allowed");
  });

  test.each([
    ["TrelicaDeployer", "iam:UpdateAssumeRolePolicy", role("TrelicaIntegration")],
    ["TrelicaDeployer", "iam:CreatePolicyVersion", policy("TrelicaIntegrationReadOnly")],
    ["stacksets-exec-0123456789abcdef", "iam:UpdateAssumeRolePolicy", role("TrelicaIntegration")],
    ["Administrator", "iam:UpdateAssumeRolePolicy", role("SomeOtherRole")],
    ["Administrator", "iam:GetRole", role("TrelicaIntegration")],
  ])("GIVEN %s THEN %s on %s is still allowed", async (caller, action, resource) => {
    expect(await decide(caller, action, resource)).toBe("Allowed");
  });

  test("GIVEN anyone, the deployer included THEN TrelicaIntegration cannot be passed to a service", async () => {
    expect(await decide("TrelicaDeployer", "iam:PassRole", role("TrelicaIntegration"))).toBe("ExplicitlyDenied");
  });
});
