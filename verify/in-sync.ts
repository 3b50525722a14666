import type { LegacyUser } from "./legacy-keys";
import { isActiveLegacyKey } from "./legacy-keys";
import type { Finding } from "./compare";
import type { VerifyStatus } from "./report";

/**
 * An account's verdict once it was read: "ok" is the in-sync decision (the role as configured, no
 * active legacy key), on which a steady-state rollout may skip terraform, so any difference must
 * keep an account out of it.
 */
export function accountStatus(roleExists: boolean, findings: readonly Finding[], legacyUsers: readonly LegacyUser[]): VerifyStatus {
  if (!roleExists) return "missing-role";
  if (findings.length > 0) return "drift";
  if (legacyUsers.some((user) => user.keys.some(isActiveLegacyKey))) return "legacy-keys";
  return "ok";
}
