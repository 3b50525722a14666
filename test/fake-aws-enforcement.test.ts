/* The fake AWS authorizes every signed request against the caller's IAM policies, as AWS does. */
import { FakeAws } from "../sandbox/fake-aws/fake-aws";
import { Answer, callFake, SessionCredentials, sessionFrom, tag } from "./helpers/fake-aws-client";

const MANAGEMENT = "111111111111";
const MEMBER = "222222222222";
const OUTSIDER = "999999999999";
const ORGANIZATION_ID = "o-abcdef1234";

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const trusting = (principal: string, condition?: object) =>
  policy({ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) });
const roleArn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const denied = (answer: Answer) => [answer.status, tag(answer.body, "Code")];

let fake: FakeAws;
const admin = () => fake.credentialsFor(MANAGEMENT);
const call = (service: string, params: Record<string, string>, credentials: SessionCredentials = admin()) => callFake(fake, service, params, credentials);
/** A role in `account` made behind the API's back, trusting the management account, with these inline policies. */
function role(account: string, name: string, inline: Record<string, string>, options: { trust?: string; boundary?: string } = {}): void {
  fake.call(account, "iam", "CreateRole", { RoleName: name, AssumeRolePolicyDocument: options.trust ?? trusting(`arn:aws:iam::${MANAGEMENT}:root`), PermissionsBoundary: options.boundary });
  for (const [policyName, document] of Object.entries(inline)) fake.call(account, "iam", "PutRolePolicy", { RoleName: name, PolicyName: policyName, PolicyDocument: document });
}
const assume = async (account: string, name: string, extra: Record<string, string> = {}, from: SessionCredentials = admin()) =>
  call("sts", { Action: "AssumeRole", RoleArn: roleArn(account, name), RoleSessionName: "test", ...extra }, from);

beforeAll(async () => {
  fake = await FakeAws.start({
    managementAccountId: MANAGEMENT,
    organizationalUnits: { "r-ab12": [MEMBER] },
    organizationId: ORGANIZATION_ID,
    accountsOutsideOrganization: [OUTSIDER],
    operationMs: 100,
  });
});
afterAll(async () => {
  expect(fake.unimplemented).toEqual([]);
  await fake.stop();
});

describe("GIVEN the management account's ambient user", () => {
  test("THEN it is an administrator: it assumes OrganizationAccountAccessRole, which can do anything in the member", async () => {
    const session = sessionFrom(await assume(MEMBER, "OrganizationAccountAccessRole"));
    const created = await call("iam", { Action: "CreatePolicy", PolicyName: "Anything", PolicyDocument: policy({ Effect: "Allow", Action: "iam:GetRole", Resource: "*" }) }, session);
    expect(created.status).toBe(200);
    expect(fake.account(MEMBER).roles.OrganizationAccountAccessRole.inlinePolicies).toEqual({ AdministratorAccess: policy({ Effect: "Allow", Action: "*", Resource: "*" }) });
  });
});

describe("GIVEN a role with no policy", () => {
  test("THEN every request is AccessDenied (403) in IAM's XML, worded as AWS words it, and the denial is recorded", async () => {
    role(MEMBER, "Empty", {});
    const session = sessionFrom(await assume(MEMBER, "Empty"));
    const before = fake.denials.length;
    const answer = await call("iam", { Action: "GetRole", RoleName: "Empty" }, session);
    expect(denied(answer)).toEqual([403, "AccessDenied"]);
    expect(answer.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<ErrorResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>AccessDenied<\/Code><Message>/);
    const message = `User: arn:aws:sts::${MEMBER}:assumed-role/Empty/test is not authorized to perform: iam:GetRole on resource: role Empty because no identity-based policy allows the iam:GetRole action`;
    expect(tag(answer.body, "Message")).toBe(message);
    expect(fake.denials.slice(before)).toEqual([
      { accountId: MEMBER, action: "iam:GetRole", principal: `arn:aws:sts::${MEMBER}:assumed-role/Empty/test`, resource: roleArn(MEMBER, "Empty"), policyType: "identity", explicit: false, message },
    ]);
    for (const [service, params] of [
      ["iam", { Action: "ListRoles" }],
      ["iam", { Action: "CreateRole", RoleName: "Other", AssumeRolePolicyDocument: trusting(`arn:aws:iam::${MEMBER}:root`) }],
      ["cloudformation", { Action: "DescribeStacks", StackName: "Some" }],
      ["sts", { Action: "AssumeRole", RoleArn: roleArn(MEMBER, "OrganizationAccountAccessRole"), RoleSessionName: "x" }],
    ] as const) {
      expect([params.Action, ...denied(await call(service, params, session))]).toEqual([params.Action, 403, "AccessDenied"]);
    }
    expect(fake.account(MEMBER).roles.Other).toBeUndefined();
  });

  test("THEN GetCallerIdentity still answers, as in AWS, which needs no permission for it", async () => {
    const session = sessionFrom(await assume(MEMBER, "Empty"));
    expect(tag((await call("sts", { Action: "GetCallerIdentity" }, session)).body, "Arn")).toBe(`arn:aws:sts::${MEMBER}:assumed-role/Empty/test`);
  });

  test("THEN a user with no policy is refused too, and CloudFormation's message names the stack set ARN", async () => {
    const nobody = fake.credentialsFor(MANAGEMENT, "nobody");
    const answer = await call("cloudformation", { Action: "DescribeStackSet", StackSetName: "Missing" }, nobody);
    expect(denied(answer)).toEqual([403, "AccessDenied"]);
    expect(answer.body).toContain('<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">');
    expect(tag(answer.body, "Message")).toBe(
      `User: arn:aws:iam::${MANAGEMENT}:user/nobody is not authorized to perform: cloudformation:DescribeStackSet on resource: arn:aws:cloudformation:us-east-1:${MANAGEMENT}:stackset/Missing:* because no identity-based policy allows the cloudformation:DescribeStackSet action`,
    );
  });
});

describe("GIVEN a role allowed one action on one resource", () => {
  let session: SessionCredentials;
  beforeAll(async () => {
    role(MEMBER, "Reader", { one: policy({ Effect: "Allow", Action: "iam:GetRole", Resource: roleArn(MEMBER, "Reader") }) });
    role(MEMBER, "Neighbour", {});
    session = sessionFrom(await assume(MEMBER, "Reader"));
  });

  test("THEN that action on that resource is allowed", async () => {
    expect(tag((await call("iam", { Action: "GetRole", RoleName: "Reader" }, session)).body, "RoleName")).toBe("Reader");
  });

  test.each([
    ["the same action on another role", { Action: "GetRole", RoleName: "Neighbour" }],
    ["another action on the same role", { Action: "DeleteRole", RoleName: "Reader" }],
    ["a list action", { Action: "ListRoles" }],
  ])("THEN %s is AccessDenied", async (_case, params) => {
    expect(denied(await call("iam", params, session))).toEqual([403, "AccessDenied"]);
  });

  test("WHEN its policy is changed THEN its open session gets the new permissions at once, as IAM evaluates at request time", async () => {
    fake.call(MEMBER, "iam", "PutRolePolicy", { RoleName: "Reader", PolicyName: "two", PolicyDocument: policy({ Effect: "Allow", Action: "iam:ListRoles", Resource: "*" }) });
    expect((await call("iam", { Action: "ListRoles" }, session)).status).toBe(200);
  });
});

describe("GIVEN policies with conditions, denies and boundaries", () => {
  test("THEN iam:PolicyARN decides AttachRolePolicy: only the named policy may be attached", async () => {
    const ours = `arn:aws:iam::${MEMBER}:policy/Ours`;
    fake.call(MEMBER, "iam", "CreatePolicy", { PolicyName: "Ours", PolicyDocument: policy({ Effect: "Allow", Action: "iam:GetRole", Resource: "*" }) });
    role(MEMBER, "Attacher", {
      attach: policy({ Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: roleArn(MEMBER, "Target"), Condition: { ArnEquals: { "iam:PolicyARN": ours } } }),
    });
    role(MEMBER, "Target", {});
    const session = sessionFrom(await assume(MEMBER, "Attacher"));
    const administrator = await call("iam", { Action: "AttachRolePolicy", RoleName: "Target", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }, session);
    expect(denied(administrator)).toEqual([403, "AccessDenied"]);
    expect((await call("iam", { Action: "AttachRolePolicy", RoleName: "Target", PolicyArn: ours }, session)).status).toBe(200);
    expect(fake.account(MEMBER).roles.Target.attachedPolicies).toEqual([ours]);
  });

  test("THEN iam:PermissionsBoundary decides CreateRole: a role without the required boundary is refused", async () => {
    const boundary = `arn:aws:iam::${MEMBER}:policy/Ceiling`;
    fake.call(MEMBER, "iam", "CreatePolicy", { PolicyName: "Ceiling", PolicyDocument: policy({ Effect: "Allow", Action: "iam:GetRole", Resource: "*" }) });
    role(MEMBER, "Creator", {
      create: policy({ Effect: "Allow", Action: "iam:CreateRole", Resource: "*", Condition: { StringEquals: { "iam:PermissionsBoundary": boundary } } }),
    });
    const session = sessionFrom(await assume(MEMBER, "Creator"));
    const create = (name: string, extra: Record<string, string> = {}) =>
      call("iam", { Action: "CreateRole", RoleName: name, AssumeRolePolicyDocument: trusting(`arn:aws:iam::${MEMBER}:root`), ...extra }, session);
    expect(denied(await create("Unbounded"))).toEqual([403, "AccessDenied"]);
    expect((await create("Bounded", { PermissionsBoundary: boundary })).status).toBe(200);
    expect(fake.account(MEMBER).roles.Bounded.permissionsBoundary).toBe(boundary);
  });

  test("THEN an explicit Deny wins over Allow, and the message says so", async () => {
    role(MEMBER, "Denied", { all: policy({ Effect: "Allow", Action: "*", Resource: "*" }, { Effect: "Deny", Action: "iam:DeleteRole", Resource: "*" }) });
    const session = sessionFrom(await assume(MEMBER, "Denied"));
    const answer = await call("iam", { Action: "DeleteRole", RoleName: "Denied" }, session);
    expect(tag(answer.body, "Message")).toBe(
      `User: arn:aws:sts::${MEMBER}:assumed-role/Denied/test is not authorized to perform: iam:DeleteRole on resource: role Denied with an explicit deny in an identity-based policy`,
    );
  });

  test("THEN a role's permissions boundary caps its policies: an administrator policy under a GetRole boundary can only GetRole", async () => {
    fake.call(MEMBER, "iam", "CreatePolicy", { PolicyName: "OnlyGetRole", PolicyDocument: policy({ Effect: "Allow", Action: "iam:GetRole", Resource: "*" }) });
    role(MEMBER, "Capped", { all: policy({ Effect: "Allow", Action: "*", Resource: "*" }) }, { boundary: `arn:aws:iam::${MEMBER}:policy/OnlyGetRole` });
    const session = sessionFrom(await assume(MEMBER, "Capped"));
    expect((await call("iam", { Action: "GetRole", RoleName: "Capped" }, session)).status).toBe(200);
    const answer = await call("iam", { Action: "CreatePolicy", PolicyName: "Escalate", PolicyDocument: policy({ Effect: "Allow", Action: "*", Resource: "*" }) }, session);
    expect(tag(answer.body, "Message")).toBe(
      `User: arn:aws:sts::${MEMBER}:assumed-role/Capped/test is not authorized to perform: iam:CreatePolicy on resource: arn:aws:iam::${MEMBER}:policy/Escalate because no permissions boundary allows the iam:CreatePolicy action`,
    );
  });
});

describe("GIVEN IAM users and their access keys", () => {
  test("THEN user actions are authorized on the user's ARN (named by UserName or by the key's owner), and IAM's message names the user", async () => {
    for (const name of ["trelica-legacy", "someone"]) {
      fake.call(MEMBER, "iam", "CreateUser", { UserName: name });
      fake.call(MEMBER, "iam", "CreateAccessKey", { UserName: name });
    }
    const keyOf = (name: string) => fake.account(MEMBER).users[name].accessKeys[0].id;
    role(MEMBER, "KeyAuditor", {
      keys: policy({ Effect: "Allow", Action: ["iam:ListAccessKeys", "iam:GetAccessKeyLastUsed"], Resource: `arn:aws:iam::${MEMBER}:user/trelica-*` }),
    });
    const session = sessionFrom(await assume(MEMBER, "KeyAuditor"));
    expect((await call("iam", { Action: "ListAccessKeys", UserName: "trelica-legacy" }, session)).status).toBe(200);
    expect((await call("iam", { Action: "GetAccessKeyLastUsed", AccessKeyId: keyOf("trelica-legacy") }, session)).status).toBe(200);
    const other = await call("iam", { Action: "ListAccessKeys", UserName: "someone" }, session);
    expect(tag(other.body, "Message")).toBe(
      `User: arn:aws:sts::${MEMBER}:assumed-role/KeyAuditor/test is not authorized to perform: iam:ListAccessKeys on resource: user someone because no identity-based policy allows the iam:ListAccessKeys action`,
    );
    expect(denied(await call("iam", { Action: "GetAccessKeyLastUsed", AccessKeyId: keyOf("someone") }, session))).toEqual([403, "AccessDenied"]);
  });
});

describe("GIVEN IAM groups, tags and console passwords", () => {
  test("THEN a user's groups' policies are its own: in the group it may act, out of it it may not", async () => {
    fake.call(MEMBER, "iam", "CreateGroup", { GroupName: "readers" });
    fake.call(MEMBER, "iam", "PutGroupPolicy", { GroupName: "readers", PolicyName: "list", PolicyDocument: policy({ Effect: "Allow", Action: "iam:ListUsers", Resource: "*" }) });
    const member = fake.credentialsFor(MEMBER, "grouped");
    expect(denied(await call("iam", { Action: "ListUsers" }, member))).toEqual([403, "AccessDenied"]);
    fake.call(MEMBER, "iam", "AddUserToGroup", { GroupName: "readers", UserName: "grouped" });
    expect((await call("iam", { Action: "ListUsers" }, member)).status).toBe(200);
    fake.call(MEMBER, "iam", "AttachGroupPolicy", { GroupName: "readers", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
    expect((await call("iam", { Action: "CreateUser", UserName: "made-by-grouped" }, member)).status).toBe(200);
  });

  test("THEN GetLoginProfile answers NoSuchEntity (404) without a console password, the profile with one; the authorization details list groups and tags", async () => {
    fake.call(MEMBER, "iam", "CreateUser", { UserName: "person", Tags: [{ Key: "team", Value: "trelica" }] });
    const session = sessionFrom(await assume(MEMBER, "OrganizationAccountAccessRole"));
    const none = await call("iam", { Action: "GetLoginProfile", UserName: "person" }, session);
    expect([none.status, tag(none.body, "Code"), tag(none.body, "Message")]).toEqual([404, "NoSuchEntity", "Login Profile for User person cannot be found."]);
    fake.call(MEMBER, "iam", "CreateLoginProfile", { UserName: "person", Password: "x" });
    const some = await call("iam", { Action: "GetLoginProfile", UserName: "person" }, session);
    expect([some.status, tag(some.body, "UserName")]).toEqual([200, "person"]);
    fake.call(MEMBER, "iam", "AddUserToGroup", { GroupName: "readers", UserName: "person" });
    const details = await call("iam", { Action: "GetAccountAuthorizationDetails", "Filter.member.1": "User", "Filter.member.2": "Group" }, session);
    expect(details.status).toBe(200);
    expect(details.body).toMatch(/<UserName>person<\/UserName>.*<GroupList><member>readers<\/member><\/GroupList>.*<Tags><member><Key>team<\/Key><Value>trelica<\/Value><\/member><\/Tags>/s);
    expect(details.body).toMatch(/<GroupDetailList><member>.*<GroupName>readers<\/GroupName>.*<PolicyName>list<\/PolicyName>/s);
  });
});

describe("GIVEN AssumeRole, decided by the target role's trust policy", () => {
  beforeAll(() => {
    role(MEMBER, "Vendor", {}, { trust: trusting(`arn:aws:iam::${MANAGEMENT}:root`, { StringEquals: { "sts:ExternalId": "org-42" } }) });
    role(MEMBER, "Stranger", {}, { trust: trusting(`arn:aws:iam::${OUTSIDER}:root`) });
    role(MEMBER, "OrgWide", {}, { trust: trusting("*", { StringEquals: { "aws:PrincipalOrgID": ORGANIZATION_ID } }) });
  });

  test("THEN a role that does not trust the caller is refused, in STS's wording, which names no reason", async () => {
    const answer = await assume(MEMBER, "Stranger");
    expect(denied(answer)).toEqual([403, "AccessDenied"]);
    expect(answer.body).toContain('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(tag(answer.body, "Message")).toBe(`User: arn:aws:iam::${MANAGEMENT}:user/terraform is not authorized to perform: sts:AssumeRole on resource: ${roleArn(MEMBER, "Stranger")}`);
  });

  test.each([
    ["no ExternalId", 403, {}],
    ["a wrong ExternalId", 403, { ExternalId: "org-43" }],
    ["the right ExternalId", 200, { ExternalId: "org-42" }],
  ])("THEN a trust requiring an ExternalId, given %s, answers %s", async (_case, status, extra) => {
    expect((await assume(MEMBER, "Vendor", extra)).status).toBe(status);
  });

  test("THEN aws:PrincipalOrgID admits callers of the Organization only", async () => {
    expect((await assume(MEMBER, "OrgWide")).status).toBe(200);
    expect(denied(await assume(MEMBER, "OrgWide", {}, fake.credentialsFor(OUTSIDER)))).toEqual([403, "AccessDenied"]);
  });

  test("THEN the caller's own policies must allow sts:AssumeRole too: a role the target trusts but whose policies do not allow it is refused", async () => {
    role(MANAGEMENT, "NoAssume", { read: policy({ Effect: "Allow", Action: "iam:GetRole", Resource: "*" }) }, { trust: trusting(`arn:aws:iam::${MANAGEMENT}:root`) });
    const session = sessionFrom(await call("sts", { Action: "AssumeRole", RoleArn: roleArn(MANAGEMENT, "NoAssume"), RoleSessionName: "test" }));
    const answer = await assume(MEMBER, "OrganizationAccountAccessRole", {}, session);
    expect(tag(answer.body, "Message")).toBe(
      `User: arn:aws:sts::${MANAGEMENT}:assumed-role/NoAssume/test is not authorized to perform: sts:AssumeRole on resource: ${roleArn(MEMBER, "OrganizationAccountAccessRole")} because no identity-based policy allows the sts:AssumeRole action`,
    );
  });

  test("THEN a session's access key maps later requests to the assumed role, not to the caller", async () => {
    const session = sessionFrom(await assume(MEMBER, "Vendor", { ExternalId: "org-42" }));
    expect(session.accessKeyId).toMatch(/^ASIA/);
    expect(denied(await call("iam", { Action: "GetRole", RoleName: "Vendor" }, session))).toEqual([403, "AccessDenied"]);
  });
});

describe("GIVEN a role a stack set created in a member", () => {
  test("THEN it holds the template's managed and inline policies (Fn::Sub resolved per account) and may do exactly what they allow", async () => {
    const template = JSON.stringify({
      Resources: {
        Policy: {
          Type: "AWS::IAM::ManagedPolicy",
          Properties: { ManagedPolicyName: "DeployerPolicy", Path: "/", PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:GetRole", Resource: { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/Deployer" } }] } },
        },
        Role: {
          Type: "AWS::IAM::Role",
          Properties: {
            RoleName: "Deployer",
            Path: "/",
            AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:root` }, Action: "sts:AssumeRole" }] },
            ManagedPolicyArns: [{ Ref: "Policy" }],
            Policies: [{ PolicyName: "list", PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:ListRoles", Resource: "*" }] } }],
          },
        },
      },
    });
    await call("cloudformation", { Action: "CreateStackSet", StackSetName: "Deployers", TemplateBody: template, PermissionModel: "SERVICE_MANAGED", "Capabilities.member.1": "CAPABILITY_NAMED_IAM" });
    await call("cloudformation", { Action: "CreateStackInstances", StackSetName: "Deployers", "DeploymentTargets.OrganizationalUnitIds.member.1": "r-ab12", "Regions.member.1": "us-east-1" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.account(MEMBER).roles.Deployer.attachedPolicies).toEqual([`arn:aws:iam::${MEMBER}:policy/DeployerPolicy`]);
    const session = sessionFrom(await assume(MEMBER, "Deployer"));
    expect((await call("iam", { Action: "GetRole", RoleName: "Deployer" }, session)).status).toBe(200);
    expect((await call("iam", { Action: "ListRoles" }, session)).status).toBe(200);
    expect(denied(await call("iam", { Action: "GetRole", RoleName: "OrganizationAccountAccessRole" }, session))).toEqual([403, "AccessDenied"]);
    expect(denied(await call("iam", { Action: "DeleteRole", RoleName: "Deployer" }, session))).toEqual([403, "AccessDenied"]);
  });
});

describe("GIVEN enforcement turned off", () => {
  test("THEN a user with no policy may act in its own account, but a role's trust still decides AssumeRole", async () => {
    const open = await FakeAws.start({ managementAccountId: MANAGEMENT, enforceIam: false });
    try {
      const nobody = open.credentialsFor(MANAGEMENT, "nobody");
      expect((await callFake(open, "iam", { Action: "ListRoles" }, nobody)).status).toBe(200);
      expect((await callFake(open, "sts", { Action: "AssumeRole", RoleArn: roleArn(MEMBER, "OrganizationAccountAccessRole"), RoleSessionName: "t" }, open.credentialsFor(OUTSIDER))).status).toBe(403);
      expect(open.unimplemented).toEqual([]);
    } finally {
      await open.stop();
    }
  });
});
