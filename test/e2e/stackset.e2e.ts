/*
 * mode: stackset with the real terraform and AWS provider against the fake AWS: the management
 * account's own stack holds the direct role, the stack set enrols every account of the targeted OU
 * (and no other), switching modes never touches the management account's role nor plans to destroy
 * the stack set, and destroy leaves every account empty.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LEAVING_MARKER } from "../../app/stacks/leaving-stacks";
import { tempDir } from "../helpers/files";
import { describeWithRealTerraform, forProvider5 } from "../helpers/real-terraform";
import { TerraformProject } from "../helpers/terraform-project";

const MANAGEMENT = "111111111111";
const WORKLOADS = ["400000000001", "400000000002", "400000000003"];
const SANDBOX = "400000000009"; // in another OU: not targeted
const ORGANIZATION = "trelica-organization";
const MANAGEMENT_STACK = `trelica-${MANAGEMENT}`;

const ACCOUNTS_MODE = `trelicaOrganizationId: "org-stackset"
managementAccountId: "${MANAGEMENT}"
services: { connect: false }
accounts:
  - id: "${MANAGEMENT}"
`;
const STACKSET_MODE = `trelicaOrganizationId: "org-stackset"
mode: stackset
managementAccountId: "${MANAGEMENT}"
services: { connect: false }
stackSet:
  organizationalUnitIds: ["ou-ab12-workloads"]
`;

describeWithRealTerraform("StackSets mode with the real terraform", (real) => {
  const dir = tempDir("trelica-e2e-stackset-");
  let project: TerraformProject;
  let managementRoleId: string;
  const terraform = (stack: string, args: string[], codes = [0]) => project.terraformExpecting(stack, args, codes);
  const synth = (config: string) => {
    project.synth(config);
    // This machine's provider binary may be 5.x; see forProvider5.
    if (config === STACKSET_MODE && real.providerVersion.startsWith("5.")) project.editStack(ORGANIZATION, forProvider5);
  };

  beforeAll(async () => {
    project = await TerraformProject.create(real, dir, { "trelica.config.yaml": ACCOUNTS_MODE }, {
      managementAccountId: MANAGEMENT,
      organizationalUnits: { "ou-ab12-workloads": WORKLOADS, "ou-ab12-sandbox": [SANDBOX], "r-ab12": [...WORKLOADS, SANDBOX] },
      operationMs: 500,
    });
  });
  afterAll(() => project?.close());
  afterEach(() => expect(project.fake.unimplemented).toEqual([]));

  test("GIVEN accounts mode applied in the management account WHEN switched to stackset mode THEN its stack plans no change", async () => {
    await terraform(MANAGEMENT_STACK, ["init"]);
    await terraform(MANAGEMENT_STACK, ["apply", "-auto-approve"]);
    managementRoleId = project.fake.account(MANAGEMENT).roles.TrelicaIntegration.id;
    synth(STACKSET_MODE);
    expect(project.stackNames()).toEqual([MANAGEMENT_STACK, ORGANIZATION]);
    const plan = await terraform(MANAGEMENT_STACK, ["plan", "-detailed-exitcode"], [0, 2]);
    expect({ code: plan.code, plan: plan.code === 0 ? "" : plan.stdout.slice(-2000) }).toEqual({ code: 0, plan: "" });
  });

  test("WHEN the organization stack is applied THEN every workload account has exactly one enrolled role, no other account one, and the management role is the same", async () => {
    await terraform(ORGANIZATION, ["init"]);
    await terraform(ORGANIZATION, ["apply", "-auto-approve"]);
    for (const account of WORKLOADS) {
      const state = project.fake.account(account);
      expect([account, project.fake.rolesMadeIn(account)]).toEqual([account, ["TrelicaIntegration"]]);
      const role = state.roles.TrelicaIntegration;
      expect(JSON.parse(role.assumeRolePolicyDocument).Statement[0].Condition.StringEquals["sts:ExternalId"]).toBe("org-stackset");
      const actions = JSON.parse(state.policies[role.attachedPolicies[0]].versions[0].document).Statement[0].Action;
      expect(actions).toEqual(["cognito-idp:ListUserPools", "cognito-idp:ListUsers", "iam:ListUsers"]);
    }
    expect(project.fake.rolesMadeIn(SANDBOX)).toEqual([]);
    const management = project.fake.account(MANAGEMENT);
    expect(management.roles.TrelicaIntegration.id).toBe(managementRoleId);
    const directActions = JSON.parse(management.policies[`arn:aws:iam::${MANAGEMENT}:policy/TrelicaIntegrationReadOnly`].versions[0].document).Statement[0].Action;
    expect(directActions).toContain("organizations:ListAccounts");
  });

  test("GIVEN both stacks applied WHEN planned again THEN neither has changes", async () => {
    for (const stack of [MANAGEMENT_STACK, ORGANIZATION]) {
      const plan = await terraform(stack, ["plan", "-detailed-exitcode"], [0, 2]);
      expect({ stack, code: plan.code, plan: plan.code === 0 ? "" : plan.stdout.slice(-2000) }).toEqual({ stack, code: 0, plan: "" });
    }
  });

  test("WHEN switched back to accounts mode THEN the management stack still plans no change, and the organization stack, whose state holds the stack set, is kept as leaving: nothing destroys the stack set unasked", async () => {
    synth(ACCOUNTS_MODE);
    expect(project.stackNames()).toEqual([MANAGEMENT_STACK, ORGANIZATION]);
    expect(fs.existsSync(path.join(project.stackDir(ORGANIZATION), LEAVING_MARKER))).toBe(true);
    const plan = await terraform(MANAGEMENT_STACK, ["plan", "-detailed-exitcode"], [0, 2]);
    expect(plan.code).toBe(0);
    expect(Object.keys(project.fake.account(MANAGEMENT).stackSets)).toEqual(["TrelicaIntegration"]);
    for (const account of WORKLOADS) expect(project.fake.rolesMadeIn(account)).toEqual(["TrelicaIntegration"]);
  });

  test("WHEN both are destroyed THEN no account holds a role, a policy or a stack set", async () => {
    synth(STACKSET_MODE);
    expect(fs.existsSync(path.join(project.stackDir(ORGANIZATION), LEAVING_MARKER))).toBe(false);
    await terraform(ORGANIZATION, ["init"]);
    await terraform(ORGANIZATION, ["destroy", "-auto-approve"]);
    await terraform(MANAGEMENT_STACK, ["destroy", "-auto-approve"]);
    expect(project.fake.accountsWithResources()).toEqual([]);
  });
});
