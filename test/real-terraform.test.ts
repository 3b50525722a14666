/*
 * The fast real-terraform subset of `npm test`: the shipped example through the rollout runner with the
 * real terraform and AWS provider against the fake AWS. The long flows are in test/e2e (npm run test:e2e).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { PROJECT_ROOT, tempDir } from "./helpers/files";
import { describeWithRealTerraform } from "./helpers/real-terraform";
import { inOrder } from "./helpers/steps";
import { makeRoleByHand, TerraformProject } from "./helpers/terraform-project";
import { enrolDeployer } from "./helpers/deployer";

// Real terraform and provider start-ups on a shared, loaded machine: a plan of three accounts took 74 s
// at load 15 (39 s idle). No step's pass depends on speed: each may take up to 10 minutes.
const STEP_TIMEOUT = 600_000;
jest.setTimeout(STEP_TIMEOUT);

const MANAGEMENT = "111111111111";
/** Who runs rollout here: the fake's user of the management account. */
const CALLER = `arn:aws:iam::${MANAGEMENT}:user/terraform`;

/**
 * The shipped example as a user makes it theirs: their own organization ID instead of the placeholder (rollout
 * apply refuses that), and themselves as the deployer's trusted principal.
 */
const ORGANIZATION_ID = "org-real-terraform-42";
function exampleConfig(): string {
  const doc = parseDocument(fs.readFileSync(path.join(PROJECT_ROOT, "trelica.config.yaml"), "utf8"));
  doc.set("trelicaOrganizationId", ORGANIZATION_ID);
  doc.setIn(["deployment", "deployer", "trustedPrincipalArns"], [CALLER]);
  return doc.toString();
}

const PRODUCTION = "222222222222";
const SANDBOX = "033333333333"; // adoptExisting in the shipped example
const MEMBERS = [PRODUCTION, SANDBOX];

describeWithRealTerraform("the shipped example with the real terraform and AWS provider", (real) => {
  const dir = tempDir("trelica-real-");
  let project: TerraformProject;
  let handMade: { policyArn: string; policyId: string };

  const step = inOrder();

  beforeAll(async () => {
    project = await TerraformProject.create(real, dir, { "trelica.config.yaml": exampleConfig() }, { managementAccountId: MANAGEMENT, organizationalUnits: { "r-ab12": MEMBERS } });
    // The example reaches members through TrelicaDeployer: as if trelica-deployer had been applied first.
    enrolDeployer(project.fake, project.outdir, MANAGEMENT, MEMBERS);
    // The sandbox's role was made by hand from the vendor's page: its policy has no description.
    handMade = makeRoleByHand(project.fake, SANDBOX, { roleDescription: "made by hand" });
  });
  afterAll(() => project?.close());
  afterEach(() => expect(project.fake.unimplemented).toEqual([]));

  step("GIVEN terraform warning on stderr WHEN rollout plans THEN every account's plan is read from stdout alone", async () => {
    const result = await project.rollout({ command: "plan", env: project.env({ impliedMirror: true }) });
    const byStack = Object.fromEntries(result.report.accounts.map((account) => [account.accountId, account]));
    expect(result.report.accounts.map((account) => [account.accountId, account.status])).toEqual([
      [SANDBOX, "succeeded"],
      [MANAGEMENT, "succeeded"],
      [PRODUCTION, "succeeded"],
    ]);
    expect(byStack[MANAGEMENT].counts).toEqual({ create: 5, update: 0, delete: 0, replace: 0, import: 0 });
    // Adoption of a policy whose description differs: imported and updated, never replaced.
    expect(byStack[SANDBOX].counts).toMatchObject({ create: 2, delete: 0, replace: 0, import: 3 });
    expect(result.exitCode).toBe(2);
    const log = fs.readFileSync(byStack[MANAGEMENT].log!, "utf8");
    expect(log).toContain("Unable to open CLI configuration file");
  });

  step("GIVEN the saved plans WHEN rollout applies THEN the new roles are made, and the adoption, which changes the hand-made trust policy, waits for --allow-access-change", async () => {
    const result = await project.rollout({ command: "apply" });
    const sandbox = result.report.accounts.find((account) => account.accountId === SANDBOX)!;
    expect(sandbox.status).toBe("refused");
    expect(sandbox.accessChanges?.map((change) => change.reason).join("; ")).toContain(ORGANIZATION_ID);
    expect(result.report.accounts.filter((account) => account.accountId !== SANDBOX).map((account) => account.status)).toEqual(["succeeded", "succeeded"]);
    expect(project.fake.account(SANDBOX).roles.TrelicaIntegration.description).toBe("made by hand");
    expect(result.exitCode).toBe(1);
  });

  step("GIVEN --allow-access-change WHEN rollout applies THEN each account holds exactly its role and policy, the adopted policy never left the role", async () => {
    const result = await project.rollout({ command: "apply", allowAccessChange: true });
    expect(result.report.accounts.map((account) => account.status)).toEqual(["succeeded", "skipped", "skipped"]);
    expect(result.exitCode).toBe(0);
    // What to paste into Trelica comes from terraform's own outputs now: every role exists.
    const connections = fs.readFileSync(path.join(project.outdir, "trelica-connections.csv"), "utf8");
    for (const account of [MANAGEMENT, PRODUCTION, SANDBOX]) {
      expect(connections).toMatch(new RegExp(`^${account},.*,arn:aws:iam::${account}:role/TrelicaIntegration,.*,applied$`, "m"));
    }
    for (const account of [MANAGEMENT, PRODUCTION, SANDBOX]) {
      const role = project.fake.account(account).roles.TrelicaIntegration;
      expect(JSON.parse(role.assumeRolePolicyDocument).Statement[0].Condition).toEqual({ StringEquals: { "sts:ExternalId": ORGANIZATION_ID } });
      expect(role.attachedPolicies).toEqual([`arn:aws:iam::${account}:policy/TrelicaIntegrationReadOnly`]);
    }
    // Members were reached through the deployer alone, which nothing refused; each role is under the boundary.
    const sessions = project.fake.requests.filter((request) => request.action === "AssumeRole" && request.caller === CALLER);
    expect(new Set(sessions.map((request) => request.roleArn?.split("/").pop()))).toEqual(new Set(["TrelicaDeployer"]));
    expect(project.fake.denials).toEqual([]);
    for (const account of [MANAGEMENT, ...MEMBERS]) {
      expect(project.fake.account(account).roles.TrelicaIntegration.permissionsBoundary).toBe(`arn:aws:iam::${account}:policy/TrelicaIntegrationBoundary`);
    }
    const adopted = project.fake.account(SANDBOX).policies[handMade.policyArn];
    expect(adopted.id).toBe(handMade.policyId);
    expect(project.fake.account(SANDBOX).roles.TrelicaIntegration.description).toBe("Read-only access for the Trelica SaaS management platform");
    expect(project.callsIn(SANDBOX).filter((call) => /DeletePolicy$|DetachRolePolicy|DeleteRole$/.test(call))).toEqual([]);
    // organizations:ListAccounts only in the management account.
    const documentOf = (account: string) => JSON.parse(project.fake.account(account).policies[`arn:aws:iam::${account}:policy/TrelicaIntegrationReadOnly`].versions.at(-1)!.document);
    expect(documentOf(MANAGEMENT).Statement[0].Action).toContain("organizations:ListAccounts");
    expect(documentOf(PRODUCTION).Statement[0].Action).not.toContain("organizations:ListAccounts");
  });

  step("GIVEN plans already applied WHEN rollout applies again THEN nothing is applied twice and it says to plan again", async () => {
    const applies = project.fake.requests.length;
    const result = await project.rollout({ command: "apply" });
    expect(result.exitCode).toBe(0);
    for (const account of result.report.accounts) {
      expect(account.status).toBe("skipped");
      expect(account.reason).toMatch(/applied.*plan again/);
    }
    expect(project.fake.requests.length).toBe(applies);
  });

  step("GIVEN everything applied WHEN rollout plans again THEN every account is proven in sync from live reads and state, terraform runs nowhere, and it exits 0", async () => {
    const result = await project.rollout({ command: "plan" });
    expect(result.report.accounts.map((account) => [account.outcome, account.attempts, account.notInSync])).toEqual([
      ["in-sync", 0, undefined],
      ["in-sync", 0, undefined],
      ["in-sync", 0, undefined],
    ]);
    expect(project.lines.join("")).toContain("3 in sync (live and state): proven without terraform, nothing to plan; terraform ran in 0.");
    expect(result.exitCode).toBe(0);
  });

  step("GIVEN everything applied WHEN rollout plans with --full THEN terraform plans every account and finds no changes", async () => {
    const result = await project.rollout({ command: "plan", full: true });
    expect(result.report.accounts.map((account) => account.outcome)).toEqual(["no-changes", "no-changes", "no-changes"]);
    expect(result.exitCode).toBe(0);
  });
});
