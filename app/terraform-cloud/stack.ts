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
import { LocalBackend, TerraformOutput, TerraformStack } from "../../modules/cdk-flavour";
import { Construct } from "constructs";
import { localStateOf } from "../stacks/backend";
import { plural } from "../common/list";
import { synthesizeBeside } from "../stacks/synthesize";
import { forAccount, TerraformCloudDeployment } from "./deployment";
import { oidcProviderArn, RunPhase, runRolePermissionPolicy, runRoleTrustPolicy, TERRAFORM_CLOUD_AUDIENCE } from "./policies";
import { TERRAFORM_CLOUD_STACK_NAME } from "../stacks/stack-names";
import { planRoleName } from "../config/terraform-cloud";
import { declareRequirements } from "../stacks/terraform-requirements";

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

export class TerraformCloudStack extends TerraformStack {
  constructor(scope: Construct, readonly deployment: TerraformCloudDeployment) {
    super(scope, TERRAFORM_CLOUD_STACK_NAME);
    const { partition, managementAccountId, hostname, organization } = deployment;

    // No token here: the tfe provider reads TFE_TOKEN (or terraform login's credentials) from the environment.
    const tfe = new TfeProvider(this, "tfe", { hostname, organization });
    const aws = new AwsProvider(this, "aws", { region: deployment.region, allowedAccountIds: [managementAccountId] });
    // Applied once by a person, before any workspace exists to hold its state: local state beside the config.
    new LocalBackend(this, { path: localStateOf(this, TERRAFORM_CLOUD_STACK_NAME) });
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
            adoptingManagementRole: deployment.adoptingManagementRole,
            phase,
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
export function synthesizeTerraformCloudStack(deployment: TerraformCloudDeployment, outdir: string, log: (line: string) => void = () => {}, stateDir?: string): void {
  log(
    `trelica: 1 bootstrap stack (${TERRAFORM_CLOUD_STACK_NAME}) for ${plural(deployment.workspaces.length, "workspace")} in ` +
      `${deployment.organization}/${deployment.project} on ${deployment.hostname}, run role ${deployment.runRoleName} in account ${deployment.managementAccountId}.`,
  );
  synthesizeBeside(outdir, TERRAFORM_CLOUD_STACK_NAME, (app) => new TerraformCloudStack(app, deployment), stateDir);
}
