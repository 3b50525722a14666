import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { TrelicaIntegration } from "../modules/trelica-integration";
import { AccountDeployment, stackNameFor } from "./deployments";

/** One AWS account's stack: a guarded provider, its own state, the role, and what to type into Trelica. */
export class AccountStack extends TerraformStack {
  readonly integration: TrelicaIntegration;

  constructor(scope: Construct, readonly deployment: AccountDeployment) {
    const name = stackNameFor(deployment.accountId);
    super(scope, name);

    new AwsProvider(this, "aws", {
      region: deployment.region,
      // Refuses to run if the credentials resolve to any other account.
      allowedAccountIds: [deployment.accountId],
      assumeRole: deployment.providerRoleArn ? [{ roleArn: deployment.providerRoleArn, sessionName: "trelica-aws-role" }] : undefined,
    });
    // Relative to the stack's working directory (cdktf.out/stacks/<name>): state lands in the project
    // root, survives re-synthesis, and the output holds no path of the synthesizing machine.
    new LocalBackend(this, { path: `../../../terraform.${name}.tfstate` });

    this.integration = new TrelicaIntegration(this, "trelica", deployment.integration);

    new TerraformOutput(this, "role_arn", { value: this.integration.roleArn, description: "Role ARN Trelica assumes" });
    new TerraformOutput(this, "account_id", { value: deployment.accountId, description: "Enter in Trelica: AWS account ID" });
    new TerraformOutput(this, "region", { value: deployment.region, description: "Enter in Trelica: region" });
  }
}
