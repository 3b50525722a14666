/* What a synth run leaves in the output folder, through the app's real entry point. */
import * as fs from "node:fs";
import * as path from "node:path";
import { runApp } from "./helpers/app";
import { filesUnder, tempDir, writeFile } from "./helpers/files";
import { writeAccountsFile } from "./helpers/organization";

const dir = tempDir();

writeAccountsFile(dir, "accounts.json", [
  { Id: "111111111111", Name: "management", State: "ACTIVE" },
  { Id: "222222222222", Name: 'web, "prod"', State: "ACTIVE", JoinedMethod: "INVITED" },
  { Id: "333333333333", Name: "old", State: "SUSPENDED" },
]);
const config = writeFile(
  dir,
  "trelica.config.yaml",
  `trelicaOrganizationId: org-42
accountsFile: accounts.json
accounts:
  - id: "222222222222"
    region: eu-west-2
`,
);

describe("a synth run's output folder", () => {
  const outdir = path.join(dir, "out");
  let run: ReturnType<typeof runApp>;
  beforeAll(() => {
    run = runApp(config, outdir);
  });

  test("GIVEN an organization THEN it says how many stacks, and how many accounts were skipped and why", () => {
    expect(run.status).toBe(0);
    expect(run.stdout.split("\n")[0]).toMatch(/^trelica: 2 account stacks from \S+trelica\.config\.yaml into \S+ \(local state in \S+\); skipped 1 account that is not ACTIVE \(1 SUSPENDED\)\.$/);
    expect(run.stdout).toMatch(/^Warning: 1 account joined by invitation \(222222222222\) may lack OrganizationAccountAccessRole/m);
  });

  test("GIVEN an organization THEN the CSV lists what to type into Trelica per account, quoted where needed", () => {
    expect(fs.readFileSync(path.join(outdir, "trelica-connections.csv"), "utf8")).toBe(
      [
        "account_id,account_name,region,role_arn,services,applied_at,status",
        "111111111111,management,us-east-1,,cognito connect iam organizations,,planned only",
        '222222222222,"web, ""prod""",eu-west-2,,cognito connect iam,,planned only',
        "",
      ].join("\n"),
    );
  });

  test("GIVEN an organization THEN the Markdown table has the same rows and lists the skipped accounts", () => {
    const markdown = fs.readFileSync(path.join(outdir, "trelica-connections.md"), "utf8");
    expect(markdown).toContain("| 111111111111 | management | us-east-1 |  | cognito connect iam organizations |  | planned only |");
    expect(markdown).toContain('| 222222222222 | web, "prod" | eu-west-2 |');
    expect(markdown).toContain("| 333333333333 | old | SUSPENDED |");
  });

  test("GIVEN synth, before any apply THEN its table says every row is planned, not confirmed, and how to get the applied one", () => {
    const csvRows = fs.readFileSync(path.join(outdir, "trelica-connections.csv"), "utf8").trim().split("\n").slice(1);
    expect(csvRows.length).toBeGreaterThan(0);
    for (const row of csvRows) expect(row).toMatch(/,,planned only$/);
    const markdown = fs.readFileSync(path.join(outdir, "trelica-connections.md"), "utf8");
    // The same columns as the table apply writes (rollout/connections.ts).
    expect(markdown).toContain("| account_id | account_name | region | role_arn | services | applied_at | status |");
    expect(markdown).toContain("PLANNED, NOT CONFIRMED");
    expect(markdown).toContain("npm run rollout -- connections");
  });

  test("GIVEN a table an apply and verify wrote WHEN synthesized again THEN each account keeps its role ARN, applied-at, status and Trelica's last use; the note says which rows are applied", () => {
    const again = path.join(dir, "applied-out");
    expect(runApp(config, again).status).toBe(0);
    const csv = path.join(again, "trelica-connections.csv");
    const arn = "arn:aws:iam::111111111111:role/TrelicaIntegration";
    fs.writeFileSync(csv, [
      "account_id,account_name,region,role_arn,services,applied_at,status,trelica_last_used",
      `111111111111,management,us-east-1,${arn},cognito connect iam organizations,2026-12-01T10:00:00.000Z,applied,never`,
      "222222222222,web,eu-west-2,,cognito connect iam,,planned only,no role",
      "",
    ].join("\n"));
    expect(runApp(config, again).status).toBe(0);
    expect(fs.readFileSync(csv, "utf8")).toBe(
      [
        "account_id,account_name,region,role_arn,services,applied_at,status,trelica_last_used",
        `111111111111,management,us-east-1,${arn},cognito connect iam organizations,2026-12-01T10:00:00.000Z,applied,never`,
        '222222222222,"web, ""prod""",eu-west-2,,cognito connect iam,,planned only,no role',
        "",
      ].join("\n"),
    );
    const markdown = fs.readFileSync(path.join(again, "trelica-connections.md"), "utf8");
    expect(markdown).toContain("Written by synth: 1 of 2 rows keep what the last apply read");
    expect(markdown).not.toContain("PLANNED, NOT CONFIRMED");
  });

  test("GIVEN an unchanged config THEN a second synth writes byte-identical files", () => {
    const before = filesUnder(outdir);
    expect(runApp(config, outdir).status).toBe(0);
    expect(filesUnder(outdir)).toEqual(before);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(["stacks/trelica-111111111111/cdk.tf.json", "manifest.json"]));
  });

  test("GIVEN an account that left the config THEN its stack folder is removed, others untouched", () => {
    const keep = path.join(outdir, "stacks", "trelica-111111111111", ".terraform");
    fs.mkdirSync(keep, { recursive: true });
    const narrower = writeFile(dir, "narrower.yaml", `trelicaOrganizationId: org-42\naccountsFile: accounts.json\nexclude: ["web*"]\n`);
    expect(runApp(narrower, outdir).status).toBe(0);
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual(["trelica-111111111111"]);
    expect(fs.existsSync(keep)).toBe(true);
  });
});
