import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataTfeProject } from "@cdktf/provider-tfe/lib/data-tfe-project";
import { Project } from "@cdktf/provider-tfe/lib/project";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { Variable } from "@cdktf/provider-tfe/lib/variable";
import { VariableSet } from "@cdktf/provider-tfe/lib/variable-set";
import { Workspace } from "@cdktf/provider-tfe/lib/workspace";
import { WorkspaceSettings } from "@cdktf/provider-tfe/lib/workspace-settings";
import { WorkspaceVariableSet } from "@cdktf/provider-tfe/lib/workspace-variable-set";
import { LocalBackend, TerraformOutput, TerraformStack } from "../modules/cdk-flavour";
import { Construct } from "constructs";
import { Partition, TrelicaIntegration } from "../modules/trelica-integration";
import { localStatePath, STACKS_OUTDIR_CONTEXT } from "./backend";
import { roleArn } from "./config/defaults";
import { configError, LoadedConfig } from "./config/load";
import { partitionOf } from "./config/regions";
import { ACCOUNT_ID_PLACEHOLDER, BackendConfig } from "./config/schema";
import { DEFAULT_TERRAFORM_CLOUD_HOSTNAME, TerraformCloudConfig } from "./config/terraform-cloud";
import { Resolution } from "./deployments";
import { plural } from "./list";
import { synthesizeBeside } from "./synthesize";
import {
  INLINE_POLICY_LIMIT,
  oidcProviderArn,
  policySize,
  RunPhase,
  runRolePermissionPolicy,
  runRoleTrustPolicy,
  TERRAFORM_CLOUD_AUDIENCE,
} from "./terraform-cloud-policies";
import { TERRAFORM_CLOUD_STACK_NAME } from "./stack-names";
import { readOnlyDeployerName } from "./deployer/template";
import { planRoleName } from "./terraform-cloud-names";
import { declareRequirements } from "./terraform-requirements";

/*
 * terraformCloud: the bootstrap stack, applied once from a machine with a Terraform Cloud user or team
 * token (TFE_TOKEN) and management-account credentials. It creates one workspace per account stack and
 * the keyless credentials their runs use: an OIDC provider for Terraform Cloud and, in the management
 * account, a read-only plan role and an apply role, announced to each of our workspaces by a variable
 * set attached to it by name. From then on every account's plan and apply runs in Terraform Cloud
 * without a stored AWS key, and a plan never holds write credentials.
 */

export { TERRAFORM_CLOUD_STACK_NAME };
export const DYNAMIC_CREDENTIALS_VARIABLE_SET = "trelica-aws-dynamic-credentials";

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
  /** Workspace names with `*` for the account ID: what the run role's trust policy admits. */
  readonly workspacePattern: string;
  /** The apply role (TFC_AWS_APPLY_ROLE_ARN); the plan role's name is planRoleName(runRoleName). */
  readonly runRoleName: string;
  /** With the deployer: TrelicaIntegrationBoundary exists in the management account. */
  readonly withBoundary: boolean;
  readonly awsOrganizationId?: string;
  /** The Trelica policy's name in the management account. */
  readonly managementPolicyName: string;
  readonly deploymentRoleNames: readonly string[];
  readonly memberRoleArns: readonly string[];
  /** What the plan role may assume in members: the deployer's read-only twin, or (without a deployer) the same roles. */
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

/** The workspace an account stack's cloud block names (app/backend.ts); a test checks the two agree. */
export function workspaceNamePattern(backend: BackendConfig): string {
  return (backend.type === "cloud" && backend.workspaceName) || `trelica-${ACCOUNT_ID_PLACEHOLDER}`;
}

const forAccount = (pattern: string, accountId: string) => pattern.split(ACCOUNT_ID_PLACEHOLDER).join(accountId);

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
  const listedOrganizationIds = [...new Set(loaded.organizationAccounts.flatMap((account) => (account.organizationId ? [account.organizationId] : [])))];
  if (cloud.awsOrganizationId !== undefined && listedOrganizationIds.length === 1 && listedOrganizationIds[0] !== cloud.awsOrganizationId) {
    problems.push(
      `terraformCloud.awsOrganizationId: got "${cloud.awsOrganizationId}"; expected "${listedOrganizationIds[0]}", the Organization the accountsFile's account ARNs name, or leave it out to use that one`,
    );
  }
  const awsOrganizationId = cloud.awsOrganizationId ?? (listedOrganizationIds.length === 1 ? listedOrganizationIds[0] : undefined);

  const members = resolution.deployments.filter((deployment) => deployment.providerRoleName !== undefined);
  const deploymentRoleNames = [...new Set(members.map((deployment) => deployment.providerRoleName!))].sort();
  const memberRoleArns = members.map((deployment) => roleArn(deployment.partition, deployment.accountId, deployment.providerRoleName!));
  // A plan reaches members only through the deployer's read-only twin (AccountStack picks it for the plan role).
  const planRoleOf = (name: string) => (config.deployment.deployer && name === config.deployment.deployer.roleName ? readOnlyDeployerName(name) : name);
  const planRoleNames = [...new Set(deploymentRoleNames.map(planRoleOf))].sort();
  const planMemberRoleArns = members.map((deployment) => roleArn(deployment.partition, deployment.accountId, planRoleOf(deployment.providerRoleName!)));
  const withBoundary = config.deployment.deployer !== undefined;
  const managementDeployment = resolution.deployments.find((deployment) => deployment.accountId === managementAccountId);
  const managementPolicyName = managementDeployment?.integration.policyName ?? config.role.policyName ?? TrelicaIntegration.DEFAULT_POLICY_NAME;

  if (awsOrganizationId === undefined && managementAccountId !== undefined) {
    const size = policySize(
      runRolePermissionPolicy({ partition, managementAccountId, policyName: managementPolicyName, phase: "apply", withBoundary, deploymentRoleNames, memberRoleArns }),
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
    workspacePattern: forAccount(workspacePattern, "*"),
    runRoleName: cloud.runRoleName,
    awsOrganizationId,
    managementPolicyName,
    deploymentRoleNames,
    memberRoleArns,
    withBoundary,
    planRoleNames,
    planMemberRoleArns,
  };
}

export class TerraformCloudStack extends TerraformStack {
  constructor(scope: Construct, readonly deployment: TerraformCloudDeployment) {
    super(scope, TERRAFORM_CLOUD_STACK_NAME);
    const { partition, managementAccountId, hostname, organization } = deployment;

    // No token here: the tfe provider reads TFE_TOKEN (or terraform login's credentials) from the environment.
    const tfe = new TfeProvider(this, "tfe", { hostname, organization });
    const aws = new AwsProvider(this, "aws", { region: deployment.region, allowedAccountIds: [managementAccountId] });
    // Applied once by a person, before any workspace exists to hold its state: local state in the project root.
    const outdir: string = this.node.tryGetContext(STACKS_OUTDIR_CONTEXT);
    new LocalBackend(this, { path: localStatePath(outdir, TERRAFORM_CLOUD_STACK_NAME) });
    declareRequirements(this, aws, { type: "local" });
    const tfeMajorMinor = /^(\d+\.\d+)\./.exec(tfe.terraformGeneratorMetadata?.providerVersion ?? "")?.[1];
    if (tfeMajorMinor) this.addOverride("terraform.required_providers.tfe.version", `~> ${tfeMajorMinor}`);

    const projectId = deployment.createProject
      ? new Project(this, "project", { name: deployment.project, organization }).id
      : new DataTfeProject(this, "project", { name: deployment.project, organization }).id;

    const oidc = new IamOpenidConnectProvider(this, "terraform_cloud_oidc", {
      url: `https://${hostname}`,
      clientIdList: [TERRAFORM_CLOUD_AUDIENCE],
    });
    // One role per run phase: a plan (a pull request's speculative plan included) gets read-only credentials.
    const phaseRole = (phase: RunPhase, id: string, name: string) => {
      const role = new IamRole(this, id, {
        name,
        description: `Terraform Cloud ${phase} phases of the ${deployment.project} project's Trelica workspaces (${organization} on ${hostname})`,
        assumeRolePolicy: JSON.stringify(runRoleTrustPolicy({ ...deployment, workspacePattern: deployment.workspacePattern, phase })),
        // The trust policy names the provider by ARN; it must exist before IAM accepts the policy.
        dependsOn: [oidc],
      });
      const apply = phase === "apply";
      new IamRolePolicy(this, `${id}_policy`, {
        name: apply ? "ManageTrelicaIntegration" : "ReadTrelicaIntegration",
        role: role.name,
        policy: JSON.stringify(
          runRolePermissionPolicy({
            partition,
            managementAccountId,
            policyName: deployment.managementPolicyName,
            phase,
            withBoundary: deployment.withBoundary,
            deploymentRoleNames: apply ? deployment.deploymentRoleNames : deployment.planRoleNames,
            awsOrganizationId: deployment.awsOrganizationId,
            memberRoleArns: apply ? deployment.memberRoleArns : deployment.planMemberRoleArns,
          }),
        ),
      });
      return role;
    };
    // "run_role" keeps its address: an existing bootstrap state's run role becomes the apply role in place.
    const applyRole = phaseRole("apply", "run_role", deployment.runRoleName);
    const planRole = phaseRole("plan", "plan_role", planRoleName(deployment.runRoleName));

    // Our workspaces (by name, not the whole project: a workspace someone adds to it gets nothing) get keyless AWS credentials.
    const credentials = new VariableSet(this, "dynamic_credentials", {
      name: DYNAMIC_CREDENTIALS_VARIABLE_SET,
      description: "Terraform Cloud's dynamic AWS credentials (OIDC) for the Trelica workspaces: no static keys",
      organization,
    });
    new Variable(this, "provider_auth_variable", { variableSetId: credentials.id, category: "env", key: "TFC_AWS_PROVIDER_AUTH", value: "true" });
    new Variable(this, "plan_role_arn_variable", { variableSetId: credentials.id, category: "env", key: "TFC_AWS_PLAN_ROLE_ARN", value: planRole.arn });
    new Variable(this, "apply_role_arn_variable", { variableSetId: credentials.id, category: "env", key: "TFC_AWS_APPLY_ROLE_ARN", value: applyRole.arn });

    const settings = deployment.workspaceSettings;
    const vcs = deployment.vcs;
    for (const workspace of deployment.workspaces) {
      const created = new Workspace(this, `workspace_${workspace.accountId}`, {
        name: workspace.name,
        organization,
        projectId,
        description: `Trelica's TrelicaIntegration role in AWS account ${workspace.accountId}${workspace.accountName ? ` (${workspace.accountName})` : ""}`,
        autoApply: settings.autoApply,
        terraformVersion: settings.terraformVersion,
        tags: settings.tags,
        // A new VCS-linked workspace would queue a run at once, before the variable set reaches it.
        queueAllRuns: false,
        workingDirectory: vcs && forAccount(vcs.workingDirectory, workspace.accountId),
        triggerPatterns: vcs?.triggerPatterns.map((pattern) => forAccount(pattern, workspace.accountId)),
        fileTriggersEnabled: vcs ? true : undefined,
        // A pull request's plan runs its own code (data sources, external programs) with the plan credentials: none.
        speculativeEnabled: vcs ? false : undefined,
        vcsRepo: vcs && {
          identifier: vcs.identifier,
          branch: vcs.branch,
          oauthTokenId: vcs.oauthTokenId,
          githubAppInstallationId: vcs.githubAppInstallationId,
        },
      });
      new WorkspaceVariableSet(this, `dynamic_credentials_${workspace.accountId}`, { workspaceId: created.id, variableSetId: credentials.id });
      // execution_mode and agent_pool_id on tfe_workspace are deprecated in favour of tfe_workspace_settings.
      new WorkspaceSettings(this, `workspace_settings_${workspace.accountId}`, {
        workspaceId: created.id,
        executionMode: settings.executionMode,
        agentPoolId: settings.agentPoolId,
      });
    }

    new TerraformOutput(this, "run_role_arn", { value: applyRole.arn, description: "Terraform Cloud applies assume this role (TFC_AWS_APPLY_ROLE_ARN)" });
    new TerraformOutput(this, "plan_role_arn", { value: planRole.arn, description: "Terraform Cloud plans assume this role (TFC_AWS_PLAN_ROLE_ARN): read only" });
    new TerraformOutput(this, "oidc_provider_arn", { value: oidcProviderArn(partition, managementAccountId, hostname) });
    new TerraformOutput(this, "workspace_count", { value: deployment.workspaces.length });
  }
}

/**
 * Writes `stacks/trelica-terraform-cloud/cdk.tf.json` beside the account stacks and adds it to the
 * manifest they were written with, so the cdktf CLI keeps its folder and `cdktf deploy` finds it. Called
 * after stale stacks are removed: its name starts with `trelica-` like theirs.
 */
export function synthesizeTerraformCloudStack(deployment: TerraformCloudDeployment, outdir: string, log: (line: string) => void = () => {}): void {
  log(
    `trelica: 1 bootstrap stack (${TERRAFORM_CLOUD_STACK_NAME}) for ${plural(deployment.workspaces.length, "workspace")} in ` +
      `${deployment.organization}/${deployment.project} on ${deployment.hostname}, run role ${deployment.runRoleName} in account ${deployment.managementAccountId}.`,
  );
  synthesizeBeside(outdir, TERRAFORM_CLOUD_STACK_NAME, (app) => new TerraformCloudStack(app, deployment));
}
