/*
 * npm run verify as a user runs it: a process reaching the fake AWS only through the SDK's standard
 * environment (AWS_ENDPOINT_URL, keys), its output, exit codes, report and connections table.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FakeAws } from "../sandbox/fake-aws/fake-aws";
import { PROJECT_ROOT, tempDir } from "./helpers/files";
import { run } from "./helpers/real-terraform";
import { applyStacks, synthProject } from "./helpers/verify";

const MANAGEMENT = "111111111111";
const MEMBER = "200000000001";
const DRIFTED = "200000000002";

let fake: FakeAws;
const dir = tempDir("trelica-verify-cli-");

beforeAll(async () => {
  fake = await FakeAws.start({ managementAccountId: MANAGEMENT });
  synthProject(dir, `trelicaOrganizationId: "org-cli"\nmanagementAccountId: "${MANAGEMENT}"\naccounts:\n  - id: "${MANAGEMENT}"\n  - id: "${MEMBER}"\n  - id: "${DRIFTED}"\n`);
  applyStacks(fake, path.join(dir, "cdktf.out"));
});
afterAll(() => fake.stop());

/** `npm run verify -- args` in the project folder, as the management account's user. */
function verifyCli(args: string[]) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, ...fake.environmentFor(MANAGEMENT), AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent", CI: "1" };
  return run(process.execPath, ["-r", require.resolve("sucrase/register"), path.join(PROJECT_ROOT, "verify", "main.ts"), ...args], { cwd: dir, env });
}

describe("npm run verify, the command", () => {
  test("GIVEN --help THEN it lists the flags, the environment, the exact read-only API calls and the exit codes", async () => {
    const result = await verifyCli(["--help"]);
    expect(result.code).toBe(0);
    for (const text of ["--deactivate-legacy-keys", "--role-name <name>", "AWS_ENDPOINT_URL_IAM", "iam:GetAccountAuthorizationDetails", "sts:AssumeRole", "iam:UpdateAccessKey", "  2    a mistake"]) {
      expect(result.stdout).toContain(text);
    }
  });

  test("GIVEN every account as applied WHEN verify runs THEN it exits 0, writes the report and fills the connections table's last-used column", async () => {
    const result = await verifyCli(["--report", "verify.json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("verify: 3 accounts: 3 ok, 0 drifted, 0 without the role, 0 unreadable, 0 with active legacy keys.");
    expect(result.stdout).toContain(`Never used by Trelica: ${MANAGEMENT}, ${MEMBER}, ${DRIFTED}. Connect each in Trelica`);
    const report = JSON.parse(fs.readFileSync(path.join(dir, "verify.json"), "utf8"));
    expect(report.accounts.map((account: { status: string }) => account.status)).toEqual(["ok", "ok", "ok"]);
    const csv = fs.readFileSync(path.join(dir, "cdktf.out", "trelica-connections.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toMatch(/,trelica_last_used$/);
    expect(csv.slice(1).map((line) => line.split(",").at(-1))).toEqual(["never", "never", "never"]);
    expect(fs.readFileSync(path.join(dir, "cdktf.out", "trelica-connections.md"), "utf8")).toMatch(/\| account_id .* \| trelica_last_used \|\n\| --- \|/);
  });

  test("GIVEN one account's external ID changed WHEN verify runs THEN it exits 1 with one line naming it, expected, live and the fix; a bad flag exits 2", async () => {
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::377450845233:root" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "org-other" } } }] };
    fake.call(DRIFTED, "iam", "UpdateAssumeRolePolicy", { RoleName: "TrelicaIntegration", PolicyDocument: JSON.stringify(trust) });
    const result = await verifyCli([]);
    expect(result.code).toBe(1);
    const findings = result.stdout.split("\n").filter((line) => line.startsWith(`${DRIFTED}: `));
    expect(findings).toEqual([`${DRIFTED}: trust policy external ID: expected org-cli; live org-other. Fix: npm run rollout -- plan --accounts ${DRIFTED}, then npm run rollout -- apply --accounts ${DRIFTED}`]);
    const usage = await verifyCli(["--concurrency", "0"]);
    expect([usage.code, usage.stderr.trim()]).toEqual([2, 'Nothing was verified; the command line has problems:\n  - --concurrency "0": expected a whole number from 1 to 64']);
  });
});
