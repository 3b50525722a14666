// The external ID from a Terraform variable: one synthesized stack for several Terraform Cloud
// workspaces, each giving its own (sensitive) Trelica organization ID. The construct checks literal
// props and passes values known only at plan or apply time through (docs/construct.md, "Tokens").
// The package's consumer test (test/package-consumer.test.ts) type-checks and synthesizes this file too.
import { App, TerraformStack, TerraformVariable } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TrelicaIntegration } from "trelica-aws-role";

const app = new App({ outdir: "cdktf.out.variable" });
const stack = new TerraformStack(app, "trelica");
new AwsProvider(stack, "aws", { region: "us-east-1" });

const externalId = new TerraformVariable(stack, "trelica_external_id", {
  type: "string",
  sensitive: true,
  description: "Your Trelica organization ID (Trelica: user menu > Profile)",
});
new TrelicaIntegration(stack, "trelica", { externalId: externalId.stringValue });

app.synth();
