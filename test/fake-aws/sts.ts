import * as crypto from "node:crypto";
import { accessDenied, validationError } from "./errors";
import type { Handler } from "./iam";
import { Caller, Role } from "./state";
import { trustAllows } from "./trust";

/** Temporary credentials handed out by AssumeRole; the signature of a request using them is checked with `secretAccessKey`. */
export interface Session extends Caller {
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiresAt: number;
}

export interface StsRules {
  readonly managementAccountId: string;
  /** The role our stacks assume in member accounts (Organizations makes it in the accounts it creates). */
  readonly deploymentRoleName: string;
  /** Member accounts that lack the deployment role (joined by invitation). */
  readonly accountsWithoutDeploymentRole: ReadonlySet<string>;
  readonly sessions: Map<string, Session>;
  /** A role in an account's IAM state, for any other AssumeRole: its trust policy decides. */
  readonly roleIn?: (accountId: string, roleName: string) => Role | undefined;
  readonly now?: () => Date;
}

export function stsHandlers(rules: StsRules): Record<string, Handler> {
  return {
    GetCallerIdentity: (_input, caller) => ({ UserId: caller.userId, Account: caller.accountId, Arn: caller.arn }),
    AssumeRole(input: { RoleArn: string; RoleSessionName: string; DurationSeconds?: number; ExternalId?: string }, caller) {
      const match = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(input.RoleArn ?? "");
      if (!match) throw validationError(`${input.RoleArn} is invalid`);
      const [, target, roleName] = match;
      // Cross-account only as an Organization allows it: from the management account into the
      // deployment role of a member account that has one.
      const organizationAllows =
        caller.accountId === rules.managementAccountId &&
        target !== rules.managementAccountId &&
        roleName === rules.deploymentRoleName &&
        !rules.accountsWithoutDeploymentRole.has(target);
      // Any other role that exists: its trust policy decides (Trelica assuming TrelicaIntegration, an audit role).
      const role = organizationAllows ? undefined : rules.roleIn?.(target, roleName);
      const allowed = organizationAllows || (role !== undefined && trustAllows(role, caller, input.ExternalId));
      if (allowed && role) role.lastUsed = { date: (rules.now?.() ?? new Date()).toISOString(), region: caller.region ?? "us-east-1" };
      if (!allowed) throw accessDenied(`User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`);
      const accessKeyId = `ASIA${crypto.randomBytes(8).toString("hex").toUpperCase()}`;
      const roleId = `AROA${crypto.createHash("sha1").update(target + roleName).digest("hex").slice(0, 17).toUpperCase()}`;
      const expiresAt = Date.now() + (input.DurationSeconds ?? 3600) * 1000;
      const session: Session = {
        accountId: target,
        arn: `arn:aws:sts::${target}:assumed-role/${roleName}/${input.RoleSessionName}`,
        userId: `${roleId}:${input.RoleSessionName}`,
        secretAccessKey: crypto.randomBytes(30).toString("base64"),
        sessionToken: `FwoGZXIvYXdzE${crypto.randomBytes(48).toString("base64")}`,
        expiresAt,
      };
      rules.sessions.set(accessKeyId, session);
      return {
        Credentials: {
          AccessKeyId: accessKeyId,
          SecretAccessKey: session.secretAccessKey,
          SessionToken: session.sessionToken,
          Expiration: new Date(expiresAt).toISOString(),
        },
        AssumedRoleUser: { AssumedRoleId: session.userId, Arn: session.arn },
        PackedPolicySize: 0,
      };
    },
  };
}
