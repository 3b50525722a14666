/*
 * Never orphan a role, with the real terraform and AWS provider against the fake AWS: three accounts
 * applied; one excluded from the config; synth keeps its stack (its state holds the role) and marks it
 * leaving; plan shows it first, as a destroy; apply refuses it without --confirm-destroy and destroys
 * the role with it; the next synth drops the folder.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LEAVING_MARKER } from "../../app/stacks/leaving-stacks";
import { runApp } from "../helpers/app";
import { tempDir } from "../helpers/files";
import { describeWithRealTerraform } from "../helpers/real-terraform";
import { inOrder } from "../helpers/steps";
import { parse } from "../helpers/printed-commands";
import { TerraformProject } from "../helpers/terraform-project";

const MANAGEMENT = "111111111111";
const STAYS = "222222222222";
const LEAVES = "333333333333";

const config = (exclude: string[] = []) => `trelicaOrganizationId: "org-e2e-leaving"
managementAccountId: "${MANAGEMENT}"
${exclude.length > 0 ? `exclude: [${exclude.map((id) => `"${id}"`).join(", ")}]\n` : ""}accounts:
  - id: "${MANAGEMENT}"
  - id: "${STAYS}"
  - id: "${LEAVES}"
`;

describeWithRealTerraform("an account leaving the config, with the real terraform", (real) => {
  const dir = tempDir("trelica-e2e-leaving-");
  let project: TerraformProject;
  const step = inOrder();
  const leavingDir = () => project.stackDir(`trelica-${LEAVES}`);
  const hasRole = (account: string) => "TrelicaIntegration" in project.fake.account(account).roles;

  beforeAll(async () => {
    project = await TerraformProject.create(real, dir, { "trelica.config.yaml": config() }, { managementAccountId: MANAGEMENT });
  });
  afterAll(() => project?.close());
  afterEach(() => expect(project.fake.unimplemented).toEqual([]));

  step("GIVEN three accounts WHEN rollout plans and applies THEN each holds the role", async () => {
    expect((await project.rollout({ command: "plan" })).exitCode).toBe(2);
    const apply = await project.rollout({ command: "apply" });
    expect(apply.report.accounts.map((account) => [account.accountId, account.status])).toEqual([
      [MANAGEMENT, "succeeded"],
      [STAYS, "succeeded"],
      [LEAVES, "succeeded"],
    ]);
    expect([MANAGEMENT, STAYS, LEAVES].map(hasRole)).toEqual([true, true, true]);
  });

  step("GIVEN one account excluded WHEN synthesized THEN its stack is kept, marked leaving, with a warning saying how to remove the role", () => {
    fs.writeFileSync(path.join(dir, "trelica.config.yaml"), config([LEAVES]));
    const run = runApp(path.join(dir, "trelica.config.yaml"), project.outdir);
    expect(run.status).toBe(0);
    expect(run.stdout.split("\n")[0]).toContain(`kept 1 stack of accounts that left the config until its role is destroyed (trelica-${LEAVES})`);
    expect(run.stdout).toContain(`Warning: trelica-${LEAVES} left the config but its state (`);
    // The warning's commands run as printed: this config, this output folder, the leaving account; apply with the consent.
    const warning = run.stdout.split("\n").find((line) => line.startsWith(`Warning: trelica-${LEAVES} left`))!;
    const configFile = path.join(dir, "trelica.config.yaml");
    expect(parse(warning)).toEqual([
      { script: "rollout", config: configFile, output: project.outdir, accounts: [LEAVES] },
      { script: "rollout", config: configFile, output: project.outdir, accounts: [LEAVES] },
    ]);
    expect(warning).toContain("npm run rollout -- apply --confirm-destroy ");
    expect(fs.existsSync(path.join(leavingDir(), LEAVING_MARKER))).toBe(true);
    expect(project.stackNames()).toEqual([`trelica-${MANAGEMENT}`, `trelica-${STAYS}`, `trelica-${LEAVES}`]);
  });

  step("WHEN rollout plans THEN the leaving account comes first and its plan destroys the role; the others have no changes", async () => {
    // --full: terraform plans the staying accounts too (a leaving one always goes to terraform).
    const plan = await project.rollout({ command: "plan", full: true });
    expect(plan.report.accounts[0]).toMatchObject({ accountId: LEAVES, leaving: true, status: "succeeded", outcome: "changes", cutsTrelicaOff: true });
    expect(plan.report.accounts[0].counts).toMatchObject({ create: 0, update: 0, replace: 0 });
    expect(plan.report.accounts[0].counts!.delete).toBeGreaterThanOrEqual(3);
    expect(plan.report.accounts.slice(1).map((account) => account.outcome)).toEqual(["no-changes", "no-changes"]);
    expect(project.lines.join("\n")).toContain("1 leaving account (listed first)");
  });

  step("WHEN apply runs without --confirm-destroy THEN the leaving account is refused and its role stays", async () => {
    const apply = await project.rollout({ command: "apply", allowAccessChange: true, allowDestroy: true });
    expect(apply.report.accounts[0]).toMatchObject({ accountId: LEAVES, status: "refused" });
    expect(apply.report.accounts[0].reason).toContain("rerun with --confirm-destroy");
    expect(apply.exitCode).toBe(1);
    expect(hasRole(LEAVES)).toBe(true);
  });

  step("WHEN apply runs with --confirm-destroy THEN the leaving account's role and policy are gone, and the others keep theirs", async () => {
    const apply = await project.rollout({ command: "apply", confirmDestroy: true });
    expect(apply.report.accounts[0]).toMatchObject({ accountId: LEAVES, status: "succeeded", outcome: "destroyed" });
    expect(hasRole(LEAVES)).toBe(false);
    expect(Object.keys(project.fake.account(LEAVES).policies)).toEqual([]);
    expect([hasRole(MANAGEMENT), hasRole(STAYS)]).toEqual([true, true]);
  });

  step("WHEN synthesized again THEN the leaving folder is gone, without a warning: its state is empty", () => {
    const run = runApp(path.join(dir, "trelica.config.yaml"), project.outdir);
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain("left the config");
    expect(fs.existsSync(leavingDir())).toBe(false);
    expect(project.stackNames()).toEqual([`trelica-${MANAGEMENT}`, `trelica-${STAYS}`]);
  });
});
