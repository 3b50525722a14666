/*
 * Never orphan a role: an account that leaves the config while its state holds the role keeps its
 * stack, marked leaving, until a rollout destroys the role with consent; an account with nothing in its
 * state leaves silently. Synthesis in-process; rollout with the in-memory terraform double. The same
 * flow with the real terraform is test/e2e/leaving.e2e.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LEAVING_MARKER } from "../app/stacks/leaving-stacks";
import { synthesizeOrganization } from "../app/commands/organization-app";
import { tempDir, writeFile } from "./helpers/files";
import { RolloutProject } from "./helpers/rollout";

const dir = tempDir("trelica-leaving-");
const [A, B, C] = ["111111111111", "222222222222", "333333333333"];

function project(name: string, backend = "") {
  const root = path.join(dir, name);
  writeFile(root, "cdktf.json", "{}");
  const outdir = path.join(root, "cdktf.out");
  const lines: string[] = [];
  const synth = (ids: readonly string[]) => {
    lines.length = 0;
    const config = writeFile(root, "trelica.yaml", `trelicaOrganizationId: org-42\nmanagementAccountId: "${A}"\n${backend}accounts:\n${ids.map((id) => `  - id: "${id}"\n`).join("")}`);
    synthesizeOrganization(config, { outdir, log: (line) => lines.push(line) });
    return lines;
  };
  const stackDir = (id: string) => path.join(outdir, "stacks", `trelica-${id}`);
  const manifestStacks = () => Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).stacks).sort();
  const writeState = (id: string, resources: unknown[]) => writeFile(root, `terraform.trelica-${id}.tfstate`, JSON.stringify({ version: 4, resources }));
  const writeReport = (run: string, id: string, outputs: Record<string, string>) =>
    writeFile(root, `.rollout/${run}/report.json`, JSON.stringify({ runId: run, accounts: [{ stack: `trelica-${id}`, status: "succeeded", outputs }] }));
  return { root, outdir, synth, stackDir, manifestStacks, writeState, writeReport };
}

const ROLE_IN_STATE = [{ type: "aws_iam_role", name: "trelica_role", instances: [{ attributes: { name: "TrelicaIntegration" } }] }];

describe("synth and an account that leaves the config", () => {
  test("GIVEN a local state that holds the role WHEN the account leaves THEN its stack is kept, marked leaving and listed in the manifest, and a warning gives the exact commands", () => {
    const p = project("local");
    p.synth([A, B, C]);
    p.writeState(B, ROLE_IN_STATE);
    const lines = p.synth([A]);
    expect(fs.existsSync(path.join(p.stackDir(B), "cdk.tf.json"))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(p.stackDir(B), LEAVING_MARKER), "utf8"))).toEqual({
      stack: `trelica-${B}`,
      holds: `its state (${path.join(p.root, `terraform.trelica-${B}.tfstate`)}) holds 1 resource`,
    });
    expect(p.manifestStacks()).toEqual([`trelica-${A}`, `trelica-${B}`]);
    expect(lines[0]).toMatch(new RegExp(`^trelica: 1 account stack from .*trelica\\.yaml into .*cdktf\\.out \\(local state in [^)]+\\); kept 1 stack of accounts that left the config until its role is destroyed \\(trelica-${B}\\)\\.$`));
    expect(lines).toContain(
      `Warning: trelica-${B} left the config but its state (${path.join(p.root, `terraform.trelica-${B}.tfstate`)}) holds 1 resource: its stack is kept, marked leaving, so the role is not orphaned. ` +
        `To remove the role: npm run rollout -- plan --config ${p.root}/trelica.yaml --output ${p.root}/cdktf.out --accounts ${B}, ` +
        `then npm run rollout -- apply --confirm-destroy --config ${p.root}/trelica.yaml --output ${p.root}/cdktf.out --accounts ${B} (cuts Trelica off there); ` +
        "the synth after that drops the folder. To keep the role managed, put the account back in the config.",
    );
  });

  test("GIVEN an account whose state holds nothing (never applied, or destroyed) WHEN it leaves THEN its folder goes without a word", () => {
    const p = project("empty");
    p.synth([A, B, C]);
    p.writeState(C, []);
    const lines = p.synth([A]);
    expect(fs.existsSync(p.stackDir(B))).toBe(false);
    expect(fs.existsSync(p.stackDir(C))).toBe(false);
    expect(p.manifestStacks()).toEqual([`trelica-${A}`]);
    expect(lines.filter((line) => line.startsWith("Warning:"))).toEqual([]);
  });

  test("GIVEN a leaving stack WHEN the account comes back THEN the marker goes and it is an ordinary stack again", () => {
    const p = project("back");
    p.synth([A, B]);
    p.writeState(B, ROLE_IN_STATE);
    p.synth([A]);
    const lines = p.synth([A, B]);
    expect(fs.existsSync(path.join(p.stackDir(B), LEAVING_MARKER))).toBe(false);
    expect(lines.filter((line) => line.includes("left the config"))).toEqual([]);
  });

  test("GIVEN a leaving stack WHEN a rollout destroyed its role (state empty) THEN the next synth drops the folder", () => {
    const p = project("destroyed");
    p.synth([A, B]);
    p.writeState(B, ROLE_IN_STATE);
    p.synth([A]);
    p.writeState(B, []);
    p.synth([A]);
    expect(fs.existsSync(p.stackDir(B))).toBe(false);
    expect(p.manifestStacks()).toEqual([`trelica-${A}`]);
  });

  describe("GIVEN a remote (S3) state, which synthesis does not read", () => {
    const s3 = "backend: { type: s3, bucket: state-bucket, key: 'trelica/{accountId}.tfstate' }\n";

    test("WHEN no rollout report says anything of it THEN the stack is kept: it cannot be proven empty", () => {
      const p = project("s3-unknown", s3);
      p.synth([A, B]);
      const lines = p.synth([A]);
      expect(fs.existsSync(path.join(p.stackDir(B), LEAVING_MARKER))).toBe(true);
      expect(lines.join("\n")).toContain(`trelica-${B} left the config but its state is remote and no rollout report says it is empty`);
    });

    test("WHEN the newest report that read its outputs saw the role THEN it is kept, naming that run; WHEN a newer one saw none THEN it goes", () => {
      const p = project("s3-report", s3);
      p.synth([A, B]);
      p.writeReport("20261201T000000Z-apply", B, { role_arn: `arn:aws:iam::${B}:role/TrelicaIntegration` });
      expect(p.synth([A]).join("\n")).toContain(`rollout run 20261201T000000Z-apply read its role arn:aws:iam::${B}:role/TrelicaIntegration from the remote state`);
      p.writeReport("20261202T000000Z-destroy", B, {});
      p.synth([A]);
      expect(fs.existsSync(p.stackDir(B))).toBe(false);
    });
  });
});

describe("rollout and a leaving account", () => {
  const rollout = new RolloutProject(dir, "rollout", 3);
  const [first, leaving] = rollout.stackNames();
  const markLeaving = () => fs.writeFileSync(path.join(rollout.dir, "cdktf.out", "stacks", leaving, LEAVING_MARKER), JSON.stringify({ stack: leaving, holds: "its state holds 5 resources" }));

  test("GIVEN a plan run from before the account left WHEN apply runs THEN that account is refused: its reviewed plan was not a destroy", async () => {
    rollout.scenario({});
    await rollout.run({ command: "plan" });
    markLeaving();
    const result = await rollout.run({ command: "apply", confirmDestroy: true });
    const account = result.report.accounts.find((a) => a.stack === leaving)!;
    expect(account.status).toBe("refused");
    expect(account.reason).toMatch(/^its account left the config since plan run \S+; run plan again$/);
  });

  test("GIVEN a leaving stack WHEN rollout plans THEN it comes first, its plan destroys the role, and the table says LEAVING", async () => {
    rollout.clearEvents();
    const result = await rollout.run({ command: "plan" });
    expect(result.report.accounts[0]).toMatchObject({ stack: leaving, leaving: true, outcome: "changes", cutsTrelicaOff: true });
    const plan = rollout.events().find((event) => event.stack === leaving && event.command === "plan")!;
    expect(plan.args).toContain("-destroy");
    expect(rollout.events().filter((event) => event.command === "plan" && event.args.includes("-destroy")).map((event) => event.stack)).toEqual([leaving]);
    const table = rollout.lines.join("\n");
    expect(table).toMatch(new RegExp(`${leaving}\\s+succeeded.*LEAVING \\(left the config\\): DESTROYS the TrelicaIntegration role`));
    expect(table).toContain("1 leaving account (listed first): left the config while its state held the role; apply destroys it only with --confirm-destroy.");
  });

  test("GIVEN that plan WHEN apply runs without --confirm-destroy THEN the leaving account is refused with what to do, and the others go ahead", async () => {
    const result = await rollout.run({ command: "apply", allowAccessChange: true, allowDestroy: true });
    const byStack = Object.fromEntries(result.report.accounts.map((a) => [a.stack, a]));
    expect(byStack[leaving].status).toBe("refused");
    expect(byStack[leaving].reason).toBe(
      "its account left the config: this plan destroys its TrelicaIntegration role and cuts Trelica off there; rerun with --confirm-destroy to do it, or put the account back in the config",
    );
    expect(byStack[first].status).not.toBe("refused");
    expect(result.exitCode).toBe(1);
  });

  test("GIVEN a fresh plan WHEN apply runs with --confirm-destroy THEN the leaving account's role is destroyed", async () => {
    await rollout.run({ command: "plan" });
    rollout.clearEvents();
    const result = await rollout.run({ command: "apply", confirmDestroy: true });
    expect(result.report.accounts.find((a) => a.stack === leaving)).toMatchObject({ status: "succeeded", outcome: "destroyed" });
    expect(rollout.events().filter((event) => event.command === "apply").map((event) => event.stack)).toContain(leaving);
  });
});
