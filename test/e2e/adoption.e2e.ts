/*
 * Adopting roles made by hand from the vendor's setup page, with the real terraform and AWS provider:
 * a policy description that matches ours, differs, or is missing, and a role with another policy
 * attached by hand. Trelica's role must keep its policy throughout; the role ends holding only ours.
 */
import { tempDir } from "../helpers/files";
import { describeWithRealTerraform } from "../helpers/real-terraform";
import { makeRoleByHand, TerraformProject } from "../helpers/terraform-project";

const MANAGEMENT = "111111111111";
const MATCHING = "300000000001";
const DIFFERENT = "300000000002";
const MISSING = "300000000003";
const EXTRA_POLICY = "300000000004";
const ACCOUNTS = [MATCHING, DIFFERENT, MISSING, EXTRA_POLICY];
const OURS = (account: string) => `arn:aws:iam::${account}:policy/TrelicaIntegrationReadOnly`;
const HAND_ATTACHED = "arn:aws:iam::aws:policy/ReadOnlyAccess";

describeWithRealTerraform("adopting hand-made roles with the real terraform", (real) => {
  const dir = tempDir("trelica-e2e-adopt-");
  let project: TerraformProject;
  const handMade: Record<string, { policyArn: string; policyId: string }> = {};

  beforeAll(async () => {
    const config = `trelicaOrganizationId: "org-adopt"
managementAccountId: "${MANAGEMENT}"
adoptExisting: true
accounts:
  - id: "${MANAGEMENT}"
    adoptExisting: false
${ACCOUNTS.map((id) => `  - id: "${id}"`).join("\n")}
`;
    project = await TerraformProject.create(real, dir, { "trelica.config.yaml": config }, { managementAccountId: MANAGEMENT });
    handMade[MATCHING] = makeRoleByHand(project.fake, MATCHING, { policyDescription: "Read-only access for the Trelica SaaS management platform" });
    handMade[DIFFERENT] = makeRoleByHand(project.fake, DIFFERENT, { policyDescription: "Trelica read access (made by hand)", roleDescription: "by hand" });
    handMade[MISSING] = makeRoleByHand(project.fake, MISSING, {});
    handMade[EXTRA_POLICY] = makeRoleByHand(project.fake, EXTRA_POLICY, { extraPolicy: HAND_ATTACHED });
  });
  afterAll(() => project?.close());
  afterEach(() => expect(project.fake.unimplemented).toEqual([]));
  // The management account is in the config (it must be) but has nothing to adopt.
  const rolloutAdopted = (options: Parameters<TerraformProject["rollout"]>[0]) => project.rollout({ exclude: [MANAGEMENT], ...options });

  test("GIVEN four hand-made roles WHEN planned THEN each imports role, policy and attachment and replaces or deletes nothing", async () => {
    const result = await rolloutAdopted({ command: "plan" });
    for (const account of result.report.accounts) {
      expect([account.accountId, account.status, account.destructive]).toEqual([account.accountId, "succeeded", []]);
      expect(account.counts).toMatchObject({ import: 3, create: 2, replace: 0, delete: 0 });
    }
  });

  test("WHEN applied THEN every adopted policy is the same policy (never replaced), holds our actions, and is the only one on the role", async () => {
    // Adoption adds the external ID to the hand-made trust policies: an access change, so allowed explicitly.
    const result = await rolloutAdopted({ command: "apply", allowAccessChange: true });
    expect(result.exitCode).toBe(0);
    for (const account of ACCOUNTS) {
      const state = project.fake.account(account);
      const policy = state.policies[OURS(account)];
      expect([account, policy.id]).toEqual([account, handMade[account].policyId]);
      const document = JSON.parse(policy.versions.find((version) => version.versionId === policy.defaultVersionId)!.document);
      expect(document.Statement[0].Action).toContain("cognito-idp:ListUsers");
      expect([account, state.roles.TrelicaIntegration.attachedPolicies]).toEqual([account, [OURS(account)]]);
      // Trelica's own policy never left the role: no detach or delete of it.
      expect(project.callsIn(account).filter((call) => /DeletePolicy$|DeleteRole$/.test(call))).toEqual([]);
    }
    expect(project.fake.account(DIFFERENT).policies[OURS(DIFFERENT)].description).toBe("Trelica read access (made by hand)");
    const detached = project.fake.requests.filter((request) => request.action === "DetachRolePolicy").map((request) => request.accountId);
    expect(detached).toEqual([EXTRA_POLICY]);
  });

  test("GIVEN adopted roles WHEN terraform plans them again (--full) THEN nothing changes", async () => {
    const result = await rolloutAdopted({ command: "plan", full: true });
    expect(result.report.accounts.map((account) => account.outcome)).toEqual(ACCOUNTS.map(() => "no-changes"));
    expect(result.exitCode).toBe(0);
  });

  test("GIVEN a policy attached by hand later WHEN planned THEN it shows, and apply takes it off again", async () => {
    project.fake.call(MATCHING, "iam", "AttachRolePolicy", { RoleName: "TrelicaIntegration", PolicyArn: HAND_ATTACHED });
    const plan = await project.rollout({ command: "plan", accounts: [MATCHING] });
    expect(plan.report.accounts[0].counts).toMatchObject({ update: 1, delete: 0, replace: 0 });
    await project.rollout({ command: "apply", accounts: [MATCHING], allowAccessChange: true });
    expect(project.fake.account(MATCHING).roles.TrelicaIntegration.attachedPolicies).toEqual([OURS(MATCHING)]);
  });

  test("GIVEN a new policy name WHEN the replacement is applied THEN the new policy is attached before the old one is detached: the role is never without one", async () => {
    const renamed = `trelicaOrganizationId: "org-adopt"
managementAccountId: "${MANAGEMENT}"
accounts:
  - id: "${MANAGEMENT}"
  - id: "${MATCHING}"
    policyName: TrelicaReadOnlyRenamed
`;
    project.synth(renamed);
    const before = project.fake.requests.length;
    const plan = await project.rollout({ command: "plan", accounts: [MATCHING] });
    expect(plan.report.accounts[0].counts).toMatchObject({ replace: 2 });
    const apply = await project.rollout({ command: "apply", accounts: [MATCHING], allowDestroy: true, allowAccessChange: true });
    expect(apply.exitCode).toBe(0);
    const renamedArn = `arn:aws:iam::${MATCHING}:policy/TrelicaReadOnlyRenamed`;
    expect(project.fake.account(MATCHING).roles.TrelicaIntegration.attachedPolicies).toEqual([renamedArn]);
    expect(project.fake.account(MATCHING).policies[OURS(MATCHING)]).toBeUndefined();
    const writes = project.fake.requests.slice(before).filter((request) => request.accountId === MATCHING && /^(Attach|Detach)RolePolicy$/.test(request.action) && request.status === 200);
    expect(writes.map((request) => request.action)[0]).toBe("AttachRolePolicy");
  });
});
