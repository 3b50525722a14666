/*
 * verify against roles the real terraform and AWS provider made in the fake AWS: rollout apply, verify
 * all ok, a drift behind terraform's back, verify flags exactly it, rollout apply repairs it, verify ok.
 */
import { tempDir } from "../helpers/files";
import { describeWithRealTerraform } from "../helpers/real-terraform";
import { TerraformProject } from "../helpers/terraform-project";
import { findingsOf, runVerify, statuses, useFakeAs } from "../helpers/verify";

const MANAGEMENT = "111111111111";
const MEMBERS = ["500000000001", "500000000002"];
const [DRIFTED, UNTOUCHED] = MEMBERS;
const EXTRA = "arn:aws:iam::aws:policy/AdministratorAccess";
const CONFIG = `trelicaOrganizationId: "org-e2e-verify"
managementAccountId: "${MANAGEMENT}"
services: { connect: false }
role: { tags: { owner: security } }
accounts:
${[MANAGEMENT, ...MEMBERS].map((id) => `  - id: "${id}"`).join("\n")}
`;

describeWithRealTerraform("verify after a rollout with the real terraform", (real) => {
  const dir = tempDir("trelica-e2e-verify-");
  let project: TerraformProject;
  const configFile = () => `${dir}/trelica.config.yaml`;
  const allOk = Object.fromEntries([MANAGEMENT, ...MEMBERS].map((id) => [id, "ok"]));

  beforeAll(async () => {
    project = await TerraformProject.create(real, dir, { "trelica.config.yaml": CONFIG }, { managementAccountId: MANAGEMENT });
    useFakeAs(project.fake, MANAGEMENT);
  });
  afterAll(() => project?.close());
  afterEach(() => expect(project.fake.unimplemented).toEqual([]));

  test("GIVEN rollout applied every account WHEN verify runs THEN every account is ok and exits 0", async () => {
    const applied = await project.rollout({ command: "apply", planAndApply: true });
    expect(applied.exitCode).toBe(0);
    const { report } = await runVerify(configFile());
    expect(statuses(report)).toEqual(allOk);
    expect(report.exitCode).toBe(0);
  });

  test("GIVEN a managed policy attached behind terraform's back WHEN verify runs THEN it flags exactly that, in that account", async () => {
    project.fake.call(DRIFTED, "iam", "AttachRolePolicy", { RoleName: "TrelicaIntegration", PolicyArn: EXTRA });
    const { report } = await runVerify(configFile());
    expect(statuses(report)).toEqual({ ...allOk, [DRIFTED]: "drift" });
    const ours = `arn:aws:iam::${DRIFTED}:policy/TrelicaIntegrationReadOnly`;
    expect(findingsOf(report, DRIFTED)).toEqual([`attached managed policies: expected ${ours}; live ${ours}, ${EXTRA}`]);
    expect(findingsOf(report, UNTOUCHED)).toEqual([]);
    expect(report.exitCode).toBe(1);
  });

  test("WHEN rollout applies again THEN terraform repairs it and verify is ok again", async () => {
    // Detaching a policy from Trelica's role is an access change: allowed on purpose here.
    const repaired = await project.rollout({ command: "apply", planAndApply: true, allowAccessChange: true });
    expect(repaired.report.accounts.find((account) => account.accountId === DRIFTED)!.status).toBe("succeeded");
    expect(project.fake.account(DRIFTED).roles.TrelicaIntegration.attachedPolicies).toEqual([`arn:aws:iam::${DRIFTED}:policy/TrelicaIntegrationReadOnly`]);
    const { report } = await runVerify(configFile());
    expect(statuses(report)).toEqual(allOk);
    expect(report.exitCode).toBe(0);
  });
});
