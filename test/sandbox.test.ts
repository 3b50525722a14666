/*
 * npm run sandbox, through its real command line: the manual, its refusals, and a sandbox's life in a
 * temporary folder (start in the background, env, trelica, drift, stop, start again from the saved state,
 * stop --reset), read back over the AWS API with the SDK. The README's whole flow with the real terraform
 * is test/e2e/readme-sandbox.e2e.ts.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { PROJECT_ROOT, tempDir } from "./helpers/files";

const dir = path.join(tempDir("trelica-sandbox-"), "state");
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

function sandbox(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["-r", "sucrase/register", path.join(PROJECT_ROOT, "sandbox", "main.ts"), ...args], { cwd: PROJECT_ROOT, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The variables `env` exports, as the shell would have them after eval. */
function exported(): Record<string, string> {
  // A clean environment: only what env sets is there afterwards.
  const clean = { PATH: process.env.PATH, HOME: process.env.HOME };
  const result = spawnSync("bash", ["--norc", "--noprofile", "-c", `eval "$(${JSON.stringify(process.execPath)} -r sucrase/register sandbox/main.ts env --dir ${JSON.stringify(dir)})" && env -0`], { cwd: PROJECT_ROOT, env: clean, encoding: "utf8" });
  expect(result.stderr).toBe("");
  const all = Object.fromEntries(result.stdout.split("\0").filter((line) => line.includes("=")).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
  return Object.fromEntries(Object.entries(all).filter(([name]) => name.startsWith("AWS_")));
}

async function inAccount<T>(env: Record<string, string>, account: string, read: (iam: IAMClient) => Promise<T>): Promise<T> {
  const config = { region: env.AWS_REGION, endpoint: env.AWS_ENDPOINT_URL, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY } };
  const sts = new STSClient(config);
  let iam = new IAMClient(config);
  try {
    if (account !== "111111111111") {
      const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: "test" }))).Credentials!;
      iam.destroy();
      iam = new IAMClient({ ...config, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken } });
    }
    return await read(iam);
  } finally {
    sts.destroy();
    iam.destroy();
  }
}

describe("npm run sandbox: its command line", () => {
  test("GIVEN --help THEN the manual documents every command and every option of each, the files and the exit codes", () => {
    const help = sandbox("--help");
    expect(help.status).toBe(0);
    for (const command of ["start", "env", "trelica", "drift", "status", "stop"]) expect(help.stdout).toContain(`usage: npm run sandbox -- ${command} [options]`);
    for (const option of ["--accounts <n>", "--port <port>", "--scenario", "--trelica-org <id>", "--account <id>", "--external-id <id>", "--region <region>", "--reset", "--dir <folder>"]) {
      expect(help.stdout).toContain(option);
    }
    expect(help.stdout).toMatch(/Files \(in --dir[\s\S]*Exit codes:/);
    expect(sandbox("start", "--help").stdout).toContain("--accounts <n>");
  });

  test("GIVEN bad values THEN every problem is named at once, with the value and what is allowed, and nothing starts", () => {
    const bad = sandbox("start", "--dir", dir, "--accounts", "1001", "--port", "http", "--trelica-org", "x");
    expect([bad.status, bad.stdout]).toEqual([1, ""]);
    expect(bad.stderr).toBe(
      [
        "npm run sandbox -- start has 3 problems; nothing was done:",
        "  - --accounts 1001: expected a whole number of member accounts from 0 to 1000",
        "  - --port http: expected a port number from 1 to 65535",
        "  - --trelica-org x: expected 2 to 1224 characters of letters, digits and _+=,.@:/- (AWS's rule for an external ID)",
        "",
      ].join("\n"),
    );
    expect(fs.existsSync(dir)).toBe(false);
  });

  test("GIVEN a misspelt command or option THEN the message offers the right one and lists what is allowed", () => {
    expect(sandbox("stpo").stderr).toBe("stpo: unknown command. Did you mean stop? Allowed: start, env, trelica, drift, status, stop; see npm run sandbox -- --help\n");
    expect(sandbox("stop", "--rest").stderr).toBe("--rest: unknown option. Did you mean --reset? Allowed: --dir, --reset, --help; see npm run sandbox -- stop --help\n");
  });

  test("GIVEN no sandbox THEN env, trelica and drift say it is not running, and status exits 1", () => {
    for (const command of ["env", "trelica", "drift"]) {
      expect([command, sandbox(command, "--dir", dir).stderr]).toEqual([command, `The sandbox in ${dir} is not running; expected a running sandbox: npm run sandbox -- start\n`]);
    }
    expect(sandbox("status", "--dir", dir).status).toBe(1);
  });
});

describe("npm run sandbox: a sandbox's life", () => {
  afterAll(() => sandbox("stop", "--reset", "--dir", dir));
  let env: Record<string, string>;

  test("GIVEN start --accounts 2 --scenario THEN it runs in the background, with the accounts file of list-accounts and the Organization's roles", async () => {
    const started = sandbox("start", "--dir", dir, "--accounts", "2", "--scenario");
    expect([started.status, started.stderr]).toEqual([0, ""]);
    expect(started.stdout).toContain("management account 111111111111, 2 member accounts 200000000001, 200000000002.");
    const accounts = JSON.parse(fs.readFileSync(path.join(dir, "accounts.json"), "utf8")).Accounts;
    expect(accounts.map((account: any) => [account.Id, account.State, account.Arn])).toEqual(
      ["111111111111", "200000000001", "200000000002"].map((id) => [id, "ACTIVE", `arn:aws:organizations::111111111111:account/o-sandbox0001/${id}`]),
    );
    expect(sandbox("status", "--dir", dir).status).toBe(0);
    env = exported();
    expect(Object.keys(env).sort()).toEqual(["AWS_ACCESS_KEY_ID", "AWS_DEFAULT_REGION", "AWS_EC2_METADATA_DISABLED", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_SECRET_ACCESS_KEY"]);
    const sts = new STSClient({ region: env.AWS_REGION, endpoint: env.AWS_ENDPOINT_URL, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY } });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe("arn:aws:iam::111111111111:user/terraform");
    sts.destroy();
    // --scenario: the hand-made role in the second member, the legacy user's key in the first.
    const handMade = await inAccount(env, "200000000002", (iam) => iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "TrelicaIntegration" })));
    expect(handMade.AttachedPolicies?.map((policy) => policy.PolicyName)).toEqual(["TrelicaAccess"]);
    const keys = await inAccount(env, "200000000001", (iam) => iam.send(new ListAccessKeysCommand({ UserName: "trelica-legacy" })));
    expect(keys.AccessKeyMetadata?.map((key) => key.Status)).toEqual(["Active"]);
  });

  test("WHEN Trelica reads the hand-made role and someone drifts it THEN the role records Trelica's use and holds AdministratorAccess", async () => {
    const trelica = sandbox("trelica", "--dir", dir, "--account", "200000000002", "--region", "eu-west-1");
    expect([trelica.status, trelica.stderr]).toEqual([0, ""]);
    const wrongId = sandbox("trelica", "--dir", dir, "--account", "200000000002", "--external-id", "someone-else");
    expect([wrongId.status, wrongId.stderr]).toEqual([1, expect.stringContaining("could not assume arn:aws:iam::200000000002:role/TrelicaIntegration with external ID someone-else")]);
    expect(sandbox("drift", "--dir", dir, "--account", "200000000002").status).toBe(0);
    expect(sandbox("drift", "--dir", dir).stderr).toBe("--account 200000000001: it has no TrelicaIntegration role to drift; expected an account the rollout has reached (npm run rollout -- plan, then apply)\n");
    expect(sandbox("drift", "--dir", dir, "--account", "999999999999").stderr).toBe("--account 999999999999: no such account in the sandbox's Organization; expected one of 111111111111, 200000000001, 200000000002\n");
  });

  test("WHEN stopped and started again THEN it is the same Organization on the same port with the same keys, the drift and Trelica's use kept", async () => {
    const port = new URL(env.AWS_ENDPOINT_URL).port;
    expect(sandbox("stop", "--dir", dir).stdout).toContain("Its state stays in");
    expect(sandbox("status", "--dir", dir).status).toBe(1);
    const refused = sandbox("start", "--dir", dir, "--accounts", "5");
    expect(refused.stderr).toContain(`--accounts 5: the sandbox in ${dir} keeps its Organization until stop --reset, which has 2 member accounts; expected no --accounts, or stop --reset first`);
    expect(sandbox("start", "--dir", dir).status).toBe(0);
    expect(exported()).toEqual(env);
    expect(new URL(exported().AWS_ENDPOINT_URL).port).toBe(port);
    const role = await inAccount(env, "200000000002", (iam) => iam.send(new GetRoleCommand({ RoleName: "TrelicaIntegration" })));
    expect(role.Role?.RoleLastUsed?.Region).toBe("eu-west-1");
    const attached = await inAccount(env, "200000000002", (iam) => iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "TrelicaIntegration" })));
    expect(attached.AttachedPolicies?.map((policy) => policy.PolicyName)).toEqual(["TrelicaAccess", "AdministratorAccess"]);
  });

  test("WHEN stopped with --reset THEN the folder is gone", () => {
    const stopped = sandbox("stop", "--dir", dir, "--reset");
    expect(stopped.stdout).toContain(`Removed ${dir}`);
    expect(fs.existsSync(dir)).toBe(false);
  });
});
