import type { Session } from "./sts";
import { AccountState, emptyAccount } from "./state";

/*
 * Everything the fake remembers, as JSON: what `npm run sandbox` writes to disk and starts from again.
 * Derived indexes (access keys by ID, the roles Organizations made) are rebuilt from it, not stored.
 */

export const SNAPSHOT_VERSION = 1;

export interface FakeAwsSnapshot {
  readonly version: typeof SNAPSHOT_VERSION;
  /** Every account's IAM, StackSets and CloudFormation state, by account ID. */
  readonly accounts: Record<string, AccountState>;
  /** AssumeRole sessions not yet expired, by access key ID: a terraform run may span a restart. */
  readonly sessions: Record<string, Session>;
  /** Accounts whose deployment role Organizations made (the fake made it), not a test or terraform. */
  readonly deploymentRoleMadeIn: readonly string[];
}

/** Reads a snapshot written by `FakeAws.snapshot()` (from JSON); anything else is refused, naming what is wrong. */
export function readSnapshot(data: unknown): FakeAwsSnapshot {
  const snapshot = data as Partial<FakeAwsSnapshot> | null;
  if (typeof snapshot !== "object" || snapshot === null || snapshot.version !== SNAPSHOT_VERSION) {
    throw new Error(`not a fake AWS snapshot of version ${SNAPSHOT_VERSION}`);
  }
  if (typeof snapshot.accounts !== "object" || typeof snapshot.sessions !== "object" || !Array.isArray(snapshot.deploymentRoleMadeIn)) {
    throw new Error("a fake AWS snapshot needs accounts, sessions and deploymentRoleMadeIn");
  }
  // A state written before a kind of resource existed gets that kind empty.
  const accounts = Object.fromEntries(Object.entries(snapshot.accounts ?? {}).map(([id, state]) => [id, { ...emptyAccount(), ...state }]));
  return { version: SNAPSHOT_VERSION, accounts, sessions: snapshot.sessions ?? {}, deploymentRoleMadeIn: snapshot.deploymentRoleMadeIn ?? [] };
}
