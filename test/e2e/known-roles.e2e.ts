/*
 * A plan that would create TrelicaIntegration where rollout applied it, with the real terraform: a
 * role deleted behind terraform's back (state holds it, refresh finds it gone: resource_drift) is
 * planned and re-created as usual; a state file moved away (the role still there) makes the plan
 * create it, and rollout refuses that plan naming where state was looked for, instead of an apply that
 * fails with EntityAlreadyExists. Put back, the state plans nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../helpers/files";
import { describeWithRealTerraform } from "../helpers/real-terraform";
import { inOrder } from "../helpers/steps";
import { TerraformProject } from "../helpers/terraform-project";

const MANAGEMENT = "111111111111";
const MEMBER = "410000000001";
const ROLE = "TrelicaIntegration";

describeWithRealTerraform("a plan creating a role rollout applied, with the real terraform", (real) => {
  const dir = tempDir("trelica-e2e-known-roles-");
  let project: TerraformProject;
  const step = inOrder();
  const stateFile = path.join(dir, `terraform.trelica-${MEMBER}.tfstate`);
  const outcomes = (result: { report: { accounts: { accountId?: string; status: string; outcome?: string }[] } }) =>
    result.report.accounts.map((account) => [account.accountId, account.status, account.outcome]);

  beforeAll(async () => {
    const config = `trelicaOrganizationId: "org-known-roles"\nmanagementAccountId: "${MANAGEMENT}"\nservices: { connect: false }\naccounts:\n  - id: "${MANAGEMENT}"\n  - id: "${MEMBER}"\n`;
    project = await TerraformProject.create(real, dir, { "trelica.config.yaml": config }, { managementAccountId: MANAGEMENT });
    expect((await project.rollout({ command: "apply", planAndApply: true })).exitCode).toBe(0);
  });
  afterAll(() => project?.close());
  afterEach(() => expect(project.fake.unimplemented).toEqual([]));

  step("GIVEN the member's role deleted behind terraform's back WHEN planned and applied THEN it is re-created, nothing refused", async () => {
    const call = (action: string, input: Record<string, unknown>) => project.fake.call(MEMBER, "iam", action, input);
    for (const arn of [...project.fake.account(MEMBER).roles[ROLE].attachedPolicies]) call("DetachRolePolicy", { RoleName: ROLE, PolicyArn: arn });
    call("DeleteRole", { RoleName: ROLE });
    const plan = await project.rollout({ command: "plan" });
    expect(outcomes(plan)).toEqual([[MANAGEMENT, "succeeded", "in-sync"], [MEMBER, "succeeded", "changes"]]);
    expect(plan.report.accounts[1].counts?.create).toBeGreaterThan(0);
    expect(outcomes(await project.rollout({ command: "apply" }))).toEqual([[MANAGEMENT, "skipped", "in-sync"], [MEMBER, "succeeded", "applied"]]);
    expect(project.fake.account(MEMBER).roles[ROLE]).toBeDefined();
  });

  step("GIVEN the member's state file moved away WHEN planned THEN that plan is refused naming the state file; put back, nothing to do", async () => {
    fs.renameSync(stateFile, `${stateFile}.moved`);
    const plan = await project.rollout({ command: "plan", full: true });
    const member = plan.report.accounts.find((account) => account.accountId === MEMBER)!;
    expect([member.status, member.reason]).toEqual(["refused", expect.stringContaining(`shows it exists (arn:aws:iam::${MEMBER}:role/${ROLE}): terraform found no state for it at ${stateFile}.`)]);
    expect(member.reason).toContain(`npm run verify -- --accounts ${MEMBER}`);
    expect(plan.exitCode).toBe(1);
    // apply has no saved plan of it to run: nothing is half-done there.
    expect(project.fake.account(MEMBER).roles[ROLE]).toBeDefined();
    fs.renameSync(`${stateFile}.moved`, stateFile);
    const again = await project.rollout({ command: "plan", full: true });
    expect(outcomes(again)).toEqual([[MANAGEMENT, "succeeded", "no-changes"], [MEMBER, "succeeded", "no-changes"]]);
  });
});
