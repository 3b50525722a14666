/*
 * Verify with the deployer, on the real terraform and AWS provider against the fake AWS, which enforces IAM:
 * trelica-deployer applied (its stack set puts TrelicaDeployer, its read-only twin's siblings and
 * TrelicaDeployerVerify in every member), the accounts rolled out by a least-privilege CI user through the
 * deployer, then the same CI user runs verify: every member is read through TrelicaDeployerVerify, legacy
 * users included, with no AccessDenied, and every call it made there is a row of verify's table. Deactivating
 * keys through that read-only role is refused before anything is read.
 */
import { VERIFY_READS, verifyPolicy } from "../../app/deployer/verify-role";
import { deployingPolicy } from "../../app/deployer/policies";
import { DEPLOYER_STACK_NAME } from "../../app/deployer/stack";
import { UserError } from "../../app/common/errors";
import { tempDir } from "../helpers/files";
import { describeWithRealTerraform, forProvider5 } from "../helpers/real-terraform";
import { TerraformProject } from "../helpers/terraform-project";
import { runVerify, statuses, useFakeAs } from "../helpers/verify";

const MANAGEMENT = "111111111111";
const MEMBERS = ["500000000001", "500000000002"];
const [WITH_LEGACY_USER] = MEMBERS;
const ALL = [MANAGEMENT, ...MEMBERS];
const CI_USER = `arn:aws:iam::${MANAGEMENT}:user/platform-ci`;
const ONLY_TRELICA = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:ListUsers", Resource: "*" }] });

const CONFIG = `trelicaOrganizationId: "org-verify-deployer"
managementAccountId: "${MANAGEMENT}"
services: { connect: false }
deployment:
  deployer:
    trustedPrincipalArns: ["${CI_USER}"]
    organizationalUnitIds: ["r-ab12"]
accounts:
${ALL.map((id) => `  - id: "${id}"`).join("\n")}
`;

describeWithRealTerraform("verify with the deployer, on the real terraform, the fake enforcing IAM", (real) => {
  const dir = tempDir("trelica-e2e-verify-deployer-");
  let project: TerraformProject;
  let ci: NodeJS.ProcessEnv;
  let keys: { accessKeyId: string; secretAccessKey: string };

  beforeAll(async () => {
    project = await TerraformProject.create(real, dir, { "trelica.config.yaml": CONFIG }, {
      managementAccountId: MANAGEMENT,
      organizationalUnits: { "r-ab12": MEMBERS },
      operationMs: 300,
    });
    if (real.providerVersion.startsWith("5.")) project.editStack(DEPLOYER_STACK_NAME, forProvider5);
    // The CI user: the apply table on the management account's role, verify's reads there, and sts:AssumeRole into the deployer and its verify role.
    keys = project.fake.credentialsFor(MANAGEMENT, "platform-ci");
    const deploy = deployingPolicy({ partition: "aws", account: MANAGEMENT, policyName: "TrelicaIntegrationReadOnly", access: "write" });
    const assume = { Effect: "Allow", Action: "sts:AssumeRole", Resource: ["arn:aws:iam::*:role/TrelicaDeployer", "arn:aws:iam::*:role/TrelicaDeployerVerify"] };
    const inline = project.fake.account(MANAGEMENT).users["platform-ci"].inlinePolicies;
    inline.deploy = JSON.stringify({ ...deploy, Statement: [...deploy.Statement, assume] });
    inline.verify = JSON.stringify(verifyPolicy("aws", MANAGEMENT));
    ci = project.env({ extra: { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey } });
  });
  afterAll(() => project?.close());
  afterEach(() => expect(project.fake.unimplemented).toEqual([]));

  test("GIVEN trelica-deployer applied THEN every member holds the deployer and the verify role, trusting the CI user", async () => {
    await project.terraformExpecting(DEPLOYER_STACK_NAME, ["init"]);
    await project.terraformExpecting(DEPLOYER_STACK_NAME, ["apply", "-auto-approve"]);
    for (const account of MEMBERS) {
      expect([account, project.fake.rolesMadeIn(account).sort()]).toEqual([account, ["TrelicaDeployer", "TrelicaDeployerVerify"]]);
      const verifyRole = project.fake.account(account).roles.TrelicaDeployerVerify;
      expect(JSON.parse(verifyRole.assumeRolePolicyDocument).Statement[0].Principal.AWS).toBe(CI_USER);
      expect(verifyRole.attachedPolicies).toEqual([`arn:aws:iam::${account}:policy/TrelicaDeployerVerifyPolicy`]);
    }
  });

  test("WHEN the CI user rolls out through the deployer THEN every account holds Trelica's role, nothing refused", async () => {
    const apply = await project.rollout({ command: "apply", planAndApply: true, env: ci });
    expect(apply.report.accounts.map((account) => [account.accountId, account.status])).toEqual(ALL.map((id) => [id, "succeeded"]));
    expect(project.fake.denials).toEqual([]);
  });

  test("GIVEN legacy-looking users in a member WHEN the CI user runs verify THEN every account is read through TrelicaDeployerVerify with no AccessDenied, and each call it made is a row of verify's table", async () => {
    project.fake.call(WITH_LEGACY_USER, "iam", "CreateUser", { UserName: "TrelicaLegacy" });
    project.fake.call(WITH_LEGACY_USER, "iam", "PutUserPolicy", { UserName: "TrelicaLegacy", PolicyName: "trelica", PolicyDocument: ONLY_TRELICA });
    project.fake.call(WITH_LEGACY_USER, "iam", "CreateAccessKey", { UserName: "TrelicaLegacy" });
    project.fake.call(WITH_LEGACY_USER, "iam", "CreateUser", { UserName: "trelica-console" });
    project.fake.call(WITH_LEGACY_USER, "iam", "PutUserPolicy", { UserName: "trelica-console", PolicyName: "trelica", PolicyDocument: ONLY_TRELICA });
    project.fake.call(WITH_LEGACY_USER, "iam", "CreateLoginProfile", { UserName: "trelica-console", Password: "x" });
    useFakeAs(project.fake, MANAGEMENT);
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey });
    const before = project.fake.requests.length;

    const { report } = await runVerify(`${dir}/trelica.config.yaml`);
    expect(report.accounts.map((account) => [account.accountId, account.reason ?? ""])).toEqual(ALL.map((id) => [id, ""]));
    expect(statuses(report)).toEqual({ [MANAGEMENT]: "ok", [MEMBERS[0]]: "legacy-keys", [MEMBERS[1]]: "ok" });
    const member = report.accounts.find((account) => account.accountId === WITH_LEGACY_USER)!;
    expect(member.legacyUsers.map((user) => [user.userName, user.keys.map((key) => key.verdict)])).toEqual([["TrelicaLegacy", ["keep"]]]);
    expect(member.notTrelica.map((user) => user.userName)).toEqual(["trelica-console"]);
    expect(project.fake.denials).toEqual([]);

    const made = project.fake.requests.slice(before);
    const sessions = made.filter((request) => request.action === "AssumeRole");
    expect(sessions.map((request) => [request.caller, request.roleArn, request.status])).toEqual(MEMBERS.map((id) => [CI_USER, `arn:aws:iam::${id}:role/TrelicaDeployerVerify`, 200]));
    const asVerify = made.filter((request) => request.caller?.includes(":assumed-role/TrelicaDeployerVerify/"));
    expect(new Set(asVerify.map((request) => request.accountId))).toEqual(new Set(MEMBERS));
    const table = new Set(VERIFY_READS.map((row) => row.action));
    const calls = new Set(asVerify.map((request) => `${request.service}:${request.action}`));
    expect([...calls].filter((action) => !table.has(action as never))).toEqual([]);
    // Every read of the table was needed by this run: the table holds nothing verify does not call.
    expect([...calls].sort()).toEqual([...table].sort());
  });

  test("GIVEN --deactivate-legacy-keys WHEN verify would reach members through the read-only verify role THEN it is refused before any call", async () => {
    const before = project.fake.requests.length;
    await expect(runVerify(`${dir}/trelica.config.yaml`, { deactivateLegacyKeys: true })).rejects.toThrow(UserError);
    expect(project.fake.requests.length).toBe(before);
    expect(project.fake.account(WITH_LEGACY_USER).users.TrelicaLegacy.accessKeys[0].status).toBe("Active");
  });

  test("WHEN the accounts and trelica-deployer are destroyed THEN no account holds anything", async () => {
    const destroy = await project.rollout({ command: "destroy", confirmDestroy: true, env: ci });
    expect(destroy.report.accounts.map((account) => account.outcome)).toEqual(ALL.map(() => "destroyed"));
    await project.terraformExpecting(DEPLOYER_STACK_NAME, ["destroy", "-auto-approve"]);
    expect(project.fake.accountsWithResources()).toEqual([]);
  });
});
