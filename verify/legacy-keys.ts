import { GetAccessKeyLastUsedCommand, IAMClient, ListAccessKeysCommand, UpdateAccessKeyCommand } from "@aws-sdk/client-iam";
import { actionsFor, ALL_SERVICES } from "../modules/trelica-integration";
import { grantsOnly } from "./read/policy";
import type { LiveAccount, LiveUser } from "./read/read-account";

/*
 * The deprecated way to connect Trelica: an IAM user with long-term access keys. A user looks like it
 * when its name contains "trelica" (any case) or when its policies grant only actions from Trelica's
 * set. Each key gets a verdict from its last use and the role's: a key last used before Trelica first
 * used the role (or never) is safe to deactivate.
 */

export type KeyVerdict = "safe to deactivate" | "still in use: connect Trelica with the role first" | "inactive" | "deactivated";

/** An access key as verify shows it: the ID masked to its last 4 characters, everywhere. */
export interface LegacyKey {
  readonly keyId: string;
  status: "Active" | "Inactive";
  readonly createdAt?: string;
  readonly lastUsed?: { readonly date: string; readonly service?: string; readonly region?: string };
  verdict: KeyVerdict;
}

export interface LegacyUser {
  readonly userName: string;
  /** Why it looks like the old integration. */
  readonly why: string;
  readonly keys: LegacyKey[];
}

/** Every action of every Trelica service: a policy granting only these is Trelica's. */
const TRELICA_ACTIONS: ReadonlySet<string> = new Set(actionsFor(ALL_SERVICES));

/** The one way a key ID is shown. */
export function maskKeyId(id: string): string {
  return `${"*".repeat(Math.max(0, id.length - 4))}${id.slice(-4)}`;
}

/** The users that look like the old Trelica integration, and why. */
export function legacyCandidates(live: LiveAccount): { user: LiveUser; why: string }[] {
  return live.users.flatMap((user) => {
    if (/trelica/i.test(user.name)) return [{ user, why: 'its name contains "trelica"' }];
    const documents = [...user.inlinePolicies, ...user.attachedPolicyArns.map((arn) => live.localPolicies.get(arn))];
    // An AWS-managed policy (not among the account's own) grants more than Trelica's set: not ours.
    const onlyTrelica = documents.length > 0 && documents.every((document) => document !== undefined && grantsOnly(document, TRELICA_ACTIONS));
    return onlyTrelica ? [{ user, why: "its policies grant only actions from Trelica's set" }] : [];
  });
}

/** Keys read with their IDs: the IDs stay here, for deactivation, and never reach output. */
export interface ReadKeys {
  readonly user: LegacyUser;
  readonly ids: ReadonlyMap<LegacyKey, string>;
}

/** ListAccessKeys for the user, then GetAccessKeyLastUsed per key (IAM allows two). */
export async function readLegacyUser(iam: IAMClient, candidate: { user: LiveUser; why: string }, roleLastUsed: string | undefined): Promise<ReadKeys> {
  const listed = await iam.send(new ListAccessKeysCommand({ UserName: candidate.user.name }));
  const ids = new Map<LegacyKey, string>();
  const keys = await Promise.all(
    (listed.AccessKeyMetadata ?? []).map(async (metadata) => {
      const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: metadata.AccessKeyId! }));
      const lastUsedDate = used.AccessKeyLastUsed?.LastUsedDate?.toISOString();
      const status = metadata.Status === "Active" ? "Active" : "Inactive";
      const key: LegacyKey = {
        keyId: maskKeyId(metadata.AccessKeyId!),
        status,
        createdAt: metadata.CreateDate?.toISOString(),
        lastUsed: lastUsedDate ? { date: lastUsedDate, service: used.AccessKeyLastUsed?.ServiceName, region: used.AccessKeyLastUsed?.Region } : undefined,
        verdict: verdictOf(status, lastUsedDate, roleLastUsed),
      };
      ids.set(key, metadata.AccessKeyId!);
      return key;
    }),
  );
  return { user: { userName: candidate.user.name, why: candidate.why, keys }, ids };
}

/** Safe only when Trelica has used the role after the key's last use: then Trelica no longer needs the key. */
export function verdictOf(status: "Active" | "Inactive", keyLastUsed: string | undefined, roleLastUsed: string | undefined): KeyVerdict {
  if (status === "Inactive") return "inactive";
  if (roleLastUsed !== undefined && (keyLastUsed === undefined || Date.parse(keyLastUsed) < Date.parse(roleLastUsed))) return "safe to deactivate";
  return "still in use: connect Trelica with the role first";
}

/** Sets the key to Inactive (never deletes it): `aws iam update-access-key --status Active` undoes it. */
export async function deactivateKey(iam: IAMClient, read: ReadKeys, key: LegacyKey): Promise<void> {
  await iam.send(new UpdateAccessKeyCommand({ UserName: read.user.userName, AccessKeyId: read.ids.get(key)!, Status: "Inactive" }));
  key.status = "Inactive";
  key.verdict = "deactivated";
}

/** A key that fails the audit: active, whatever its verdict. */
export function isActiveLegacyKey(key: LegacyKey): boolean {
  return key.verdict === "safe to deactivate" || key.verdict.startsWith("still in use");
}
