import {
  GetAccountAuthorizationDetailsCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetAccountAuthorizationDetailsCommandOutput,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  Role,
} from "@aws-sdk/client-iam";
import { errorCode } from "./aws";
import { parsePolicyDocument } from "./policy";

/*
 * One account's IAM as verify reads it, read-only: the role (GetRole, ListAttachedRolePolicies,
 * ListRolePolicies) and the users, their groups and the account's own managed policies (GetAccountAuthorizationDetails
 * filtered to User, Group and LocalManagedPolicy: one call per 1,000 entries, instead of calls per user).
 */

export interface LiveRole {
  readonly arn?: string;
  readonly path: string;
  readonly trustPolicy: unknown;
  readonly maxSessionDuration: number;
  readonly permissionsBoundaryArn?: string;
  readonly description: string;
  readonly tags: Record<string, string>;
  readonly attachedPolicyArns: string[];
  readonly inlinePolicyNames: string[];
  readonly lastUsed?: { readonly date: string; readonly region?: string };
}

export interface LiveUser {
  readonly name: string;
  readonly arn: string;
  /** Inline policy documents, parsed. */
  readonly inlinePolicies: unknown[];
  readonly attachedPolicyArns: string[];
  /** The groups it is in, by name: their policies are its too. */
  readonly groups: string[];
  readonly tags: Record<string, string>;
}

/** An IAM group's policies, which apply to each of its users. */
export interface LiveGroup {
  readonly inlinePolicies: unknown[];
  readonly attachedPolicyArns: string[];
}

export interface LiveAccount {
  /** undefined: the role does not exist. */
  readonly role?: LiveRole;
  /** The account's own managed policies' default versions, by ARN, parsed. */
  readonly localPolicies: ReadonlyMap<string, unknown>;
  readonly users: LiveUser[];
  /** By name. */
  readonly groups: ReadonlyMap<string, LiveGroup>;
  /** The expected managed policy as GetPolicy shows it, when it was read (rollout's proof reads it; undefined: not read or absent). */
  readonly policy?: LivePolicy;
}

export interface LivePolicy {
  readonly arn: string;
  readonly path: string;
  readonly description: string;
  readonly tags: Record<string, string>;
}

/**
 * What terraform's refresh reads of one account's role and policy, and nothing more (rollout proves an
 * account in sync with it): GetRole, ListAttachedRolePolicies, ListRolePolicies, GetPolicy and the
 * default version's GetPolicyVersion, the calls the deployer may already make. No users.
 */
export async function readManaged(iam: IAMClient, roleName: string, policyArn: string): Promise<LiveAccount> {
  const [role, policy] = await Promise.all([readRole(iam, roleName), readPolicy(iam, policyArn)]);
  const localPolicies = new Map<string, unknown>(policy ? [[policyArn, policy.document]] : []);
  return { role, localPolicies, users: [], groups: new Map(), policy: policy?.policy };
}

async function readPolicy(iam: IAMClient, policyArn: string): Promise<{ policy: LivePolicy; document: unknown } | undefined> {
  let found;
  try {
    found = (await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy!;
  } catch (error) {
    if (errorCode(error) === "NoSuchEntityException" || errorCode(error) === "NoSuchEntity") return undefined;
    throw error;
  }
  const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: found.DefaultVersionId }));
  return {
    policy: {
      arn: found.Arn ?? policyArn,
      path: found.Path ?? "/",
      description: found.Description ?? "",
      tags: Object.fromEntries((found.Tags ?? []).map((tag) => [tag.Key!, tag.Value ?? ""])),
    },
    document: parsePolicyDocument(version.PolicyVersion?.Document ?? "{}"),
  };
}

export async function readAccount(iam: IAMClient, roleName: string): Promise<LiveAccount> {
  const [role, details] = await Promise.all([readRole(iam, roleName), readAuthorizationDetails(iam)]);
  return { role, ...details };
}

async function readRole(iam: IAMClient, roleName: string): Promise<LiveRole | undefined> {
  let role: Role;
  try {
    role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role!;
  } catch (error) {
    if (errorCode(error) === "NoSuchEntityException" || errorCode(error) === "NoSuchEntity") return undefined;
    throw error;
  }
  const [attachedPolicyArns, inlinePolicyNames] = await Promise.all([
    pages(async (Marker) => {
      const page = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker }));
      return { items: (page.AttachedPolicies ?? []).map((policy) => policy.PolicyArn!), marker: page.IsTruncated ? page.Marker : undefined };
    }),
    pages(async (Marker) => {
      const page = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName, Marker }));
      return { items: page.PolicyNames ?? [], marker: page.IsTruncated ? page.Marker : undefined };
    }),
  ]);
  return {
    arn: role.Arn,
    path: role.Path ?? "/",
    trustPolicy: parsePolicyDocument(role.AssumeRolePolicyDocument ?? "{}"),
    maxSessionDuration: role.MaxSessionDuration ?? 3600,
    permissionsBoundaryArn: role.PermissionsBoundary?.PermissionsBoundaryArn,
    description: role.Description ?? "",
    tags: Object.fromEntries((role.Tags ?? []).map((tag) => [tag.Key!, tag.Value ?? ""])),
    attachedPolicyArns,
    inlinePolicyNames,
    lastUsed: role.RoleLastUsed?.LastUsedDate ? { date: role.RoleLastUsed.LastUsedDate.toISOString(), region: role.RoleLastUsed.Region } : undefined,
  };
}

async function readAuthorizationDetails(iam: IAMClient): Promise<Pick<LiveAccount, "localPolicies" | "users" | "groups">> {
  const localPolicies = new Map<string, unknown>();
  const users: LiveUser[] = [];
  const groups = new Map<string, LiveGroup>();
  await pages(async (Marker) => {
    const page: GetAccountAuthorizationDetailsCommandOutput = await iam.send(
      new GetAccountAuthorizationDetailsCommand({ Filter: ["User", "Group", "LocalManagedPolicy"], MaxItems: 1000, Marker }),
    );
    for (const policy of page.Policies ?? []) {
      const version = policy.PolicyVersionList?.find((candidate) => candidate.IsDefaultVersion);
      if (policy.Arn && version?.Document) localPolicies.set(policy.Arn, parsePolicyDocument(version.Document));
    }
    for (const user of page.UserDetailList ?? []) {
      users.push({
        name: user.UserName!,
        arn: user.Arn ?? "",
        inlinePolicies: (user.UserPolicyList ?? []).map((policy) => parsePolicyDocument(policy.PolicyDocument ?? "{}")),
        attachedPolicyArns: (user.AttachedManagedPolicies ?? []).map((policy) => policy.PolicyArn!),
        groups: user.GroupList ?? [],
        tags: Object.fromEntries((user.Tags ?? []).map((tag) => [tag.Key!, tag.Value ?? ""])),
      });
    }
    for (const group of page.GroupDetailList ?? []) {
      groups.set(group.GroupName!, {
        inlinePolicies: (group.GroupPolicyList ?? []).map((policy) => parsePolicyDocument(policy.PolicyDocument ?? "{}")),
        attachedPolicyArns: (group.AttachedManagedPolicies ?? []).map((policy) => policy.PolicyArn!),
      });
    }
    return { items: [], marker: page.IsTruncated ? page.Marker : undefined };
  });
  return { localPolicies, users, groups };
}

/** Follows IAM's Marker until the last page. */
async function pages<T>(read: (marker: string | undefined) => Promise<{ items: T[]; marker?: string }>): Promise<T[]> {
  const all: T[] = [];
  let marker: string | undefined;
  do {
    const page = await read(marker);
    all.push(...page.items);
    marker = page.marker;
  } while (marker);
  return all;
}
