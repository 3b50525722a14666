import { AccountState, OrganizationAccount } from "../config/accounts-file";
import { LoadedConfig } from "../config/load";
import { editDistance } from "../config/parse/suggest";
import { AccountConfig } from "../config/schema";
import { listSome, plural } from "../common/list";

/*
 * Which accounts a config names: the accounts file's, overridden and extended by `accounts[]`, the
 * management account among them, and the AWS Organization they belong to. deployments.ts turns them
 * into one deployment per account.
 */

export interface KnownAccount {
  readonly id: string;
  readonly name?: string;
  readonly state: AccountState;
  readonly joinedMethod?: string;
  /** The explicit `accounts` entry and its index, if any: it wins over the file for overrides. */
  readonly entry?: AccountConfig;
  readonly index?: number;
}

/**
 * With an accounts file, an `accounts[]` ID it does not list is most likely a typo of one it does: refused,
 * with the closest IDs, unless marked notInAccountsFile (added on purpose).
 */
export function accountsNotInFile(loaded: LoadedConfig): string[] {
  const listed = loaded.organizationAccounts.map((account) => account.id);
  const inFile = new Set(listed);
  return loaded.config.accounts.flatMap((entry, index) => {
    if (inFile.has(entry.id) || entry.notInAccountsFile === true) return [];
    const closest = closestIds(entry.id, listed);
    const suggestion = closest.length > 0 ? `; the closest there: ${closest.join(", ")}` : "";
    return [
      `accounts[${index}].id: got "${entry.id}", which is not in the accountsFile (${plural(listed.length, "account")})${suggestion}; ` +
        "expected an ID from the file, or notInAccountsFile: true on this entry to add an account the file lacks on purpose",
    ];
  });
}

/** The file's IDs nearest to `id` by edit distance (at most 3, all within 2 edits). */
function closestIds(id: string, ids: readonly string[]): string[] {
  return ids
    .map((candidate) => ({ candidate, distance: editDistance(id, candidate) }))
    .filter(({ distance }) => distance <= 2)
    .sort((a, b) => a.distance - b.distance || compare(a.candidate, b.candidate))
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** File accounts, overridden and extended by explicit entries (which the user wrote on purpose). */
export function mergeAccounts(fromFile: readonly OrganizationAccount[], entries: readonly AccountConfig[]): KnownAccount[] {
  const byId = new Map<string, KnownAccount>();
  for (const account of fromFile) byId.set(account.id, account);
  entries.forEach((entry, index) => {
    const listed = byId.get(entry.id);
    byId.set(entry.id, {
      id: entry.id,
      name: entry.name ?? listed?.name,
      state: listed?.state ?? "ACTIVE",
      joinedMethod: listed?.joinedMethod,
      entry,
      index,
    });
  });
  return [...byId.values()];
}

/** The AWS Organization IDs the accounts file's account ARNs name (normally one, or none without ARNs). */
export function listedOrganizationIds(loaded: LoadedConfig): string[] {
  return [...new Set(loaded.organizationAccounts.flatMap((account) => (account.organizationId ? [account.organizationId] : [])))];
}

/** The AWS Organization's ID: given (terraformCloud.awsOrganizationId), or named by every account ARN of the accounts file. */
export function organizationIdOf(loaded: LoadedConfig): string | undefined {
  const listed = listedOrganizationIds(loaded);
  return loaded.config.terraformCloud?.awsOrganizationId ?? (listed.length === 1 ? listed[0] : undefined);
}

export function namesSeveralManagementAccounts(loaded: LoadedConfig): boolean {
  return new Set(loaded.organizationAccounts.flatMap((account) => (account.managementAccountId === undefined ? [] : [account.managementAccountId]))).size > 1;
}

export function findManagementAccount(loaded: LoadedConfig, known: readonly KnownAccount[], problems: string[]): string | undefined {
  // Every account ARN in an Organization embeds the management account's ID; two IDs mean two Organizations' exports.
  const byManagement = new Map<string, string[]>();
  for (const account of loaded.organizationAccounts) {
    if (account.managementAccountId !== undefined) byManagement.set(account.managementAccountId, [...(byManagement.get(account.managementAccountId) ?? []), account.id]);
  }
  if (byManagement.size > 1) {
    const named = [...byManagement].map(([id, accounts]) => `${id} (${plural(accounts.length, "account")}: ${listSome(accounts, 3)})`);
    problems.push(
      `accountsFile: got "${loaded.config.accountsFile}", whose account ARNs name ${byManagement.size} different management accounts, ` +
        `${named.join(" and ")}; expected the export of one Organization (\`aws organizations list-accounts\` run in its management account), ` +
        "since OrganizationAccountAccessRole in each account trusts only its own Organization's management account. Use one config per Organization",
    );
  }
  const configured = loaded.config.managementAccountId;
  if (configured !== undefined) {
    if (!known.some((account) => account.id === configured)) {
      problems.push(`managementAccountId: got "${configured}", which is not in accounts or accountsFile; expected one of the listed accounts`);
    }
    return configured;
  }
  // Known even when the export leaves it out: then none of the listed accounts is the management account.
  return byManagement.size === 1 ? [...byManagement.keys()][0] : undefined;
}
