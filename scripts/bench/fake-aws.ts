/*
 * What IAM enforcement costs the fake AWS per request: the same signed requests against a fake with
 * enforcement off and on (as the ambient administrator, and as an assumed role with a narrow,
 * conditioned policy), and the authorizer alone without HTTP. Figures only.
 */
import { performance } from "node:perf_hooks";
import { Authorizer } from "../../sandbox/fake-aws/authorize";
import { FakeAws } from "../../sandbox/fake-aws/fake-aws";
import { callFake, SessionCredentials, sessionFrom } from "../../test/helpers/fake-aws-client";

const MANAGEMENT = "111111111111";
const MEMBER = "222222222222";
const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

/** A deployer-like role: a few statements, conditions on the policy ARN and the boundary. */
function narrowRole(fake: FakeAws): void {
  const role = `arn:aws:iam::${MEMBER}:role/TrelicaIntegration`;
  fake.call(MEMBER, "iam", "CreateRole", { RoleName: "Bench", AssumeRolePolicyDocument: policy({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:root` }, Action: "sts:AssumeRole" }) });
  fake.call(MEMBER, "iam", "CreateRole", { RoleName: "TrelicaIntegration", AssumeRolePolicyDocument: policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::377450845233:root" }, Action: "sts:AssumeRole" }) });
  fake.call(MEMBER, "iam", "PutRolePolicy", {
    RoleName: "Bench",
    PolicyName: "deployer",
    PolicyDocument: policy(
      { Effect: "Allow", Action: ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:TagRole", "iam:UpdateAssumeRolePolicy"], Resource: role },
      { Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: role, Condition: { ArnEquals: { "iam:PolicyARN": `arn:aws:iam::${MEMBER}:policy/TrelicaIntegrationReadOnly` } } },
      { Effect: "Allow", Action: "iam:CreateRole", Resource: role, Condition: { StringEquals: { "iam:PermissionsBoundary": `arn:aws:iam::${MEMBER}:policy/TrelicaIntegrationBoundary` } } },
      { Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" },
    ),
  });
}

async function microsecondsPerRequest(fake: FakeAws, credentials: SessionCredentials, count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const answer = await callFake(fake, "iam", { Action: "GetRole", RoleName: "TrelicaIntegration" }, credentials);
    if (answer.status !== 200) throw new Error(answer.body);
  }
  return ((performance.now() - started) * 1000) / count;
}

export async function benchFakeAws(count: number): Promise<void> {
  const off = await FakeAws.start({ managementAccountId: MANAGEMENT, enforceIam: false });
  const on = await FakeAws.start({ managementAccountId: MANAGEMENT });
  try {
    for (const fake of [off, on]) narrowRole(fake);
    const firstStarted = performance.now();
    await callFake(on, "iam", { Action: "ListRoles" }, on.credentialsFor(MEMBER));
    const firstMs = performance.now() - firstStarted;
    const assumed = async (fake: FakeAws) =>
      sessionFrom(await callFake(fake, "sts", { Action: "AssumeRole", RoleArn: `arn:aws:iam::${MEMBER}:role/Bench`, RoleSessionName: "bench" }, fake.credentialsFor(MANAGEMENT)));
    const rows: [string, FakeAws, SessionCredentials][] = [
      ["enforcement off, assumed role", off, await assumed(off)],
      ["enforcement on, ambient administrator user", on, on.credentialsFor(MEMBER)],
      ["enforcement on, assumed role with a conditioned deployer-like policy", on, await assumed(on)],
    ];
    for (const [, fake, credentials] of rows) await microsecondsPerRequest(fake, credentials, 200); // warm-up
    const results = [];
    for (const [label, fake, credentials] of rows) results.push([label, await microsecondsPerRequest(fake, credentials, count)] as const);

    const authorizer = new Authorizer({ accountOf: (id) => on.account(id), organizationId: "o-fake000000", inOrganization: () => true, enforce: true, unimplemented: (what) => { throw new Error(what); } });
    const caller = { accountId: MEMBER, arn: `arn:aws:sts::${MEMBER}:assumed-role/Bench/bench`, userId: "AROA:bench", identity: { kind: "role" as const, name: "Bench" } };
    const input = { RoleName: "TrelicaIntegration", PolicyArn: `arn:aws:iam::${MEMBER}:policy/TrelicaIntegrationReadOnly` };
    for (let i = 0; i < 200; i++) await authorizer.authorize("iam", "AttachRolePolicy", input, caller);
    const started = performance.now();
    for (let i = 0; i < count; i++) if (await authorizer.authorize("iam", "AttachRolePolicy", input, caller)) throw new Error("denied");
    const authorizerUs = ((performance.now() - started) * 1000) / count;
    const missStarted = performance.now();
    for (let i = 0; i < count; i++) await authorizer.authorize("iam", "AttachRolePolicy", { ...input, RoleName: `Other${i}` }, caller);
    const missUs = ((performance.now() - missStarted) * 1000) / count;

    console.log(`\nFake AWS, IAM enforcement: ${count} sequential signed iam:GetRole requests each (after 200 to warm up)`);
    console.log("| what | per request |");
    console.log("| --- | ---: |");
    for (const [label, us] of results) console.log(`| ${label} | ${(us / 1000).toFixed(2)} ms |`);
    console.log(`| enforcement's cost (assumed role, on minus off) | ${((results[2][1] - results[0][1]) / 1000).toFixed(2)} ms |`);
    console.log(`| the authorizer alone, iam:AttachRolePolicy with an iam:PolicyARN condition, decision cached | ${(authorizerUs / 1000).toFixed(3)} ms |`);
    console.log(`| the same, a new decision each time (another role each call: the simulator runs) | ${(missUs / 1000).toFixed(2)} ms |`);
    console.log(`| first enforced request of the process (loads iam-data) | ${firstMs.toFixed(0)} ms |`);
  } finally {
    await off.stop();
    await on.stop();
  }
}
