/*
 * A cold folder (no .terraform in any stack, an empty provider cache) at concurrency 8, with the real
 * terraform: one init warms the cache before the parallel ones, whatever the command (plan, plan
 * --no-synth, apply --plan-and-apply, destroy). Without the warm-up, parallel inits race to fill the
 * cache and fail with "Failed to install provider ... file exists". No retries: a race is not hidden.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT, tempDir } from "../helpers/files";
import { describeWithRealTerraform } from "../helpers/real-terraform";
import { inOrder } from "../helpers/steps";
import { TerraformProject } from "../helpers/terraform-project";
import type { RolloutOptions } from "../../rollout/report/rollout-options";

const MANAGEMENT = "111111111111";
const MEMBERS = Array.from({ length: 8 }, (_, i) => String(420000000001 + i));
const ALL = [MANAGEMENT, ...MEMBERS];

describeWithRealTerraform("a cold folder at concurrency 8, with the real terraform", (real) => {
  const dir = tempDir("trelica-e2e-cold-cache-");
  let project: TerraformProject;
  const step = inOrder();

  /** Every stack's .terraform and the provider cache removed: as after a fresh clone. */
  const coldFolder = () => {
    for (const stack of project.stackNames()) fs.rmSync(path.join(project.stackDir(stack), ".terraform"), { recursive: true, force: true });
    fs.rmSync(path.join(dir, ".rollout", "plugin-cache"), { recursive: true, force: true });
  };
  const cold = async (options: Partial<RolloutOptions> & Pick<RolloutOptions, "command">) => {
    coldFolder();
    project.lines.length = 0;
    const result = await project.rollout({ concurrency: 8, retries: 0, ...options });
    const output = project.lines.join("");
    const logs = result.report.accounts.map((account) => (account.log && fs.existsSync(account.log) ? fs.readFileSync(account.log, "utf8") : "")).join("\n");
    return { result, output, logs };
  };
  const expectNoRace = ({ output, logs }: { output: string; logs: string }) => {
    expect(output).toMatch(/Warming the provider cache with terraform init in trelica-\d{12}\.\.\./);
    expect(logs).not.toMatch(/file exists|Failed to install provider/);
  };

  beforeAll(async () => {
    const config = `trelicaOrganizationId: "org-cold-cache"\nmanagementAccountId: "${MANAGEMENT}"\nservices: { connect: false }\naccounts:\n${ALL.map((id) => `  - id: "${id}"`).join("\n")}\n`;
    // rollout synthesizes through the project's cdktf.json app, as `npm run rollout` does: ours, by absolute paths.
    const app = [process.execPath, "-r", require.resolve("sucrase/register"), path.join(PROJECT_ROOT, "main.ts")].map((word) => JSON.stringify(word)).join(" ");
    project = await TerraformProject.create(real, dir, { "trelica.config.yaml": config, "cdktf.json": JSON.stringify({ app }) }, { managementAccountId: MANAGEMENT });
  });
  afterAll(() => project?.close());
  afterEach(() => expect(project.fake.unimplemented).toEqual([]));

  step("GIVEN a cold folder WHEN 9 accounts are synthesized and planned at concurrency 8 THEN each plans, after one warm-up init", async () => {
    const run = await cold({ command: "plan", synth: true, configFile: "trelica.config.yaml" });
    expectNoRace(run);
    expect(run.result.report.accounts.map((account) => [account.accountId, account.status, account.outcome])).toEqual(ALL.map((id) => [id, "succeeded", "changes"]));
  });

  step("GIVEN a cold folder WHEN planned with --no-synth (the stacks as they are), then applied with --plan-and-apply THEN each succeeds", async () => {
    const plan = await cold({ command: "plan", full: true });
    expectNoRace(plan);
    expect(plan.result.report.accounts.filter((account) => account.status !== "succeeded")).toEqual([]);
    const apply = await cold({ command: "apply", planAndApply: true });
    expectNoRace(apply);
    expect(apply.result.report.accounts.map((account) => [account.accountId, account.outcome])).toEqual(ALL.map((id) => [id, "applied"]));
  });

  step("GIVEN a cold folder WHEN destroyed at concurrency 8 THEN each is destroyed", async () => {
    const destroy = await cold({ command: "destroy", confirmDestroy: true });
    expectNoRace(destroy);
    expect(destroy.result.report.accounts.map((account) => [account.accountId, account.outcome])).toEqual(ALL.map((id) => [id, "destroyed"]));
    expect(project.fake.accountsWithResources()).toEqual([]);
  });
});
