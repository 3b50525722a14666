import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../app/common/errors";
import { readReport } from "../rollout/report/report";
import { tempDir } from "./helpers/files";
import { FAKE_TERRAFORM, maxOverlap, RolloutProject } from "./helpers/rollout";

const dir = tempDir("trelica-rollout-");

describe("rollout plan", () => {
  const project = new RolloutProject(dir, "plan", 12);

  test("GIVEN 12 accounts at concurrency 3 THEN never more than 3 terraform plans run at once, and more than one does", async () => {
    project.scenario({}, { sleepMs: 150 });
    project.clearEvents();
    const result = await project.run({ command: "plan", concurrency: 3 });
    expect(result.report.accounts.every((a) => a.status === "succeeded")).toBe(true);
    // A bound, not an exact overlap: a loaded machine may start them less evenly.
    expect(maxOverlap(project.events(), "plan")).toBeLessThanOrEqual(3);
    expect(maxOverlap(project.events(), "plan")).toBeGreaterThan(1);
  });

  test("GIVEN an empty plugin cache and fresh stacks THEN one init fills it before any other init starts, and no stack is initialized twice", async () => {
    fs.rmSync(path.join(project.dir, ".rollout", "plugin-cache"), { recursive: true, force: true });
    for (const name of project.stackNames()) fs.rmSync(path.join(project.dir, "cdktf.out", "stacks", name, ".terraform"), { recursive: true, force: true });
    project.scenario({});
    project.clearEvents();
    await project.run({ command: "plan", concurrency: 6 });
    const inits = project.events().filter((e) => e.command === "init");
    const [warmUp, ...parallel] = inits.sort((a, b) => a.start - b.start);
    expect(warmUp.downloaded).toBe(true);
    expect(inits.filter((e) => e.downloaded)).toHaveLength(1);
    // 12 stacks, 12 inits: the warm-up stack is not initialized again.
    expect(new Set(inits.map((e) => e.stack)).size).toBe(12);
    expect(parallel).toHaveLength(11);
    for (const init of parallel) {
      expect(init.start).toBeGreaterThanOrEqual(warmUp.end);
      expect(init.cacheWarm).toBe(true);
    }
    // Every stack got the first stack's lock file, so terraform uses the cache without re-resolving.
    for (const name of project.stackNames()) expect(fs.existsSync(path.join(project.dir, "cdktf.out", "stacks", name, ".terraform.lock.hcl"))).toBe(true);
  });

  test("GIVEN a cold folder and an apply whose every account is refused THEN the outputs are still read after one warm-up init, never by parallel inits on an empty cache", async () => {
    const cold = new RolloutProject(dir, "cold-refused", 4);
    cold.scenario({}, { plan: "changes" });
    expect((await cold.run({ command: "plan" })).exitCode).toBe(2);
    // Every stack edited since the plan (refused), and nothing initialized or cached any more.
    for (const name of cold.stackNames()) {
      const stackDir = path.join(cold.dir, "cdktf.out", "stacks", name);
      fs.appendFileSync(path.join(stackDir, "cdk.tf.json"), "\n");
      fs.rmSync(path.join(stackDir, ".terraform"), { recursive: true, force: true });
      fs.rmSync(path.join(stackDir, ".terraform.lock.hcl"), { force: true });
    }
    fs.rmSync(path.join(cold.dir, ".rollout", "plugin-cache"), { recursive: true, force: true });
    cold.clearEvents();
    const result = await cold.run({ command: "apply", concurrency: 8 });
    expect(result.report.accounts.map((a) => a.status)).toEqual(["refused", "refused", "refused", "refused"]);
    const [warmUp, ...parallel] = cold.events().filter((e) => e.command === "init").sort((a, b) => a.start - b.start);
    expect(warmUp.downloaded).toBe(true);
    expect(parallel).toHaveLength(3);
    for (const init of parallel) expect(init).toMatchObject({ cacheWarm: true });
    expect(cold.events().filter((e) => e.downloaded)).toHaveLength(1);
    for (const init of parallel) expect(init.start).toBeGreaterThanOrEqual(warmUp.end);
  });

  test("GIVEN changes in some accounts THEN exit 2 and the report counts them per account", async () => {
    const [first, second] = project.stackNames();
    project.scenario({ [first]: { plan: "none" }, [second]: { plan: "destroy-role" } });
    const result = await project.run({ command: "plan" });
    expect(result.exitCode).toBe(2);
    const byStack = Object.fromEntries(result.report.accounts.map((a) => [a.stack, a]));
    expect(byStack[first]).toMatchObject({ status: "succeeded", outcome: "no-changes", counts: { create: 0, update: 0, delete: 0, replace: 0, import: 0 } });
    expect(byStack[second]).toMatchObject({ status: "succeeded", outcome: "changes", cutsTrelicaOff: true, counts: { create: 4, delete: 1 } });
    expect(byStack[second].destructive).toEqual([expect.stringMatching(/^aws_iam_role\./)]);
    expect(result.report.accounts.every((a) => a.durationSeconds! >= 0 && a.stackHash!.length === 64)).toBe(true);
    // Already initialized by earlier runs: no init; a plan without changes needs no `show -json` either.
    expect([byStack[first].attempts, byStack[second].attempts]).toEqual([1, 2]);
    expect(readReport(result.reportFile)).toEqual(result.report);
    expect(project.lines.join("\n")).toContain("DESTROYS the TrelicaIntegration role: Trelica is cut off");
  });

  test("GIVEN the stand-in terraform (processes) writing a warning on stderr in every command THEN plan still reads each plan's JSON from stdout and counts its changes", async () => {
    const processes = new RolloutProject(dir, "stderr-warning", 3, "", "process");
    const result = await processes.run({ command: "plan", env: processes.env({ FAKE_TERRAFORM_STDERR_WARNING: "1" }) });
    expect(result.exitCode).toBe(2);
    for (const account of result.report.accounts) {
      expect(account).toMatchObject({ status: "succeeded", outcome: "changes", counts: { create: 5, update: 0, replace: 0, delete: 0, import: 0 } });
      // The warning still reaches the log, with the rest of terraform's output.
      expect(fs.readFileSync(account.log!, "utf8")).toContain("Warning: Unable to open CLI configuration file");
    }
  });

  test("GIVEN no changes anywhere THEN exit 0", async () => {
    project.scenario({}, { plan: "none" });
    expect((await project.run({ command: "plan" })).exitCode).toBe(0);
  });

  test("GIVEN a failing account THEN exit 1 and the report holds its error excerpt and log", async () => {
    const [, second] = project.stackNames();
    project.scenario({ [second]: { plan: "fail" } });
    const result = await project.run({ command: "plan", maxFailures: 5, report: path.join(dir, "copy.json") });
    expect(result.exitCode).toBe(1);
    const failed = result.report.accounts.find((a) => a.stack === second)!;
    expect(failed.status).toBe("failed");
    expect(failed.reason).toMatch(/^Error: No valid credential sources found/);
    expect(fs.readFileSync(failed.log!, "utf8")).toContain("$ terraform plan");
    expect(readReport(path.join(dir, "copy.json")).runId).toBe(result.report.runId);
  });

  test("GIVEN throttling and a held state lock THEN they are retried and succeed", async () => {
    const [first, second] = project.stackNames();
    project.double.resetAttempts();
    project.scenario({ [first]: { throttled: 2 }, [second]: { lockHeld: 1 } });
    const result = await project.run({ command: "plan" });
    const byStack = Object.fromEntries(result.report.accounts.map((a) => [a.stack, a]));
    // Initialized already: plan three times (two throttled) then show; plan twice (lock held) then show.
    expect(byStack[first]).toMatchObject({ status: "succeeded", attempts: 4, steps: { plan: { attempts: 3, retries: 2 }, show: { attempts: 1, retries: 0 } } });
    expect(byStack[second]).toMatchObject({ status: "succeeded", attempts: 3, steps: { plan: { attempts: 2, retries: 1 }, show: { attempts: 1, retries: 0 } } });
  });

  test("GIVEN a permanent failure THEN it is not retried", async () => {
    const [first] = project.stackNames();
    project.scenario({ [first]: { plan: "fail" } });
    const result = await project.run({ command: "plan", maxFailures: 100 });
    expect(result.report.accounts.find((a) => a.stack === first)).toMatchObject({ status: "failed", attempts: 1 });
  });

  test("GIVEN --accounts and --exclude THEN only the matching stacks run", async () => {
    const names = project.stackNames();
    project.scenario({});
    const result = await project.run({ command: "plan", accounts: ["10000000000*"], exclude: [names[0]] });
    expect(result.report.accounts.map((a) => a.stack)).toEqual(names.slice(1, 9));
  });

  test("GIVEN an --accounts glob that matches nothing THEN nothing runs and the error says so", async () => {
    await expect(project.run({ command: "plan", accounts: ["9999*"] })).rejects.toThrow(/--accounts "9999\*": matches no stack among 12; expected an account ID or stack name glob/);
  });
});

describe("failure tolerance and resume", () => {
  const project = new RolloutProject(dir, "tolerance", 10);

  test("GIVEN more failures than tolerated THEN no new account starts, running ones finish, the rest are not started", async () => {
    const names = project.stackNames();
    project.scenario({ [names[1]]: { plan: "fail" }, [names[2]]: { plan: "fail" } }, { sleepMs: 100 });
    const result = await project.run({ command: "plan", concurrency: 2, maxFailures: 1 });
    expect(result.exitCode).toBe(1);
    const statuses = result.report.accounts.map((a) => a.status);
    expect(statuses.filter((s) => s === "failed")).toHaveLength(2);
    expect(statuses.filter((s) => s === "not-started").length).toBeGreaterThanOrEqual(5);
    expect(result.report.accounts.find((a) => a.status === "not-started")!.reason).toBe("not started: more than 1 failures");
  });

  test("GIVEN --resume with that report THEN only the accounts that did not succeed run", async () => {
    const first = await project.run({ command: "plan", concurrency: 2, maxFailures: 1 });
    project.scenario({});
    project.clearEvents();
    const resumed = await project.run({ command: "plan", resume: first.reportFile });
    const succeededBefore = first.report.accounts.filter((a) => a.status === "succeeded").map((a) => a.stack);
    expect(succeededBefore.length).toBeGreaterThan(0);
    const planned = new Set(project.events().filter((e) => e.command === "plan").map((e) => e.stack));
    for (const name of succeededBefore) expect(planned.has(name)).toBe(false);
    expect(planned.size).toBe(10 - succeededBefore.length);
    expect(resumed.report.accounts.filter((a) => a.status === "skipped").map((a) => a.stack)).toEqual(succeededBefore);
    expect(resumed.exitCode).toBe(2);
  });
});

describe("rollout apply", () => {
  const project = new RolloutProject(dir, "apply", 4);

  test("GIVEN a reviewed plan THEN apply applies exactly those saved plans", async () => {
    project.scenario({});
    const plan = await project.run({ command: "plan" });
    project.clearEvents();
    const apply = await project.run({ command: "apply" });
    expect(apply.exitCode).toBe(0);
    expect(apply.report.fromPlanRun).toBe(plan.report.runId);
    const applied = project.events().filter((e) => e.command === "apply");
    expect(applied.map((e) => e.args[e.args.length - 1]).sort()).toEqual(plan.report.accounts.map((a) => a.planFile).sort());
    expect(apply.report.accounts.every((a) => a.outcome === "applied")).toBe(true);
  });

  test("GIVEN saved plans already applied THEN a second apply skips every account saying so, runs no terraform apply and exits 0", async () => {
    project.scenario({});
    await project.run({ command: "plan" });
    const first = await project.run({ command: "apply" });
    expect(first.report.accounts.every((a) => a.outcome === "applied")).toBe(true);
    project.clearEvents();
    const again = await project.run({ command: "apply" });
    expect(again.exitCode).toBe(0);
    for (const account of again.report.accounts) {
      expect(account).toMatchObject({ status: "skipped", reason: `its saved plan was applied in run ${first.report.runId}; run plan again to pick up new changes` });
      expect(account.counts).toBeUndefined();
    }
    expect(project.events().filter((e) => e.command === "apply")).toHaveLength(0);
    // A new plan applies again.
    await project.run({ command: "plan" });
    expect((await project.run({ command: "apply" })).report.accounts.every((a) => a.outcome === "applied")).toBe(true);
  });

  test("GIVEN a saved plan already applied AND its stack changed since THEN apply refuses it (new work, not done) rather than skipping it", async () => {
    project.scenario({});
    await project.run({ command: "plan" });
    await project.run({ command: "apply" });
    const [changed] = project.stackNames();
    const file = path.join(project.dir, "cdktf.out", "stacks", changed, "cdk.tf.json");
    const synthesized = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, synthesized.replace('"us-east-1"', '"eu-central-1"'));
    const again = await project.run({ command: "apply" });
    fs.writeFileSync(file, synthesized);
    expect(again.exitCode).toBe(1);
    expect(again.report.accounts.find((a) => a.stack === changed)).toMatchObject({ status: "refused", reason: expect.stringMatching(/the synthesized stack changed since plan run/) });
    expect(again.report.accounts.filter((a) => a.status === "skipped")).toHaveLength(3);
  });

  test("GIVEN --plan-and-apply twice THEN each run plans afresh and applies every account", async () => {
    project.scenario({});
    for (let run = 0; run < 2; run++) {
      project.clearEvents();
      const result = await project.run({ command: "apply", planAndApply: true });
      expect(result.exitCode).toBe(0);
      expect(result.report.accounts.every((a) => a.outcome === "applied")).toBe(true);
      expect(project.events().filter((e) => e.command === "apply")).toHaveLength(4);
    }
  });

  test("GIVEN a stack that changed since the plan THEN apply refuses it and applies the others", async () => {
    project.scenario({});
    await project.run({ command: "plan" });
    const [changed] = project.stackNames();
    const file = path.join(project.dir, "cdktf.out", "stacks", changed, "cdk.tf.json");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('"us-east-1"', '"eu-west-1"'));
    const apply = await project.run({ command: "apply" });
    expect(apply.exitCode).toBe(1);
    const refused = apply.report.accounts.find((a) => a.stack === changed)!;
    expect(refused.status).toBe("refused");
    expect(refused.reason).toMatch(/the synthesized stack changed since plan run .*; run plan again/);
    expect(apply.report.accounts.filter((a) => a.outcome === "applied")).toHaveLength(3);
  });

  test("GIVEN a plan that destroys the role THEN apply refuses it without --allow-access-change (--allow-destroy is not enough), and applies it with", async () => {
    const [, victim] = project.stackNames();
    project.scenario({ [victim]: { plan: "destroy-role" } });
    await project.run({ command: "plan" });
    const refused = await project.run({ command: "apply", allowDestroy: true });
    expect(refused.report.accounts.find((a) => a.stack === victim)).toMatchObject({ status: "refused", cutsTrelicaOff: true, reason: expect.stringMatching(/--allow-access-change$/) });
    expect(refused.exitCode).toBe(1);
    const allowed = await project.run({ command: "apply", allowAccessChange: true });
    expect(allowed.report.accounts.find((a) => a.stack === victim)).toMatchObject({ status: "succeeded", outcome: "applied" });
  });

  test("GIVEN no changes in the plan THEN apply skips that account and still exits 0", async () => {
    project.scenario({}, { plan: "none" });
    await project.run({ command: "plan" });
    project.clearEvents();
    const apply = await project.run({ command: "apply" });
    expect(apply.exitCode).toBe(0);
    expect(apply.report.accounts.every((a) => a.status === "skipped" && a.reason === "no changes in the plan")).toBe(true);
    expect(project.events().filter((e) => e.command === "apply")).toHaveLength(0);
  });

  test("GIVEN --plan-and-apply THEN each account is planned and applied in one go, destructive ones refused", async () => {
    const [, victim] = project.stackNames();
    project.scenario({ [victim]: { plan: "replace-role" } });
    project.clearEvents();
    const result = await project.run({ command: "apply", planAndApply: true });
    expect(result.report.accounts.find((a) => a.stack === victim)).toMatchObject({ status: "refused", cutsTrelicaOff: true });
    expect(result.report.accounts.filter((a) => a.outcome === "applied")).toHaveLength(3);
    expect(project.events().filter((e) => e.command === "apply")).toHaveLength(3);
  });

  test("GIVEN a failing apply THEN the account fails with terraform's error", async () => {
    const [first] = project.stackNames();
    project.scenario({ [first]: { apply: "fail" } });
    const result = await project.run({ command: "apply", planAndApply: true, maxFailures: 10 });
    expect(result.report.accounts.find((a) => a.stack === first)!.reason).toMatch(/EntityAlreadyExists/);
  });
});

describe("rollout destroy and preconditions", () => {
  const project = new RolloutProject(dir, "destroy", 2, "adoptExisting: true\n");

  test("GIVEN destroy without --confirm-destroy THEN it refuses before touching anything", async () => {
    project.clearEvents();
    await expect(project.run({ command: "destroy", accounts: ["1000*"] })).rejects.toThrow(
      "destroy removes the TrelicaIntegration role from every selected account and cuts Trelica off; to do it (narrow it first with --accounts): npm run rollout -- destroy --confirm-destroy --accounts '1000*'",
    );
    expect(project.events()).toHaveLength(0);
  });

  test("GIVEN destroy with --confirm-destroy THEN every account is planned for destruction and applied", async () => {
    project.scenario({});
    const result = await project.run({ command: "destroy", confirmDestroy: true });
    expect(result.exitCode).toBe(0);
    expect(result.report.accounts.every((a) => a.outcome === "destroyed" && a.counts!.delete === 5)).toBe(true);
  });


  test("GIVEN no terraform THEN the error says how to provide one", async () => {
    await expect(project.run({ command: "plan", terraform: undefined, env: { ...process.env, TERRAFORM_BINARY_NAME: "/nonexistent/terraform" } })).rejects.toThrow(
      /No terraform executable found \(TERRAFORM_BINARY_NAME=\/nonexistent\/terraform\)/,
    );
  });

  test("GIVEN apply with no earlier plan THEN it says to plan first, before anything is written", async () => {
    const fresh = new RolloutProject(dir, "no-plan", 1);
    const before = fs.readdirSync(path.join(fresh.dir, "cdktf.out"));
    await expect(fresh.run({ command: "apply" })).rejects.toThrow(
      `apply applies the plans of the last \`plan\` run in this output folder (${path.join(fresh.dir, "cdktf.out")}), and there is none; nothing was written. Run \`npm run rollout -- plan\` first, or use --plan-and-apply.`,
    );
    expect(fs.readdirSync(path.join(fresh.dir, "cdktf.out"))).toEqual(before);
    expect(fs.existsSync(path.join(fresh.dir, ".rollout"))).toBe(false);
  });

  test("GIVEN a plan then an apply THEN every file and folder they write under .rollout/ and as a report is owner-only (0600, folders 0700), files that existed before with wider modes included", async () => {
    const modes = new RolloutProject(dir, "modes", 2);
    modes.scenario({}, { plan: "changes" });
    const extra = path.join(modes.dir, "copy of report.json");
    // Made before the rule, or by hand: a rewrite tightens them.
    fs.mkdirSync(path.join(modes.dir, ".rollout"), { recursive: true, mode: 0o755 });
    fs.chmodSync(path.join(modes.dir, ".rollout"), 0o755);
    fs.writeFileSync(path.join(modes.dir, ".rollout", "last-plan.json"), "{}", { mode: 0o644 });
    fs.writeFileSync(extra, "{}", { mode: 0o644 });
    const plan = await modes.run({ command: "plan", report: extra });
    const applied = await modes.run({ command: "apply", report: extra });
    expect(applied.report.accounts.map((a) => a.outcome)).toEqual(["applied", "applied"]);
    const written: string[] = [];
    const walk = (at: string) => {
      written.push(at);
      if (fs.statSync(at).isDirectory()) for (const entry of fs.readdirSync(at)) if (entry !== "plugin-cache") walk(path.join(at, entry));
    };
    walk(path.join(modes.dir, ".rollout"));
    const wrong = [...written, extra].filter((at) => (fs.statSync(at).mode & 0o777) !== (fs.statSync(at).isDirectory() ? 0o700 : 0o600));
    expect(wrong.map((at) => `${path.relative(modes.dir, at)} ${(fs.statSync(at).mode & 0o777).toString(8)}`)).toEqual([]);
    // What was checked: the pointer, both reports, the logs, the saved plans and their applied markers.
    const names = written.map((at) => path.basename(at));
    expect(names).toEqual(expect.arrayContaining(["last-plan.json", "report.json", `${plan.report.accounts[0].stack}.log`, `${plan.report.accounts[0].stack}.tfplan`, `${plan.report.accounts[0].stack}.tfplan.applied`]));
  });

  test("GIVEN a plan of one output folder WHEN apply runs on another folder of the same project THEN it says that folder has no plan, nothing is applied", async () => {
    const twoFolders = new RolloutProject(dir, "two-folders", 1);
    fs.cpSync(path.join(twoFolders.dir, "cdktf.out"), path.join(twoFolders.dir, "other.out"), { recursive: true });
    expect((await twoFolders.run({ command: "plan", outdir: "cdktf.out" })).exitCode).toBe(2);
    twoFolders.clearEvents();
    await expect(twoFolders.run({ command: "apply", outdir: "other.out" })).rejects.toThrow(
      `apply applies the plans of the last \`plan\` run in this output folder (${path.join(twoFolders.dir, "other.out")}), and there is none; nothing was written. Run \`npm run rollout -- plan --output other.out\` first, or use --plan-and-apply.`,
    );
    expect(twoFolders.events()).toHaveLength(0);
    // Its own folder's plan is still the one apply there uses.
    const applied = await twoFolders.run({ command: "apply", outdir: "cdktf.out" });
    expect(applied.report.outdir).toBe(path.join(twoFolders.dir, "cdktf.out"));
    expect(applied.report.fromPlanRun).toBeDefined();
  });
});

describe("terraform version check against the stacks' terraform.required_version (the stand-in's `version -json`)", () => {
  const project = new RolloutProject(dir, "versions", 3, "", "process");
  const [first, second, third] = project.stackNames();

  test("GIVEN stacks requiring >= 1.5.0 AND terraform 1.4.6 THEN it fails early naming both versions, the count and a stack, running nothing", async () => {
    project.requireTerraform(">= 1.5.0");
    project.clearEvents();
    const error = await project.run({ command: "plan", env: project.env({ FAKE_TERRAFORM_VERSION: "1.4.6" }) }).catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      `terraform 1.4.6 (${FAKE_TERRAFORM}) is too old for these stacks: 3 stacks require terraform >= 1.5.0 (their terraform.required_version), e.g. ${first}`,
    );
    expect(project.events().map((e) => e.command)).toEqual(["version"]);
    expect(fs.existsSync(path.join(project.dir, ".rollout"))).toBe(false);
  });

  test("GIVEN >= X.Y, >= X.Y.Z and no requirement THEN only the unmet minimum is named, and a new enough terraform runs them all", async () => {
    project.requireTerraform(">= 1.10", [first]);
    project.requireTerraform(undefined, [second]);
    project.requireTerraform(">= 1.5.0", [third]);
    const error = await project.run({ command: "plan", env: project.env({ FAKE_TERRAFORM_VERSION: "1.9.8" }) }).catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      `terraform 1.9.8 (${FAKE_TERRAFORM}) is too old for these stacks: 1 stack requires terraform >= 1.10.0 (its terraform.required_version): ${first}`,
    );
    const result = await project.run({ command: "plan", env: project.env({ FAKE_TERRAFORM_VERSION: "1.10.0" }) });
    expect(result.report.accounts.map((a) => a.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
  });

  test("GIVEN no stack with terraform.required_version THEN any terraform version runs them", async () => {
    project.requireTerraform(undefined);
    const result = await project.run({ command: "plan", env: project.env({ FAKE_TERRAFORM_VERSION: "0.15.5" }) });
    expect(result.exitCode).toBe(2);
  });

  test("GIVEN a required_version form rollout does not read THEN it fails early naming the stack", async () => {
    project.requireTerraform("~> 1.5", [second]);
    await expect(project.run({ command: "plan" })).rejects.toThrow(new RegExp(`${second}: terraform.required_version "~> 1.5"; expected ">= X.Y.Z" or ">= X.Y"`));
  });
});

describe("rollout synthesizes first", () => {
  const project = new RolloutProject(dir, "synth-first", 2);
  const mainTs = path.join(__dirname, "..", "main.ts");
  fs.writeFileSync(
    path.join(project.dir, "cdktf.json"),
    JSON.stringify({ language: "typescript", app: `"${process.execPath}" -r "${require.resolve("sucrase/register")}" "${mainTs}"` }),
  );

  test("GIVEN a config with a new account THEN the run synthesizes it and plans it too", async () => {
    const config = path.join(project.dir, "trelica.config.yaml");
    fs.appendFileSync(config, 'accounts:\n  - id: "999999999999"\n    notInAccountsFile: true\n');
    project.scenario({});
    const result = await project.run({ command: "plan", synth: true, env: project.env({ TRELICA_CONFIG: config }) });
    expect(result.report.accounts.map((a) => a.stack)).toContain("trelica-999999999999");
    expect(result.report.accounts).toHaveLength(3);
  });

  test("GIVEN a config that does not validate THEN nothing is run", async () => {
    const bad = path.join(project.dir, "bad.yaml");
    fs.writeFileSync(bad, "trelicaOrganizationId: x\n");
    project.clearEvents();
    await expect(project.run({ command: "plan", synth: true, env: project.env({ TRELICA_CONFIG: bad }) })).rejects.toThrow(/Synthesis failed .*nothing was run/);
    expect(project.events()).toHaveLength(0);
  });
});
