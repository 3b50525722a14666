import { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, TerraformOutput, TerraformStack } from "../../modules/cdk-flavour";
import { Construct } from "constructs";
import { Partition, TrelicaIntegration } from "../../modules/trelica-integration";
import { addBackend, localStateOf } from "../stacks/backend";
import { resolvedBackend, roleArn } from "../organization/defaults";
import { configError, LoadedConfig } from "../config/load";
import { partitionOf } from "../config/regions";
import { BackendConfig } from "../config/schema";
import { Resolution } from "../organization/deployments";
import { organizationIdOf } from "../organization/known-accounts";
import { DEPLOYER_STACK_NAME } from "../stacks/stack-names";
import { synthesizeBeside } from "../stacks/synthesize";
import { declareRequirements } from "../stacks/terraform-requirements";
import { BOUNDARY_POLICY_NAME } from "../config/deployer";
import { BOUNDARY_DESCRIPTION, boundaryPolicy, managingPolicy } from "./policies";
import type { PolicyJson } from "../common/policy-json";
import { Invocation, npmCommand } from "../common/commands";
import { deployerTemplate } from "./template";

/*
 * trelica-deployer: applied first, in the management account with its own credentials, before any member
 * stack runs through the deployer. Its own small stack (not the management account's, not the Terraform
 * Cloud bootstrap) so that it has its own state and lifecycle: destroying or re-planning an account stack
 * never touches the roles every account stack runs through, and adding the deployer to an existing
 * Organization changes no account stack until the roles are in place. It holds:
 * - a service-managed stack set with auto-deployment: the deployer and TrelicaIntegrationBoundary in
 *   every account of the OUs, new ones included (StackSets never deploy to the management account);
 * - TrelicaIntegrationBoundary in the management account, whose TrelicaIntegration is under it too.
 */

export { DEPLOYER_STACK_NAME };
/** Stands for the account ID in the deployer stack's state key. */
export const DEPLOYER_STATE_ID = "deployer";

export interface DeployerDeployment {
  readonly managementAccountId: string;
  readonly region: string;
  readonly partition: Partition;
  readonly backend: BackendConfig;
  readonly roleName: string;
  readonly organizationalUnitIds: readonly string[];
  readonly principalArns: readonly string[];
  readonly planPrincipalArn?: string;
  /** Who runs verify: the deployer's trustedPrincipalArns, never Terraform Cloud's roles. */
  readonly verifyPrincipalArns: readonly string[];
  readonly awsOrganizationId?: string;
  /** The Trelica policy's name in an account the config does not name otherwise (role.policyName, or the default). */
  readonly policyName: string;
  /** Each member account's Trelica policy name where it differs (accounts[].policyName). */
  readonly policyNameOf: Readonly<Record<string, string>>;
  /** The management account's Trelica policy name: what its trusted principals' policy names. */
  readonly managementPolicyName: string;
  /** The deployer's ARN in each member account the config deploys through it. */
  readonly memberRoleArns: readonly string[];
  /** Member accounts marked adoptExisting. */
  readonly adoptingAccountIds: readonly string[];
  /** Is the management account's role marked adoptExisting? */
  readonly adoptingManagementRole: boolean;
}

export interface TerraformCloudRoles {
  readonly applyRoleArn: string;
  readonly planRoleArn: string;
}

/** The deployer stack's deployment, or undefined without `deployment.deployer`. Throws one UserError listing every problem. */
export function resolveDeployer(loaded: LoadedConfig, resolution: Resolution, cloud?: TerraformCloudRoles): DeployerDeployment | undefined {
  const { config } = loaded;
  const deployer = config.deployment.deployer;
  if (deployer === undefined) return undefined;
  const managementAccountId = resolution.managementAccountId;
  if (managementAccountId === undefined) {
    throw configError(loaded.file, [
      "managementAccountId: got nothing, and the accountsFile's account ARNs do not name it; expected the management account's 12-digit ID " +
        "with deployment.deployer, since the trelica-deployer stack (the stack set and the boundary) runs there",
    ]);
  }
  const backend = resolvedBackend(config);
  const policyName = config.role.policyName ?? TrelicaIntegration.DEFAULT_POLICY_NAME;
  const nameOf = (deployment?: Resolution["deployments"][number]) => deployment?.integration.policyName ?? policyName;
  return {
    managementAccountId,
    region: config.region,
    partition: partitionOf(config.region),
    // Terraform Cloud's workspaces match trelica-*: this stack is applied by a person, with local state, as the bootstrap stack is.
    backend: backend.type === "cloud" ? { type: "local" } : backend,
    roleName: deployer.roleName,
    organizationalUnitIds: deployer.organizationalUnitIds,
    principalArns: [...new Set([...deployer.trustedPrincipalArns, ...(cloud ? [cloud.applyRoleArn] : [])])].sort(),
    planPrincipalArn: cloud?.planRoleArn,
    verifyPrincipalArns: [...new Set(deployer.trustedPrincipalArns)].sort(),
    awsOrganizationId: organizationIdOf(loaded),
    policyName,
    policyNameOf: Object.fromEntries(
      resolution.deployments
        .filter((deployment) => deployment.accountId !== managementAccountId && nameOf(deployment) !== policyName)
        .map((deployment) => [deployment.accountId, nameOf(deployment)]),
    ),
    managementPolicyName: nameOf(resolution.deployments.find((deployment) => deployment.accountId === managementAccountId)),
    adoptingAccountIds: resolution.deployments.filter((deployment) => deployment.adoptExisting && deployment.accountId !== managementAccountId).map((deployment) => deployment.accountId),
    adoptingManagementRole: resolution.deployments.some((deployment) => deployment.adoptExisting && deployment.accountId === managementAccountId),
    memberRoleArns: resolution.deployments
      .filter((deployment) => deployment.providerRoleName === deployer.roleName)
      .map((deployment) => roleArn(deployment.partition, deployment.accountId, deployer.roleName)),
  };
}

export class DeployerStack extends TerraformStack {
  constructor(scope: Construct, readonly deployment: DeployerDeployment) {
    super(scope, DEPLOYER_STACK_NAME);
    const aws = new AwsProvider(this, "aws", { region: deployment.region, allowedAccountIds: [deployment.managementAccountId] });
    if (deployment.backend.type === "local") {
      new LocalBackend(this, { path: localStateOf(this, DEPLOYER_STACK_NAME) });
    } else {
      addBackend(this, deployment.backend, DEPLOYER_STATE_ID);
    }
    declareRequirements(this, aws, deployment.backend);

    new IamPolicy(this, "boundary", {
      name: BOUNDARY_POLICY_NAME,
      path: "/",
      description: BOUNDARY_DESCRIPTION,
      policy: JSON.stringify(boundaryPolicy()),
    });

    const set = new CloudformationStackSet(this, "stack_set", {
      name: deployment.roleName,
      description: `${deployment.roleName} and ${BOUNDARY_POLICY_NAME} in every account of the targeted OUs`,
      permissionModel: "SERVICE_MANAGED",
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ["CAPABILITY_NAMED_IAM"],
      templateBody: JSON.stringify(deployerTemplate(deployment)),
      // The provider reports a perpetual diff on this attribute for service-managed stack sets.
      lifecycle: { ignoreChanges: ["administration_role_arn"] },
    });
    new CloudformationStackSetInstance(this, "stack_set_instance", {
      stackSetName: set.name,
      // One region, the provider's (IAM is global; a second region's stack would collide on the role name).
      // Left to its default, the provider's region: the attribute's name differs between provider 5.x and 6.x.
      deploymentTargets: { organizationalUnitIds: [...deployment.organizationalUnitIds] },
    });

    new TerraformOutput(this, "deployer_role_arn", {
      value: roleArn(deployment.partition, "<account-id>", deployment.roleName),
      description: "The role account stacks assume in each member account",
    });
  }
}

/**
 * The identity policy `deployment.deployer.trustedPrincipalArns` need in the management account (printed by
 * `npm run synth -- --print-management-policy`): TrelicaIntegration there under its boundary, and the deployer in members.
 */
export function managementPrincipalPolicy(deployment: DeployerDeployment): PolicyJson {
  return managingPolicy({
    partition: deployment.partition,
    managementAccountId: deployment.managementAccountId,
    policyName: deployment.managementPolicyName,
    access: "write",
    adoptingManagementRole: deployment.adoptingManagementRole,
    deploymentRoleNames: deployment.memberRoleArns.length > 0 ? [deployment.roleName] : [],
    awsOrganizationId: deployment.awsOrganizationId,
    memberRoleArns: deployment.memberRoleArns,
  });
}

/** Writes the deployer stack beside the account stacks (as the Terraform Cloud bootstrap stack is written) and says what to do with it. */
export function synthesizeDeployerStack(deployment: DeployerDeployment, outdir: string, log: (line: string) => void = () => {}, stateDir?: string, invocation: Invocation = {}): void {
  const selection = { ...invocation, accounts: [DEPLOYER_STACK_NAME], exclude: undefined };
  // No full stop after a command: pasted with it, the last word would be another file or account.
  log(
    `trelica: 1 deployer stack (${DEPLOYER_STACK_NAME}) for account ${deployment.managementAccountId}: stack set ${deployment.roleName} enrolling ` +
      `${deployment.organizationalUnitIds.join(", ")}; apply it before the account stacks: ${npmCommand("rollout", ["plan"], selection)}, then ${npmCommand("rollout", ["apply"], selection)}`,
  );
  synthesizeBeside(outdir, DEPLOYER_STACK_NAME, (app) => new DeployerStack(app, deployment), stateDir);
}
