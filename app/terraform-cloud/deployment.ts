import { Partition, TrelicaIntegration } from "../../modules/trelica-integration";
import { roleArn } from "../organization/defaults";
import { configError, LoadedConfig } from "../config/load";
import { partitionOf } from "../config/regions";
import { ACCOUNT_ID_PLACEHOLDER, BackendConfig } from "../config/schema";
import { ANY_ACCOUNT_ID, DEFAULT_TERRAFORM_CLOUD_HOSTNAME, TerraformCloudConfig, planRoleName } from "../config/terraform-cloud";
import { Resolution } from "../organization/deployments";
import { listedOrganizationIds, organizationIdOf } from "../organization/known-accounts";
import { readOnlyDeployerName } from "../config/deployer";
import { plural } from "../common/list";
import { INLINE_POLICY_LIMIT, policySize, runRolePermissionPolicy } from "./policies";

/*
 * terraformCloud, resolved: what the bootstrap stack (terraform-cloud-stack.ts) creates, with every default
 * applied and every problem found before anything is written.
 */

export interface TerraformCloudWorkspace {
  readonly accountId: string;
  readonly accountName?: string;
  readonly name: string;
}

/** Everything the bootstrap stack needs, resolved: no defaults left to apply. */
export interface TerraformCloudDeployment {
  readonly managementAccountId: string;
  readonly region: string;
  readonly partition: Partition;
  readonly hostname: string;
  readonly organization: string;
  readonly project: string;
  readonly createProject: boolean;
  readonly workspaceSettings: TerraformCloudConfig["workspace"];
  readonly vcs?: Required<Omit<NonNullable<TerraformCloudConfig["vcs"]>, "branch" | "oauthTokenId" | "githubAppInstallationId">> &
    Pick<NonNullable<TerraformCloudConfig["vcs"]>, "branch" | "oauthTokenId" | "githubAppInstallationId">;
  /** One per account stack, sorted by account ID. */
  readonly workspaces: readonly TerraformCloudWorkspace[];
  /** Workspace names with ANY_ACCOUNT_ID (12 `?`) for the account ID: what the run roles' trust policies admit. */
  readonly workspacePattern: string;
  /** The apply role (TFC_AWS_APPLY_ROLE_ARN); the plan role's name is planRoleName(runRoleName). */
  readonly runRoleName: string;
  readonly awsOrganizationId?: string;
  /** The Trelica policy's name in the management account. */
  readonly managementPolicyName: string;
  /** adoptExisting on the management account: the apply role may re-trust its hand-made role once, before the boundary. */
  readonly adoptingManagementRole: boolean;
  readonly deploymentRoleNames: readonly string[];
  readonly memberRoleArns: readonly string[];
  /** What the plan role may assume in members: the deployer's read-only twin. */
  readonly planRoleNames: readonly string[];
  readonly planMemberRoleArns: readonly string[];
}


/** The two roles' ARNs, which the deployer's trust policies name. */
export function terraformCloudRoles(deployment: TerraformCloudDeployment): { applyRoleArn: string; planRoleArn: string } {
  return {
    applyRoleArn: roleArn(deployment.partition, deployment.managementAccountId, deployment.runRoleName),
    planRoleArn: roleArn(deployment.partition, deployment.managementAccountId, planRoleName(deployment.runRoleName)),
  };
}

/** The workspace an account stack's cloud block names (app/stacks/backend.ts); a test checks the two agree. */
export function workspaceNamePattern(backend: BackendConfig): string {
  return (backend.type === "cloud" && backend.workspaceName) || `trelica-${ACCOUNT_ID_PLACEHOLDER}`;
}

export const forAccount = (pattern: string, accountId: string) => pattern.split(ACCOUNT_ID_PLACEHOLDER).join(accountId);

/**
 * The bootstrap stack's deployment, or undefined without `terraformCloud`. Throws one UserError listing
 * every problem; called before anything is written.
 */
export function resolveTerraformCloud(loaded: LoadedConfig, resolution: Resolution): TerraformCloudDeployment | undefined {
  const { config } = loaded;
  const cloud = config.terraformCloud;
  // The schema and terraformCloudProblems guarantee a cloud backend here.
  if (cloud === undefined || config.backend.type !== "cloud") return undefined;
  const backend = config.backend;
  const problems: string[] = [];
  const partition = partitionOf(config.region);

  const managementAccountId = resolution.managementAccountId;
  if (managementAccountId === undefined) {
    problems.push(
      "managementAccountId: got nothing, and no accountsFile names it; expected the management account's 12-digit ID with terraformCloud, " +
        "since the run role and Terraform Cloud's OIDC provider are created there",
    );
  }

  // Terraform Cloud's run credentials are the management account's run role: an account stack without a
  // role to assume would run with them and be refused by its allowed_account_ids.
  const ambientFields = new Set<string>();
  for (const deployment of resolution.deployments) {
    if (deployment.providerRoleName !== undefined || deployment.accountId === managementAccountId) continue;
    const index = config.accounts.findIndex((entry) => entry.id === deployment.accountId && entry.assumeRoleName === false);
    ambientFields.add(index >= 0 ? `accounts[${index}].assumeRoleName` : "deployment.assumeRoleName");
  }
  for (const field of ambientFields) {
    problems.push(
      `${field}: got false with terraformCloud; expected a role name, since runs in Terraform Cloud start with the management ` +
        `account's run role (${cloud.runRoleName}) and must assume a role to reach any other account`,
    );
  }

  // The accounts file's ARNs name the Organization: the run role's AssumeRole can then be bounded by it.
  const listed = listedOrganizationIds(loaded);
  if (cloud.awsOrganizationId !== undefined && listed.length === 1 && listed[0] !== cloud.awsOrganizationId) {
    problems.push(
      `terraformCloud.awsOrganizationId: got "${cloud.awsOrganizationId}"; expected "${listed[0]}", the Organization the accountsFile's account ARNs name, or leave it out to use that one`,
    );
  }
  const awsOrganizationId = organizationIdOf(loaded);

  // Terraform Cloud's roles reach members only through the deployer (terraformCloudProblems refuses the block
  // without it): an account that names another role would hand a run whatever that role holds.
  const deployer = config.deployment.deployer!;
  const members = resolution.deployments.filter((deployment) => deployment.providerRoleName !== undefined);
  const otherRoles = new Map<string, string>();
  for (const deployment of members) {
    if (deployment.providerRoleName === deployer.roleName) continue;
    const index = config.accounts.findIndex((entry) => entry.id === deployment.accountId && entry.assumeRoleName !== undefined);
    otherRoles.set(index >= 0 ? `accounts[${index}].assumeRoleName` : "deployment.assumeRoleName", deployment.providerRoleName!);
  }
  for (const [field, name] of otherRoles) {
    problems.push(
      `${field}: got "${name}" with terraformCloud; expected ${deployer.roleName} (deployment.deployer.roleName), or no assumeRoleName, since Terraform Cloud's runs ` +
        "may assume only the roles the deployer's stack set creates, never one this program does not create (OrganizationAccountAccessRole holds AdministratorAccess)",
    );
  }
  const deploymentRoleNames = members.length > 0 ? [deployer.roleName] : [];
  const memberRoleArns = members.map((deployment) => roleArn(deployment.partition, deployment.accountId, deployer.roleName));
  // A plan reaches members only through the deployer's read-only twin (AccountStack picks it for the plan role).
  const planRoleNames = deploymentRoleNames.map(readOnlyDeployerName);
  const planMemberRoleArns = members.map((deployment) => roleArn(deployment.partition, deployment.accountId, readOnlyDeployerName(deployer.roleName)));
  const managementDeployment = resolution.deployments.find((deployment) => deployment.accountId === managementAccountId);
  const managementPolicyName = managementDeployment?.integration.policyName ?? config.role.policyName ?? TrelicaIntegration.DEFAULT_POLICY_NAME;

  if (awsOrganizationId === undefined && managementAccountId !== undefined) {
    const size = policySize(
      runRolePermissionPolicy({ partition, managementAccountId, policyName: managementPolicyName, phase: "apply", deploymentRoleNames, memberRoleArns }),
    );
    if (size > INLINE_POLICY_LIMIT) {
      problems.push(
        `terraformCloud.awsOrganizationId: got nothing (and no accountsFile names the Organization), so the run role's policy lists the deployment role of each of ${plural(members.length, "member account")} ` +
          `(${size} characters, over IAM's ${INLINE_POLICY_LIMIT} for a role's inline policies); expected the AWS Organization ID (o-..., ` +
          "aws organizations describe-organization --query Organization.Id), which lets the policy name the role once for the whole Organization",
      );
    }
  }
  if (problems.length > 0) throw configError(loaded.file, problems);

  const workspacePattern = workspaceNamePattern(backend);
  return {
    managementAccountId: managementAccountId!,
    region: config.region,
    partition,
    hostname: cloud.hostname ?? backend.hostname ?? DEFAULT_TERRAFORM_CLOUD_HOSTNAME,
    organization: cloud.organization ?? backend.organization,
    project: cloud.project,
    createProject: cloud.createProject,
    workspaceSettings: cloud.workspace,
    vcs: cloud.vcs && {
      ...cloud.vcs,
      triggerPatterns: cloud.vcs.triggerPatterns ?? [`/${cloud.vcs.workingDirectory}/**/*`],
    },
    workspaces: resolution.deployments.map((deployment) => ({
      accountId: deployment.accountId,
      accountName: deployment.name,
      name: forAccount(workspacePattern, deployment.accountId),
    })),
    workspacePattern: forAccount(workspacePattern, ANY_ACCOUNT_ID),
    runRoleName: cloud.runRoleName,
    awsOrganizationId,
    managementPolicyName,
    adoptingManagementRole: managementDeployment?.adoptExisting ?? false,
    deploymentRoleNames,
    memberRoleArns,
    planRoleNames,
    planMemberRoleArns,
  };
}

