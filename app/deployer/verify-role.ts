import { Partition, TrelicaIntegration } from "../../modules/trelica-integration";
import type { PolicyJson } from "../common/policy-json";
import { verifyRoleName } from "../config/deployer";

/*
 * THE table of what `npm run verify` reads in an account (verify/read-account.ts, verify/legacy-keys.ts),
 * and the read-only role the deployer's stack set gives it in every member: <roleName>Verify. A role of its
 * own, not the read-only twin, because the twin is trusted by Terraform Cloud's plan role, and a plan run is
 * the least trusted code we start: it needs to read TrelicaIntegration, not every user, group and policy of
 * the account, which GetAccountAuthorizationDetails returns. This role is trusted by the deployer's
 * trustedPrincipalArns alone. It never holds iam:UpdateAccessKey: `verify --deactivate-legacy-keys` needs
 * a role of the user's choosing (--role-name), see docs/verify.md.
 */

export interface VerifyRead {
  readonly action: `iam:${string}`;
  /** `role`: role/TrelicaIntegration; `user`: any user (the legacy-key audit reads them all); `*`: no resource-level permission exists. */
  readonly on: "role" | "user" | "*";
  /** Where verify calls it. */
  readonly calledBy: string;
}

export const VERIFY_READS: readonly VerifyRead[] = [
  { action: "iam:GetRole", on: "role", calledBy: "read-account.ts readRole: trust policy, boundary, tags, RoleLastUsed" },
  { action: "iam:ListAttachedRolePolicies", on: "role", calledBy: "read-account.ts readRole: its managed policies" },
  { action: "iam:ListRolePolicies", on: "role", calledBy: "read-account.ts readRole: its inline policies (expected: none)" },
  { action: "iam:GetAccountAuthorizationDetails", on: "*", calledBy: "read-account.ts readAuthorizationDetails: users, their groups, tags and policies, the account's own policies" },
  { action: "iam:GetLoginProfile", on: "user", calledBy: "legacy-keys.ts: whether a candidate user has a console password" },
  { action: "iam:ListAccessKeys", on: "user", calledBy: "legacy-keys.ts readLegacyUser: a candidate's keys" },
  { action: "iam:GetAccessKeyLastUsed", on: "user", calledBy: "legacy-keys.ts readLegacyUser: each key's last use" },
];

/** The one write verify can make, never granted to its role. */
export const VERIFY_WRITE = "iam:UpdateAccessKey";

/** The verify role's policy in `account` (12 digits, or EACH_ACCOUNT_ID in the stack set's template). */
export function verifyPolicy(partition: Partition, account: string): PolicyJson {
  const resourceOf = { role: `arn:${partition}:iam::${account}:role/${TrelicaIntegration.ROLE_NAME}`, user: `arn:${partition}:iam::${account}:user/*`, "*": "*" };
  const statements = (["role", "user", "*"] as const).map((on) => ({
    Sid: { role: "ReadTrelicaRole", user: "ReadUsersKeys", "*": "ReadAuthorizationDetails" }[on],
    Effect: "Allow" as const,
    Action: VERIFY_READS.filter((row) => row.on === on).map((row) => row.action),
    Resource: resourceOf[on],
  }));
  // Explicit, so no other policy on the same role can grant the one write verify makes.
  return { Version: "2012-10-17", Statement: [...statements, { Sid: "NeverChangeKeys", Effect: "Deny", Action: VERIFY_WRITE, Resource: "*" }] };
}

export interface VerifyRoleProps {
  readonly roleName: string;
  /** Who runs verify: the deployer's trustedPrincipalArns (no Terraform Cloud role). None: no verify role. */
  readonly verifyPrincipalArns: readonly string[];
}

/** The stack set template's verify block: its policy and role, by logical ID (template.ts adds them as they are). */
export function verifyRoleResources(
  props: VerifyRoleProps,
  make: { policy: (name: string, description: string, document: PolicyJson) => object; role: (name: string, description: string, principals: readonly string[], policyLogicalId: string) => object; document: PolicyJson },
): Record<string, object> {
  if (props.verifyPrincipalArns.length === 0) return {};
  const name = verifyRoleName(props.roleName);
  return {
    VerifyPolicy: make.policy(`${name}Policy`, "Read TrelicaIntegration and the account's users and keys: what trelica-aws-role verify reads", make.document),
    VerifyRole: make.role(name, "trelica-aws-role verify: read only", props.verifyPrincipalArns, "VerifyPolicy"),
  };
}
