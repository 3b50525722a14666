/*
 * THE table of what the AWS provider calls to manage TrelicaIntegration: its role, its managed policy,
 * their attachment and the two exclusive-attachment resources, through create, read (refresh, and the
 * read after create and after import), update, tag, import and delete. Every deploying identity's policy
 * (the member accounts' deployer, Terraform Cloud's plan and apply roles), the documentation and the
 * simulator tests are made from it. Each row names where hashicorp/terraform-provider-aws makes the call
 * (internal/service/iam/); design.md's "API calls seen" lists what provider 5.100.0 made against the fake.
 */

export type DeployerTarget = "role" | "policy";

/**
 * What a conditioned row requires of the request, each as the policies spell it:
 * - `ourBoundary`: `iam:PermissionsBoundary` is TrelicaIntegrationBoundary. On CreateRole and
 *   PutRolePermissionsBoundary that is the boundary the request sets; on every other action it is the boundary
 *   the role carries, so the row is allowed only while the role is under the ceiling (AWS's service
 *   authorization data lists the key for each such action: test/deployer-simulation.test.ts checks it);
 * - `ourPolicy`: `iam:PolicyARN` is our managed policy (a role with any other policy attached could be made anything).
 */
export type DeployerCondition = "ourBoundary" | "ourPolicy";

export interface DeployerAction {
  readonly action: `iam:${string}`;
  /** `role`: role/TrelicaIntegration; `policy`: policy/<policyName>. */
  readonly on: DeployerTarget;
  /** A plan (and the provider's refresh) needs only the reads. */
  readonly access: "read" | "write";
  /** Allowed only when the request meets every one of these. */
  readonly only?: readonly DeployerCondition[];
  /**
   * The provider makes this call before PutRolePermissionsBoundary in the same update (role.go resourceRoleUpdate:
   * trust, description, session duration, then the boundary), so adopting a hand-made role without the boundary
   * needs it there once: allowed on a role with no boundary at all only in accounts marked adoptExisting.
   */
  readonly beforeTheBoundary?: true;
  /** Where the provider makes the call. */
  readonly calledBy: string;
}

/*
 * Every write on the role that changes its trust, its settings, its attachments or its inline policies, or
 * deletes it, is `ourBoundary`: only while the role carries the boundary. The provider's first write to a role
 * made without it (by OrganizationAccountAccessRole, by hand, in the management account) is therefore
 * PutRolePermissionsBoundary. Not conditioned: the reads (a plan must see a role without the boundary), the
 * tags (TagRole and UntagRole have no such key, and change no permission), and the policy's rows (no IAM
 * action on a managed policy has the key; the stack orders the policy's changes after the role's).
 */
export const DEPLOYER_ACTIONS: readonly DeployerAction[] = [
  // ---- the role: aws_iam_role, and what the attachment resources read and change on it
  { action: "iam:GetRole", on: "role", access: "read", calledBy: "role.go resourceRoleRead (FindRoleByName, waitRoleARNIsNotUniqueID): every refresh, after create and after import" },
  { action: "iam:ListRolePolicies", on: "role", access: "read", calledBy: "role.go readRolePolicyNames (read, and DeleteRole with inline_policy); role_policies_exclusive.go findRolePoliciesByName" },
  { action: "iam:GetRolePolicy", on: "role", access: "read", calledBy: "role.go readRoleInlinePolicies: each inline policy found on the role (one added by hand must be read before it can be removed)" },
  { action: "iam:ListAttachedRolePolicies", on: "role", access: "read", calledBy: "role.go readRolePolicyAttachments; role_policy_attachment.go RoleHasPolicyARNAttachment; role_policy_attachments_exclusive.go findRolePolicyAttachmentsByName" },
  { action: "iam:ListInstanceProfilesForRole", on: "role", access: "read", calledBy: "role.go deleteRoleInstanceProfiles, before DeleteRole" },
  { action: "iam:CreateRole", on: "role", access: "write", only: ["ourBoundary"], calledBy: "role.go resourceRoleCreate (retryCreateRole), with tags and permissions_boundary in the request" },
  { action: "iam:PutRolePermissionsBoundary", on: "role", access: "write", only: ["ourBoundary"], calledBy: "role.go resourceRoleUpdate, permissions_boundary changed (adopting a role made without it)" },
  { action: "iam:UpdateAssumeRolePolicy", on: "role", access: "write", only: ["ourBoundary"], beforeTheBoundary: true, calledBy: "role.go resourceRoleUpdate, assume_role_policy changed (adoption, a new external ID)" },
  { action: "iam:UpdateRoleDescription", on: "role", access: "write", only: ["ourBoundary"], beforeTheBoundary: true, calledBy: "role.go resourceRoleUpdate, description changed (adoption)" },
  { action: "iam:UpdateRole", on: "role", access: "write", only: ["ourBoundary"], beforeTheBoundary: true, calledBy: "role.go resourceRoleUpdate, max_session_duration changed" },
  { action: "iam:TagRole", on: "role", access: "write", calledBy: "tags.go roleUpdateTags: tags_all changed, or tags after create where tag-on-create is unsupported" },
  { action: "iam:UntagRole", on: "role", access: "write", calledBy: "tags.go roleUpdateTags: a tag removed" },
  { action: "iam:AttachRolePolicy", on: "role", access: "write", only: ["ourBoundary", "ourPolicy"], calledBy: "role_policy_attachment.go attachPolicyToRole; role_policy_attachments_exclusive.go syncAttachments (adds the configured ARN)" },
  { action: "iam:DetachRolePolicy", on: "role", access: "write", only: ["ourBoundary"], calledBy: "role_policy_attachment.go DetachPolicyFromRole (destroy); role_policy_attachments_exclusive.go syncAttachments (removes any other policy: any ARN)" },
  { action: "iam:DeleteRolePolicy", on: "role", access: "write", only: ["ourBoundary"], calledBy: "role_policies_exclusive.go syncAttachments (policy_names = []: removes every inline policy); role.go deleteRolePolicies" },
  { action: "iam:DeleteRole", on: "role", access: "write", only: ["ourBoundary"], calledBy: "role.go DeleteRole (destroy)" },
  // ---- the managed policy: aws_iam_policy
  { action: "iam:GetPolicy", on: "policy", access: "read", calledBy: "policy.go resourcePolicyRead: every refresh, after create and after import (tags come with it)" },
  { action: "iam:GetPolicyVersion", on: "policy", access: "read", calledBy: "policy.go resourcePolicyRead: the default version's document" },
  { action: "iam:ListPolicyVersions", on: "policy", access: "read", calledBy: "policy.go policyListVersions: policyPruneVersions before an update, PolicyDeleteNondefaultVersions before delete" },
  { action: "iam:CreatePolicy", on: "policy", access: "write", calledBy: "policy.go resourcePolicyCreate" },
  { action: "iam:CreatePolicyVersion", on: "policy", access: "write", calledBy: "policy.go resourcePolicyUpdate (SetAsDefault: true, so no SetDefaultPolicyVersion)" },
  { action: "iam:DeletePolicyVersion", on: "policy", access: "write", calledBy: "policy.go policyDeleteVersion: pruning the oldest of five, and before DeletePolicy" },
  { action: "iam:TagPolicy", on: "policy", access: "write", calledBy: "tags.go policyUpdateTags: tags_all changed" },
  { action: "iam:UntagPolicy", on: "policy", access: "write", calledBy: "tags.go policyUpdateTags: a tag removed" },
  { action: "iam:DeletePolicy", on: "policy", access: "write", calledBy: "policy.go resourcePolicyDelete" },
];

/** The provider's first call with any credentials (allowed_account_ids, the account ID in ARNs). */
export const CALLER_IDENTITY_ACTION = "sts:GetCallerIdentity";

/** Never granted to a deploying identity: it would lift the ceiling on TrelicaIntegration (role.go calls it when permissions_boundary is removed). */
export const NEVER_ALLOWED = ["iam:DeleteRolePermissionsBoundary"] as const;

export function actionsOn(on: DeployerTarget, select: (row: DeployerAction) => boolean = () => true): string[] {
  return DEPLOYER_ACTIONS.filter((row) => row.on === on && select(row)).map((row) => row.action);
}

/** The conditions of a row as one key, e.g. "ourBoundary+ourPolicy" ("" for none): rows with the same key share a statement. */
export function conditionKey(row: Pick<DeployerAction, "only">): string {
  return [...(row.only ?? [])].sort().join("+");
}

/** The table as Markdown, for docs/security.md (a test keeps the two the same). */
export function actionTableMarkdown(): string {
  const resourceOf = { role: "`role/TrelicaIntegration`", policy: "`policy/<policyName>`" };
  const only = (row: DeployerAction) =>
    (row.only ?? []).map((condition) =>
      condition === "ourPolicy"
        ? "`iam:PolicyARN` = our policy"
        : row.action === "iam:CreateRole" || row.action === "iam:PutRolePermissionsBoundary"
          ? "`iam:PermissionsBoundary` = TrelicaIntegrationBoundary (the boundary it sets)"
          : "`iam:PermissionsBoundary` = TrelicaIntegrationBoundary (only while the role carries it)",
    );
  const rows = DEPLOYER_ACTIONS.map((row) => `| \`${row.action}\` | ${resourceOf[row.on]} | ${[row.access, ...only(row).map((text, index) => `${index === 0 ? "only with " : "and "}${text}`)].join(", ")} | ${row.calledBy} |`);
  return [
    "| action | resource | access | where the provider calls it (internal/service/iam/) |",
    "| --- | --- | --- | --- |",
    ...rows,
    `| \`${CALLER_IDENTITY_ACTION}\` | \`*\` | read | the provider's start: allowed_account_ids |`,
  ].join("\n");
}
