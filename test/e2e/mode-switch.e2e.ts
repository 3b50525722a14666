/*
 * The member accounts' side of a mode switch, step by step as docs/stacksets.md "Switching without cutting Trelica
 * off" gives it, with the real terraform and AWS provider against the fake AWS: the roles Terraform made
 * are handed to CloudFormation (import) and into the stack set, and back again (retained stacks, then
 * adoptExisting), and after every step each member still has its role, the very same one (same role ID:
 * never deleted and made again). The CloudFormation steps are the calls docs/stacksets.md's `aws cloudformation`
 * commands make, sent to the fake directly (there is no aws CLI here).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CFN_POLICY_LOGICAL_ID, CFN_ROLE_LOGICAL_ID } from "../../modules/trelica-integration/cloudformation-template";
import { summarizePlan } from "../../rollout/terraform/plan-summary";
import { tempDir } from "../helpers/files";
import { describeWithRealTerraform, forProvider5 } from "../helpers/real-terraform";
import { TerraformProject } from "../helpers/terraform-project";

const MANAGEMENT = "111111111111";
const MEMBERS = ["500000000001", "500000000002"];
const NEWCOMER = "500000000003"; // in the OU, never in accounts mode: the stack set enrols it
const OU = "ou-ab12-workloads";
const ORGANIZATION = "trelica-organization";
const STACK_SET = "TrelicaIntegration";
const EXTERNAL_ID = "org-switch";
const policyArn = (account: string) => `arn:aws:iam::${account}:policy/TrelicaIntegrationReadOnly`;

const accountsMode = (accounts: string[], { adoptExisting = false, services = "{ connect: false }" } = {}) => `trelicaOrganizationId: "${EXTERNAL_ID}"
managementAccountId: "${MANAGEMENT}"
services: ${services}
adoptExisting: ${adoptExisting}
accounts:
${[MANAGEMENT, ...accounts].map((id) => `  - id: "${id}"`).join("\n")}
`;
const stackSetMode = (services = "{ connect: false }") => `trelicaOrganizationId: "${EXTERNAL_ID}"
mode: stackset
managementAccountId: "${MANAGEMENT}"
services: ${services}
stackSet:
  organizationalUnitIds: ["${OU}"]
`;

describeWithRealTerraform("switching member accounts between modes, with the real terraform", (real) => {
  const dir = tempDir("trelica-e2e-switch-");
  let project: TerraformProject;
  /** Each member's role ID when it was made: the same ID later means the role was never replaced. */
  const roleIds: Record<string, string> = {};

  const terraform = (stack: string, args: string[], codes = [0]) => project.terraformExpecting(stack, args, codes);
  const synthStackSetMode = (services?: string) => {
    project.synth(stackSetMode(services));
    if (real.providerVersion.startsWith("5.")) project.editStack(ORGANIZATION, forProvider5);
  };
  /** Every account of `accounts` has its original role with our one policy attached. */
  const expectRolesKept = (accounts: string[]) => {
    const seen = accounts.map((account) => {
      const role = project.fake.account(account).roles.TrelicaIntegration;
      return [account, role?.id, role?.attachedPolicies];
    });
    expect(seen).toEqual(accounts.map((account) => [account, roleIds[account], [policyArn(account)]]));
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 700));
  const expectNoChanges = async (stack: string) => {
    const plan = await terraform(stack, ["plan", "-detailed-exitcode"], [0, 2]);
    expect({ stack, code: plan.code, plan: plan.code === 0 ? "" : plan.stdout.slice(-2500) }).toEqual({ stack, code: 0, plan: "" });
  };

  beforeAll(async () => {
    project = await TerraformProject.create(real, dir, { "trelica.config.yaml": accountsMode(MEMBERS) }, {
      managementAccountId: MANAGEMENT,
      organizationalUnits: { [OU]: [...MEMBERS, NEWCOMER], "r-ab12": [...MEMBERS, NEWCOMER] },
      operationMs: 500,
    });
  });
  afterAll(() => project?.close());
  afterEach(() => expect(project.fake.unimplemented).toEqual([]));

  test("GIVEN accounts mode applied THEN each member has its role", async () => {
    const result = await project.rollout({ command: "apply", planAndApply: true });
    expect(result.report.accounts.map((account) => account.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    for (const account of MEMBERS) roleIds[account] = project.fake.account(account).roles.TrelicaIntegration.id;
    expectRolesKept(MEMBERS);
  });

  describe("per-account stacks → StackSets", () => {
    test("WHEN each member's stack forgets its resources (terraform state rm) THEN the roles stay", async () => {
      for (const account of MEMBERS) {
        const stack = `trelica-${account}`;
        const addresses = (await terraform(stack, ["state", "list"])).stdout.split("\n").filter(Boolean);
        expect(addresses.filter((address) => /^aws_iam_(role|policy)\./.test(address))).toHaveLength(2);
        await terraform(stack, ["state", "rm", ...addresses]);
        expect((await terraform(stack, ["state", "list"])).stdout.trim()).toBe("");
      }
      expectRolesKept(MEMBERS);
    });

    test("WHEN the organization stack's stack set alone is applied (-target) THEN it exists, with no instance, and the roles stay", async () => {
      synthStackSetMode();
      await terraform(ORGANIZATION, ["init"]);
      await terraform(ORGANIZATION, ["apply", "-auto-approve", "-target=aws_cloudformation_stack_set.stack_set"]);
      expect(project.fake.account(MANAGEMENT).stackSets[STACK_SET].instances).toEqual([]);
      expectRolesKept(MEMBERS);
    });

    test("WHEN each member imports its role and policy into a stack made from trelica-role.cfn.json THEN the stack owns them, unchanged", () => {
      const template = fs.readFileSync(path.join(dir, "cdktf.out", "trelica-role.cfn.json"), "utf8");
      for (const account of MEMBERS) {
        // aws cloudformation create-change-set --change-set-type IMPORT ... && aws cloudformation execute-change-set ...
        project.fake.call(account, "cloudformation", "CreateChangeSet", {
          StackName: "TrelicaIntegration",
          ChangeSetName: "import-trelica-integration",
          ChangeSetType: "IMPORT",
          TemplateBody: template,
          Capabilities: ["CAPABILITY_NAMED_IAM"],
          ResourcesToImport: [
            { ResourceType: "AWS::IAM::Role", LogicalResourceId: CFN_ROLE_LOGICAL_ID, ResourceIdentifier: { RoleName: "TrelicaIntegration" } },
            { ResourceType: "AWS::IAM::ManagedPolicy", LogicalResourceId: CFN_POLICY_LOGICAL_ID, ResourceIdentifier: { PolicyArn: policyArn(account) } },
          ],
        });
        // aws cloudformation wait change-set-create-complete ...
        const changeSet = project.fake.call(account, "cloudformation", "DescribeChangeSet", { ChangeSetName: "import-trelica-integration", StackName: "TrelicaIntegration" });
        expect([account, changeSet.Status]).toEqual([account, "CREATE_COMPLETE"]);
        project.fake.call(account, "cloudformation", "ExecuteChangeSet", { ChangeSetName: "import-trelica-integration", StackName: "TrelicaIntegration" });
        const stacks = project.fake.call(account, "cloudformation", "DescribeStacks", { StackName: "TrelicaIntegration" }).Stacks as { StackStatus: string }[];
        expect([account, stacks.map((stack) => stack.StackStatus)]).toEqual([account, ["IMPORT_COMPLETE"]]);
      }
      expectRolesKept(MEMBERS);
    });

    test("WHEN those stacks are imported into the stack set THEN they are its instances and the roles stay", async () => {
      const stackIds = MEMBERS.map((account) => Object.values(project.fake.account(account).stacks)[0].id);
      // aws cloudformation import-stacks-to-stack-set --stack-set-name TrelicaIntegration --stack-ids ... --organizational-unit-ids ...
      project.fake.call(MANAGEMENT, "cloudformation", "ImportStacksToStackSet", { StackSetName: STACK_SET, StackIds: stackIds, OrganizationalUnitIds: [OU], CallAs: "SELF" });
      await settle();
      const instances = project.fake.account(MANAGEMENT).stackSets[STACK_SET].instances;
      expect(instances.map((instance) => [instance.account, instance.status]).sort()).toEqual(MEMBERS.map((account) => [account, "CURRENT"]));
      expectRolesKept(MEMBERS);
    });

    test("WHEN the organization stack is applied in full THEN the newcomer is enrolled, the members keep their roles, and nothing plans a change", async () => {
      await terraform(ORGANIZATION, ["apply", "-auto-approve"]);
      expectRolesKept(MEMBERS);
      const newcomer = project.fake.account(NEWCOMER).roles.TrelicaIntegration;
      expect(newcomer.attachedPolicies).toEqual([policyArn(NEWCOMER)]);
      roleIds[NEWCOMER] = newcomer.id;
      await expectNoChanges(ORGANIZATION);
      await expectNoChanges(`trelica-${MANAGEMENT}`);
    });

    test("WHEN a service is switched on in the config THEN the stack set's update reaches the imported members' policies too", async () => {
      synthStackSetMode("{ connect: true }");
      await terraform(ORGANIZATION, ["apply", "-auto-approve"]);
      await settle();
      for (const account of [...MEMBERS, NEWCOMER]) {
        const policy = project.fake.account(account).policies[policyArn(account)];
        const actions = JSON.parse(policy.versions.find((version) => version.versionId === policy.defaultVersionId)!.document).Statement[0].Action;
        expect([account, actions]).toEqual([account, expect.arrayContaining(["connect:ListInstances", "ds:DescribeDirectories"])]);
      }
      expectRolesKept([...MEMBERS, NEWCOMER]);
    });
  });

  describe("the lock-out guard on the stack set", () => {
    test("WHEN the service is switched off again THEN the plan's JSON, as rollout reads it, flags the actions every member would lose", async () => {
      synthStackSetMode("{ connect: false }");
      await terraform(ORGANIZATION, ["plan", "-out=narrow.tfplan"]);
      const show = await terraform(ORGANIZATION, ["show", "-json", "narrow.tfplan"]);
      expect(summarizePlan(show.stdout).accessChanges).toEqual([
        {
          address: "aws_cloudformation_stack_set.stack_set",
          reason: expect.stringMatching(/^removes 5 actions from every enrolled account's policy: connect:DescribeUser, /),
        },
      ]);
      // Not applied: the members keep Connect.
      synthStackSetMode("{ connect: true }");
      await expectNoChanges(ORGANIZATION);
    });
  });

  describe("StackSets → per-account stacks", () => {
    // aws cloudformation delete-stack-instances --stack-set-name TrelicaIntegration --deployment-targets ... --regions us-east-1 --retain-stacks
    const removeKeepingStacks = (targets: Record<string, unknown>) =>
      project.fake.call(MANAGEMENT, "cloudformation", "DeleteStackInstances", { StackSetName: STACK_SET, DeploymentTargets: targets, Regions: ["us-east-1"], RetainStacks: true });
    const stackSetInstances = () => project.fake.account(MANAGEMENT).stackSets[STACK_SET]?.instances.map((instance) => instance.account).sort();

    test("WHEN the members' stack instances are removed keeping their stacks, one account forgotten THEN every member keeps its role", async () => {
      removeKeepingStacks({ OrganizationalUnitIds: [OU], AccountFilterType: "INTERSECTION", Accounts: MEMBERS });
      await settle();
      expect(stackSetInstances()).toEqual([NEWCOMER]);
      expectRolesKept([...MEMBERS, NEWCOMER]);
    });

    test("GIVEN an instance left in the stack set WHEN the organization stack is destroyed after its instance resource left the state THEN the destroy fails and no role is deleted", async () => {
      await terraform(ORGANIZATION, ["state", "rm", "aws_cloudformation_stack_set_instance.stack_set_instance"]);
      const destroy = await terraform(ORGANIZATION, ["destroy", "-auto-approve"], [1]);
      expect(destroy.stderr + destroy.stdout).toContain("StackSetNotEmpty");
      expect(stackSetInstances()).toEqual([NEWCOMER]);
      expectRolesKept([...MEMBERS, NEWCOMER]);
    });

    test("WHEN the last instance is removed keeping its stack and the destroy runs again THEN the stack set is gone, every member keeps its role, and the retained stacks own them", async () => {
      removeKeepingStacks({ OrganizationalUnitIds: [OU] });
      await settle();
      await terraform(ORGANIZATION, ["destroy", "-auto-approve"]);
      expect(project.fake.account(MANAGEMENT).stackSets).toEqual({});
      expectRolesKept([...MEMBERS, NEWCOMER]);
      for (const account of [...MEMBERS, NEWCOMER]) {
        const stacks = Object.values(project.fake.account(account).stacks);
        expect([account, stacks.map((stack) => [stack.resources[CFN_ROLE_LOGICAL_ID], stack.stackSetId])]).toEqual([account, [["TrelicaIntegration", undefined]]]);
      }
    });

    test("WHEN accounts mode with adoptExisting and the stack set's services is applied THEN every member's role is imported, not replaced, and a second plan has no changes", async () => {
      // The services the stack set last deployed: anything else would change Trelica's access, which rollout refuses unattended.
      project.synth(accountsMode([...MEMBERS, NEWCOMER], { adoptExisting: true, services: "{ connect: true }" }));
      const result = await project.rollout({ command: "apply", planAndApply: true });
      expect(result.report.accounts.map((account) => [account.accountId, account.status, account.status === "succeeded" ? "" : account.reason])).toEqual(
        [MANAGEMENT, ...MEMBERS, NEWCOMER].map((account) => [account, "succeeded", ""]),
      );
      expectRolesKept([...MEMBERS, NEWCOMER]);
      for (const account of [...MEMBERS, NEWCOMER]) await expectNoChanges(`trelica-${account}`);
    });
  });
});
