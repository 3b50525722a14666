import * as crypto from "node:crypto";
import { alreadyExists, AwsError, noSuchEntity } from "./errors";
import type { Handler } from "./iam";
import { encodeDocument, randomId } from "./iam";
import { AccessKey, AccountState, Caller, Group, Tag, User } from "./state";

/*
 * IAM users and their long-term access keys: how Trelica was connected before the role. Requests signed
 * with a user's key act as that user (FakeAws looks keys up in `keys`) and record the key's last use.
 * Groups (their policies apply to their users), tags and console passwords (login profiles), which decide
 * whether a user is Trelica's.
 */

/** IAM allows two access keys per user. */
const MAX_ACCESS_KEYS = 2;

/** Where a user's access key lives: FakeAws finds the signer of a request here. */
export interface UserKeyRef {
  readonly accountId: string;
  readonly userName: string;
}

export function iamUserHandlers(accountOf: (accountId: string) => AccountState, keys: Map<string, UserKeyRef>, now: () => Date): Record<string, Handler> {
  const userOf = (caller: Caller, name: string): User => {
    const user = accountOf(caller.accountId).users[name];
    if (!user) throw noSuchEntity(`The user with name ${name} cannot be found.`);
    return user;
  };
  const keyOf = (caller: Caller, id: string): { user: User; key: AccessKey } => {
    const ref = keys.get(id);
    const user = ref && ref.accountId === caller.accountId ? accountOf(ref.accountId).users[ref.userName] : undefined;
    const key = user?.accessKeys.find((candidate) => candidate.id === id);
    if (!user || !key) throw noSuchEntity(`The Access Key with id ${id} cannot be found`);
    return { user, key };
  };
  const groupOf = (caller: Caller, name: string): Group => {
    const group = accountOf(caller.accountId).groups[name];
    if (!group) throw noSuchEntity(`The group with name ${name} cannot be found.`);
    return group;
  };
  const attached = (account: AccountState, arns: readonly string[]) => arns.map((arn) => ({ PolicyArn: arn, PolicyName: account.policies[arn]?.name ?? arn.split("/").pop() }));
  const userOut = (user: User) => ({ Path: user.path, UserName: user.name, UserId: user.id, Arn: user.arn, CreateDate: user.createDate });

  return {
    CreateUser(input: { UserName: string; Path?: string; Tags?: Tag[] }, caller) {
      const account = accountOf(caller.accountId);
      if (account.users[input.UserName]) throw alreadyExists(`User with name ${input.UserName} already exists.`);
      const userPath = input.Path ?? "/";
      const user: User = {
        path: userPath,
        name: input.UserName,
        id: `AIDA${randomId(17)}`,
        arn: `arn:aws:iam::${caller.accountId}:user${userPath}${input.UserName}`,
        createDate: now().toISOString(),
        attachedPolicies: [],
        inlinePolicies: {},
        accessKeys: [],
        tags: input.Tags ?? [],
      };
      account.users[user.name] = user;
      return { User: userOut(user) };
    },
    TagUser(input: { UserName: string; Tags: Tag[] }, caller) {
      const user = userOf(caller, input.UserName);
      user.tags = [...(user.tags ?? []).filter((tag) => !input.Tags.some((added) => added.Key === tag.Key)), ...input.Tags];
      return {};
    },
    CreateGroup(input: { GroupName: string; Path?: string }, caller) {
      const account = accountOf(caller.accountId);
      if (account.groups[input.GroupName]) throw alreadyExists(`Group with name ${input.GroupName} already exists.`);
      const groupPath = input.Path ?? "/";
      const group: Group = {
        path: groupPath,
        name: input.GroupName,
        id: `AGPA${randomId(17)}`,
        arn: `arn:aws:iam::${caller.accountId}:group${groupPath}${input.GroupName}`,
        createDate: now().toISOString(),
        attachedPolicies: [],
        inlinePolicies: {},
      };
      account.groups[group.name] = group;
      return { Group: { Path: group.path, GroupName: group.name, GroupId: group.id, Arn: group.arn, CreateDate: group.createDate } };
    },
    AddUserToGroup(input: { GroupName: string; UserName: string }, caller) {
      groupOf(caller, input.GroupName);
      const user = userOf(caller, input.UserName);
      if (!(user.groups ?? []).includes(input.GroupName)) user.groups = [...(user.groups ?? []), input.GroupName];
      return {};
    },
    PutGroupPolicy(input: { GroupName: string; PolicyName: string; PolicyDocument: string }, caller) {
      groupOf(caller, input.GroupName).inlinePolicies[input.PolicyName] = input.PolicyDocument;
      return {};
    },
    AttachGroupPolicy(input: { GroupName: string; PolicyArn: string }, caller) {
      const group = groupOf(caller, input.GroupName);
      if (!input.PolicyArn.includes(":iam::aws:policy/") && !accountOf(caller.accountId).policies[input.PolicyArn]) {
        throw noSuchEntity(`Policy ${input.PolicyArn} does not exist or is not attachable.`);
      }
      if (!group.attachedPolicies.includes(input.PolicyArn)) group.attachedPolicies.push(input.PolicyArn);
      return {};
    },
    CreateLoginProfile(input: { UserName: string }, caller) {
      const user = userOf(caller, input.UserName);
      if (user.loginProfile) throw alreadyExists(`Login Profile for user ${input.UserName} already exists.`);
      user.loginProfile = { createDate: now().toISOString() };
      return { LoginProfile: { UserName: user.name, CreateDate: user.loginProfile.createDate, PasswordResetRequired: false } };
    },
    /** IAM answers NoSuchEntity for a user without a console password. */
    GetLoginProfile(input: { UserName: string }, caller) {
      const user = userOf(caller, input.UserName);
      if (!user.loginProfile) throw noSuchEntity(`Login Profile for User ${input.UserName} cannot be found.`);
      return { LoginProfile: { UserName: user.name, CreateDate: user.loginProfile.createDate, PasswordResetRequired: false } };
    },
    ListUsers: (_input: unknown, caller) => ({ Users: Object.values(accountOf(caller.accountId).users).map(userOut), IsTruncated: false }),
    PutUserPolicy(input: { UserName: string; PolicyName: string; PolicyDocument: string }, caller) {
      userOf(caller, input.UserName).inlinePolicies[input.PolicyName] = input.PolicyDocument;
      return {};
    },
    ListUserPolicies: (input: { UserName: string }, caller) => ({ PolicyNames: Object.keys(userOf(caller, input.UserName).inlinePolicies), IsTruncated: false }),
    GetUserPolicy(input: { UserName: string; PolicyName: string }, caller) {
      const document = userOf(caller, input.UserName).inlinePolicies[input.PolicyName];
      if (document === undefined) throw noSuchEntity(`The user policy with name ${input.PolicyName} cannot be found.`);
      return { UserName: input.UserName, PolicyName: input.PolicyName, PolicyDocument: encodeDocument(document) };
    },
    AttachUserPolicy(input: { UserName: string; PolicyArn: string }, caller) {
      const user = userOf(caller, input.UserName);
      if (!input.PolicyArn.includes(":iam::aws:policy/") && !accountOf(caller.accountId).policies[input.PolicyArn]) {
        throw noSuchEntity(`Policy ${input.PolicyArn} does not exist or is not attachable.`);
      }
      if (!user.attachedPolicies.includes(input.PolicyArn)) user.attachedPolicies.push(input.PolicyArn);
      return {};
    },
    ListAttachedUserPolicies(input: { UserName: string }, caller) {
      const account = accountOf(caller.accountId);
      const user = userOf(caller, input.UserName);
      return { AttachedPolicies: user.attachedPolicies.map((arn) => ({ PolicyArn: arn, PolicyName: account.policies[arn]?.name ?? arn.split("/").pop() })), IsTruncated: false };
    },
    CreateAccessKey(input: { UserName: string }, caller) {
      const user = userOf(caller, input.UserName);
      if (user.accessKeys.length >= MAX_ACCESS_KEYS) throw new AwsError("LimitExceeded", `Cannot exceed quota for AccessKeysPerUser: ${MAX_ACCESS_KEYS}`, 409);
      const key: AccessKey = {
        id: `AKIA${randomId(16)}`,
        secretAccessKey: crypto.randomBytes(30).toString("base64"),
        status: "Active",
        createDate: now().toISOString(),
      };
      user.accessKeys.push(key);
      keys.set(key.id, { accountId: caller.accountId, userName: user.name });
      return { AccessKey: { UserName: user.name, AccessKeyId: key.id, Status: key.status, SecretAccessKey: key.secretAccessKey, CreateDate: key.createDate } };
    },
    ListAccessKeys(input: { UserName: string }, caller) {
      const user = userOf(caller, input.UserName);
      return { AccessKeyMetadata: user.accessKeys.map((key) => ({ UserName: user.name, AccessKeyId: key.id, Status: key.status, CreateDate: key.createDate })), IsTruncated: false };
    },
    UpdateAccessKey(input: { UserName?: string; AccessKeyId: string; Status: string }, caller) {
      const { user, key } = keyOf(caller, input.AccessKeyId);
      if (input.UserName !== undefined && input.UserName !== user.name) throw noSuchEntity(`The Access Key with id ${input.AccessKeyId} cannot be found`);
      if (input.Status !== "Active" && input.Status !== "Inactive") throw new AwsError("ValidationError", `Value '${input.Status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`);
      key.status = input.Status;
      return {};
    },
    /** IAM answers N/A for a key never used. */
    GetAccessKeyLastUsed(input: { AccessKeyId: string }, caller) {
      const { user, key } = keyOf(caller, input.AccessKeyId);
      const used = key.lastUsed;
      return {
        UserName: user.name,
        AccessKeyLastUsed: used ? { LastUsedDate: used.date, ServiceName: used.service, Region: used.region } : { ServiceName: "N/A", Region: "N/A" },
      };
    },
    /** Users (inline policies, attached ARNs, groups, tags), groups and the account's own managed policies with every version, as IAM's Filter selects. */
    GetAccountAuthorizationDetails(input: { Filter?: string[] }, caller) {
      const account = accountOf(caller.accountId);
      const wanted = (entity: string) => !input.Filter || input.Filter.includes(entity);
      if (input.Filter?.some((entity) => !["User", "Group", "LocalManagedPolicy"].includes(entity))) {
        throw new AwsError("InvalidAction", `fake AWS: GetAccountAuthorizationDetails with Filter ${input.Filter.join(",")} is not implemented`);
      }
      return {
        UserDetailList: wanted("User")
          ? Object.values(account.users).map((user) => ({
              ...userOut(user),
              UserPolicyList: Object.entries(user.inlinePolicies).map(([PolicyName, document]) => ({ PolicyName, PolicyDocument: encodeDocument(document) })),
              GroupList: user.groups ?? [],
              AttachedManagedPolicies: attached(account, user.attachedPolicies),
              Tags: user.tags ?? [],
            }))
          : [],
        GroupDetailList: wanted("Group")
          ? Object.values(account.groups).map((group) => ({
              Path: group.path,
              GroupName: group.name,
              GroupId: group.id,
              Arn: group.arn,
              CreateDate: group.createDate,
              GroupPolicyList: Object.entries(group.inlinePolicies).map(([PolicyName, document]) => ({ PolicyName, PolicyDocument: encodeDocument(document) })),
              AttachedManagedPolicies: attached(account, group.attachedPolicies),
            }))
          : [],
        Policies: wanted("LocalManagedPolicy")
          ? Object.values(account.policies).map((policy) => ({
              PolicyName: policy.name,
              PolicyId: policy.id,
              Arn: policy.arn,
              Path: policy.path,
              DefaultVersionId: policy.defaultVersionId,
              IsAttachable: true,
              CreateDate: policy.createDate,
              UpdateDate: policy.updateDate,
              PolicyVersionList: policy.versions.map((version) => ({
                Document: encodeDocument(version.document),
                VersionId: version.versionId,
                IsDefaultVersion: version.versionId === policy.defaultVersionId,
                CreateDate: version.createDate,
              })),
            }))
          : [],
        IsTruncated: false,
      };
    },
  };
}
