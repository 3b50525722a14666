/*
 * Rollout of stacks whose `cloud` block runs them in Terraform Cloud, through the real command line and
 * the stand-in terraform (test/fake-terraform/terraform with ./cloud.js), which prints and writes what
 * terraform >= 1.6 does there: run URLs, saved cloud plans (bookmarks of runs), policy results, and
 * `apply`'s refusals of runs Terraform Cloud discarded or holds.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { AccountReport, readReport, RunReport } from "../rollout/report/report";
import { PROJECT_ROOT, tempDir } from "./helpers/files";
import { FAKE_TERRAFORM, RolloutProject } from "./helpers/rollout";

const dir = tempDir("trelica-cloud-");
const CLOUD = "backend:\n  type: cloud\n  organization: acme\n";
const runUrlOf = (stack: string) => new RegExp(`^https://app\\.terraform\\.io/app/acme/${stack}/runs/run-[A-Za-z0-9]{16}$`);

interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly report: RunReport;
  readonly account: (stack: string) => AccountReport;
}

/** `npm run rollout -- <args>` as a user runs it, in the project, one line per event. */
function cli(project: RolloutProject, args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const reportFile = path.join(project.dir, `report-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const result = spawnSync(
    process.execPath,
    ["-r", "sucrase/register", path.join(PROJECT_ROOT, "rollout", "main.ts"), ...args, "--no-synth", "--progress", "plain", "--report", reportFile],
    { cwd: project.dir, env: { ...project.env(env), NODE_PATH: path.join(PROJECT_ROOT, "node_modules") }, encoding: "utf8" },
  );
  const report = fs.existsSync(reportFile) ? readReport(reportFile) : (undefined as unknown as RunReport);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, report, account: (stack) => report.accounts.find((a) => a.stack === stack)! };
}

/** The table's row of an account, split into its columns. */
function row(output: string, stack: string): string[] {
  const line = output.split("\n").find((text) => text.startsWith(`${stack} `));
  if (!line) throw new Error(`no table row for ${stack} in:\n${output}`);
  return line.split(/ {2,}/);
}

describe("rollout of stacks that run in Terraform Cloud (real command line, stand-in terraform >= 1.6)", () => {
  const project = new RolloutProject(dir, "cloud", 12, CLOUD, "process");
  const [passed, advisory, softFailed, hardFailed, trustChange, unchecked, localExecution, vcs, opaOverride, discarded, appliedInUi, notConfirmable] = project.stackNames();
  let plan: CliRun;

  beforeAll(() => {
    project.scenario({
      [passed]: { policy: "passed", costEstimate: true },
      [advisory]: { policy: "advisory-failed" },
      [softFailed]: { policy: "soft-failed" },
      [hardFailed]: { policy: "hard-failed" },
      [trustChange]: { plan: "trust-change" },
      [unchecked]: { jsonPlanDenied: true },
      [localExecution]: { executionMode: "local" },
      [vcs]: { vcs: true },
      [opaOverride]: { policy: "soft-failed", policyFramework: "opa" },
      [discarded]: { runState: "discarded" },
      [appliedInUi]: { runState: "applied" },
      [notConfirmable]: { runState: "pending" },
    });
    plan = cli(project, ["plan", "--max-failures", "12"]);
  });

  test("GIVEN terraform 1.5 WHEN rollout plans cloud-backend stacks THEN it refuses before running terraform, naming the stacks and terraform 1.6, exit 1", () => {
    project.clearEvents();
    const old = cli(project, ["plan"], { FAKE_TERRAFORM_VERSION: "1.5.7" });
    expect(old.status).toBe(1);
    expect(old.stderr).toContain(
      `terraform 1.5.7 (${FAKE_TERRAFORM}) is too old for these stacks: 12 stacks run in Terraform Cloud (a cloud block), and rollout saves their plans there ` +
        `(plan -out of a remote run), which needs terraform >= 1.6.0: ${passed}, ${advisory}, ${softFailed} and 9 more`,
    );
    expect(project.events().map((event) => event.command)).toEqual(["version"]);
  });

  test("GIVEN remote workspaces WHEN planned THEN each account's run URL is in its progress lines (as soon as terraform prints it) and in the report, and the saved plan is a bookmark of that run", () => {
    for (const [stack, changes] of [
      [passed, "5 to create"],
      [advisory, "5 to create [policy advisory-failed]"],
      [trustChange, "1 to update [CHANGES Trelica's access]"],
      [discarded, "5 to create"],
    ]) {
      const url = plan.account(stack).cloud!.runs.plan!;
      expect(url).toMatch(runUrlOf(stack));
      expect(plan.stdout).toContain(`${stack} planning in Terraform Cloud: ${url}\n`);
      expect(plan.stdout).toContain(`${stack} changes: ${changes}; run awaits confirmation: ${url} (`);
      const bookmark = JSON.parse(fs.readFileSync(plan.account(stack).planFile!, "utf8"));
      expect(bookmark).toEqual({ remote_plan_format: 1, run_id: url.split("/").pop(), hostname: "app.terraform.io" });
    }
  });

  test("GIVEN plans with changes in Terraform Cloud THEN each run awaits confirmation (saved plans are never auto-applied): the table says so with its URL and the totals say `rollout apply` confirms them", () => {
    expect(plan.account(passed)).toMatchObject({ status: "succeeded", outcome: "changes", cloud: { state: "awaiting-confirmation", policy: "passed", costEstimate: "$0.0/mo +$0.0" } });
    const cells = row(plan.stdout, passed);
    expect(cells.slice(0, 3)).toEqual([passed, "succeeded", "5"]);
    expect(cells.at(-1)).toBe(`run awaits confirmation: ${plan.account(passed).cloud!.runs.plan}`);
    expect(plan.stdout).toMatch(/^Terraform Cloud runs: \d+ awaiting-confirmation, .*; `rollout apply` confirms the awaiting runs\.$/m);
  });

  test("GIVEN an advisory policy that failed THEN the plan succeeded and the account is flagged `policy advisory-failed` in its progress line, the table and the report", () => {
    expect(plan.account(advisory)).toMatchObject({ status: "succeeded", outcome: "changes", cloud: { policy: "advisory-failed" } });
    expect(row(plan.stdout, advisory).at(-1)).toMatch(/^policy advisory-failed; run awaits confirmation: https:\/\/app\.terraform\.io\/app\/acme\//);
  });

  test("GIVEN a soft-mandatory policy that failed (Sentinel, or an overridable OPA evaluation) THEN the account needs an override in Terraform Cloud, with the run to act on: not a failure, yet exit 1", () => {
    for (const stack of [softFailed, opaOverride]) {
      const account = plan.account(stack);
      const url = account.cloud!.runs.plan!;
      expect(url).toMatch(runUrlOf(stack));
      expect(account).toMatchObject({ status: "needs-action", cloud: { state: "needs-override", policy: "soft-failed" } });
      expect(account.reason).toBe(
        `a soft-mandatory policy failed: someone allowed to override policies must override it in Terraform Cloud and confirm the run there (terraform saved no plan of it for rollout to apply): ${url}`,
      );
      expect(row(plan.stdout, stack)[1]).toBe("needs-override");
      expect(plan.stdout).toContain(`${stack} needs-override: a soft-mandatory policy failed`);
    }
    expect(plan.stdout).toContain(", 2 need action in Terraform Cloud.");
    expect(plan.stdout).toMatch(/^Terraform Cloud runs: .*2 needs-override.*; 2 need someone in Terraform Cloud: open their run URLs/m);
    expect(plan.status).toBe(1);
  });

  test("GIVEN a hard-mandatory policy that failed THEN the account is `policy-hard-failed` with the run's URL: the change cannot be applied", () => {
    const account = plan.account(hardFailed);
    expect(account).toMatchObject({ status: "failed", cloud: { state: "policy-hard-failed", policy: "hard-failed" } });
    expect(account.reason).toBe(`a mandatory policy failed in Terraform Cloud: this change cannot be applied; change the configuration or the policy: ${account.cloud!.runs.plan}`);
    expect(row(plan.stdout, hardFailed)[1]).toBe("policy-hard-failed");
  });

  test("GIVEN a cloud plan changing the role's trust policy THEN the lock-out guard reads it from `show -json` of the saved cloud plan and flags it, listed first", () => {
    expect(plan.account(trustChange).accessChanges).toEqual([{ address: expect.stringMatching(/^aws_iam_role\./), reason: expect.stringMatching(/^changes the role's trust policy: principal /) }]);
    const rows = plan.stdout.split("\n").filter((line) => line.startsWith("trelica-"));
    expect(rows[0]).toMatch(new RegExp(`^${trustChange} .*CHANGES TRELICA'S ACCESS: aws_iam_role\\.`));
  });

  test("GIVEN a token that may not read the unredacted JSON plan (not workspace admin) THEN the plan is counted from terraform's summary line and marked NOT CHECKED for access changes, listed first", () => {
    expect(plan.account(unchecked)).toMatchObject({
      status: "succeeded",
      outcome: "changes",
      counts: { create: 5, update: 0, delete: 0, replace: 0, import: 0 },
      accessUnchecked: expect.stringContaining("needs workspace admin permission in Terraform Cloud"),
    });
    expect(row(plan.stdout, unchecked).at(-1)).toMatch(/^NOT CHECKED for changes to Trelica's access: terraform show -json of the saved cloud plan needs workspace admin/);
    expect(plan.stdout).toContain("1 account with plans that could not be checked for changes to Trelica's access (listed first): apply refuses them unless both --allow-access-change and --allow-destroy are given.");
  });

  test("GIVEN a workspace with local execution mode THEN terraform plans locally: a local plan file, no run URL, a plain account", () => {
    const account = plan.account(localExecution);
    expect(account).toMatchObject({ status: "succeeded", outcome: "changes" });
    expect(account.cloud).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(account.planFile!, "utf8")).remote_plan_format).toBeUndefined();
  });

  test("GIVEN a VCS-connected workspace THEN the account fails as `vcs-driven`, saying why and what to do", () => {
    expect(plan.account(vcs)).toMatchObject({ status: "failed", cloud: { state: "vcs-driven" }, reason: expect.stringMatching(/^the workspace is VCS-driven: .*leave it out \(--exclude\)/) });
    expect(row(plan.stdout, vcs)[1]).toBe("vcs-driven");
  });

  describe("then apply", () => {
    let apply: CliRun;
    beforeAll(() => {
      project.clearEvents();
      apply = cli(project, ["apply", "--max-failures", "12"]);
    });

    test("GIVEN saved cloud plans that passed WHEN applied THEN terraform applies each bookmark in its own run (the same URL as the plan), the outputs are read, and the connections table links the run", () => {
      for (const stack of [passed, advisory]) {
        const account = apply.account(stack);
        expect(account).toMatchObject({ status: "succeeded", outcome: "applied", cloud: { state: "applied" }, outputs: { role_arn: expect.stringMatching(/:role\/TrelicaIntegration$/) } });
        expect(account.cloud!.runs.apply).toBe(plan.account(stack).cloud!.runs.plan);
        expect(apply.stdout).toContain(`${stack} applying in Terraform Cloud: ${account.cloud!.runs.apply}\n`);
        const applies = project.events().filter((event) => event.stack === stack && event.command === "apply");
        expect(applies.map((event) => event.args.at(-1))).toEqual([plan.account(stack).planFile]);
        expect(applies[0].exit).toBe(0);
      }
      const markdown = fs.readFileSync(path.join(project.dir, "cdktf.out", "trelica-connections.md"), "utf8");
      expect(markdown).toContain("| status | terraform_cloud_run |");
      expect(markdown).toContain(`| applied | ${apply.account(passed).cloud!.runs.apply} |`);
    });

    test("GIVEN plans that were held or failed in Terraform Cloud THEN apply refuses them naming the state and the run", () => {
      for (const [stack, label] of [
        [softFailed, "needs-override"],
        [hardFailed, "policy-hard-failed"],
      ]) {
        expect(apply.account(stack)).toMatchObject({ status: "refused", reason: `its plan in ${apply.report.fromPlanRun} did not succeed (${label}): ${plan.account(stack).cloud!.runs.plan}` });
      }
    });

    test("GIVEN the lock-out guard WHEN a cloud plan changes Trelica's access, or could not be checked THEN apply refuses it unattended and confirms nothing in Terraform Cloud", () => {
      expect(apply.account(trustChange)).toMatchObject({ status: "refused", reason: expect.stringMatching(/^the plan changes Trelica's access: .*rerun with --allow-access-change$/) });
      expect(apply.account(unchecked)).toMatchObject({
        status: "refused",
        reason: expect.stringMatching(/^the plan could not be checked for changes to Trelica's access \(.*\); review its run, then rerun with --allow-access-change --allow-destroy/),
      });
      expect(project.events().filter((event) => event.command === "apply" && [trustChange, unchecked].includes(event.stack))).toEqual([]);
      expect(row(apply.stdout, unchecked).at(-1)).toContain(`run awaits confirmation: ${plan.account(unchecked).cloud!.runs.plan}`);
    });

    test("GIVEN a saved plan Terraform Cloud discarded, or cannot apply yet THEN the account needs action there (plan again / look at the run), with the run's URL", () => {
      expect(apply.account(discarded)).toMatchObject({ status: "needs-action", cloud: { state: "discarded" } });
      expect(apply.account(discarded).reason).toBe(
        `Terraform Cloud discarded this run (another run was applied first, someone discarded it, or it waited unconfirmed too long): plan again: ${plan.account(discarded).cloud!.runs.plan}`,
      );
      expect(apply.account(notConfirmable)).toMatchObject({ status: "needs-action", cloud: { state: "not-confirmable" }, reason: expect.stringMatching(/^Terraform Cloud cannot apply this run now .*: https:\/\//) });
      expect(row(apply.stdout, discarded)[1]).toBe("discarded");
      expect(row(apply.stdout, notConfirmable)[1]).toBe("not-confirmable");
      expect(apply.stdout).toContain(", 2 need action in Terraform Cloud.");
    });

    test("GIVEN a run someone confirmed and applied in Terraform Cloud's UI THEN apply skips it as already applied, and its outputs make it `applied` in the connections table", () => {
      expect(apply.account(appliedInUi)).toMatchObject({ status: "skipped", cloud: { state: "already-applied" }, outputs: { role_arn: expect.stringContaining(":role/TrelicaIntegration") } });
      const csv = fs.readFileSync(path.join(project.dir, "cdktf.out", "trelica-connections.csv"), "utf8");
      expect(csv.split("\n").find((line) => line.startsWith(appliedInUi.replace("trelica-", "")))).toMatch(/,applied$/);
    });

    test("GIVEN a workspace with local execution mode THEN its local plan applies as without Terraform Cloud", () => {
      expect(apply.account(localExecution)).toMatchObject({ status: "succeeded", outcome: "applied" });
      expect(apply.account(localExecution).cloud).toBeUndefined();
      expect(apply.status).toBe(1);
    });

    test("GIVEN the unchecked plan WHEN applied with both --allow-access-change and --allow-destroy THEN it is applied", () => {
      const allowed = cli(project, ["apply", "--accounts", unchecked, "--allow-access-change", "--allow-destroy"]);
      expect(allowed.account(unchecked)).toMatchObject({ status: "succeeded", outcome: "applied", cloud: { state: "applied", runs: { apply: plan.account(unchecked).cloud!.runs.plan } } });
      expect(allowed.status).toBe(0);
    });
  });
});

describe("secrets around runs in Terraform Cloud", () => {
  const project = new RolloutProject(dir, "secrets", 1, CLOUD, "process");
  const token = `AbCdEfGhIjKlMn.atlasv1.${"x1Y2z3".repeat(12)}`;

  test("GIVEN a Terraform Cloud token in the environment AND one echoed in terraform's error THEN neither the output, the report nor the log shows it", async () => {
    const [stack] = project.stackNames();
    project.scenario({ [stack]: { planError: `Error: Failed to request discovery document: 401 Unauthorized (credentials ${token})\n` } });
    const run = cli(project, ["plan"], { TF_TOKEN_app_terraform_io: token, TFE_TOKEN: token });
    expect(run.status).toBe(1);
    expect(run.account(stack).reason).toContain("****.atlasv1.****");
    const log = fs.readFileSync(run.account(stack).log!, "utf8");
    expect(log).toContain("401 Unauthorized");
    for (const text of [run.stdout, run.stderr, JSON.stringify(run.report), log]) expect(text).not.toContain(token);
  });
});
