import {
  enabledServices,
  Partition,
  SERVICE_NAMES,
  ServiceFlags,
  TrelicaIntegrationProps,
} from "../../modules/trelica-integration";
import { editDistance } from "../config/parse/suggest";
import { AccountState, OrganizationAccount } from "../config/accounts-file";
import { configError, LoadedConfig } from "../config/load";
import { defaultServices, deploymentRoleName, integrationBase, resolvedBackend } from "./defaults";
import { namesOneAccount, parseBoundaryArn, sharedBoundaryAllowed } from "../config/boundary";
import { partitionOf, REGIONS_BY_PARTITION } from "../config/regions";
import { AccountConfig, BackendConfig } from "../config/schema";
import { readOnlyDeployerName } from "../config/deployer";
import { globToRegExp, matchesAny } from "../common/glob";
import { planRoleName } from "../config/terraform-cloud";
import { listSome, plural } from "../common/list";
import { administratorWarning } from "./administrator";

/** Everything one account's stack needs, resolved from the config: no defaults left to apply. */
export interface AccountDeployment {
  readonly accountId: string;
  readonly name?: string;
  readonly region: string;
  readonly partition: Partition;
  readonly isManagementAccount: boolean;
  readonly services: Required<ServiceFlags>;
  /** The role the AWS provider assumes in the account; undefined: the ambient credentials. */
  readonly providerRoleName?: string;
  /**
   * Terraform Cloud with the deployer: a run whose credentials are `callerRoleName` (the plan role) assumes
   * `roleName` (the deployer's read-only twin) instead of providerRoleName.
   */
  readonly planRole?: { readonly callerRoleName: string; readonly roleName: string };
  /** Import the hand-made role, policy and attachment on the first apply. */
  readonly adoptExisting: boolean;
  readonly backend: BackendConfig;
  readonly integration: TrelicaIntegrationProps;
}

export interface SkippedAccount {
  readonly accountId: string;
  readonly name?: string;
  readonly state: AccountState;
}

export interface Resolution {
  readonly deployments: AccountDeployment[];
  /** Accounts that are not ACTIVE: no stack. */
  readonly skipped: SkippedAccount[];
  /** Accounts left out by include/exclude. */
  readonly filteredOut: number;
  readonly managementAccountId?: string;
  readonly warnings: string[];
}

export function stackNameFor(accountId: string): string {
  return `trelica-${accountId}`;
}

interface KnownAccount {
  readonly id: string;
  readonly name?: string;
  readonly state: AccountState;
  readonly joinedMethod?: string;
  /** The explicit `accounts` entry and its index, if any: it wins over the file for overrides. */
  readonly entry?: AccountConfig;
  readonly index?: number;
}

/**
 * One deployment per ACTIVE account that passes the filters, sorted by account ID so output never
 * churns. Throws one UserError listing every problem.
 */
export function resolveDeployments(loaded: LoadedConfig): Resolution {
  const { config } = loaded;
  const problems: string[] = [];
  const warnings: string[] = [];
  const partition = partitionOf(config.region);
  const backend = resolvedBackend(config);

  if (config.accountsFile !== undefined) problems.push(...accountsNotInFile(loaded));
  const known = mergeAccounts(loaded.organizationAccounts, config.accounts).sort((a, b) => compare(a.id, b.id));
  const managementAccountId = findManagementAccount(loaded, known, problems);

  const include = (config.include ?? []).map(globToRegExp);
  const exclude = (config.exclude ?? []).map(globToRegExp);
  const checkPatternsMatch = (key: "include" | "exclude", patterns: readonly RegExp[]) =>
    patterns.forEach((pattern, index) => {
      if (!known.some((account) => matchesAny([account.id, account.name], [pattern]))) {
        const example = known.length > 0 ? `, such as "${known[0].id}"${known[0].name ? ` or "${known[0].name}"` : ""}` : "";
        problems.push(
          `${key}[${index}]: got "${config[key]![index]}", which matches no account ID or name among ${plural(known.length, "account")}; expected a glob that matches one${example}`,
        );
      }
    });
  checkPatternsMatch("include", include);
  checkPatternsMatch("exclude", exclude);

  const selected = known.filter(
    (account) =>
      (include.length === 0 || matchesAny([account.id, account.name], include)) && !matchesAny([account.id, account.name], exclude),
  );
  const skipped = selected.filter((account) => account.state !== "ACTIVE").map(({ id, name, state }) => ({ accountId: id, name, state }));
  const active = selected.filter((account) => account.state === "ACTIVE");

  const deployer = config.deployment.deployer;
  const noService: string[] = [];
  const organizationsOutsideManagement: string[] = [];
  const invitedWithDefaultRole: string[] = [];

  const deployments = active.map((account): AccountDeployment => {
    const where = account.index === undefined ? `account ${account.id}` : `accounts[${account.index}] (${account.id})`;
    const entry = account.entry;
    const isManagementAccount = account.id === managementAccountId;
    const services: Required<ServiceFlags> = { ...defaultServices(config, isManagementAccount), ...entry?.services };
    if (enabledServices(services).length === 0) noService.push(where);
    if (services.organizations && !isManagementAccount) organizationsOutsideManagement.push(account.id);

    const region = entry?.region ?? config.region;
    if (!REGIONS_BY_PARTITION[partition].includes(region)) {
      problems.push(`accounts[${account.index}].region: got "${region}"; expected a region of the ${partition} partition, like the top-level region ${config.region}`);
    }

    // The management account never has OrganizationAccountAccessRole: use the ambient credentials there.
    const assumeRoleName = entry?.assumeRoleName ?? (isManagementAccount ? false : deploymentRoleName(config));
    if (account.joinedMethod === "INVITED" && entry?.assumeRoleName === undefined && assumeRoleName === "OrganizationAccountAccessRole") {
      invitedWithDefaultRole.push(account.id);
    }
    const policyName = entry?.policyName ?? config.role.policyName;
    return {
      accountId: account.id,
      name: account.name,
      region,
      partition,
      isManagementAccount,
      services,
      providerRoleName: assumeRoleName === false ? undefined : assumeRoleName,
      planRole: deployer && config.terraformCloud && assumeRoleName === deployer.roleName
        ? { callerRoleName: planRoleName(config.terraformCloud.runRoleName), roleName: readOnlyDeployerName(deployer.roleName) }
        : undefined,
      adoptExisting: entry?.adoptExisting ?? config.adoptExisting,
      backend,
      integration: { ...integrationBase(config, partition, account.id), services, policyName },
    };
  });

  const boundaryProblem = oneAccountBoundaryProblem(config.role.permissionsBoundaryArn, deployments);
  if (boundaryProblem) problems.push(boundaryProblem);
  // An export of two Organizations is already reported; "no management account" would say it wrongly.
  if (managementAccountId === undefined && !namesSeveralManagementAccounts(loaded)) {
    const unknown = managementUnknown(loaded, deployments);
    if (unknown.problem) problems.push(unknown.problem);
    if (unknown.warning) warnings.push(unknown.warning);
  }
  if (noService.length > 0) {
    problems.push(
      `${listSome(noService)}: no service enabled after merging the defaults; expected at least one of ${SERVICE_NAMES.join(", ")} on`,
    );
  }
  if (known.length > 0 && deployments.length === 0 && problems.length === 0) {
    problems.push(
      `accounts: none of ${plural(known.length, "account")} is left to deploy (${skipped.length} not ACTIVE, ${known.length - selected.length} filtered out); expected at least one`,
    );
  }
  if (problems.length > 0) throw configError(loaded.file, problems);

  if (organizationsOutsideManagement.length > 0) {
    warnings.push(
      `services.organizations is on in ${plural(organizationsOutsideManagement.length, "account")} that ` +
        `${organizationsOutsideManagement.length === 1 ? "is" : "are"} not the management account (${listSome(organizationsOutsideManagement)}): ` +
        "organizations:ListAccounts only answers in the management account or a delegated administrator.",
    );
  }
  if (invitedWithDefaultRole.length > 0) {
    warnings.push(
      `${plural(invitedWithDefaultRole.length, "account")} joined by invitation (${listSome(invitedWithDefaultRole)}) may lack ` +
        "OrganizationAccountAccessRole, which Organizations creates only in accounts it created: create that role there, " +
        "or set assumeRoleName on those accounts, before applying.",
    );
  }

  const administrator = administratorWarning(config, deployments);
  if (administrator) warnings.push(administrator);

  return {
    deployments,
    skipped,
    filteredOut: known.length - selected.length,
    managementAccountId,
    warnings,
  };
}

/**
 * With an accounts file, an `accounts[]` ID it does not list is most likely a typo of one it does: refused,
 * with the closest IDs, unless marked notInAccountsFile (added on purpose).
 */
function accountsNotInFile(loaded: LoadedConfig): string[] {
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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** File accounts, overridden and extended by explicit entries (which the user wrote on purpose). */
function mergeAccounts(fromFile: readonly OrganizationAccount[], entries: readonly AccountConfig[]): KnownAccount[] {
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

function namesSeveralManagementAccounts(loaded: LoadedConfig): boolean {
  return new Set(loaded.organizationAccounts.flatMap((account) => (account.managementAccountId === undefined ? [] : [account.managementAccountId]))).size > 1;
}

function findManagementAccount(loaded: LoadedConfig, known: readonly KnownAccount[], problems: string[]): string | undefined {
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

/**
 * Without the management account, it would be treated as a member: Terraform would assume
 * OrganizationAccountAccessRole there (which it never has, so apply fails) and organizations stays off.
 * With several accounts one of them may well be it: refused. A single account may be a standalone account
 * (no Organization at all), so only a warning, and only when Terraform would assume a role in it.
 */
function managementUnknown(loaded: LoadedConfig, deployments: readonly AccountDeployment[]): { problem?: string; warning?: string } {
  const where = loaded.config.accountsFile === undefined ? "there is no accountsFile" : "the accountsFile's account ARNs do not name it";
  if (deployments.length > 1) {
    return {
      problem:
        `managementAccountId: got nothing, and ${where}; with ${plural(deployments.length, "account")} to deploy, one may be the Organization's ` +
        "management account, where Terraform cannot assume OrganizationAccountAccessRole and organizations:ListAccounts belongs. " +
        "Expected the management account's 12-digit ID (`aws organizations describe-organization --query Organization.MasterAccountId`), " +
        "listed among the accounts (exclude it if it should get no stack), or an accountsFile from `aws organizations list-accounts`",
    };
  }
  const [only] = deployments;
  if (only === undefined || only.providerRoleName === undefined) return {};
  return {
    warning:
      `managementAccountId is not set and ${where}, so account ${only.accountId} is treated as a member account: Terraform assumes ` +
      `${only.providerRoleName} there and organizations is off. If it is the Organization's management account, set ` +
      `managementAccountId: "${only.accountId}" (the management account has no OrganizationAccountAccessRole, so apply would fail there); ` +
      "if it is a standalone account outside any Organization, set deployment.assumeRoleName: false to use your own credentials.",
  };
}

/** IAM refuses a boundary policy the role's account does not own: one account's policy fits that account alone. */
function oneAccountBoundaryProblem(arn: string | undefined, deployments: readonly AccountDeployment[]): string | undefined {
  const boundary = parseBoundaryArn(arn);
  if (boundary === undefined || !namesOneAccount(boundary)) return undefined;
  const others = deployments.filter((deployment) => deployment.accountId !== boundary.account).map((deployment) => deployment.accountId);
  if (others.length === 0) return undefined;
  return (
    `role.permissionsBoundaryArn: got "${arn}", a policy of account ${boundary.account}, for ${plural(deployments.length, "account")}; ` +
    `IAM refuses a boundary the role's account does not own (here ${listSome(others)}). Expected ${sharedBoundaryAllowed(boundary)}`
  );
}
