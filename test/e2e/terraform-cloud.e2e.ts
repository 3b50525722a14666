/*
 * The AWS half of the Terraform Cloud bootstrap stack (the OIDC provider for Terraform Cloud and the plan
 * and apply roles with their policies, in the management account) planned, applied, planned again and destroyed with
 * the real terraform and AWS provider against the fake AWS. The Terraform Cloud half needs the tfe
 * provider and Terraform Cloud itself, neither of which this machine has: the test copy of the stack
 * keeps only its AWS provider, resources and outputs (awsHalf below), everything else byte for byte.
 */
import { TERRAFORM_CLOUD_STACK_NAME } from "../../app/terraform-cloud/stack";
import { tempDir } from "../helpers/files";
import { describeWithRealTerraform } from "../helpers/real-terraform";
import { TerraformProject } from "../helpers/terraform-project";

const MANAGEMENT = "111111111111";
const MEMBERS = ["600000000001", "600000000002"];
const CONFIG = `trelicaOrganizationId: "org-tfc"
managementAccountId: "${MANAGEMENT}"
backend: { type: cloud, organization: acme, project: identity }
deployment:
  deployer:
    organizationalUnitIds: ["r-ab12"]
terraformCloud:
  project: identity
  awsOrganizationId: o-abcd123456
accounts:
${[MANAGEMENT, ...MEMBERS].map((id) => `  - id: "${id}"`).join("\n")}
`;

/** The stack without anything of the tfe provider: its provider, requirement, resources, data sources, and outputs that read them. */
function awsHalf(json: any): any {
  const mentionsTfe = (value: unknown) => /\btfe_|\bdata\.tfe_/.test(JSON.stringify(value));
  delete json.provider.tfe;
  delete json.terraform.required_providers.tfe;
  for (const type of Object.keys(json.resource)) if (type.startsWith("tfe_")) delete json.resource[type];
  for (const type of Object.keys(json.data ?? {})) if (type.startsWith("tfe_")) delete json.data[type];
  if (json.data && Object.keys(json.data).length === 0) delete json.data;
  for (const [name, output] of Object.entries(json.output ?? {})) if (mentionsTfe(output)) delete json.output[name];
  if (mentionsTfe({ resource: json.resource, output: json.output })) throw new Error("the AWS half still refers to the tfe provider");
  return json;
}

describeWithRealTerraform("the Terraform Cloud bootstrap stack's AWS half, with the real terraform", (real) => {
  const dir = tempDir("trelica-e2e-tfc-");
  let project: TerraformProject;
  let synthesized: any;
  const terraform = (args: string[], codes = [0]) => project.terraformExpecting(TERRAFORM_CLOUD_STACK_NAME, args, codes);

  beforeAll(async () => {
    project = await TerraformProject.create(real, dir, { "trelica.config.yaml": CONFIG }, { managementAccountId: MANAGEMENT });
    synthesized = project.stackJson(TERRAFORM_CLOUD_STACK_NAME);
    project.editStack(TERRAFORM_CLOUD_STACK_NAME, awsHalf);
  });
  afterAll(() => project?.close());
  afterEach(() => expect(project.fake.unimplemented).toEqual([]));

  test("GIVEN the management account's credentials WHEN the AWS half is applied THEN IAM holds the OIDC provider and the run role exactly as synthesized", async () => {
    await terraform(["init"]);
    await terraform(["apply", "-auto-approve"]);
    const management = project.fake.account(MANAGEMENT);
    const provider = Object.values(management.oidcProviders);
    expect(provider.map(({ arn, url, clientIds }) => ({ arn, url, clientIds }))).toEqual([
      { arn: `arn:aws:iam::${MANAGEMENT}:oidc-provider/app.terraform.io`, url: "app.terraform.io", clientIds: ["aws.workload.identity"] },
    ]);
    // The apply role (run_role) and the plan role, each with its own inline policy, exactly as synthesized.
    const roles = synthesized.resource.aws_iam_role;
    const policies = synthesized.resource.aws_iam_role_policy;
    expect(Object.keys(roles).sort()).toEqual(["plan_role", "run_role"]);
    for (const id of ["run_role", "plan_role"]) {
      const role = management.roles[roles[id].name];
      const inline = policies[`${id}_policy`];
      expect(JSON.parse(role.assumeRolePolicyDocument)).toEqual(JSON.parse(roles[id].assume_role_policy));
      expect(Object.keys(role.inlinePolicies)).toEqual([inline.name]);
      expect(JSON.parse(role.inlinePolicies[inline.name])).toEqual(JSON.parse(inline.policy));
      expect(role.attachedPolicies).toEqual([]);
    }
    const role = management.roles[roles.run_role.name];
    // Nothing anywhere else: the bootstrap stack runs in the management account only.
    expect(project.fake.accountsWithResources()).toEqual([MANAGEMENT]);
    const output = JSON.parse((await terraform(["output", "-json"])).stdout);
    expect(output.run_role_arn.value).toBe(role.arn);
    expect(output.plan_role_arn.value).toBe(management.roles[roles.plan_role.name].arn);
  });

  test("WHEN planned again THEN there are no changes", async () => {
    const plan = await terraform(["plan", "-detailed-exitcode"], [0, 2]);
    expect({ code: plan.code, plan: plan.code === 0 ? "" : plan.stdout.slice(-2500) }).toEqual({ code: 0, plan: "" });
  });

  test("WHEN destroyed THEN the management account holds nothing", async () => {
    await terraform(["destroy", "-auto-approve"]);
    expect(project.fake.accountsWithResources()).toEqual([]);
  });
});
