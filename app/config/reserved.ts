import { formatPath } from "./parse/source";

/**
 * Stands for the account ID in the one stack cdktf synthesizes per shape of account (app/stacks/synthesize.ts).
 * Letters only, so JSON never escapes it; refused in every config value, so when it is replaced by each
 * account's ID only what our code placed is touched.
 */
export const ACCOUNT_ID_SENTINEL = "TRELICAACCOUNTIDSENTINEL";

/** Every config value that contains the sentinel, by field. */
export function reservedMarkerProblems(data: unknown, at: PropertyKey[] = []): string[] {
  if (typeof data === "string") {
    return data.includes(ACCOUNT_ID_SENTINEL)
      ? [`${formatPath(at)}: got ${JSON.stringify(data)}; expected a value without "${ACCOUNT_ID_SENTINEL}", a marker this program reserves for itself`]
      : [];
  }
  if (Array.isArray(data)) return data.flatMap((item, index) => reservedMarkerProblems(item, [...at, index]));
  if (data && typeof data === "object") {
    return Object.entries(data).flatMap(([key, value]) => [
      ...reservedMarkerProblems(key, [...at, key]),
      ...reservedMarkerProblems(value, [...at, key]),
    ]);
  }
  return [];
}
