import {
  enabledServices,
  Partition,
  SERVICE_NAMES,
  ServiceFlags,
  TrelicaIntegrationProps,
} from "../../modules/trelica-integration";
import { AccountState } from "../config/accounts-file";
import { configError, LoadedConfig } from "../config/load";
import { defaultServices, deploymentRoleName, integrationBase, resolvedBackend } from "./defaults";
import { namesOneAccount, parseBoundaryArn, sharedBoundaryAllowed } from "../config/boundary";
import { partitionOf, REGIONS_BY_PARTITION } from "../config/regions";
import { BackendConfig } from "../config/schema";
import { readOnlyDeployerName } from "../config/deployer";
import { globToRegExp, matchesAny } from "../common/glob";
import { planRoleName } from "../config/terraform-cloud";
import { listSome, plural } from "../common/list";
import { administratorWarning } from "./administrator";
import { accountsNotInFile, compare, findManagementAccount, mergeAccounts, namesSeveralManagementAccounts } from "./known-accounts";

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
