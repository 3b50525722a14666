/*
 * An Organization of 12 accounts with per-account overrides, through the rollout runner with the real
 * terraform and AWS provider against the fake AWS: plan, apply (one account throttled, one that cannot
 * be reached), drift and a config change, re-plan, wrong credentials, destroy.
 */
import { tempDir } from "../helpers/files";
import { listAccountsJson } from "../helpers/organization";
import { describeWithRealTerraform } from "../helpers/real-terraform";
import { TerraformProject } from "../helpers/terraform-project";

const MANAGEMENT = "111111111111";
const MEMBERS = Array.from({ length: 11 }, (_, i) => String(200000000001 + i));
const CONNECT_IN_LONDON = MEMBERS[0];
const OWN_POLICY_NAME = MEMBERS[1];
const NO_COGNITO = MEMBERS[2];
const THROTTLED = MEMBERS[3];
const DRIFTED = MEMBERS[4];
const INVITED = MEMBERS[10]; // joined by invitation: no OrganizationAccountAccessRole
const REACHABLE = [MANAGEMENT, ...MEMBERS.filter((id) => id !== INVITED)];
const policyArn = (account: string, name = "TrelicaIntegrationReadOnly") => `arn:aws:iam::${account}:policy/${name}`;

const config = (extraAccounts = "") => `trelicaOrganizationId: "org-e2e-42"
accountsFile: accounts.json
services: { connect: false }
accounts:
  - id: "${CONNECT_IN_LONDON}"
    services: { connect: true }
    region: eu-west-2
  - id: "${OWN_POLICY_NAME}"
    policyName: TrelicaReadOnlyCustom
${extraAccounts}`;

describeWithRealTerraform("an Organization of 12 accounts through rollout, with the real terraform", (real) => {
  const dir = tempDir("trelica-e2e-org-");
  let project: TerraformProject;
  const statusOf = (result: { report: { accounts: { accountId?: string; status: string }[] } }) =>
    Object.fromEntries(result.report.accounts.map((account) => [account.accountId, account.status]));

  beforeAll(async () => {
    const accounts = listAccountsJson([
      { Id: MANAGEMENT, Name: "management", State: "ACTIVE" },
      ...MEMBERS.map((Id) => ({ Id, Name: `member-${Id}`, State: "ACTIVE", JoinedMethod: Id === INVITED ? "INVITED" : "CREATED" })),
    ]);
    project = await TerraformProject.create(real, dir, { "trelica.config.yaml": config(), "accounts.json": accounts }, {
      managementAccountId: MANAGEMENT,
      accountsWithoutDeploymentRole: [INVITED],
    });
  });
  afterAll(() => project?.close());
  afterEach(() => expect(project.fake.unimplemented).toEqual([]));

  test("GIVEN 12 accounts WHEN rollout plans at concurrency 4 THEN 11 plan their 5 resources and the unreachable one fails alone, clearly", async () => {
    const result = await project.rollout({ command: "plan", concurrency: 4 });
    const statuses = statusOf(result);
    expect(Object.keys(statuses)).toHaveLength(12);
    for (const account of REACHABLE) expect([account, statuses[account]]).toEqual([account, "succeeded"]);
    const invited = result.report.accounts.find((account) => account.accountId === INVITED)!;
    expect(invited.status).toBe("failed");
    expect(invited.reason).toMatch(/AssumeRole|assume role/i);
    expect(invited.reason).toContain(`arn:aws:iam::${INVITED}:role/OrganizationAccountAccessRole`);
    for (const account of result.report.accounts.filter((a) => a.status === "succeeded")) {
      expect(account.counts).toEqual({ create: 5, update: 0, delete: 0, replace: 0, import: 0 });
    }
    expect(result.exitCode).toBe(1);
  });

  test("GIVEN the plans WHEN rollout applies with one account throttled THEN it is retried and succeeds, and the fake holds exactly what the report says", async () => {
    // The provider retries throttling itself (up to 25 attempts with backoff; AWS_MAX_ATTEMPTS cannot
    // lower it): the runner's own retry only meets throttling that outlasts those.
    project.fake.throttle(THROTTLED, 3);
    const result = await project.rollout({ command: "apply", concurrency: 4 });
    const throttled = result.report.accounts.find((account) => account.accountId === THROTTLED)!;
    expect(throttled.status).toBe("succeeded");
    expect(project.callsIn(THROTTLED).filter((call) => call.endsWith("!Throttling"))).toHaveLength(3);
    for (const account of result.report.accounts) {
      const state = project.fake.account(account.accountId!);
      if (account.status === "succeeded") {
        const name = account.accountId === OWN_POLICY_NAME ? "TrelicaReadOnlyCustom" : undefined;
        expect(state.roles.TrelicaIntegration.attachedPolicies).toEqual([policyArn(account.accountId!, name)]);
      } else {
        expect([account.accountId, account.status, state.roles]).toEqual([INVITED, "refused", {}]);
      }
    }
    const documentOf = (account: string, name?: string) => JSON.parse(project.fake.account(account).policies[policyArn(account, name)].versions[0].document);
    expect(documentOf(CONNECT_IN_LONDON).Statement[0].Action).toContain("connect:ListInstances");
    expect(documentOf(MEMBERS[5]).Statement[0].Action).not.toContain("connect:ListInstances");
    expect(documentOf(MANAGEMENT).Statement[0].Action).toContain("organizations:ListAccounts");
  });

  test("GIVEN drift behind terraform's back and a service turned off for one account THEN the next plan shows exactly those two policy updates, and apply repairs them", async () => {
    project.fake.call(DRIFTED, "iam", "CreatePolicyVersion", {
      PolicyArn: policyArn(DRIFTED),
      PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
      SetAsDefault: true,
    });
    project.synth(config(`  - id: "${NO_COGNITO}"\n    services: { cognito: false }\n`));
    const plan = await project.rollout({ command: "plan", concurrency: 4, exclude: [INVITED] });
    const changed = plan.report.accounts.filter((account) => account.outcome === "changes");
    expect(changed.map((account) => [account.accountId, account.counts])).toEqual([
      [NO_COGNITO, { create: 0, update: 1, delete: 0, replace: 0, import: 0 }],
      [DRIFTED, { create: 0, update: 1, delete: 0, replace: 0, import: 0 }],
    ]);
    expect(plan.exitCode).toBe(2);

    // Both updates remove actions from Trelica's policy: an access change, applied only when allowed.
    const refused = await project.rollout({ command: "apply", exclude: [INVITED] });
    expect(refused.report.accounts.filter((account) => account.status === "refused").map((account) => account.accountId)).toEqual([NO_COGNITO, DRIFTED]);
    expect(refused.exitCode).toBe(1);
    await project.rollout({ command: "plan", concurrency: 4, exclude: [INVITED] });
    const apply = await project.rollout({ command: "apply", exclude: [INVITED], allowAccessChange: true });
    expect(apply.exitCode).toBe(0);
    const current = (account: string) => {
      const policy = project.fake.account(account).policies[policyArn(account)];
      return JSON.parse(policy.versions.find((version) => version.versionId === policy.defaultVersionId)!.document).Statement[0].Action;
    };
    expect(current(DRIFTED)).toEqual(["cognito-idp:ListUserPools", "cognito-idp:ListUsers", "iam:ListUsers"]);
    expect(current(NO_COGNITO)).toEqual(["iam:ListUsers"]);
  });

  test("GIVEN everything applied WHEN terraform plans every account again (--full) THEN every reachable account has no changes and it exits 0", async () => {
    const result = await project.rollout({ command: "plan", concurrency: 4, exclude: [INVITED], full: true });
    expect(result.report.accounts.map((account) => account.outcome)).toEqual(REACHABLE.map(() => "no-changes"));
    expect(result.exitCode).toBe(0);
  });

  test("GIVEN a permissions boundary added to the config THEN terraform's plan of the role is flagged as an access change and apply refuses it without --allow-access-change", async () => {
    const applied = config(`  - id: "${NO_COGNITO}"\n    services: { cognito: false }\n`);
    const boundary = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    project.synth(`${applied}role:\n  permissionsBoundaryArn: ${boundary}\n`);
    const plan = await project.rollout({ command: "plan", accounts: [NO_COGNITO] });
    expect(plan.report.accounts.map((account) => [account.accountId, account.accessChanges])).toEqual([
      [NO_COGNITO, [{ address: expect.stringMatching(/^aws_iam_role\./), reason: `sets the role's permissions boundary (none -> ${boundary}), which caps what Trelica may do` }]],
    ]);
    const refused = await project.rollout({ command: "apply", accounts: [NO_COGNITO] });
    expect(refused.report.accounts.map((account) => [account.accountId, account.status])).toEqual([[NO_COGNITO, "refused"]]);
    expect(project.fake.account(NO_COGNITO).roles.TrelicaIntegration.permissionsBoundary).toBeUndefined();
    project.synth(applied);
  });

  test("GIVEN a member's credentials WHEN the management account's stack is planned THEN allowed_account_ids refuses them", async () => {
    const stack = `trelica-${MANAGEMENT}`;
    const result = await project.terraform(stack, ["plan", "-input=false", "-no-color", "-lock=false"], project.env({ accountId: MEMBERS[5] }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`${MEMBERS[5]}.*not allowed|not allowed.*${MEMBERS[5]}`, "s"));
  });

  test("GIVEN the Organization WHEN rollout destroys it THEN every account is left without role, policy or attachment", async () => {
    const result = await project.rollout({ command: "destroy", confirmDestroy: true, concurrency: 4, exclude: [INVITED] });
    expect(result.report.accounts.map((account) => account.outcome)).toEqual(REACHABLE.map(() => "destroyed"));
    expect(project.fake.accountsWithResources()).toEqual([]);
  });
});
