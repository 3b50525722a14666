/*
 * Least privilege is the default path: a config that reaches member accounts through a role this program
 * does not create gets one warning line on every synth and every rollout (which synthesizes first), until it
 * moves to the deployer or says deployment.administratorAccess: true; the shipped example uses the deployer.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { synthesizeOrganization } from "../app/commands/organization-app";
import { PROJECT_ROOT, tempDir, writeFile } from "./helpers/files";
import { resolve } from "./helpers/organization";
import { RolloutProject } from "./helpers/rollout";

const dir = tempDir("trelica-administrator-");
const CI = "arn:aws:iam::111111111111:role/platform-ci";
const base = { trelicaOrganizationId: "org-42", managementAccountId: "111111111111" };
const members = [{ id: "111111111111" }, { id: "222222222222" }, { id: "333333333333" }];
const deployer = { trustedPrincipalArns: [CI], organizationalUnitIds: ["r-ab12"] };
const WARNING =
  'member accounts are reached as administrator: Terraform assumes OrganizationAccountAccessRole in 2 accounts (222222222222, 333333333333), a role this program does not create. Move to the least-privilege deployer (deployment.deployer, docs/security.md, "Least-privilege deployment"), or set deployment.administratorAccess: true to say you chose this.';
const administratorLines = (lines: readonly string[]) => lines.filter((line) => line.includes("member accounts are reached as administrator"));

describe("the warning when members are reached as administrator", () => {
  test("GIVEN members and no deployer THEN it names the role and the accounts, and the two ways out", () => {
    expect(resolve(dir, { ...base, accounts: members }).warnings).toEqual([WARNING]);
  });

  test.each([
    ["deployment.administratorAccess: true", { ...base, deployment: { administratorAccess: true }, accounts: members }],
    ["the deployer", { ...base, deployment: { deployer }, accounts: members }],
    ["the deployer under another name", { ...base, deployment: { deployer: { ...deployer, roleName: "PlatformTrelica" } }, accounts: members }],
    ["only the management account (its own credentials)", { ...base, accounts: [{ id: "111111111111" }] }],
    ["one standalone account with the caller's own credentials", { trelicaOrganizationId: "org-42", deployment: { assumeRoleName: false }, accounts: [{ id: "222222222222" }] }],
    ["every member with assumeRoleName: false", { ...base, accounts: [{ id: "111111111111" }, { id: "222222222222", assumeRoleName: false }] }],
  ])("GIVEN %s THEN no warning", (_case, config) => {
    expect(administratorLines(resolve(dir, config).warnings)).toEqual([]);
  });

  test("GIVEN the deployer and one member that names its own role THEN only that member is named, with how to reach it through the deployer", () => {
    const accounts = [...members.slice(0, 2), { id: "333333333333", assumeRoleName: "OrganizationAccountAccessRole" }];
    expect(administratorLines(resolve(dir, { ...base, deployment: { deployer }, accounts }).warnings)).toEqual([
      'member accounts are reached as administrator: Terraform assumes OrganizationAccountAccessRole in 1 account (333333333333), a role this program does not create. Reach them through the deployer too: remove their assumeRoleName (docs/security.md, "Least-privilege deployment").',
    ]);
  });

  test("GIVEN StackSets mode (CloudFormation reaches the members, no role of ours) THEN no warning", () => {
    const file = writeFile(dir, "stackset.yaml", 'trelicaOrganizationId: org-42\nmode: stackset\nmanagementAccountId: "111111111111"\nstackSet: { organizationalUnitIds: [r-ab12] }\n');
    const lines: string[] = [];
    synthesizeOrganization(file, { outdir: path.join(dir, "stackset-out"), log: (line) => lines.push(line) });
    expect(administratorLines(lines)).toEqual([]);
  });

  test("GIVEN members and no deployer WHEN synthesized THEN the warning is one line, printed once", () => {
    const file = writeFile(dir, "members.yaml", JSON.stringify({ ...base, accounts: members }));
    const lines: string[] = [];
    synthesizeOrganization(file, { outdir: path.join(dir, "members-out"), log: (line) => lines.push(line) });
    expect(administratorLines(lines)).toEqual([`Warning: ${WARNING}`]);
  });
});

describe("the shipped example and rollout", () => {
  test("GIVEN the shipped example THEN it uses the deployer without assumeRoleName, and `npm run synth` prints no administrator warning", () => {
    const text = fs.readFileSync(path.join(PROJECT_ROOT, "trelica.config.yaml"), "utf8");
    expect(text).toMatch(/^deployment:\n  deployer:\n/m);
    expect(text).not.toMatch(/^\s*assumeRoleName:/m);
    const environment = { ...process.env };
    for (const name of ["TRELICA_CONFIG", "CDKTF_OUTDIR"]) delete environment[name];
    const run = spawnSync("npm", ["run", "synth", "--", "--output", path.join(dir, "example-out")], { cwd: PROJECT_ROOT, env: environment, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("trelica: 1 deployer stack (trelica-deployer)");
    expect(administratorLines(run.stdout.split("\n"))).toEqual([]);
  });

  test("GIVEN members and no deployer WHEN npm run rollout -- plan, which synthesizes first THEN the warning is printed exactly once", () => {
    const project = new RolloutProject(dir, "rollout", 2, "", "process");
    const mainTs = path.join(PROJECT_ROOT, "main.ts");
    fs.writeFileSync(
      path.join(project.dir, "cdktf.json"),
      JSON.stringify({ language: "typescript", app: `"${process.execPath}" -r "${require.resolve("sucrase/register")}" "${mainTs}"` }),
    );
    const environment = project.env();
    for (const name of ["TRELICA_CONFIG", "CDKTF_OUTDIR"]) delete environment[name];
    const run = spawnSync(process.execPath, ["-r", require.resolve("sucrase/register"), path.join(PROJECT_ROOT, "rollout", "main.ts"), "plan", "--progress", "plain"], {
      cwd: project.dir,
      env: environment,
      encoding: "utf8",
    });
    expect(run.stderr).not.toMatch(/^\s+at /m);
    const lines = administratorLines(`${run.stdout}\n${run.stderr}`.split("\n"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Warning: member accounts are reached as administrator: Terraform assumes OrganizationAccountAccessRole in 2 accounts \(100000000001, 100000000002\)/);
  });
});
