import { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { CloudFormationTemplate, Partition, TrelicaIntegration, TrelicaIntegrationProps } from "../modules/trelica-integration";
import { addBackend } from "./backend";
import { LoadedConfig } from "./config/load";
import { defaultServices, integrationBase, resolvedBackend, roleArn } from "./config/defaults";
import { partitionOf } from "./config/regions";
import { BackendConfig, StackSetConfig } from "./config/schema";
import { declareRequirements } from "./terraform-requirements";

/*
 * mode: stackset. One stack, deployed where the stack set is administered (the management account, or
 * a delegated administrator with callAs DELEGATED_ADMIN): the role there directly (StackSets never
 * deploy to the management account, and ListAccounts answers only there), and a service-managed
 * stack set that enrols every account of the targeted OUs, new ones included.
 */

export const ORGANIZATION_STACK_NAME = "trelica-organization";

export interface StackSetDeployment {
  /** Where this stack runs and the direct role lives. */
  readonly accountId: string;
  readonly region: string;
  readonly partition: Partition;
  readonly backend: BackendConfig;
  readonly stackSet: StackSetConfig;
  /** The role in the administering account: organizations on. */
  readonly direct: TrelicaIntegrationProps;
  /** The role in every enrolled account. */
  readonly members: TrelicaIntegrationProps;
  readonly warnings: string[];
}

export function resolveStackSet(loaded: LoadedConfig): StackSetDeployment {
  const { config } = loaded;
  // Semantic checks guarantee both in this mode.
  const stackSet = config.stackSet!;
  const accountId = stackSet.callAs === "DELEGATED_ADMIN" ? stackSet.delegatedAdminAccountId! : config.managementAccountId!;
  const partition = partitionOf(config.region);
  const base = integrationBase(config, partition);
  const memberServices = defaultServices(config, false);
  const warnings = memberServices.organizations
    ? ["services.organizations is on for every enrolled account: organizations:ListAccounts only answers in the management account or a delegated administrator."]
    : [];
  return {
    accountId,
    region: config.region,
    partition,
    backend: resolvedBackend(config),
    stackSet: { ...stackSet, region: stackSet.region ?? config.region },
    direct: { ...base, services: { ...memberServices, organizations: true } },
    members: { ...base, services: memberServices },
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
    addBackend(this, deployment.backend, deployment.accountId);
    declareRequirements(this, aws, deployment.backend);

    const direct = new TrelicaIntegration(this, "trelica", deployment.direct);

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
      stackSetInstanceRegion: stackSet.region,
      deploymentTargets: {
        organizationalUnitIds: stackSet.organizationalUnitIds,
        accountFilterType: stackSet.accountFilter?.type,
        accounts: stackSet.accountFilter?.accounts,
      },
      operationPreferences: hasPreferences ? preferences : undefined,
    });

    new TerraformOutput(this, "role_arn", { value: direct.roleArn, description: "Role ARN Trelica assumes in this account" });
    new TerraformOutput(this, "account_id", { value: deployment.accountId, description: "Enter in Trelica: AWS account ID" });
    new TerraformOutput(this, "region", { value: deployment.region, description: "Enter in Trelica: region" });
    new TerraformOutput(this, "stack_set_name", { value: set.name, description: "Enrols every account of the targeted OUs" });
    new TerraformOutput(this, "member_role_arn", {
      value: roleArn(deployment.partition, "<account-id>", TrelicaIntegration.ROLE_NAME),
      description: "The role in each enrolled account",
    });
  }
}
