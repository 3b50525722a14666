import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "./helpers/files";
import { maxOverlap, RolloutProject } from "./helpers/rollout";
import { runApp } from "./helpers/app";
import { writeFile } from "./helpers/files";
import { connectionRows, connectionsMarkdown, stackSetNotes } from "../rollout/connections";
import { RunReport } from "../rollout/report/report";
import { readStacks } from "../runner/stacks";

const dir = tempDir("trelica-rollout-connections-");

const ARN = /^arn:aws:iam::\d{12}:role\/TrelicaIntegration$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The connections CSV as objects, by account ID. */
function connections(project: RolloutProject): Record<string, Record<string, string>> {
  const [header, ...rows] = fs.readFileSync(path.join(project.dir, "cdktf.out", "trelica-connections.csv"), "utf8").trim().split("\n").map((line) => line.split(","));
  expect(header).toEqual(["account_id", "account_name", "region", "role_arn", "services", "applied_at", "status"]);
  return Object.fromEntries(rows.map((row) => [row[0], Object.fromEntries(header.map((column, i) => [column, row[i]]))]));
}

const markdown = (project: RolloutProject) => fs.readFileSync(path.join(project.dir, "cdktf.out", "trelica-connections.md"), "utf8");
const idOf = (stack: string) => stack.replace(/^trelica-/, "");

describe("connections table after apply", () => {
  test("GIVEN an applied table with verify's last-used column WHEN a later apply of an account fails THEN its row keeps its role ARN, applied-at and Trelica's last use, marked failed; the others keep their last use too", async () => {
    const project = new RolloutProject(dir, "never-worse", 2);
    const [first, second] = project.stackNames();
    project.scenario({});
    expect((await project.run({ command: "apply", planAndApply: true })).exitCode).toBe(0);
    const csv = path.join(project.dir, "cdktf.out", "trelica-connections.csv");
    // As verify leaves it: one more column.
    const lines = fs.readFileSync(csv, "utf8").trim().split("\n");
    fs.writeFileSync(csv, [`${lines[0]},trelica_last_used`, `${lines[1]},2026-05-01`, `${lines[2]},never`].join("\n") + "\n");
    const applied = Object.fromEntries(lines.slice(1).map((line) => [line.split(",")[0], line.split(",")]));

    project.scenario({ [first]: { plan: "changes", apply: "fail" } });
    expect((await project.run({ command: "apply", planAndApply: true, maxFailures: 1 })).exitCode).toBe(1);
    const [header, ...rows] = fs.readFileSync(csv, "utf8").trim().split("\n").map((line) => line.split(","));
    expect(header).toEqual(["account_id", "account_name", "region", "role_arn", "services", "applied_at", "status", "trelica_last_used"]);
    const table = Object.fromEntries(rows.map((row) => [row[0], Object.fromEntries(header.map((column, i) => [column, row[i]]))]));
    expect(table[idOf(first)]).toMatchObject({ role_arn: applied[idOf(first)][3], applied_at: applied[idOf(first)][5], status: "failed", trelica_last_used: "2026-05-01" });
    expect(table[idOf(second)]).toMatchObject({ role_arn: applied[idOf(second)][3], status: "applied", trelica_last_used: "never" });
  });

  test("GIVEN a plan-and-apply where one account's apply fails and stops the rest THEN the table lists applied accounts with ARN and applied-at, the failed one as failed and those never applied as planned only, neither with an ARN", async () => {
    const project = new RolloutProject(dir, "after-apply", 4);
    const [first, second, third, fourth] = project.stackNames();
    project.scenario({ [second]: { apply: "fail" } });
    const before = new Date().toISOString();
    const result = await project.run({ command: "apply", planAndApply: true, concurrency: 1, maxFailures: 0 });
    expect(result.exitCode).toBe(1);

    const table = connections(project);
    expect(Object.keys(table)).toEqual([first, second, third, fourth].map(idOf));
    expect(table[idOf(first)]).toMatchObject({
      account_name: `acct-${idOf(first)}`,
      region: "us-east-1",
      role_arn: `arn:aws:iam::${idOf(first)}:role/TrelicaIntegration`,
      services: "cognito connect iam",
      status: "applied",
    });
    expect(table[idOf(first)].applied_at).toMatch(ISO);
    expect(table[idOf(first)].applied_at >= before).toBe(true);
    expect(table[idOf(second)]).toMatchObject({ role_arn: "", applied_at: "", status: "failed" });
    for (const never of [third, fourth]) expect(table[idOf(never)]).toMatchObject({ role_arn: "", applied_at: "", status: "planned only", services: "cognito connect iam" });

    const md = markdown(project);
    expect(md).toContain(`| ${idOf(first)} | acct-${idOf(first)} | us-east-1 | arn:aws:iam::${idOf(first)}:role/TrelicaIntegration | cognito connect iam | ${table[idOf(first)].applied_at} | applied |`);
    expect(md).toContain(`| ${idOf(second)} | acct-${idOf(second)} | us-east-1 |  | cognito connect iam |  | failed |`);
    expect(md).toContain("1 applied, 2 planned only, 1 failed, 0 unknown");
    // The only ARNs anywhere in the table are of applied accounts.
    expect(md.match(/arn:aws:iam::\d{12}:role\/TrelicaIntegration/g)).toEqual([`arn:aws:iam::${idOf(first)}:role/TrelicaIntegration`]);
    expect(project.lines.join("\n")).toContain("Connections (applied state");
  });
});

describe("connections table after destroy", () => {
  test("GIVEN applied accounts WHEN destroyed THEN the table no longer has an ARN for them: planned only", async () => {
    const project = new RolloutProject(dir, "after-destroy", 2);
    expect((await project.run({ command: "apply", planAndApply: true })).exitCode).toBe(0);
    expect(Object.values(connections(project)).map((row) => row.status)).toEqual(["applied", "applied"]);
    expect((await project.run({ command: "destroy", confirmDestroy: true })).exitCode).toBe(0);
    for (const row of Object.values(connections(project))) expect(row).toMatchObject({ role_arn: "", applied_at: "", status: "planned only" });
  });
});

describe("rollout connections", () => {
  test("GIVEN a project where nothing was applied THEN every account is planned only, without an ARN, no plan runs, and it exits 0", async () => {
    const project = new RolloutProject(dir, "nothing-applied", 5);
    const result = await project.run({ command: "connections", concurrency: 2 });
    expect(result.exitCode).toBe(0);
    const table = connections(project);
    expect(Object.keys(table)).toEqual(project.stackNames().map(idOf));
    for (const row of Object.values(table)) expect(row).toMatchObject({ role_arn: "", applied_at: "", status: "planned only" });
    const commands = project.events().map((event) => event.command);
    expect(commands).not.toContain("plan");
    expect(project.events().filter((event) => event.command === "output").map((event) => event.args)).toEqual(Array(5).fill(["output", "-json", "-no-color"]));
    expect(maxOverlap(project.events(), "output")).toBeLessThanOrEqual(2);
  });

  test("GIVEN accounts applied in an earlier run THEN connections lists them as applied with their ARN and that run's applied-at; the rest planned only", async () => {
    const project = new RolloutProject(dir, "applied-before", 3);
    const [first, second, third] = project.stackNames();
    const apply = await project.run({ command: "apply", planAndApply: true, accounts: [first, second] });
    expect(apply.exitCode).toBe(0);
    const appliedAt = connections(project)[idOf(first)].applied_at;
    expect(appliedAt).toMatch(ISO);

    const result = await project.run({ command: "connections" });
    expect(result.exitCode).toBe(0);
    const table = connections(project);
    expect(table[idOf(first)]).toMatchObject({ role_arn: `arn:aws:iam::${idOf(first)}:role/TrelicaIntegration`, applied_at: appliedAt, status: "applied", account_name: `acct-${idOf(first)}` });
    expect(table[idOf(second)].role_arn).toMatch(ARN);
    expect(table[idOf(third)]).toMatchObject({ role_arn: "", status: "planned only" });
  });

  test("GIVEN one account whose outputs cannot be read and one throttled once THEN exit 1, the unreadable one is unknown without an ARN, the throttled one is retried", async () => {
    const project = new RolloutProject(dir, "unreadable", 3);
    const [first, second] = project.stackNames();
    project.scenario({ [first]: { outputFail: true }, [second]: { outputThrottled: 1 } });
    const result = await project.run({ command: "connections", maxFailures: 5 });
    expect(result.exitCode).toBe(1);
    const byStack = Object.fromEntries(result.report.accounts.map((a) => [a.stack, a]));
    expect(byStack[first]).toMatchObject({ status: "failed", outputsUnread: true });
    expect(byStack[first].reason).toMatch(/^Error: Failed to load state/);
    expect(byStack[second]).toMatchObject({ status: "succeeded", steps: { output: { attempts: 2, retries: 1 } } });
    const table = connections(project);
    expect(table[idOf(first)]).toMatchObject({ role_arn: "", status: "unknown" });
    expect(table[idOf(second)].status).toBe("planned only");
  });

  test("GIVEN the stand-in terraform (processes) THEN output -json prints {} before an apply and the outputs after it", async () => {
    const project = new RolloutProject(dir, "processes", 2, "", "process");
    const [first, second] = project.stackNames();
    expect((await project.run({ command: "apply", planAndApply: true, accounts: [first] })).exitCode).toBe(0);
    expect((await project.run({ command: "connections" })).exitCode).toBe(0);
    const table = connections(project);
    expect(table[idOf(first)]).toMatchObject({ role_arn: `arn:aws:iam::${idOf(first)}:role/TrelicaIntegration`, status: "applied" });
    expect(table[idOf(second)]).toMatchObject({ role_arn: "", status: "planned only" });
  });
});

describe("connections table in StackSets mode", () => {
  const project = path.join(dir, "stackset");
  const outdir = path.join(project, "cdktf.out");
  const config = writeFile(
    project,
    "trelica.config.yaml",
    'trelicaOrganizationId: org-42\nmode: stackset\nmanagementAccountId: "111111111111"\nstackSet: { organizationalUnitIds: ["ou-ab12-workloads"], name: TrelicaRoles }\n',
  );
  const report = (outputs: Record<string, Record<string, string>>): RunReport => ({
    runId: "run-1",
    command: "apply",
    planAndApply: true,
    startedAt: new Date().toISOString(),
    interrupted: false,
    terraform: { binary: "terraform", version: "1.11.4" },
    options: { concurrency: 2, maxFailures: 0, lockTimeout: "0s", retries: 0 },
    accounts: Object.entries(outputs).map(([stack, values]) => ({ stack, status: "succeeded", outcome: "applied", attempts: 1, outputs: values })),
  });
  beforeAll(() => expect(runApp(config, outdir).status).toBe(0));

  test("GIVEN both stacks applied THEN the applied table lists the management account and says where every other account's role comes from and how to list them", () => {
    const stacks = readStacks(outdir, "npm run synth");
    const applied = report({
      "trelica-111111111111": { role_arn: "arn:aws:iam::111111111111:role/TrelicaIntegration", account_id: "111111111111", region: "us-east-1" },
      "trelica-organization": { stack_set_name: "TrelicaRoles" },
    });
    const md = connectionsMarkdown(connectionRows(stacks, applied, outdir, path.join(project, ".rollout")), "run-1", stackSetNotes(stacks, applied));
    expect(md).toContain("| 111111111111 |");
    expect(md).toContain(
      "Every other account of the stack set's OUs gets its role from stack set TrelicaRoles (stack trelica-organization, applied), not listed above: " +
        "list them with `aws cloudformation list-stack-instances --stack-set-name TrelicaRoles`; a CURRENT instance has the role.",
    );
  });

  test("GIVEN the organization stack not applied by this run THEN the note does not claim it is", () => {
    const stacks = readStacks(outdir, "npm run synth");
    expect(stackSetNotes(stacks, report({}))).toEqual([expect.stringContaining("(stack trelica-organization, not confirmed applied by this run)")]);
  });

  test("GIVEN a stack set run by a delegated administrator THEN both the planned and the applied notes list the instances with --call-as DELEGATED_ADMIN", () => {
    const delegated = path.join(dir, "stackset-delegated");
    const out = path.join(delegated, "cdktf.out");
    const file = writeFile(
      delegated,
      "trelica.config.yaml",
      'trelicaOrganizationId: org-42\nmode: stackset\nmanagementAccountId: "111111111111"\n' +
        'stackSet: { organizationalUnitIds: ["ou-ab12-workloads"], callAs: DELEGATED_ADMIN, delegatedAdminAccountId: "222222222222" }\n',
    );
    expect(runApp(file, out).status).toBe(0);
    const command = "`aws cloudformation list-stack-instances --stack-set-name TrelicaIntegration --call-as DELEGATED_ADMIN`";
    expect(fs.readFileSync(path.join(out, "trelica-connections.md"), "utf8")).toContain(command);
    expect(stackSetNotes(readStacks(out, "npm run synth"), report({}))).toEqual([expect.stringContaining(command)]);
  });
});
