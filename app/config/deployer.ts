import { z } from "zod";
import type { Partition } from "../../modules/trelica-integration";
import { ROLE_NAME_RULE, sameIamName } from "./iam-names";
import { ALL_REGIONS, partitionOf } from "./regions";
import { show } from "./parse/show";

/*
 * `deployment.deployer`: a narrow role (TrelicaDeployer) in every member account, put there by a stack
 * set from the trelica-deployer stack, that rollout and cdktf deploy assume instead of
 * OrganizationAccountAccessRole (app/deployer/). Kept apart from schema.ts, which only hooks it in.
 */

const DEFAULT_ROLE_NAME = "TrelicaDeployer";

// The names the deployer's resources take, here so that resolving a config (app/organization/) needs nothing
// from the deployer's stack (app/deployer/), which builds on that resolution.

/** The ceiling on TrelicaIntegration in every account: at most Trelica's read-only actions. */
export const BOUNDARY_POLICY_NAME = "TrelicaIntegrationBoundary";

export function boundaryArn(partition: Partition, account: string): string {
  return `arn:${partition}:iam::${account}:policy/${BOUNDARY_POLICY_NAME}`;
}

/** The read-only twin Terraform Cloud's plan phase assumes in members. */
export function readOnlyDeployerName(roleName: string): string {
  return `${roleName}ReadOnly`;
}
/** The read-only role `npm run verify` assumes in members with the deployer (app/deployer/verify-role.ts). */
export function verifyRoleName(roleName: string): string {
  return `${roleName}Verify`;
}
const PRINCIPAL_ARN = {
  pattern: /^arn:aws(-us-gov|-cn)?:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/,
  allowed: "the ARN of an IAM role or user that runs rollout or cdktf deploy, such as arn:aws:iam::111111111111:role/platform-ci",
};
export const OU_OR_ROOT = {
  pattern: /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/,
  allowed: "an organizational unit ID (ou-xxxx-xxxxxxxx) or the root ID (r-xxxx)",
};

export const deployerSchema = z.strictObject({
  /** The role in each member account; deployment.assumeRoleName defaults to it. @default "TrelicaDeployer" */
  roleName: z.string({ error: ROLE_NAME_RULE.allowed }).regex(ROLE_NAME_RULE.pattern, { error: ROLE_NAME_RULE.allowed }).default(DEFAULT_ROLE_NAME),
  /** Who may assume it (besides Terraform Cloud's apply role, when terraformCloud is set). */
  trustedPrincipalArns: z
    .array(z.string({ error: PRINCIPAL_ARN.allowed }).regex(PRINCIPAL_ARN.pattern, { error: PRINCIPAL_ARN.allowed }), { error: "a list of IAM role or user ARNs" })
    .default([]),
  /** Where the stack set puts the role: the root, or OUs. */
  organizationalUnitIds: z
    .array(z.string({ error: OU_OR_ROOT.allowed }).regex(OU_OR_ROOT.pattern, { error: OU_OR_ROOT.allowed }), {
      error: "a list of organizational unit IDs (or the root ID) whose accounts get the deployer",
    })
    .min(1, { error: "at least one organizational unit (or the root) whose accounts get the deployer" }),
});

export type DeployerConfig = z.output<typeof deployerSchema>;

type Raw = Record<string, unknown>;
const isObject = (value: unknown): value is Raw => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Checks of `deployment.deployer` against the rest of the config, on the raw input (run even when shapes
 * have errors, so every problem shows at once). Values whose own shape is wrong are left to the schema.
 */
export function deployerProblems(data: unknown): string[] {
  if (!isObject(data) || !isObject(data.deployment) || !isObject(data.deployment.deployer)) return [];
  const deployment = data.deployment;
  const deployer = deployment.deployer as Raw;
  const problems: string[] = [];

  // With the deployer, members are reached through it alone: a second way in would be taken silently.
  if (deployment.assumeRoleName !== undefined) {
    problems.push(
      `deployment.assumeRoleName: got ${show(deployment.assumeRoleName)} with deployment.deployer; expected one of the two: with the deployer, ` +
        `Terraform reaches member accounts through deployment.deployer.roleName (${typeof deployer.roleName === "string" ? deployer.roleName : DEFAULT_ROLE_NAME}). ` +
        "Remove deployment.assumeRoleName, or deployment.deployer",
    );
  }
  if (deployment.administratorAccess === true) {
    problems.push(
      "deployment.administratorAccess: got true with deployment.deployer; expected it only without the deployer, where it says that member accounts " +
        "are reached through an administrator role knowingly. Remove deployment.administratorAccess",
    );
  }

  if (data.mode === "stackset") {
    problems.push(
      "deployment.deployer: only read in the default mode (one stack per account); with mode: stackset CloudFormation creates the role in members " +
        "and no Terraform run reaches them. Remove deployment.deployer, or the mode",
    );
  }
  const principals = Array.isArray(deployer.trustedPrincipalArns) ? deployer.trustedPrincipalArns : [];
  if (principals.length === 0 && data.terraformCloud === undefined && (deployer.trustedPrincipalArns === undefined || Array.isArray(deployer.trustedPrincipalArns))) {
    problems.push(
      `deployment.deployer.trustedPrincipalArns: got ${deployer.trustedPrincipalArns === undefined ? "nothing" : "[]"}; expected at least one role or user ARN ` +
        "that runs rollout or cdktf deploy (without terraformCloud nobody else could assume the deployer)",
    );
  }
  const region = data.region === undefined ? "us-east-1" : data.region;
  if (typeof region === "string" && ALL_REGIONS.includes(region)) {
    const partition = partitionOf(region);
    principals.forEach((arn: unknown, index: number) => {
      if (typeof arn !== "string" || !PRINCIPAL_ARN.pattern.test(arn)) return;
      const own = arn.split(":")[1];
      if (own !== partition) {
        problems.push(
          `deployment.deployer.trustedPrincipalArns[${index}]: got ${show(arn)}, an ARN of the ${own} partition; expected one of the ${partition} partition, ` +
            `where the Organization is (region ${region})`,
        );
      }
    });
  }
  const seen = new Set<string>();
  principals.forEach((arn: unknown, index: number) => {
    if (typeof arn !== "string") return;
    if (seen.has(arn)) problems.push(`deployment.deployer.trustedPrincipalArns[${index}]: got ${show(arn)} again; each principal may appear once`);
    seen.add(arn);
  });
  // One boundary per role: the deployer may create TrelicaIntegration only under TrelicaIntegrationBoundary.
  if (isObject(data.role) && data.role.permissionsBoundaryArn !== undefined) {
    problems.push(
      `role.permissionsBoundaryArn: got ${show(data.role.permissionsBoundaryArn)} with deployment.deployer; expected no boundary of your own: ` +
        "with the deployer every TrelicaIntegration role gets TrelicaIntegrationBoundary (at most Trelica's read-only actions), " +
        "and a role has one boundary. Remove role.permissionsBoundaryArn, or deployment.deployer",
    );
  }
  problems.push(...nameProblems(data, deployer));
  if (data.managementAccountId === undefined && data.accountsFile === undefined) {
    problems.push(
      "managementAccountId: got nothing, and no accountsFile; expected the management account's 12-digit ID with deployment.deployer, " +
        "since the trelica-deployer stack (the stack set and the boundary) runs there",
    );
  }
  return problems;
}

/**
 * The deployer may change TrelicaIntegration and the policies named like Trelica's: a deployer, or a
 * Trelica policy, named like one of the deployer's own would let it change itself or lift the ceiling.
 */
function nameProblems(data: Raw, deployer: Raw): string[] {
  const roleName = typeof deployer.roleName === "string" ? deployer.roleName : DEFAULT_ROLE_NAME;
  const problems: string[] = [];
  if (sameIamName(roleName, "TrelicaIntegration")) {
    problems.push(`deployment.deployer.roleName: got ${show(roleName)}, the role it deploys (IAM names ignore case); expected another name, such as ${DEFAULT_ROLE_NAME}`);
  }
  // Its read-only roles are named <roleName>ReadOnly and <roleName>Verify, and IAM role names stop at 64.
  const longest = readOnlyDeployerName(roleName);
  if (ROLE_NAME_RULE.pattern.test(roleName) && longest.length > 64) {
    problems.push(
      `deployment.deployer.roleName: got ${show(roleName)} (${roleName.length} characters); expected at most ${64 - (longest.length - roleName.length)}, ` +
        `since the read-only roles beside it are named ${longest} and ${verifyRoleName(roleName)} and IAM role names stop at 64`,
    );
  }
  const own = [`${roleName}Policy`, `${roleName}ReadOnlyPolicy`, `${verifyRoleName(roleName)}Policy`, "TrelicaIntegrationBoundary"];
  const named: [string, unknown][] = [["role.policyName", isObject(data.role) ? data.role.policyName : undefined]];
  if (Array.isArray(data.accounts)) {
    data.accounts.forEach((account: unknown, index: number) => named.push([`accounts[${index}].policyName`, isObject(account) ? account.policyName : undefined]));
  }
  for (const [field, name] of named) {
    if (typeof name === "string" && own.some((ours) => sameIamName(ours, name))) {
      problems.push(`${field}: got "${name}", a policy of the deployer's own; expected another name, since the deployer may change Trelica's policy and must not change its own (${own.join(", ")})`);
    }
  }
  return problems;
}
