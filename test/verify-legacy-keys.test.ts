/*
 * Legacy long-term access keys: only Trelica's, only when idle. Six users like the ones an independent
 * review saw the old rule deactivate, in one member account of the fake AWS; only the real Trelica legacy
 * user's key may be deactivated, through the real `npm run verify -- --deactivate-legacy-keys` command
 * line. Every user that looks like Trelica's and every key print their reason.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { legacyCandidates, verdictOf } from "../verify/legacy-keys";
import { writeVerifyReport } from "../verify/report";
import type { LiveAccount, LiveUser } from "../verify/read/read-account";
import { FakeAws } from "../sandbox/fake-aws/fake-aws";
import { PROJECT_ROOT, tempDir } from "./helpers/files";
import { run } from "./helpers/real-terraform";
import { assumeAsTrelica } from "./helpers/trelica";
import { applyStacks, runVerify, statuses, synthProject, useFakeAs } from "./helpers/verify";

const MANAGEMENT = "111111111111";
const MEMBER = "200000000001";
const DAY = 86_400_000;
const ONLY_TRELICA = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iam:ListUsers", "organizations:ListAccounts", "cognito-idp:ListUsers"], Resource: "*" }] });
const ONLY_LIST_USERS = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:ListUsers", Resource: "*" }] });
const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";

// The fake's clock, moved by the test; verify compares the dates it reads with its own (real) now.
let clock = Date.now() - 46 * DAY;
let fake: FakeAws;
let configFile: string;
const dir = tempDir("trelica-verify-keys-");
const keys: Record<string, { accessKeyId: string; secretAccessKey: string }> = {};

/** A user with an inline policy and one access key. */
function user(name: string, policy: string, extra: { password?: boolean; group?: string } = {}): void {
  fake.call(MEMBER, "iam", "CreateUser", { UserName: name });
  fake.call(MEMBER, "iam", "PutUserPolicy", { UserName: name, PolicyName: "access", PolicyDocument: policy });
  if (extra.password) fake.call(MEMBER, "iam", "CreateLoginProfile", { UserName: name, Password: "Correct-Horse-1" });
  if (extra.group) fake.call(MEMBER, "iam", "AddUserToGroup", { UserName: name, GroupName: extra.group });
  const key = fake.call(MEMBER, "iam", "CreateAccessKey", { UserName: name }).AccessKey as { AccessKeyId: string; SecretAccessKey: string };
  keys[name] = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
}

/** Anyone holding the key making a call with it: IAM records the key's last use. */
async function useKey(name: string): Promise<void> {
  const sts = new STSClient({ region: "us-east-1", endpoint: fake.url, credentials: keys[name], maxAttempts: 1 });
  await sts.send(new GetCallerIdentityCommand({})).finally(() => sts.destroy());
}

const statusOf = (name: string) => fake.account(MEMBER).users[name].accessKeys[0].status;
const SIX = ["jane.trelica-admin", "okta-scim-sync", "trelica-ops", "trelica-console", "trelica-recent", "TrelicaLegacy"];

beforeAll(async () => {
  fake = await FakeAws.start({ managementAccountId: MANAGEMENT, now: () => new Date(clock) });
  const config = `trelicaOrganizationId: "org-keys"\nmanagementAccountId: "${MANAGEMENT}"\ndeployment: { administratorAccess: true }\naccounts:\n  - id: "${MANAGEMENT}"\n  - id: "${MEMBER}"\n`;
  configFile = synthProject(dir, config);
  applyStacks(fake, path.join(dir, "cdktf.out"));
  useFakeAs(fake, MANAGEMENT);

  fake.call(MEMBER, "iam", "CreateGroup", { GroupName: "admins" });
  fake.call(MEMBER, "iam", "AttachGroupPolicy", { GroupName: "admins", PolicyArn: ADMINISTRATOR_ACCESS });
  // A person named like the product they administer, with AdministratorAccess and a console password.
  user("jane.trelica-admin", ONLY_LIST_USERS, { password: true });
  fake.call(MEMBER, "iam", "AttachUserPolicy", { UserName: "jane.trelica-admin", PolicyArn: ADMINISTRATOR_ACCESS });
  user("okta-scim-sync", ONLY_LIST_USERS); // within Trelica's actions, but nothing says Trelica
  user("trelica-ops", ONLY_TRELICA, { group: "admins" }); // its group grants AdministratorAccess
  user("trelica-console", ONLY_TRELICA, { password: true }); // a console password: a person's
  user("trelica-recent", ONLY_TRELICA); // used yesterday
  user("TrelicaLegacy", ONLY_TRELICA); // the real Trelica legacy user

  clock = Date.now() - 45 * DAY;
  for (const name of SIX.filter((name) => name !== "trelica-recent")) await useKey(name);
  clock = Date.now() - DAY;
  await useKey("trelica-recent");
  clock = Date.now();
  await assumeAsTrelica(fake, MEMBER, "org-keys"); // Trelica has moved to the role: it used it today
});
afterAll(() => fake?.stop());
afterEach(() => expect(fake.unimplemented).toEqual([]));

/** `npm run verify -- args` as a user runs it, as the management account's user. */
function verifyCli(args: string[]) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, ...fake.environmentFor(MANAGEMENT), AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent", CI: "1" };
  return run(process.execPath, ["-r", require.resolve("sucrase/register"), path.join(PROJECT_ROOT, "verify", "main.ts"), "--config", configFile, ...args], { cwd: dir, env });
}

describe("legacy access keys: only Trelica's, only when idle", () => {
  test("GIVEN the six users WHEN verify reads the account THEN only TrelicaLegacy counts, its key is safe, and every other user says why it is left alone", async () => {
    const { report } = await runVerify(configFile);
    const member = report.accounts.find((account) => account.accountId === MEMBER)!;
    expect(member.legacyUsers.map((legacy) => [legacy.userName, legacy.why, legacy.keys.map((key) => [key.status, key.verdict])])).toEqual([
      ["trelica-recent", 'its name says "trelica", and its permissions are within Trelica\'s actions', [["Active", "keep"]]],
      ["TrelicaLegacy", 'its name says "trelica", and its permissions are within Trelica\'s actions', [["Active", "safe to deactivate"]]],
    ]);
    expect(member.legacyUsers[0].keys[0].reason).toMatch(/^last used \S+, idle 1 day; safe only after 30 days idle \(--legacy-key-idle-days\)$/);
    expect(member.legacyUsers[1].keys[0].reason).toMatch(/^last used \S+, idle 45 days \(at least 30\), and Trelica has used the role since \(\S+\)$/);
    expect(Object.fromEntries(member.notTrelica.map((other) => [other.userName, other.why]))).toEqual({
      "jane.trelica-admin": `its name says "trelica", but ${ADMINISTRATOR_ACCESS} grants more than Trelica's read-only actions`,
      "okta-scim-sync": "its permissions are within Trelica's, but neither its name nor a tag says Trelica",
      "trelica-ops": `its name says "trelica", but group admins's ${ADMINISTRATOR_ACCESS} grants more than Trelica's read-only actions`,
      "trelica-console": 'its name says "trelica", and its permissions are within Trelica\'s actions, but it has a console password (a person signs in with it)',
    });
    expect(statuses(report)[MEMBER]).toBe("legacy-keys");
    // Key IDs never reach a report.
    const file = path.join(dir, "report.json");
    writeVerifyReport(report, file);
    const text = fs.readFileSync(file, "utf8");
    for (const key of Object.values(keys)) expect(text).not.toContain(key.accessKeyId);
  });

  test("GIVEN --legacy-key-idle-days 60 THEN no key has been idle long enough", async () => {
    const { report } = await runVerify(configFile, { legacyKeyIdleDays: 60 });
    const member = report.accounts.find((account) => account.accountId === MEMBER)!;
    expect(member.legacyUsers.flatMap((legacy) => legacy.keys.map((key) => key.verdict))).toEqual(["keep", "keep"]);
    expect(member.legacyUsers[1].keys[0].reason).toMatch(/idle 45 days; safe only after 60 days idle/);
  });

  test("GIVEN the six users WHEN npm run verify -- --deactivate-legacy-keys THEN only TrelicaLegacy's key becomes Inactive, every verdict prints its reason, and nothing else is written", async () => {
    const before = fake.requests.length;
    const result = await verifyCli(["--deactivate-legacy-keys"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1); // trelica-recent's key is still active
    expect(Object.fromEntries(SIX.map((name) => [name, statusOf(name)]))).toEqual({
      "jane.trelica-admin": "Active",
      "okta-scim-sync": "Active",
      "trelica-ops": "Active",
      "trelica-console": "Active",
      "trelica-recent": "Active",
      TrelicaLegacy: "Inactive",
    });
    const writes = fake.requests.slice(before).filter((request) => request.service === "iam" && !/^(Get|List)/.test(request.action));
    expect(writes.map((request) => `${request.accountId} ${request.action}`)).toEqual([`${MEMBER} UpdateAccessKey`]);
    const lines = result.stdout.split("\n").filter((line) => line.startsWith(`${MEMBER}: `));
    for (const name of ["jane.trelica-admin", "okta-scim-sync", "trelica-ops", "trelica-console"]) {
      expect(lines.filter((line) => line.startsWith(`${MEMBER}: user ${name} is not Trelica's legacy user, its keys are left alone: `))).toHaveLength(1);
    }
    // Printed whole: no reason is mistaken for a credential by the masking.
    expect(lines).toContain(`${MEMBER}: user trelica-console is not Trelica's legacy user, its keys are left alone: its name says "trelica", and its permissions are within Trelica's actions, but it has a console password (a person signs in with it)`);
    expect(lines.filter((line) => /legacy user trelica-recent \(.*\): access key \*+\w{4} Active, .*: keep: last used \S+, idle 1 day; safe only after 30 days idle/.test(line))).toHaveLength(1);
    expect(lines.filter((line) => /legacy user TrelicaLegacy \(.*\): access key \*+\w{4} Inactive, .*: deactivated: last used \S+, idle 45 days \(at least 30\), and Trelica has used the role since/.test(line))).toHaveLength(1);
    expect(result.stdout).toContain(`${MEMBER}: TrelicaLegacy ****************${keys.TrelicaLegacy.accessKeyId.slice(-4)}`);
  });
});

describe("the rule, case by case", () => {
  const live = (users: Partial<LiveUser>[], policies: Record<string, unknown> = {}, groups: LiveAccount["groups"] = new Map()): LiveAccount => ({
    localPolicies: new Map(Object.entries(policies)),
    groups,
    users: users.map((partial) => ({ name: "u", arn: "", inlinePolicies: [], attachedPolicyArns: [], groups: [], tags: {}, ...partial })),
  });
  const only = JSON.parse(ONLY_TRELICA);

  test.each([
    ["a tag that says Trelica, permissions within", { name: "saas-reader", tags: { app: "Trelica" }, inlinePolicies: [only] }, "its tag app=Trelica says Trelica, and its permissions are within Trelica's actions"],
    ["the account's own policy within Trelica's", { name: "trelica", attachedPolicyArns: ["arn:aws:iam::1:policy/Mine"] }, 'its name says "trelica", and its permissions are within Trelica\'s actions'],
  ])("GIVEN %s THEN it counts", (_case, partial, why) => {
    expect(legacyCandidates(live([partial], { "arn:aws:iam::1:policy/Mine": only })).candidates.map((candidate) => candidate.why)).toEqual([why]);
  });

  test.each([
    ["its name, and no policy at all", { name: "trelica" }, 'its name says "trelica", but it has no policy: Trelica could not have used it'],
    ["its name, and a group that cannot be read", { name: "trelica", inlinePolicies: [only], groups: ["gone"] }, 'its name says "trelica", but its group gone could not be read'],
    ["its name, and an inline policy with a wildcard", { name: "trelica", inlinePolicies: [{ Statement: [{ Effect: "Allow", Action: "iam:List*", Resource: "*" }] }] }, 'its name says "trelica", but an inline policy grants more than Trelica\'s read-only actions'],
  ])("GIVEN %s THEN it does not count, and says why", (_case, partial, why) => {
    const sorted = legacyCandidates(live([partial]));
    expect([sorted.candidates, sorted.notTrelica.map((other) => other.why)]).toEqual([[], [why]]);
  });

  test("GIVEN a user that neither says Trelica nor has only Trelica's permissions THEN it is not even listed", () => {
    expect(legacyCandidates(live([{ name: "ci-deployer", attachedPolicyArns: [ADMINISTRATOR_ACCESS] }]))).toEqual({ candidates: [], notTrelica: [] });
  });

  const now = Date.parse("2026-06-01T00:00:00Z");
  const rule = { idleDays: 30, now, roleLastUsed: "2026-05-31T00:00:00.000Z" };
  test.each([
    ["never used, created 40 days ago", undefined, "2026-04-22T00:00:00.000Z", rule, "safe to deactivate"],
    ["never used, created 10 days ago", undefined, "2026-05-22T00:00:00.000Z", rule, "keep"],
    ["used 31 days ago", "2026-05-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z", rule, "safe to deactivate"],
    ["used 31 days ago, the role never used", "2026-05-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z", { ...rule, roleLastUsed: undefined }, "keep"],
    ["used after the role's last use", "2026-05-31T12:00:00.000Z", "2026-01-01T00:00:00.000Z", { ...rule, idleDays: 0 }, "keep"],
  ])("GIVEN an active key %s THEN it is judged as the table says", (_case, lastUsed, created, idleRule, verdict) => {
    expect(verdictOf("Active", lastUsed, created, idleRule).verdict).toBe(verdict);
  });
});
