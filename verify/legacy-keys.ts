import { GetAccessKeyLastUsedCommand, GetLoginProfileCommand, IAMClient, ListAccessKeysCommand, UpdateAccessKeyCommand } from "@aws-sdk/client-iam";
import { actionsFor, ALL_SERVICES } from "../modules/trelica-integration";
import { errorCode, errorText } from "./read/aws";
import { grantsOnly } from "./read/policy";
import { plural } from "../app/common/list";
import type { LiveAccount, LiveUser } from "./read/read-account";

/*
 * The deprecated way to connect Trelica: an IAM user with long-term access keys. Deactivating someone
 * else's key is an outage we cause, so a user counts as Trelica's legacy user only when all three hold:
 * - its effective permissions (its inline and attached policies, and its groups' inline and attached
 *   policies) are within Trelica's actions: a user that may do anything else is not Trelica's;
 * - it has no console password (login profile): a person signs in with it;
 * - its name or one of its tags says "trelica" (any case): never the name alone, never the policy alone.
 * A key of such a user is safe to deactivate only when it has been idle at least --legacy-key-idle-days
 * (default 30) and Trelica has used the role since the key's last use. Every user that looks like
 * Trelica's (by name, tag or policy) and every key gets its reason.
 */

export type KeyVerdict = "safe to deactivate" | "keep" | "inactive" | "deactivated";

/** An access key as verify shows it: the ID masked to its last 4 characters, everywhere. */
export interface LegacyKey {
  readonly keyId: string;
  status: "Active" | "Inactive";
  readonly createdAt?: string;
  readonly lastUsed?: { readonly date: string; readonly service?: string; readonly region?: string };
  verdict: KeyVerdict;
  /** Why: what made it safe, or why it is kept. */
  reason: string;
}

export interface LegacyUser {
  readonly userName: string;
  /** Why it counts as Trelica's legacy user. */
  readonly why: string;
  readonly keys: LegacyKey[];
}

/** A user that looks like Trelica's but does not count, and why: its keys are never touched. */
export interface NotTrelicaUser {
  readonly userName: string;
  readonly why: string;
}

/** The default of --legacy-key-idle-days. */
export const DEFAULT_IDLE_DAYS = 30;
const DAY_MS = 86_400_000;

/** Every action of every Trelica service: permissions within these are Trelica's. */
const TRELICA_ACTIONS: ReadonlySet<string> = new Set(actionsFor(ALL_SERVICES));

/** The one way a key ID is shown. */
export function maskKeyId(id: string): string {
  return `${"*".repeat(Math.max(0, id.length - 4))}${id.slice(-4)}`;
}

/** What in its name or tags says Trelica, or undefined. */
function saysTrelica(user: LiveUser): string | undefined {
  if (/trelica/i.test(user.name)) return 'its name says "trelica"';
  const tag = Object.entries(user.tags).find(([key, value]) => /trelica/i.test(key) || /trelica/i.test(value));
  return tag ? `its tag ${tag[0]}=${tag[1]} says Trelica` : undefined;
}

/** Whether the user's effective permissions are within Trelica's actions, and if not, why not. */
function permissionsWithinTrelica(live: LiveAccount, user: LiveUser): { within: true } | { within: false; why: string } {
  const documents: [string, unknown][] = [
    ...user.inlinePolicies.map((document) => ["an inline policy", document] as [string, unknown]),
    ...user.attachedPolicyArns.map((arn) => [arn, live.localPolicies.get(arn)] as [string, unknown]),
  ];
  for (const name of user.groups) {
    const group = live.groups.get(name);
    if (group === undefined) return { within: false, why: `its group ${name} could not be read` };
    documents.push(...group.inlinePolicies.map((document) => [`group ${name}'s inline policy`, document] as [string, unknown]));
    documents.push(...group.attachedPolicyArns.map((arn) => [`group ${name}'s ${arn}`, live.localPolicies.get(arn)] as [string, unknown]));
  }
  if (documents.length === 0) return { within: false, why: "it has no policy: Trelica could not have used it" };
  // An AWS-managed policy (not among the account's own) grants more than Trelica's set.
  const wider = documents.find(([, document]) => document === undefined || !grantsOnly(document, TRELICA_ACTIONS));
  return wider ? { within: false, why: `${wider[0]} grants more than Trelica's read-only actions` } : { within: true };
}

/** Trelica's legacy users (to be confirmed by their console password) and the users that only look like it. */
export function legacyCandidates(live: LiveAccount): { candidates: { user: LiveUser; why: string }[]; notTrelica: NotTrelicaUser[] } {
  const candidates: { user: LiveUser; why: string }[] = [];
  const notTrelica: NotTrelicaUser[] = [];
  for (const user of live.users) {
    const says = saysTrelica(user);
    const permissions = permissionsWithinTrelica(live, user);
    if (says === undefined && !permissions.within) continue;
    if (says === undefined) notTrelica.push({ userName: user.name, why: "its permissions are within Trelica's, but neither its name nor a tag says Trelica" });
    else if (!permissions.within) notTrelica.push({ userName: user.name, why: `${says}, but ${permissions.why}` });
    else candidates.push({ user, why: `${says}, and its permissions are within Trelica's actions` });
  }
  return { candidates, notTrelica };
}

/** A candidate with a console password is a person's user; one whose password cannot be read is left alone. */
export async function consolePasswordReason(iam: IAMClient, userName: string): Promise<string | undefined> {
  try {
    await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return "it has a console password (a person signs in with it)";
  } catch (error) {
    const code = errorCode(error);
    if (code === "NoSuchEntityException" || code === "NoSuchEntity") return undefined;
    return `verify could not tell whether it has a console password (${errorText(error)})`;
  }
}

/** Keys read with their IDs: the IDs stay here, for deactivation, and never reach output. */
export interface ReadKeys {
  readonly user: LegacyUser;
  readonly ids: ReadonlyMap<LegacyKey, string>;
}

export interface IdleRule {
  /** At least this many days since the key's last use (or its creation, if never used). */
  readonly idleDays: number;
  readonly now: number;
  /** Trelica's last use of the role. */
  readonly roleLastUsed?: string;
}

/** ListAccessKeys for the user, then GetAccessKeyLastUsed per key (IAM allows two). */
export async function readLegacyUser(iam: IAMClient, candidate: { user: LiveUser; why: string }, rule: IdleRule): Promise<ReadKeys> {
  const listed = await iam.send(new ListAccessKeysCommand({ UserName: candidate.user.name }));
  const ids = new Map<LegacyKey, string>();
  const keys = await Promise.all(
    (listed.AccessKeyMetadata ?? []).map(async (metadata) => {
      const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: metadata.AccessKeyId! }));
      const lastUsedDate = used.AccessKeyLastUsed?.LastUsedDate?.toISOString();
      const status = metadata.Status === "Active" ? "Active" : "Inactive";
      const createdAt = metadata.CreateDate?.toISOString();
      const key: LegacyKey = {
        keyId: maskKeyId(metadata.AccessKeyId!),
        status,
        createdAt,
        lastUsed: lastUsedDate ? { date: lastUsedDate, service: used.AccessKeyLastUsed?.ServiceName, region: used.AccessKeyLastUsed?.Region } : undefined,
        ...verdictOf(status, lastUsedDate, createdAt, rule),
      };
      ids.set(key, metadata.AccessKeyId!);
      return key;
    }),
  );
  return { user: { userName: candidate.user.name, why: candidate.why, keys }, ids };
}

/** Safe only when idle long enough and Trelica has used the role since the key's last use: then Trelica no longer needs the key. */
export function verdictOf(status: "Active" | "Inactive", keyLastUsed: string | undefined, createdAt: string | undefined, rule: IdleRule): Pick<LegacyKey, "verdict" | "reason"> {
  if (status === "Inactive") return { verdict: "inactive", reason: "already inactive" };
  const idleSince = keyLastUsed ?? createdAt;
  const idle = idleSince === undefined ? undefined : Math.floor((rule.now - Date.parse(idleSince)) / DAY_MS);
  const since = keyLastUsed ? `last used ${keyLastUsed}` : `never used, created ${createdAt ?? "at an unknown date"}`;
  if (rule.roleLastUsed === undefined) return { verdict: "keep", reason: `${since}; Trelica has not used the role yet: connect Trelica with the role first` };
  if (keyLastUsed !== undefined && Date.parse(keyLastUsed) >= Date.parse(rule.roleLastUsed)) {
    return { verdict: "keep", reason: `${since}, after Trelica last used the role (${rule.roleLastUsed}): something still uses it` };
  }
  if (idle === undefined || idle < rule.idleDays) {
    return { verdict: "keep", reason: `${since}, idle ${idle === undefined ? "for an unknown time" : plural(idle, "day")}; safe only after ${plural(rule.idleDays, "day")} idle (--legacy-key-idle-days)` };
  }
  return { verdict: "safe to deactivate", reason: `${since}, idle ${plural(idle, "day")} (at least ${rule.idleDays}), and Trelica has used the role since (${rule.roleLastUsed})` };
}

/** Sets the key to Inactive (never deletes it): `aws iam update-access-key --status Active` undoes it. */
export async function deactivateKey(iam: IAMClient, read: ReadKeys, key: LegacyKey): Promise<void> {
  await iam.send(new UpdateAccessKeyCommand({ UserName: read.user.userName, AccessKeyId: read.ids.get(key)!, Status: "Inactive" }));
  key.status = "Inactive";
  key.verdict = "deactivated";
}

/** A key that fails the audit: active, whatever its verdict. */
export function isActiveLegacyKey(key: LegacyKey): boolean {
  return key.status === "Active";
}
