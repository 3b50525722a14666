/*
 * mode: stackset with the real terraform and AWS provider against the fake AWS: the management account
 * gets the direct role, the stack set enrols every account of the targeted OU (and no other), and
 * destroy leaves every account empty.
 */
import { tempDir } from "../helpers/files";
import { describeWithRealTerraform, forProvider5 } from "../helpers/real-terraform";
import { TerraformProject } from "../helpers/terraform-project";

const MANAGEMENT = "111111111111";
const WORKLOADS = ["400000000001", "400000000002", "400000000003"];
const SANDBOX = "400000000009"; // in another OU: not targeted
const STACK = "trelica-organization";

describeWithRealTerraform("StackSets mode with the real terraform", (real) => {
  const dir = tempDir("trelica-e2e-stackset-");
  let project: TerraformProject;
  const terraform = async (args: string[], codes = [0]) => {
    const result = await project.terraform(STACK, [...args, "-input=false", "-no-color"]);
    if (!codes.includes(result.code ?? -1)) throw new Error(`terraform ${args[0]} exited ${result.code}:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
    return result;
  };

  beforeAll(async () => {
    const config = `trelicaOrganizationId: "org-stackset"
mode: stackset
managementAccountId: "${MANAGEMENT}"
services: { connect: false }
stackSet:
  organizationalUnitIds: ["ou-ab12-workloads"]
`;
    project = await TerraformProject.create(real, dir, { "trelica.config.yaml": config }, {
      managementAccountId: MANAGEMENT,
      organizationalUnits: { "ou-ab12-workloads": WORKLOADS, "ou-ab12-sandbox": [SANDBOX], "r-ab12": [...WORKLOADS, SANDBOX] },
      operationMs: 500,
    });
    // This machine's provider binary is 5.x; see forProvider5.
    if (real.providerVersion.startsWith("5.")) project.editStack(STACK, forProvider5);
  });
  afterAll(() => project?.close());
  afterEach(() => expect(project.fake.unimplemented).toEqual([]));

  test("GIVEN the organization stack WHEN applied THEN the management account has the direct role and every workload account exactly one enrolled role", async () => {
    await terraform(["init"]);
    await terraform(["apply", "-auto-approve"]);
    const direct = project.fake.account(MANAGEMENT);
    expect(direct.roles.TrelicaIntegration.attachedPolicies).toEqual([`arn:aws:iam::${MANAGEMENT}:policy/TrelicaIntegrationReadOnly`]);
    expect(JSON.parse(direct.policies[`arn:aws:iam::${MANAGEMENT}:policy/TrelicaIntegrationReadOnly`].versions[0].document).Statement[0].Action).toContain(
      "organizations:ListAccounts",
    );
    for (const account of WORKLOADS) {
      const state = project.fake.account(account);
      expect([account, Object.keys(state.roles)]).toEqual([account, ["TrelicaIntegration"]]);
      const role = state.roles.TrelicaIntegration;
      expect(JSON.parse(role.assumeRolePolicyDocument).Statement[0].Condition.StringEquals["sts:ExternalId"]).toBe("org-stackset");
      const policy = state.policies[role.attachedPolicies[0]];
      const actions = JSON.parse(policy.versions[0].document).Statement[0].Action;
      expect(actions).toEqual(["cognito-idp:ListUserPools", "cognito-idp:ListUsers", "iam:ListUsers"]);
    }
    expect(project.fake.account(SANDBOX).roles).toEqual({});
  });

  test("GIVEN the applied stack WHEN planned again THEN there are no changes", async () => {
    const plan = await terraform(["plan", "-detailed-exitcode"], [0, 2]);
    expect({ code: plan.code, out: plan.code === 0 ? "" : plan.stdout.slice(-3000) }).toEqual({ code: 0, out: "" });
  });

  test("WHEN destroyed THEN no account holds a role, a policy or a stack set", async () => {
    await terraform(["destroy", "-auto-approve"]);
    expect(project.fake.accountsWithResources()).toEqual([]);
  });
});
