/*
 * A plan that creates TrelicaIntegration where rollout or verify saw it exist is refused, naming where
 * state was looked for: the state moved or was lost, and the apply would fail with EntityAlreadyExists.
 * A role deleted behind terraform's back (state holds it, refresh finds it gone) is re-created as usual.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { knownRoles } from "../rollout/plans/known-roles";
import { summarizePlan } from "../rollout/terraform/plan-summary";
import { RunReport } from "../rollout/report/report";
import { fillLastUsed } from "../verify/connections";
import { VerifyAccountReport } from "../verify/report";
import { tempDir, writeFile } from "./helpers/files";
import { RolloutProject } from "./helpers/rollout";

const dir = tempDir("trelica-known-roles-");
const arnOf = (id: string) => `arn:aws:iam::${id}:role/TrelicaIntegration`;

function report(runId: string, command: RunReport["command"], accounts: [string, string, Record<string, string>?][], outdir = "/elsewhere/cdktf.out"): RunReport {
  return {
    runId, command, planAndApply: false, startedAt: "", interrupted: false, terraform: { binary: "terraform", version: "1.11.4" },
    options: { concurrency: 1, maxFailures: 0, lockTimeout: "0s", retries: 0 }, outdir,
    accounts: accounts.map(([accountId, outcome, outputs]) => ({ stack: `trelica-${accountId}`, accountId, status: "succeeded", outcome, attempts: 1, ...(outputs ? { outputs } : {}) })) as RunReport["accounts"],
  };
}

describe("knownRoles: where rollout or verify last saw the role", () => {
  test("GIVEN reports of applies and a destroy, in any output folder, oldest first THEN the latest event per account counts; a report cut short is ignored", () => {
    const state = path.join(dir, "reports", ".rollout");
    const write = (r: RunReport) => writeFile(state, `${r.runId}/report.json`, JSON.stringify(r));
    write(report("20260101T000000Z-apply", "apply", [["100000000001", "applied", { role_arn: arnOf("100000000001") }], ["100000000002", "applied", { role_arn: arnOf("100000000002") }]]));
    write(report("20260102T000000Z-destroy", "destroy", [["100000000002", "destroyed", {}]]));
    write(report("20260103T000000Z-apply", "apply", [["100000000003", "no-changes", { role_arn: arnOf("100000000003") }], ["100000000004", "applied"]]));
    // A plan says nothing about what exists; a report cut short (a crash mid-write) is unreadable.
    write(report("20260104T000000Z-plan", "plan", [["100000000005", "changes", { role_arn: arnOf("100000000005") }]]));
    writeFile(state, "20260105T000000Z-apply/report.json", '{"runId": "20260105T000000Z-apply", "acc');
    expect(Object.fromEntries(knownRoles(path.join(dir, "reports", "cdktf.out"), state))).toEqual({
      "100000000001": { roleArn: arnOf("100000000001"), seenIn: "rollout run 20260101T000000Z-apply" },
      "100000000003": { roleArn: arnOf("100000000003"), seenIn: "rollout run 20260103T000000Z-apply" },
    });
  });

  test("GIVEN the output folder's connections table THEN an applied row with an ARN counts, a planned one does not, and verify's 'no role' removes what reports showed", () => {
    const outdir = path.join(dir, "table", "cdktf.out");
    const state = path.join(dir, "table", ".rollout");
    writeFile(state, "20260101T000000Z-apply/report.json", JSON.stringify(report("20260101T000000Z-apply", "apply", [["100000000003", "applied", { role_arn: arnOf("100000000003") }]])));
    const csv = writeFile(outdir, "trelica-connections.csv", [
      "account_id,account_name,region,role_arn,services,applied_at,status",
      `100000000001,a,us-east-1,${arnOf("100000000001")},iam,2026-01-01,applied`,
      "100000000002,b,us-east-1,,iam,,planned only",
      `100000000003,c,us-east-1,${arnOf("100000000003")},iam,2026-01-01,applied`,
    ].join("\n") + "\n");
    expect([...knownRoles(outdir, state).entries()]).toEqual([
      ["100000000003", { roleArn: arnOf("100000000003"), seenIn: "rollout run 20260101T000000Z-apply" }],
      ["100000000001", { roleArn: arnOf("100000000001"), seenIn: `the connections table ${csv}` }],
    ]);
    // verify read 100000000003 and found no role: the role was deleted since; a plan may create it.
    fillLastUsed(outdir, [{ accountId: "100000000003", status: "missing-role" } as VerifyAccountReport, { accountId: "100000000001", status: "ok", trelica: {} } as VerifyAccountReport]);
    expect(fs.readFileSync(csv, "utf8")).toContain(",applied,no role\n");
    expect([...knownRoles(outdir, state).keys()]).toEqual(["100000000001"]);
  });
});

describe("summarizePlan: does the plan create Trelica's role that state never tracked", () => {
  const role = (actions: string[], extra: object = {}) => ({ address: "aws_iam_role.r", type: "aws_iam_role", change: { actions, before: null, after: { name: "TrelicaIntegration" }, ...extra } });
  const plan = (changes: object[], drift: object[] = []) => JSON.stringify({ resource_changes: changes, resource_drift: drift });

  test("GIVEN a create of TrelicaIntegration and no drift THEN it does", () => {
    expect(summarizePlan(plan([role(["create"])])).createsRole).toBe(true);
  });

  test("GIVEN the role in state and deleted outside terraform (drift: delete) THEN it does not: terraform re-creates a role it knew", () => {
    expect(summarizePlan(plan([role(["create"])], [{ address: "aws_iam_role.r", type: "aws_iam_role", change: { actions: ["delete"] } }])).createsRole).toBeUndefined();
    // Drift of another address says nothing about this one.
    expect(summarizePlan(plan([role(["create"])], [{ address: "aws_iam_policy.p", type: "aws_iam_policy", change: { actions: ["delete"] } }])).createsRole).toBe(true);
  });

  test("GIVEN an import, an update, a replace or another role's create THEN it does not", () => {
    for (const change of [
      { ...role(["no-op"]), change: { actions: ["no-op"], importing: { id: "TrelicaIntegration" }, before: {}, after: { name: "TrelicaIntegration" } } },
      { ...role(["update"]), change: { actions: ["update"], before: { name: "TrelicaIntegration" }, after: { name: "TrelicaIntegration" } } },
      role(["delete", "create"]),
      { ...role(["create"]), change: { actions: ["create"], before: null, after: { name: "TrelicaDeployer" } } },
    ]) {
      expect([change.change.actions, summarizePlan(plan([change])).createsRole]).toEqual([change.change.actions, undefined]);
    }
  });
});

describe("a plan creating a role rollout applied, its state lost", () => {
  const project = new RolloutProject(dir, "lost-state", 2);
  const [lost, kept] = project.stackNames();
  const id = lost.replace(/^trelica-/, "");

  test("GIVEN both accounts applied, then one's state lost WHEN planned THEN that one is refused naming the state file and how to go on; the other, its role deleted outside terraform, plans as usual", async () => {
    expect((await project.run({ command: "apply", planAndApply: true })).exitCode).toBe(0);
    project.double.forgetState(path.join(project.dir, "cdktf.out", "stacks", lost));
    const plan = await project.run({ command: "plan" });
    const byStack = Object.fromEntries(plan.report.accounts.map((account) => [account.stack, account]));
    expect([byStack[lost].status, byStack[lost].reason]).toEqual([
      "refused",
      `the plan creates TrelicaIntegration, but rollout run ${byStack[lost].reason!.match(/rollout run (\S+)/)![1]} shows it exists (${arnOf(id)}): terraform found no state for it at ` +
        `${path.join(project.dir, `terraform.${lost}.tfstate`)}. If its state moved (another --output or folder, a changed backend), put it back there and plan again; ` +
        `if the role is gone, npm run verify -- --accounts ${id} records that and the next plan creates it`,
    ]);
    expect([byStack[kept].status, byStack[kept].outcome]).toEqual(["succeeded", "changes"]);
    expect(plan.exitCode).toBe(1);
  });

  test("GIVEN verify then found no role there WHEN planned and applied THEN it is created, and the table forgets 'no role'", async () => {
    const outdir = path.join(project.dir, "cdktf.out");
    fillLastUsed(outdir, [{ accountId: id, status: "missing-role" } as VerifyAccountReport]);
    const plan = await project.run({ command: "plan" });
    expect(plan.report.accounts.map((account) => [account.stack, account.status, account.outcome])).toEqual([[lost, "succeeded", "changes"], [kept, "succeeded", "changes"]]);
    expect((await project.run({ command: "apply" })).exitCode).toBe(0);
    const row = fs.readFileSync(path.join(outdir, "trelica-connections.csv"), "utf8").split("\n").find((line) => line.startsWith(id))!;
    expect(row.split(",").slice(-2)).toEqual(["applied", ""]);
  });
});
