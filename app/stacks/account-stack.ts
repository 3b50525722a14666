import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { Fn, TerraformOutput, TerraformStack, Token } from "../../modules/cdk-flavour";
import { Construct } from "constructs";
import { TrelicaIntegration } from "../../modules/trelica-integration";
import { addBackend } from "./backend";
import { roleArn } from "../organization/defaults";
import { AccountDeployment, stackNameFor } from "../organization/deployments";
import { declareRequirements } from "./terraform-requirements";

/** One AWS account's stack: a guarded provider, its own state, the role, and what to type into Trelica. */
export class AccountStack extends TerraformStack {
  readonly integration: TrelicaIntegration;

  constructor(scope: Construct, readonly deployment: AccountDeployment) {
    super(scope, stackNameFor(deployment.accountId));

    const aws = new AwsProvider(this, "aws", {
      region: deployment.region,
      // Refuses to run if the credentials resolve to any other account.
      allowedAccountIds: [deployment.accountId],
      assumeRole: deployment.providerRoleName
        ? [{ roleArn: roleArn(deployment.partition, deployment.accountId, this.roleToAssume(deployment, deployment.providerRoleName)), sessionName: "trelica-aws-role" }]
        : undefined,
    });
    addBackend(this, deployment.backend, deployment.accountId);
    declareRequirements(this, aws, deployment.backend);

    this.integration = new TrelicaIntegration(this, "trelica", deployment.integration);
    if (deployment.adoptExisting) this.integration.adoptExisting(deployment.accountId);

    new TerraformOutput(this, "role_arn", { value: this.integration.roleArn, description: "Role ARN Trelica assumes" });
    new TerraformOutput(this, "account_id", { value: deployment.accountId, description: "Enter in Trelica: AWS account ID" });
    new TerraformOutput(this, "region", { value: deployment.region, description: "Enter in Trelica: region" });
  }

  /**
   * The role name, or with Terraform Cloud and the deployer, chosen by who runs: the plan role's session
   * (TFC_AWS_PLAN_ROLE_ARN) gets the deployer's read-only twin, anyone else the deployer. Terraform Cloud
   * gives a plan and an apply the same configuration, so the run's own identity is the only thing that
   * tells them apart; the trust policies decide the rest (the plan role may assume nothing else).
   */
  private roleToAssume(deployment: AccountDeployment, roleName: string): string {
    if (deployment.planRole === undefined) return roleName;
    const run = new AwsProvider(this, "run_credentials", { alias: "run_credentials", region: deployment.region });
    const identity = new DataAwsCallerIdentity(this, "run_identity", { provider: run });
    const isPlan = Fn.strcontains(identity.arn, `:assumed-role/${deployment.planRole.callerRoleName}/`);
    return Token.asString(Fn.conditional(isPlan, deployment.planRole.roleName, roleName));
  }
}
