/*
 * npm run verify against the in-process fake AWS: a clean Organization, each drift made behind
 * terraform's back, an account verify cannot enter, throttling, and Trelica's use of the role.
 * Legacy keys and StackSets mode: verify-legacy-keys.test.ts and verify-stackset.test.ts.
 */
import * as path from "node:path";
import { FakeAws } from "../sandbox/fake-aws/fake-aws";
import { tempDir } from "./helpers/files";
import { applyStacks, findingsOf, runVerify, statuses, synthProject, useFakeAs } from "./helpers/verify";
import { assumeAsTrelica, TRELICA } from "./helpers/trelica";

const MANAGEMENT = "111111111111";
const MEMBERS = Array.from({ length: 10 }, (_, i) => String(200000000001 + i));
const [TRUST_PRINCIPAL, EXTERNAL_ID, EXTRA_MANAGED, INLINE, EXTRA_ACTION, MISSING_ACTION, NO_BOUNDARY, ROLE_DELETED, CLEAN, USED] = MEMBERS;
const INVITED = "300000000001";
const BOUNDARY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const policyArn = (account: string) => `arn:aws:iam::${account}:policy/TrelicaIntegrationReadOnly`;

const CONFIG = `trelicaOrganizationId: "org-verify-1"
managementAccountId: "${MANAGEMENT}"
services: { connect: false }
role: { permissionsBoundaryArn: "${BOUNDARY}" }
accounts:
${[MANAGEMENT, ...MEMBERS, INVITED].map((id) => `  - id: "${id}"`).join("\n")}
`;

let fake: FakeAws;
let configFile: string;
const dir = tempDir("trelica-verify-");

beforeAll(async () => {
  fake = await FakeAws.start({ managementAccountId: MANAGEMENT, accountsWithoutDeploymentRole: [INVITED] });
  configFile = synthProject(dir, CONFIG);
  applyStacks(fake, path.join(dir, "cdktf.out"));
  useFakeAs(fake, MANAGEMENT);
});
afterAll(() => fake.stop());
afterEach(() => expect(fake.unimplemented).toEqual([]));

describe("npm run verify", () => {
  test("GIVEN every reachable account as applied WHEN verify runs THEN each is ok, the invited one unreadable, and each account costs 1 AssumeRole and 4 IAM reads", async () => {
    const before = fake.requests.length;
    const { report } = await runVerify(configFile);
    const expected = Object.fromEntries([MANAGEMENT, ...MEMBERS].map((id) => [id, "ok"]));
    expect(statuses(report)).toEqual({ ...expected, [INVITED]: "unreadable" });
    const invited = report.accounts.find((account) => account.accountId === INVITED)!;
    expect(invited.reason).toContain(`cannot assume arn:aws:iam::${INVITED}:role/OrganizationAccountAccessRole: AccessDenied`);
    expect(report.exitCode).toBe(1);

    const calls = (account: string) =>
      fake.requests
        .slice(before)
        .filter((request) => request.accountId === account)
        .map((request) => `${request.service}:${request.action}`)
        .sort();
    expect(calls(CLEAN)).toEqual(["iam:GetAccountAuthorizationDetails", "iam:GetRole", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies"]);
    expect(report.accounts.find((account) => account.accountId === CLEAN)!.calls).toBe(5);
    // The management account: its own credentials (one GetCallerIdentity per run) and every AssumeRole.
    expect(calls(MANAGEMENT).filter((call) => call === "sts:AssumeRole")).toHaveLength(MEMBERS.length + 1);
    expect(calls(MANAGEMENT).filter((call) => call === "sts:GetCallerIdentity")).toHaveLength(1);
    expect(fake.requests.slice(before).filter((request) => request.service === "iam" && !/^(Get|List)/.test(request.action))).toEqual([]);
  });

  test("GIVEN --accounts and --exclude WHEN verify runs THEN it reads exactly the selected accounts, by ID or stack name", async () => {
    const { report } = await runVerify(configFile, { accounts: ["2000000000*", `trelica-${MANAGEMENT}`], exclude: [CLEAN] });
    expect(report.accounts.map((account) => account.accountId)).toEqual([MANAGEMENT, ...MEMBERS.filter((id) => id !== CLEAN)]);
  });

  test("GIVEN a drift made behind terraform's back in each of eight accounts WHEN verify runs THEN each account shows exactly its drift, with expected and live, and the fix", async () => {
    const trust = (principal: string, externalId: string) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": externalId } } }] });
    fake.call(TRUST_PRINCIPAL, "iam", "UpdateAssumeRolePolicy", { RoleName: "TrelicaIntegration", PolicyDocument: trust("arn:aws:iam::999999999999:root", "org-verify-1") });
    fake.call(EXTERNAL_ID, "iam", "UpdateAssumeRolePolicy", { RoleName: "TrelicaIntegration", PolicyDocument: trust(`arn:aws:iam::${TRELICA}:root`, "someone-else") });
    fake.call(EXTRA_MANAGED, "iam", "AttachRolePolicy", { RoleName: "TrelicaIntegration", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
    fake.call(INLINE, "iam", "PutRolePolicy", { RoleName: "TrelicaIntegration", PolicyName: "extra", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }] }) });
    const version = (actions: string[]) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] });
    fake.call(EXTRA_ACTION, "iam", "CreatePolicyVersion", { PolicyArn: policyArn(EXTRA_ACTION), PolicyDocument: version(["cognito-idp:ListUserPools", "cognito-idp:ListUsers", "iam:ListUsers", "s3:GetObject"]), SetAsDefault: true });
    fake.call(MISSING_ACTION, "iam", "CreatePolicyVersion", { PolicyArn: policyArn(MISSING_ACTION), PolicyDocument: version(["cognito-idp:ListUsers", "iam:ListUsers"]), SetAsDefault: true });
    fake.call(NO_BOUNDARY, "iam", "DeleteRolePermissionsBoundary", { RoleName: "TrelicaIntegration" });
    fake.call(ROLE_DELETED, "iam", "DetachRolePolicy", { RoleName: "TrelicaIntegration", PolicyArn: policyArn(ROLE_DELETED) });
    fake.call(ROLE_DELETED, "iam", "DeleteRole", { RoleName: "TrelicaIntegration" });

    const { report } = await runVerify(configFile, { exclude: [INVITED] });
    expect(findingsOf(report, TRUST_PRINCIPAL)).toEqual(["trust policy principal: expected arn:aws:iam::377450845233:root; live arn:aws:iam::999999999999:root"]);
    expect(findingsOf(report, EXTERNAL_ID)).toEqual(["trust policy external ID: expected org-verify-1; live someone-else"]);
    expect(findingsOf(report, EXTRA_MANAGED)).toEqual([
      `attached managed policies: expected ${policyArn(EXTRA_MANAGED)}; live ${policyArn(EXTRA_MANAGED)}, arn:aws:iam::aws:policy/AdministratorAccess`,
    ]);
    expect(findingsOf(report, INLINE)).toEqual(["inline policies: expected none; live extra"]);
    expect(findingsOf(report, EXTRA_ACTION)).toEqual(["policy TrelicaIntegrationReadOnly grants actions not configured: expected none; live s3:GetObject"]);
    expect(findingsOf(report, MISSING_ACTION)).toEqual(["policy TrelicaIntegrationReadOnly lacks configured actions: expected cognito-idp:ListUserPools; live missing"]);
    expect(findingsOf(report, NO_BOUNDARY)).toEqual([`permissions boundary: expected ${BOUNDARY}; live none`]);
    expect(findingsOf(report, ROLE_DELETED)).toEqual(["role TrelicaIntegration: expected exists at path /; live does not exist"]);
    expect(statuses(report)).toMatchObject({ [ROLE_DELETED]: "missing-role", [TRUST_PRINCIPAL]: "drift", [NO_BOUNDARY]: "drift", [CLEAN]: "ok", [MANAGEMENT]: "ok" });
    expect(report.accounts.find((account) => account.accountId === EXTERNAL_ID)!.fix).toBe(`npm run rollout -- plan --accounts ${EXTERNAL_ID}, then npm run rollout -- apply --accounts ${EXTERNAL_ID}`);
    expect(report.accounts.filter((account) => account.status === "ok").map((account) => account.accountId)).toEqual([MANAGEMENT, CLEAN, USED]);
    expect(report.exitCode).toBe(1);
  });

  test("GIVEN the same policy written another way (Action as a string, other order, a Sid) WHEN verify runs THEN it is no drift", async () => {
    const reordered = { Version: "2012-10-17", Statement: [{ Sid: "Trelica", Resource: "*", Action: ["iam:ListUsers", "cognito-idp:ListUsers", "cognito-idp:ListUserPools", "iam:ListUsers"], Effect: "Allow" }] };
    fake.call(CLEAN, "iam", "CreatePolicyVersion", { PolicyArn: policyArn(CLEAN), PolicyDocument: JSON.stringify(reordered, null, 4), SetAsDefault: true });
    const trust = { Statement: [{ Action: ["sts:AssumeRole"], Condition: { StringEquals: { "sts:externalid": ["org-verify-1"] } }, Principal: { AWS: TRELICA }, Effect: "Allow" }], Version: "2012-10-17" };
    fake.call(CLEAN, "iam", "UpdateAssumeRolePolicy", { RoleName: "TrelicaIntegration", PolicyDocument: JSON.stringify(trust) });
    const { report } = await runVerify(configFile, { accounts: [CLEAN] });
    expect(findingsOf(report, CLEAN)).toEqual([]);
    expect(report.exitCode).toBe(0);
  });

  test("GIVEN Trelica assumed the role with the right external ID (and failed without it) WHEN verify runs THEN that account says when and where, the others say how to connect", async () => {
    await expect(assumeAsTrelica(fake, USED, undefined)).rejects.toThrow(/AccessDenied|not authorized/);
    const { report: before } = await runVerify(configFile, { accounts: [USED] });
    expect(before.accounts[0].trelica).toEqual({
      text: `never used: connect it in Trelica (Admin > Integrations > Amazon Web Services) with account ID ${USED} and region us-east-1`,
    });
    await assumeAsTrelica(fake, USED, "org-verify-1", "eu-west-2");
    const { report } = await runVerify(configFile, { accounts: [USED] });
    const use = report.accounts[0].trelica!;
    expect(use.region).toBe("eu-west-2");
    expect(use.text).toBe(`used by Trelica on ${use.lastUsed} in eu-west-2`);
    expect(Date.now() - Date.parse(use.lastUsed!)).toBeLessThan(10 * 60_000);
  });

  test("GIVEN --role-name and an audit role in one member WHEN verify runs THEN it assumes that role there, uses its own credentials in the management account, and a member without the role is unreadable", async () => {
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:root` }, Action: "sts:AssumeRole" }] };
    fake.call(USED, "iam", "CreateRole", { RoleName: "TrelicaAudit", AssumeRolePolicyDocument: JSON.stringify(trust) });
    // The read-only policy docs/verify.md gives an audit role: the fake enforces it, so it must be enough.
    const readOnly = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["iam:GetAccessKeyLastUsed", "iam:GetAccountAuthorizationDetails", "iam:GetRole", "iam:ListAccessKeys", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies"],
          Resource: "*",
        },
      ],
    };
    fake.call(USED, "iam", "PutRolePolicy", { RoleName: "TrelicaAudit", PolicyName: "TrelicaVerifyReadOnly", PolicyDocument: JSON.stringify(readOnly) });
    const { report } = await runVerify(configFile, { accounts: [MANAGEMENT, USED, CLEAN], roleName: "TrelicaAudit" });
    expect(statuses(report)).toEqual({ [MANAGEMENT]: "ok", [USED]: "ok", [CLEAN]: "unreadable" });
    expect(report.accounts.find((account) => account.accountId === CLEAN)!.reason).toMatch(new RegExp(`^cannot assume arn:aws:iam::${CLEAN}:role/TrelicaAudit: AccessDenied`));
  });

  test("GIVEN an account that answers Throttling three times WHEN verify runs THEN the SDK's retry gets through and the account is ok", async () => {
    const before = fake.requests.length;
    fake.throttle(USED, 3);
    const { report } = await runVerify(configFile, { accounts: [USED] });
    expect(statuses(report)).toEqual({ [USED]: "ok" });
    expect(fake.requests.slice(before).filter((request) => request.code === "Throttling")).toHaveLength(3);
  });
});
