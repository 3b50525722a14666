/*
 * The deployer with the real terraform and AWS provider against the fake AWS, which enforces IAM: an
 * Organization deployed today through OrganizationAccountAccessRole moves to TrelicaDeployer without a
 * moment where Trelica's role is unmanaged or its access changed; from then on rollout runs as a
 * least-privilege CI user (the apply table on the management account's role, sts:AssumeRole into the
 * deployer) and never touches OrganizationAccountAccessRole; adoption works through the deployer; a stack
 * that asks for anything else is refused with AccessDenied and reported cleanly; destroy leaves nothing.
 */
import { DEPLOYER_ACTIONS } from "../../app/deployer/actions";
import { managementPolicyOf } from "../../app/commands/management-policy";
import { DEPLOYER_STACK_NAME } from "../../app/deployer/stack";
import * as path from "node:path";
import { tempDir } from "../helpers/files";
import { describeWithRealTerraform, forProvider5 } from "../helpers/real-terraform";
import { makeRoleByHand, TerraformProject } from "../helpers/terraform-project";

const MANAGEMENT = "111111111111";
const MEMBERS = ["500000000001", "500000000002"];
const ADOPTED = "500000000003"; // its TrelicaIntegration was made by hand, from Trelica's setup page
const CI_USER = `arn:aws:iam::${MANAGEMENT}:user/platform-ci`;
const ALL = [MANAGEMENT, ...MEMBERS];

const config = (options: { deployer: boolean; adopted?: boolean }) => `trelicaOrganizationId: "org-deployer"
managementAccountId: "${MANAGEMENT}"
services: { connect: false }
${options.deployer ? `deployment:\n  deployer:\n    trustedPrincipalArns: ["${CI_USER}"]\n    organizationalUnitIds: ["r-ab12"]\n` : ""}accounts:
${[...ALL, ...(options.adopted ? [ADOPTED] : [])].map((id) => `  - id: "${id}"${id === ADOPTED ? "\n    adoptExisting: true" : ""}`).join("\n")}
`;

describeWithRealTerraform("the deployer with the real terraform, the fake enforcing IAM", (real) => {
  const dir = tempDir("trelica-e2e-deployer-");
  let project: TerraformProject;
  let ci: NodeJS.ProcessEnv;
  const roleIds: Record<string, string> = {};
  const synth = (text: string) => {
    project.synth(text);
    // This machine's provider binary may be 5.x; see forProvider5.
    if (project.stackNames().includes(DEPLOYER_STACK_NAME) && real.providerVersion.startsWith("5.")) project.editStack(DEPLOYER_STACK_NAME, forProvider5);
  };
  const statusOf = (result: { report: { accounts: { accountId?: string; status: string }[] } }) =>
    Object.fromEntries(result.report.accounts.map((account) => [account.accountId, account.status]));
  const trelicaRole = (account: string) => project.fake.account(account).roles.TrelicaIntegration;
  /** The IAM calls that changed something in `account` (not reads, not STS), in order, from the `since`th request on. */
  const writesIn = (account: string, since: number) =>
    project.fake.requests
      .slice(since)
      .filter((request) => request.accountId === account && request.service === "iam" && !/^(Get|List)/.test(request.action))
      .map((request) => `iam:${request.action}${request.code ? `!${request.code}` : ""}`);
  const documentOf = (account: string) => {
    const policy = project.fake.account(account).policies[`arn:aws:iam::${account}:policy/TrelicaIntegrationReadOnly`];
    return policy.versions.find((version) => version.versionId === policy.defaultVersionId)!.document;
  };

  beforeAll(async () => {
    project = await TerraformProject.create(real, dir, { "trelica.config.yaml": config({ deployer: false }) }, {
      managementAccountId: MANAGEMENT,
      organizationalUnits: { "r-ab12": [...MEMBERS, ADOPTED] },
      operationMs: 300,
    });
    const keys = project.fake.credentialsFor(MANAGEMENT, "platform-ci");
    ci = project.env({ extra: { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey } });
  });
  afterAll(() => project?.close());
  afterEach(() => expect(project.fake.unimplemented).toEqual([]));

  test("GIVEN an Organization deployed today through OrganizationAccountAccessRole (an administrator) THEN every account holds Trelica's role", async () => {
    expect((await project.rollout({ command: "plan" })).exitCode).toBe(2);
    const apply = await project.rollout({ command: "apply" });
    expect(statusOf(apply)).toEqual(Object.fromEntries(ALL.map((id) => [id, "succeeded"])));
    for (const account of ALL) roleIds[account] = trelicaRole(account).id;
  });

  test("WHEN the deployer is turned on and trelica-deployer applied in the management account THEN every member holds the deployer and the boundary, and no Trelica role changed", async () => {
    const before = Object.fromEntries(ALL.map((account) => [account, JSON.stringify([trelicaRole(account), documentOf(account)])]));
    synth(config({ deployer: true }));
    expect(project.stackNames()).toEqual([...ALL.map((id) => `trelica-${id}`), DEPLOYER_STACK_NAME]);
    // A rollout of the accounts never sweeps it in: it runs first, by a person with the management account's credentials.
    await project.terraformExpecting(DEPLOYER_STACK_NAME, ["init"]);
    await project.terraformExpecting(DEPLOYER_STACK_NAME, ["apply", "-auto-approve"]);
    for (const account of MEMBERS) {
      expect([account, project.fake.rolesMadeIn(account).sort()]).toEqual([account, ["TrelicaDeployer", "TrelicaDeployerVerify", "TrelicaIntegration"]]);
      const state = project.fake.account(account);
      expect(Object.keys(state.policies).sort()).toEqual(
        ["TrelicaDeployerPolicy", "TrelicaDeployerVerifyPolicy", "TrelicaIntegrationBoundary", "TrelicaIntegrationReadOnly"].map((name) => `arn:aws:iam::${account}:policy/${name}`),
      );
      expect(JSON.parse(state.roles.TrelicaDeployer.assumeRolePolicyDocument).Statement[0].Principal.AWS).toBe(CI_USER);
    }
    expect(project.fake.account(MANAGEMENT).policies[`arn:aws:iam::${MANAGEMENT}:policy/TrelicaIntegrationBoundary`]).toBeDefined();
    // The CI user holds exactly what `npm run synth -- --print-management-policy` prints for this config, nothing else.
    project.fake.account(MANAGEMENT).users["platform-ci"].inlinePolicies.deploy = JSON.stringify(managementPolicyOf(path.join(dir, "trelica.config.yaml")));
    for (const account of ALL) expect([account, JSON.stringify([trelicaRole(account), documentOf(account)])]).toEqual([account, before[account]]);
  });

  test("WHEN the CI user rolls out THEN each account only gains the boundary, in place, through the deployer; OrganizationAccountAccessRole is never used, and nothing is refused", async () => {
    const since = project.fake.requests.length;
    const plan = await project.rollout({ command: "plan", env: ci });
    expect(plan.report.accounts.map((account) => [account.accountId, account.counts])).toEqual(
      ALL.map((id) => [id, { create: 0, update: 1, delete: 0, replace: 0, import: 0 }]),
    );
    const apply = await project.rollout({ command: "apply", env: ci });
    expect(statusOf(apply)).toEqual(Object.fromEntries(ALL.map((id) => [id, "succeeded"])));
    for (const account of ALL) {
      expect([account, trelicaRole(account).id, trelicaRole(account).permissionsBoundary]).toEqual([account, roleIds[account], `arn:aws:iam::${account}:policy/TrelicaIntegrationBoundary`]);
    }
    const ciSessions = project.fake.requests.filter((request) => request.action === "AssumeRole" && request.caller === CI_USER);
    expect(ciSessions.length).toBeGreaterThan(0);
    expect(new Set(ciSessions.map((request) => request.roleArn?.split("/").pop()))).toEqual(new Set(["TrelicaDeployer"]));
    expect(project.fake.denials).toEqual([]);
    // The first write in every account (the management account's too, through the CI user's own credentials) puts the boundary on.
    for (const account of ALL) expect([account, writesIn(account, since)]).toEqual([account, ["iam:PutRolePermissionsBoundary"]]);
    const replan = await project.rollout({ command: "plan", env: ci, full: true });
    expect(replan.report.accounts.map((account) => account.outcome)).toEqual(ALL.map(() => "no-changes"));
  });

  test("GIVEN every IAM call the provider made through the deployer THEN each is a row of the action table", () => {
    const table = new Set([...DEPLOYER_ACTIONS.map((row) => row.action), "sts:GetCallerIdentity"]);
    const made = new Set(
      project.fake.requests.filter((request) => request.caller?.includes(":assumed-role/TrelicaDeployer/")).map((request) => `${request.service}:${request.action}`),
    );
    expect(made.size).toBeGreaterThan(5);
    expect([...made].filter((action) => !table.has(action))).toEqual([]);
  });

  test("GIVEN a role made by hand in a newly enrolled account WHEN it is adopted through the deployer THEN it is imported and put under the boundary", async () => {
    makeRoleByHand(project.fake, ADOPTED);
    const handMade = trelicaRole(ADOPTED).id;
    const since = project.fake.requests.length;
    synth(config({ deployer: true, adopted: true }));
    await project.terraformExpecting(DEPLOYER_STACK_NAME, ["apply", "-auto-approve"]);
    expect(project.fake.rolesMadeIn(ADOPTED).sort()).toEqual(["TrelicaDeployer", "TrelicaDeployerVerify", "TrelicaIntegration"]);
    // The CI user's policy names each member's deployer: a new account is refused until it holds the policy printed again, and the hint says so.
    const refused = await project.rollout({ command: "plan", env: ci, accounts: [ADOPTED] });
    expect(refused.report.accounts.map((account) => [account.status, account.hint])).toEqual([["failed", expect.stringContaining("print it again after adding accounts")]]);
    const deniedBefore = project.fake.denials.length;
    project.fake.account(MANAGEMENT).users["platform-ci"].inlinePolicies.deploy = JSON.stringify(managementPolicyOf(path.join(dir, "trelica.config.yaml")));
    await project.rollout({ command: "plan", env: ci, accounts: [ADOPTED] });
    // The hand-made trust lacks the external ID: taking it over is an access change, applied only when allowed.
    const apply = await project.rollout({ command: "apply", env: ci, accounts: [ADOPTED], allowAccessChange: true });
    expect(apply.report.accounts.map((account) => [account.accountId, account.status, account.reason])).toEqual([[ADOPTED, "succeeded", undefined]]);
    expect([trelicaRole(ADOPTED).id, trelicaRole(ADOPTED).permissionsBoundary]).toEqual([handMade, `arn:aws:iam::${ADOPTED}:policy/TrelicaIntegrationBoundary`]);
    expect(trelicaRole(ADOPTED).attachedPolicies).toEqual([`arn:aws:iam::${ADOPTED}:policy/TrelicaIntegrationReadOnly`]);
    expect(project.fake.denials.slice(deniedBefore)).toEqual([]);
    // Before the boundary: only tags and the rows the provider calls ahead of it in the same update; every other change after it.
    const writes = writesIn(ADOPTED, since);
    const boundaryAt = writes.indexOf("iam:PutRolePermissionsBoundary");
    const ahead = new Set(["iam:TagRole", "iam:TagPolicy", ...DEPLOYER_ACTIONS.filter((row) => row.beforeTheBoundary).map((row) => row.action)]);
    expect(boundaryAt).toBeGreaterThanOrEqual(0);
    expect(writes.slice(0, boundaryAt).filter((action) => !ahead.has(action))).toEqual([]);
    expect(writes.slice(boundaryAt + 1)).toEqual(expect.arrayContaining(["iam:CreatePolicyVersion"]));
  });

  test.each([
    ["AdministratorAccess attached to TrelicaIntegration", "iam:AttachRolePolicy", (json: any) => {
      json.resource.aws_iam_role_policy_attachment.admin = { role: "TrelicaIntegration", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" };
    }],
    ["another role", "iam:CreateRole", (json: any) => {
      json.resource.aws_iam_role.backdoor = { name: "Backdoor", assume_role_policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "sts:AssumeRole" }] }) };
    }],
  ])("GIVEN a member stack that asks for %s WHEN rolled out THEN the fake refuses it with AccessDenied and rollout reports that account failed", async (_case, action, edit) => {
    const stack = `trelica-${MEMBERS[0]}`;
    const denied = project.fake.denials.length;
    project.editStack(stack, (json) => {
      edit(json);
      return json;
    });
    await project.rollout({ command: "plan", env: ci, accounts: [MEMBERS[0]] });
    const apply = await project.rollout({ command: "apply", env: ci, accounts: [MEMBERS[0]] });
    const [account] = apply.report.accounts;
    expect([account.accountId, account.status]).toEqual([MEMBERS[0], "failed"]);
    expect(account.reason).toContain("AccessDenied");
    expect(account.reason).toContain(`is not authorized to perform: ${action}`);
    expect(project.fake.denials.slice(denied).map((denial) => denial.action)).toContain(action);
    expect(project.fake.rolesMadeIn(MEMBERS[0]).sort()).toEqual(["TrelicaDeployer", "TrelicaDeployerVerify", "TrelicaIntegration"]);
    expect(trelicaRole(MEMBERS[0]).attachedPolicies).toEqual([`arn:aws:iam::${MEMBERS[0]}:policy/TrelicaIntegrationReadOnly`]);
    synth(config({ deployer: true, adopted: true }));
  });

  test("WHEN the accounts are destroyed through the deployer and then trelica-deployer THEN no account holds anything", async () => {
    const destroy = await project.rollout({ command: "destroy", confirmDestroy: true, env: ci });
    expect(destroy.report.accounts.map((account) => account.outcome)).toEqual([...ALL, ADOPTED].sort().map(() => "destroyed"));
    await project.terraformExpecting(DEPLOYER_STACK_NAME, ["destroy", "-auto-approve"]);
    expect(project.fake.accountsWithResources()).toEqual([]);
  });
});
