import * as crypto from "node:crypto";
import { accessDenied, validationError } from "./errors";
import type { Handler } from "./iam";
import { AccountState, Caller } from "./state";

/** Temporary credentials handed out by AssumeRole; the signature of a request using them is checked with `secretAccessKey`. */
export interface Session extends Caller {
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiresAt: number;
}

export interface StsRules {
  readonly accountOf: (accountId: string) => AccountState;
  readonly sessions: Map<string, Session>;
  /** The clock for the role's last use. */
  readonly now: () => Date;
}

/** Who may assume a role is decided before the handler runs, by the role's trust policy (./authorize.ts). */
export function stsHandlers(rules: StsRules): Record<string, Handler> {
  return {
    GetCallerIdentity: (_input, caller) => ({ UserId: caller.userId, Account: caller.accountId, Arn: caller.arn }),
    AssumeRole(input: { RoleArn: string; RoleSessionName: string; DurationSeconds?: number }, caller) {
      const match = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(input.RoleArn ?? "");
      if (!match) throw validationError(`${input.RoleArn} is invalid`);
      const [, target, roleName] = match;
      const role = rules.accountOf(target).roles[roleName];
      if (!role) throw accessDenied(`User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`);
      // IAM's RoleLastUsed: the handler runs only once the trust policy (and the caller's policies) allowed it.
      role.lastUsed = { date: rules.now().toISOString(), region: caller.region ?? "us-east-1" };
      const accessKeyId = `ASIA${crypto.randomBytes(8).toString("hex").toUpperCase()}`;
      const expiresAt = Date.now() + (input.DurationSeconds ?? 3600) * 1000;
      const session: Session = {
        accountId: target,
        arn: `arn:aws:sts::${target}:assumed-role/${roleName}/${input.RoleSessionName}`,
        userId: `${role.id}:${input.RoleSessionName}`,
        identity: { kind: "role", name: roleName },
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
