// A CDKTF app of your own that uses the construct from the trelica-aws-role package. The package's
// consumer test (test/package/consumer.test.ts) type-checks and synthesizes this very file in an app
// outside the repository, so it stays a working example.
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TrelicaIntegration } from "trelica-aws-role";

const app = new App();
const stack = new TerraformStack(app, "trelica");
new AwsProvider(stack, "aws", { region: "us-east-1" });

const trelica = new TrelicaIntegration(stack, "trelica", {
  externalId: "your-trelica-organization-id", // Trelica: user menu > Profile
  services: { iam: true, organizations: true }, // leave out for every service Trelica reads
  tags: { owner: "platform-team" },
});
// trelica.roleArn is a Terraform reference: use it in outputs or other resources.
void trelica.roleArn;

app.synth();
