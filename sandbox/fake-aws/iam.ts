import * as crypto from "node:crypto";
import { alreadyExists, AwsError, deleteConflict, noSuchEntity, validationError } from "./errors";
import { AccountState, Caller, ManagedPolicy, Role, Tag } from "./state";

/* IAM as the provider uses it for roles, managed policies and their attachments, with IAM's own errors. */

export type Handler = (input: any, caller: Caller) => Record<string, unknown>;

const MAX_POLICY_VERSIONS = 5;

export function iamHandlers(accountOf: (accountId: string) => AccountState): Record<string, Handler> {
  const roleOf = (caller: Caller, name: string): Role => {
    const role = accountOf(caller.accountId).roles[name];
    if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
    return role;
  };
  const policyOf = (caller: Caller, arn: string): ManagedPolicy => {
    const policy = accountOf(caller.accountId).policies[arn];
    if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
    return policy;
  };
  const oidcProviderOf = (caller: Caller, arn: string) => {
    const provider = accountOf(caller.accountId).oidcProviders[arn];
    if (!provider) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
    return provider;
  };
  const attachmentCount = (caller: Caller, arn: string) =>
    Object.values(accountOf(caller.accountId).roles).filter((role) => role.attachedPolicies.includes(arn)).length;
  const policyOut = (caller: Caller, policy: ManagedPolicy) => ({
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: attachmentCount(caller, policy.arn),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: policy.description,
    CreateDate: policy.createDate,
    UpdateDate: policy.updateDate,
    Tags: policy.tags.length > 0 ? policy.tags : undefined,
  });
  const checkBoundary = (caller: Caller, arn: string | undefined) => {
    if (arn === undefined) return;
    const match = /^arn:aws[\w-]*:iam::(\d{12}|aws):policy\/.+$/.exec(arn);
    if (!match) throw new AwsError("InvalidInput", `ARN ${arn} is not valid.`);
    const owner = match[1];
    if (owner !== "aws" && (owner !== caller.accountId || !accountOf(caller.accountId).policies[arn])) {
      throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
    }
  };

  return {
    CreateRole(input: CreateRoleInput, caller) {
      const account = accountOf(caller.accountId);
      if (account.roles[input.RoleName]) throw alreadyExists(`Role with name ${input.RoleName} already exists.`);
      checkPolicyJson(input.AssumeRolePolicyDocument);
      checkSessionDuration(input.MaxSessionDuration);
      checkBoundary(caller, input.PermissionsBoundary);
      const rolePath = input.Path ?? "/";
      const role: Role = {
        path: rolePath,
        name: input.RoleName,
        id: `AROA${randomId(17)}`,
        arn: `arn:aws:iam::${caller.accountId}:role${rolePath}${input.RoleName}`,
        createDate: new Date().toISOString(),
        assumeRolePolicyDocument: input.AssumeRolePolicyDocument,
        description: input.Description,
        maxSessionDuration: input.MaxSessionDuration ?? 3600,
        permissionsBoundary: input.PermissionsBoundary,
        tags: checkTags(input.Tags ?? []),
        attachedPolicies: [],
        inlinePolicies: {},
      };
      account.roles[role.name] = role;
      return { Role: roleOut(role) };
    },
    GetRole: (input: { RoleName: string }, caller) => ({ Role: roleOut(roleOf(caller, input.RoleName)) }),
    ListRoles: (input: { PathPrefix?: string }, caller) => ({
      Roles: Object.values(accountOf(caller.accountId).roles)
        .filter((role) => role.path.startsWith(input.PathPrefix ?? "/"))
        .map(roleOut),
      IsTruncated: false,
    }),
    UpdateRole(input: { RoleName: string; Description?: string; MaxSessionDuration?: number }, caller) {
      const role = roleOf(caller, input.RoleName);
      checkSessionDuration(input.MaxSessionDuration);
      if (input.Description !== undefined) role.description = input.Description;
      if (input.MaxSessionDuration !== undefined) role.maxSessionDuration = input.MaxSessionDuration;
      return {};
    },
    UpdateRoleDescription(input: { RoleName: string; Description: string }, caller) {
      const role = roleOf(caller, input.RoleName);
      role.description = input.Description;
      return { Role: roleOut(role) };
    },
    UpdateAssumeRolePolicy(input: { RoleName: string; PolicyDocument: string }, caller) {
      const role = roleOf(caller, input.RoleName);
      checkPolicyJson(input.PolicyDocument);
      role.assumeRolePolicyDocument = input.PolicyDocument;
      return {};
    },
    PutRolePermissionsBoundary(input: { RoleName: string; PermissionsBoundary: string }, caller) {
      const role = roleOf(caller, input.RoleName);
      checkBoundary(caller, input.PermissionsBoundary);
      role.permissionsBoundary = input.PermissionsBoundary;
      return {};
    },
    DeleteRolePermissionsBoundary(input: { RoleName: string }, caller) {
      delete roleOf(caller, input.RoleName).permissionsBoundary;
      return {};
    },
    DeleteRole(input: { RoleName: string }, caller) {
      const role = roleOf(caller, input.RoleName);
      if (role.attachedPolicies.length > 0 || Object.keys(role.inlinePolicies).length > 0) {
        throw deleteConflict("Cannot delete entity, must detach all policies first.");
      }
      delete accountOf(caller.accountId).roles[role.name];
      return {};
    },
    ListRolePolicies: (input: { RoleName: string }, caller) => ({
      PolicyNames: Object.keys(roleOf(caller, input.RoleName).inlinePolicies),
      IsTruncated: false,
    }),
    GetRolePolicy(input: { RoleName: string; PolicyName: string }, caller) {
      const role = roleOf(caller, input.RoleName);
      const document = role.inlinePolicies[input.PolicyName];
      if (document === undefined) throw noSuchEntity(`The role policy with name ${input.PolicyName} cannot be found.`);
      return { RoleName: role.name, PolicyName: input.PolicyName, PolicyDocument: encodeDocument(document) };
    },
    PutRolePolicy(input: { RoleName: string; PolicyName: string; PolicyDocument: string }, caller) {
      const role = roleOf(caller, input.RoleName);
      checkPolicyJson(input.PolicyDocument);
      role.inlinePolicies[input.PolicyName] = input.PolicyDocument;
      return {};
    },
    DeleteRolePolicy(input: { RoleName: string; PolicyName: string }, caller) {
      const role = roleOf(caller, input.RoleName);
      if (!(input.PolicyName in role.inlinePolicies)) throw noSuchEntity(`The role policy with name ${input.PolicyName} cannot be found.`);
      delete role.inlinePolicies[input.PolicyName];
      return {};
    },
    ListAttachedRolePolicies(input: { RoleName: string }, caller) {
      const account = accountOf(caller.accountId);
      return {
        AttachedPolicies: roleOf(caller, input.RoleName).attachedPolicies.map((arn) => ({
          PolicyArn: arn,
          PolicyName: account.policies[arn]?.name ?? arn.split("/").pop(),
        })),
        IsTruncated: false,
      };
    },
    ListInstanceProfilesForRole(input: { RoleName: string }, caller) {
      roleOf(caller, input.RoleName);
      return { InstanceProfiles: [], IsTruncated: false };
    },
    TagRole(input: { RoleName: string; Tags: Tag[] }, caller) {
      const role = roleOf(caller, input.RoleName);
      role.tags = checkTags(mergeTags(role.tags, input.Tags));
      return {};
    },
    UntagRole(input: { RoleName: string; TagKeys: string[] }, caller) {
      const role = roleOf(caller, input.RoleName);
      role.tags = role.tags.filter((tag) => !input.TagKeys.includes(tag.Key));
      return {};
    },
    ListRoleTags: (input: { RoleName: string }, caller) => ({ Tags: roleOf(caller, input.RoleName).tags, IsTruncated: false }),

    CreatePolicy(input: CreatePolicyInput, caller) {
      const account = accountOf(caller.accountId);
      const policyPath = input.Path ?? "/";
      const arn = `arn:aws:iam::${caller.accountId}:policy${policyPath}${input.PolicyName}`;
      if (account.policies[arn]) throw alreadyExists(`A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`);
      checkPolicyJson(input.PolicyDocument);
      const now = new Date().toISOString();
      const policy: ManagedPolicy = {
        name: input.PolicyName,
        id: `ANPA${randomId(17)}`,
        arn,
        path: policyPath,
        createDate: now,
        updateDate: now,
        description: input.Description,
        defaultVersionId: "v1",
        versions: [{ versionId: "v1", document: input.PolicyDocument, createDate: now }],
        nextVersion: 2,
        tags: checkTags(input.Tags ?? []),
      };
      account.policies[arn] = policy;
      return { Policy: policyOut(caller, policy) };
    },
    GetPolicy: (input: { PolicyArn: string }, caller) => ({ Policy: policyOut(caller, policyOf(caller, input.PolicyArn)) }),
    ListPolicies(input: { Scope?: string }, caller) {
      const local = input.Scope === "AWS" ? [] : Object.values(accountOf(caller.accountId).policies);
      return { Policies: local.map((policy) => ({ ...policyOut(caller, policy), Tags: undefined })), IsTruncated: false };
    },
    DeletePolicy(input: { PolicyArn: string }, caller) {
      const policy = policyOf(caller, input.PolicyArn);
      if (attachmentCount(caller, policy.arn) > 0) throw deleteConflict("Cannot delete a policy attached to entities.");
      if (policy.versions.length > 1) {
        throw deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
      }
      delete accountOf(caller.accountId).policies[policy.arn];
      return {};
    },
    GetPolicyVersion(input: { PolicyArn: string; VersionId: string }, caller) {
      const policy = policyOf(caller, input.PolicyArn);
      const version = policy.versions.find((candidate) => candidate.versionId === input.VersionId);
      if (!version) throw noSuchEntity(`Policy ${input.PolicyArn} version ${input.VersionId} does not exist or is not attachable.`);
      return {
        PolicyVersion: {
          Document: encodeDocument(version.document),
          VersionId: version.versionId,
          IsDefaultVersion: version.versionId === policy.defaultVersionId,
          CreateDate: version.createDate,
        },
      };
    },
    ListPolicyVersions(input: { PolicyArn: string }, caller) {
      const policy = policyOf(caller, input.PolicyArn);
      return {
        Versions: [...policy.versions].reverse().map((version) => ({
          VersionId: version.versionId,
          IsDefaultVersion: version.versionId === policy.defaultVersionId,
          CreateDate: version.createDate,
        })),
        IsTruncated: false,
      };
    },
    CreatePolicyVersion(input: { PolicyArn: string; PolicyDocument: string; SetAsDefault?: boolean }, caller) {
      const policy = policyOf(caller, input.PolicyArn);
      if (policy.versions.length >= MAX_POLICY_VERSIONS) {
        throw new AwsError("LimitExceeded", "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.");
      }
      checkPolicyJson(input.PolicyDocument);
      const version = { versionId: `v${policy.nextVersion++}`, document: input.PolicyDocument, createDate: new Date().toISOString() };
      policy.versions.push(version);
      if (input.SetAsDefault) policy.defaultVersionId = version.versionId;
      policy.updateDate = version.createDate;
      return { PolicyVersion: { VersionId: version.versionId, IsDefaultVersion: version.versionId === policy.defaultVersionId, CreateDate: version.createDate } };
    },
    SetDefaultPolicyVersion(input: { PolicyArn: string; VersionId: string }, caller) {
      const policy = policyOf(caller, input.PolicyArn);
      if (!policy.versions.some((version) => version.versionId === input.VersionId)) throw noSuchEntity(`Policy version ${input.VersionId} does not exist.`);
      policy.defaultVersionId = input.VersionId;
      return {};
    },
    DeletePolicyVersion(input: { PolicyArn: string; VersionId: string }, caller) {
      const policy = policyOf(caller, input.PolicyArn);
      if (input.VersionId === policy.defaultVersionId) throw deleteConflict("Cannot delete the default version of a policy.");
      const before = policy.versions.length;
      policy.versions = policy.versions.filter((version) => version.versionId !== input.VersionId);
      if (policy.versions.length === before) throw noSuchEntity(`Policy version ${input.VersionId} does not exist.`);
      return {};
    },
    TagPolicy(input: { PolicyArn: string; Tags: Tag[] }, caller) {
      const policy = policyOf(caller, input.PolicyArn);
      policy.tags = checkTags(mergeTags(policy.tags, input.Tags));
      return {};
    },
    UntagPolicy(input: { PolicyArn: string; TagKeys: string[] }, caller) {
      const policy = policyOf(caller, input.PolicyArn);
      policy.tags = policy.tags.filter((tag) => !input.TagKeys.includes(tag.Key));
      return {};
    },
    ListPolicyTags: (input: { PolicyArn: string }, caller) => ({ Tags: policyOf(caller, input.PolicyArn).tags, IsTruncated: false }),
    AttachRolePolicy(input: { RoleName: string; PolicyArn: string }, caller) {
      const role = roleOf(caller, input.RoleName);
      if (!input.PolicyArn.includes(":iam::aws:policy/")) policyOf(caller, input.PolicyArn);
      if (!role.attachedPolicies.includes(input.PolicyArn)) role.attachedPolicies.push(input.PolicyArn);
      return {};
    },
    DetachRolePolicy(input: { RoleName: string; PolicyArn: string }, caller) {
      const role = roleOf(caller, input.RoleName);
      if (!role.attachedPolicies.includes(input.PolicyArn)) throw noSuchEntity(`Policy ${input.PolicyArn} was not found.`);
      role.attachedPolicies = role.attachedPolicies.filter((arn) => arn !== input.PolicyArn);
      return {};
    },
    /** IAM computes the thumbprint itself when none is given (as it has since 2024 for well-known CAs). */
    CreateOpenIDConnectProvider(input: { Url: string; ClientIDList?: string[]; ThumbprintList?: string[]; Tags?: Tag[] }, caller) {
      const account = accountOf(caller.accountId);
      const match = /^https:\/\/([^/?#]+(?:\/[^?#]*)?)$/.exec(input.Url ?? "");
      if (!match) throw validationError(`Invalid Url: ${input.Url}`);
      const arn = `arn:aws:iam::${caller.accountId}:oidc-provider/${match[1]}`;
      if (account.oidcProviders[arn]) throw alreadyExists(`Provider with url ${input.Url} already exists.`);
      const thumbprints = input.ThumbprintList && input.ThumbprintList.length > 0 ? input.ThumbprintList : [crypto.createHash("sha1").update(match[1]).digest("hex")];
      account.oidcProviders[arn] = { arn, url: match[1], clientIds: input.ClientIDList ?? [], thumbprints, tags: checkTags(input.Tags ?? []), createDate: new Date().toISOString() };
      return { OpenIDConnectProviderArn: arn, Tags: input.Tags };
    },
    GetOpenIDConnectProvider(input: { OpenIDConnectProviderArn: string }, caller) {
      const provider = oidcProviderOf(caller, input.OpenIDConnectProviderArn);
      return {
        Url: provider.url,
        ClientIDList: provider.clientIds,
        ThumbprintList: provider.thumbprints,
        CreateDate: provider.createDate,
        Tags: provider.tags.length > 0 ? provider.tags : undefined,
      };
    },
    ListOpenIDConnectProviders: (_input: unknown, caller) => ({
      OpenIDConnectProviderList: Object.keys(accountOf(caller.accountId).oidcProviders).map((Arn) => ({ Arn })),
    }),
    DeleteOpenIDConnectProvider(input: { OpenIDConnectProviderArn: string }, caller) {
      oidcProviderOf(caller, input.OpenIDConnectProviderArn);
      delete accountOf(caller.accountId).oidcProviders[input.OpenIDConnectProviderArn];
      return {};
    },
    ListEntitiesForPolicy(input: { PolicyArn: string }, caller) {
      policyOf(caller, input.PolicyArn);
      const roles = Object.values(accountOf(caller.accountId).roles).filter((role) => role.attachedPolicies.includes(input.PolicyArn));
      return { PolicyGroups: [], PolicyUsers: [], PolicyRoles: roles.map((role) => ({ RoleName: role.name, RoleId: role.id })), IsTruncated: false };
    },
  };
}

interface CreateRoleInput {
  RoleName: string;
  Path?: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration?: number;
  PermissionsBoundary?: string;
  Tags?: Tag[];
}

interface CreatePolicyInput {
  PolicyName: string;
  Path?: string;
  PolicyDocument: string;
  Description?: string;
  Tags?: Tag[];
}

function roleOut(role: Role) {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: role.createDate,
    AssumeRolePolicyDocument: encodeDocument(role.assumeRolePolicyDocument),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    PermissionsBoundary: role.permissionsBoundary ? { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: role.permissionsBoundary } : undefined,
    Tags: role.tags.length > 0 ? role.tags : undefined,
    RoleLastUsed: role.lastUsed ? { LastUsedDate: role.lastUsed.date, Region: role.lastUsed.region } : {},
  };
}

/** IAM returns policy documents URL-encoded, spaces as %20 (RFC 3986). */
export function encodeDocument(document: string): string {
  return encodeURIComponent(document);
}

function checkPolicyJson(document: string): void {
  try {
    const parsed = JSON.parse(document) as { Statement?: unknown };
    if (parsed.Statement === undefined) throw new Error("no Statement");
  } catch {
    throw new AwsError("MalformedPolicyDocument", "Syntax errors in policy.");
  }
}

function checkSessionDuration(seconds: number | undefined): void {
  if (seconds !== undefined && (seconds < 3600 || seconds > 43200)) {
    throw validationError(`1 validation error detected: Value '${seconds}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200`);
  }
}

function checkTags(tags: Tag[]): Tag[] {
  if (tags.length > 50) throw new AwsError("LimitExceeded", "The number of tags has reached the maximum limit.");
  return tags.map((tag) => ({ Key: tag.Key, Value: tag.Value ?? "" }));
}

function mergeTags(existing: readonly Tag[], added: readonly Tag[] = []): Tag[] {
  const byKey = new Map(existing.map((tag) => [tag.Key, tag.Value]));
  for (const tag of added) byKey.set(tag.Key, tag.Value ?? "");
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

export function randomId(length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  return Array.from(crypto.randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join("");
}
