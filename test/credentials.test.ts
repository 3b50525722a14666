/*
 * Credential problems are named as such, in verify (the real command line against the fake AWS, which
 * answers as AWS does) and in rollout (terraform's words, through the same table): each class its own hint.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CREDENTIAL_CLASSES, CredentialProblem } from "../runner/credentials";
import { classifyFailure } from "../rollout/terraform/transient";
import { FakeAws } from "../sandbox/fake-aws/fake-aws";
import { PROJECT_ROOT, tempDir } from "./helpers/files";
import { run } from "./helpers/real-terraform";
import { synthProject } from "./helpers/verify";

const MANAGEMENT = "111111111111";
const MEMBER = "200000000001";
const INVITED = "200000000009";
const OUTSIDER = "300000000003";

let fake: FakeAws;
const dir = tempDir("trelica-credentials-");
const hint = (problem: CredentialProblem) => CREDENTIAL_CLASSES.find((kind) => kind.problem === problem)!.hint;

beforeAll(async () => {
  fake = await FakeAws.start({ managementAccountId: MANAGEMENT, accountsWithoutDeploymentRole: [INVITED] });
  synthProject(dir, `trelicaOrganizationId: "org-cred"\nmanagementAccountId: "${MANAGEMENT}"\naccounts:\n  - id: "${MANAGEMENT}"\n  - id: "${MEMBER}"\n  - id: "${INVITED}"\n`);
});
afterAll(() => fake.stop());

function verifyCli(env: Record<string, string>) {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent", AWS_EC2_METADATA_DISABLED: "true", CI: "1" };
  return run(process.execPath, ["-r", require.resolve("sucrase/register"), path.join(PROJECT_ROOT, "verify", "main.ts"), "--report", "report.json"], { cwd: dir, env: { ...base, ...env } });
}

function hintsByAccount(): Record<string, string> {
  const report = JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8")) as { accounts: { accountId: string; hint?: string }[] };
  return Object.fromEntries(report.accounts.map((account) => [account.accountId, account.hint ?? ""]));
}

describe("verify names the credential problem", () => {
  test("GIVEN no credentials at all THEN every account says no credentials were found, none is told to create a role", async () => {
    const result = await verifyCli({ AWS_ENDPOINT_URL: fake.url, AWS_REGION: "us-east-1" });
    expect(result.code).toBe(1);
    expect(Object.values(hintsByAccount())).toEqual([hint("no-credentials"), hint("no-credentials"), hint("no-credentials")]);
  });

  test("GIVEN keys AWS does not know THEN every account says the credentials are not valid", async () => {
    const result = await verifyCli({ AWS_ENDPOINT_URL: fake.url, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "AKIA000000000000NONE", AWS_SECRET_ACCESS_KEY: "nope" });
    expect(result.code).toBe(1);
    expect(Object.values(hintsByAccount())).toEqual([hint("invalid-credentials"), hint("invalid-credentials"), hint("invalid-credentials")]);
  });

  test("GIVEN the management account's credentials THEN a member without the deployment role says the role is missing or does not trust you, the others read", async () => {
    const result = await verifyCli(fake.environmentFor(MANAGEMENT));
    expect(result.code).toBe(1);
    const hints = hintsByAccount();
    expect(hints[INVITED]).toBe(
      `the role OrganizationAccountAccessRole in ${INVITED} does not exist, or does not trust your identity, or your identity may not call sts:AssumeRole on it (AWS answers all three with AccessDenied): create it or fix its trust, set assumeRoleName for it in the config, or give --role-name`,
    );
    expect(hints[MEMBER]).toBe("");
  });

  test("GIVEN another account's credentials THEN the management account (read with the standard credentials) says they belong to another account", async () => {
    const result = await verifyCli(fake.environmentFor(OUTSIDER));
    expect(result.code).toBe(1);
    expect(hintsByAccount()[MANAGEMENT]).toBe(hint("wrong-account"));
  });
});

describe("rollout names the same classes in terraform's words", () => {
  test.each([
    ["expired-credentials", "Error: operation error STS: GetCallerIdentity, https response error StatusCode: 400, api error ExpiredToken: The security token included in the request is expired"],
    ["no-credentials", "Error: No valid credential sources found\n\nPlease see https://registry.terraform.io/providers/hashicorp/aws"],
    ["invalid-credentials", "Error: validating provider credentials: retrieving caller identity from STS: api error InvalidClientTokenId: The security token included in the request is invalid."],
    ["wrong-account", "Error: AWS account ID not allowed: 300000000003"],
    ["assume-role-denied", "Error: Cannot assume IAM Role\n\nIAM Role (arn:aws:iam::200000000009:role/OrganizationAccountAccessRole) cannot be assumed.\n\noperation error STS: AssumeRole, https response error StatusCode: 403, api error AccessDenied: User: arn:aws:iam::111111111111:user/terraform is not authorized to perform: sts:AssumeRole"],
  ] as const)("GIVEN terraform failing with %s THEN not retried, with that class's hint", (problem, output) => {
    expect(classifyFailure(output)).toEqual({ transient: false, hint: hint(problem) });
  });
});
