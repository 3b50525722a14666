import { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "../../modules/cdk-flavour";
import { Construct } from "constructs";
import { CloudFormationTemplate, Partition, TrelicaIntegration, TrelicaIntegrationProps } from "../../modules/trelica-integration";
import { addBackend } from "./backend";
import { LoadedConfig } from "../config/load";
import { AccountDeployment } from "../organization/deployments";
import { defaultServices, integrationBase, memberRoleProps, resolvedBackend, roleArn } from "../organization/defaults";
import { partitionOf } from "../config/regions";
import { BackendConfig, StackSetConfig } from "../config/schema";
import { declareRequirements } from "./terraform-requirements";

/*
 * mode: stackset. Two stacks:
 * - the management account's own stack, `trelica-<management account>`, exactly as accounts mode
 *   makes it (StackSets never deploy to the management account, and ListAccounts answers only there),
 *   run with the management account's credentials: switching modes never touches that role;
 * - `trelica-organization`, run where the stack set is administered (the management account, or a
 *   delegated administrator with callAs DELEGATED_ADMIN): a service-managed stack set that enrols every
 *   account of the targeted OUs, new ones and the delegated administrator included. It holds no role,
 *   and has a state of its own (`{accountId}` in state keys and workspace names becomes
 *   `organization`), so no account stack's state ever holds the stack set.
 */

export const ORGANIZATION_STACK_NAME = "trelica-organization";
/** Stands for the account ID in the organization stack's state key or workspace name. */
export const ORGANIZATION_STATE_ID = "organization";

export interface StackSetDeployment {
  /** Where the stack set is administered: the organization stack runs here. */
  readonly accountId: string;
  /** The management account's own stack: the direct role. */
  readonly management: AccountDeployment;
  readonly region: string;
  readonly partition: Partition;
  readonly backend: BackendConfig;
  readonly stackSet: StackSetConfig;
  /** The role in every enrolled account. */
  readonly members: TrelicaIntegrationProps;
  readonly warnings: string[];
}

export function resolveStackSet(loaded: LoadedConfig): StackSetDeployment {
  const { config } = loaded;
  // Semantic checks guarantee both in this mode.
  const stackSet = config.stackSet!;
  const managementAccountId = config.managementAccountId!;
  const accountId = stackSet.callAs === "DELEGATED_ADMIN" ? stackSet.delegatedAdminAccountId! : managementAccountId;
  const partition = partitionOf(config.region);
  const members = memberRoleProps(config, partition);
  const memberServices = members.services!;
  const backend = resolvedBackend(config);
  // The same deployment accounts mode makes for the management account, so its stack is the same in both.
  const managementServices = defaultServices(config, true);
  const management: AccountDeployment = {
    accountId: managementAccountId,
    region: config.region,
    partition,
    isManagementAccount: true,
    services: managementServices,
    providerRoleName: undefined,
    adoptExisting: config.adoptExisting,
    backend,
    integration: { ...integrationBase(config, partition, managementAccountId), services: managementServices, policyName: config.role.policyName },
  };
  const warnings = memberServices.organizations
    ? ["services.organizations is on for every enrolled account: organizations:ListAccounts only answers in the management account or a delegated administrator."]
    : [];
  return {
    accountId,
    management,
    region: config.region,
    partition,
    backend,
    stackSet: { ...stackSet, region: stackSet.region ?? config.region },
    members,
    warnings,
  };
}

export function memberTemplate(deployment: StackSetDeployment): CloudFormationTemplate {
  return TrelicaIntegration.cloudFormationTemplate(deployment.members);
}

export class OrganizationStack extends TerraformStack {
  constructor(scope: Construct, deployment: StackSetDeployment) {
    super(scope, ORGANIZATION_STACK_NAME);
    const { stackSet } = deployment;

    const aws = new AwsProvider(this, "aws", { region: deployment.region, allowedAccountIds: [deployment.accountId] });
    addBackend(this, deployment.backend, ORGANIZATION_STATE_ID);
    declareRequirements(this, aws, deployment.backend);

    const preferences = {
      maxConcurrentCount: stackSet.maxConcurrentCount,
      maxConcurrentPercentage: stackSet.maxConcurrentPercentage,
      failureToleranceCount: stackSet.failureToleranceCount,
      failureTolerancePercentage: stackSet.failureTolerancePercentage,
      regionConcurrencyType: stackSet.regionConcurrencyType,
    };
    const hasPreferences = Object.values(preferences).some((value) => value !== undefined);

    const set = new CloudformationStackSet(this, "stack_set", {
      name: stackSet.name,
      description: "TrelicaIntegration role for Trelica in every account of the targeted OUs",
      permissionModel: "SERVICE_MANAGED",
      callAs: stackSet.callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: stackSet.retainStacksOnAccountRemoval },
      capabilities: ["CAPABILITY_NAMED_IAM"],
      operationPreferences: hasPreferences ? preferences : undefined,
      templateBody: JSON.stringify(memberTemplate(deployment)),
      // The provider reports a perpetual diff on this attribute for service-managed stack sets.
      lifecycle: { ignoreChanges: ["administration_role_arn"] },
    });

    new CloudformationStackSetInstance(this, "stack_set_instance", {
      stackSetName: set.name,
      callAs: stackSet.callAs,
      // Exactly one region: IAM is global, and a second region's stack would collide on the role name.
      // Named only when it is not the provider's (its default): the attribute's name differs between provider 5.x and 6.x.
      stackSetInstanceRegion: stackSet.region === deployment.region ? undefined : stackSet.region,
      deploymentTargets: {
        organizationalUnitIds: stackSet.organizationalUnitIds,
        accountFilterType: stackSet.accountFilter?.type,
        accounts: stackSet.accountFilter?.accounts,
      },
      operationPreferences: hasPreferences ? preferences : undefined,
    });

    new TerraformOutput(this, "stack_set_name", { value: set.name, description: "Enrols every account of the targeted OUs" });
    new TerraformOutput(this, "member_role_arn", {
      value: roleArn(deployment.partition, "<account-id>", TrelicaIntegration.ROLE_NAME),
      description: "The role in each enrolled account",
    });
  }
}
