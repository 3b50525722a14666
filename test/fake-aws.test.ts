/* The fake AWS itself: what it refuses and how it answers, as a signed SDK request would meet it. */
import { FakeAws } from "../sandbox/fake-aws/fake-aws";
import { readSnapshot } from "../sandbox/fake-aws/snapshot";
import { callFake, SessionCredentials, sessionFrom, tag } from "./helpers/fake-aws-client";

const MANAGEMENT = "111111111111";
const MEMBER = "222222222222";
const INVITED = "444444444444";

let fake: FakeAws;
beforeAll(async () => {
  fake = await FakeAws.start({
    managementAccountId: MANAGEMENT,
    organizationalUnits: { "ou-ab12-members": [MEMBER, INVITED], "r-ab12": [MEMBER, INVITED] },
    accountsWithoutDeploymentRole: [INVITED],
    operationMs: 200,
  });
});
afterAll(() => fake.stop());

const call = (service: string, params: Record<string, string>, credentials: SessionCredentials = fake.credentialsFor(MANAGEMENT)) => callFake(fake, service, params, credentials);

describe("fake AWS", () => {
  test("GIVEN a request signed with the wrong secret THEN it answers SignatureDoesNotMatch (403)", async () => {
    const answer = await call("sts", { Action: "GetCallerIdentity" }, { accessKeyId: fake.credentialsFor(MANAGEMENT).accessKeyId, secretAccessKey: "wrong" });
    expect(answer.status).toBe(403);
    expect(tag(answer.body, "Code")).toBe("SignatureDoesNotMatch");
  });

  test("GIVEN an unknown access key THEN it answers InvalidClientTokenId", async () => {
    const answer = await call("sts", { Action: "GetCallerIdentity" }, { accessKeyId: "AKIAUNKNOWN", secretAccessKey: "x" });
    expect(tag(answer.body, "Code")).toBe("InvalidClientTokenId");
  });

  test("GIVEN a correctly signed GetCallerIdentity THEN the answer names the key's account in the real response shape", async () => {
    const answer = await call("sts", { Action: "GetCallerIdentity" });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><GetCallerIdentityResult>/);
    expect(tag(answer.body, "Account")).toBe(MANAGEMENT);
  });

  test("GIVEN an action the fake does not implement THEN it answers an error and records it for the test to fail on", async () => {
    const before = fake.unimplemented.length;
    const answer = await call("iam", { Action: "CreateInstanceProfile", InstanceProfileName: "x" });
    expect(answer.status).toBe(400);
    expect(fake.unimplemented.slice(before)).toEqual(["iam:CreateInstanceProfile"]);
    fake.unimplemented.splice(before);
  });

  describe("AssumeRole", () => {
    const roleArn = (account: string, name = "OrganizationAccountAccessRole") => `arn:aws:iam::${account}:role/${name}`;

    test("GIVEN the management account WHEN it assumes the deployment role of a member THEN the session acts in the member", async () => {
      const assumed = await call("sts", { Action: "AssumeRole", RoleArn: roleArn(MEMBER), RoleSessionName: "t" });
      const session = sessionFrom(assumed);
      expect(tag((await call("sts", { Action: "GetCallerIdentity" }, session)).body, "Account")).toBe(MEMBER);
    });

    test.each([
      ["a member into another member", MEMBER, roleArn(INVITED)],
      ["the management account into a member that lacks the role", MANAGEMENT, roleArn(INVITED)],
      ["the management account into another role name", MANAGEMENT, roleArn(MEMBER, "Admin")],
      ["the management account into its own deployment role", MANAGEMENT, roleArn(MANAGEMENT)],
    ])("GIVEN %s THEN AccessDenied (403)", async (_case, from, arn) => {
      const answer = await call("sts", { Action: "AssumeRole", RoleArn: arn, RoleSessionName: "t" }, fake.credentialsFor(from));
      expect([answer.status, tag(answer.body, "Code")]).toEqual([403, "AccessDenied"]);
    });
  });

  describe("IAM", () => {
    const policyArn = `arn:aws:iam::${MANAGEMENT}:policy/P`;
    beforeAll(async () => {
      await call("iam", { Action: "CreateRole", RoleName: "R", AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' });
      await call("iam", { Action: "CreatePolicy", PolicyName: "P", PolicyDocument: '{"Version":"2012-10-17","Statement":[]}', Description: "d" });
      await call("iam", { Action: "AttachRolePolicy", RoleName: "R", PolicyArn: policyArn });
    });

    test("GIVEN an existing role WHEN it is created again THEN EntityAlreadyExists (409)", async () => {
      const answer = await call("iam", { Action: "CreateRole", RoleName: "R", AssumeRolePolicyDocument: "{}" });
      expect([answer.status, tag(answer.body, "Code")]).toEqual([409, "EntityAlreadyExists"]);
    });

    test("GIVEN an attached policy WHEN it is deleted THEN DeleteConflict (409), as the provider's parallel destroy meets it", async () => {
      const answer = await call("iam", { Action: "DeletePolicy", PolicyArn: policyArn });
      expect([answer.status, tag(answer.body, "Code")]).toEqual([409, "DeleteConflict"]);
      expect((await call("iam", { Action: "DeleteRole", RoleName: "R" })).status).toBe(409);
    });

    test("GIVEN a missing role THEN NoSuchEntity (404)", async () => {
      const answer = await call("iam", { Action: "GetRole", RoleName: "Nope" });
      expect([answer.status, tag(answer.body, "Code")]).toEqual([404, "NoSuchEntity"]);
    });

    test("GIVEN five policy versions WHEN a sixth is created THEN LimitExceeded (409)", async () => {
      for (let i = 0; i < 4; i++) await call("iam", { Action: "CreatePolicyVersion", PolicyArn: policyArn, PolicyDocument: '{"Statement":[]}' });
      const answer = await call("iam", { Action: "CreatePolicyVersion", PolicyArn: policyArn, PolicyDocument: '{"Statement":[]}' });
      expect([answer.status, tag(answer.body, "Code")]).toEqual([409, "LimitExceeded"]);
    });

    test("GIVEN a trust policy THEN GetRole returns it URL-encoded with %20 for spaces, as IAM does", async () => {
      await call("iam", { Action: "CreateRole", RoleName: "Spaced", AssumeRolePolicyDocument: '{"Version": "2012-10-17", "Statement": []}' });
      expect(tag((await call("iam", { Action: "GetRole", RoleName: "Spaced" })).body, "AssumeRolePolicyDocument")).toContain("%20");
    });

    test("GIVEN injected throttling THEN the next requests of that account answer Throttling, then it recovers", async () => {
      fake.throttle(MANAGEMENT, 1);
      expect(tag((await call("iam", { Action: "GetRole", RoleName: "R" })).body, "Code")).toBe("Throttling");
      expect((await call("iam", { Action: "GetRole", RoleName: "R" })).status).toBe(200);
    });
  });

  describe("StackSets", () => {
    const template = JSON.stringify({
      Resources: {
        Policy: { Type: "AWS::IAM::ManagedPolicy", Properties: { ManagedPolicyName: "ReadOnly", Path: "/", PolicyDocument: { Version: "2012-10-17", Statement: [] } } },
        Role: {
          Type: "AWS::IAM::Role",
          Properties: { RoleName: "Enrolled", Path: "/", AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [] }, ManagedPolicyArns: [{ Ref: "Policy" }] },
        },
      },
    });

    test("GIVEN an OU target THEN the operation is RUNNING, then SUCCEEDED, and each member holds the template's role and policy", async () => {
      await call("cloudformation", { Action: "CreateStackSet", StackSetName: "S", TemplateBody: template, PermissionModel: "SERVICE_MANAGED", "Capabilities.member.1": "CAPABILITY_NAMED_IAM" });
      fake.failStackInstancesIn(INVITED);
      const created = await call("cloudformation", {
        Action: "CreateStackInstances",
        StackSetName: "S",
        "DeploymentTargets.OrganizationalUnitIds.member.1": "ou-ab12-members",
        "Regions.member.1": "us-east-1",
        "OperationPreferences.FailureToleranceCount": "1",
      });
      const operationId = tag(created.body, "OperationId")!;
      const status = async () => tag((await call("cloudformation", { Action: "DescribeStackSetOperation", StackSetName: "S", OperationId: operationId })).body, "Status");
      if (!created.body.includes("OperationId")) throw new Error(created.body);
      expect(await status()).toBe("RUNNING");
      const busy = await call("cloudformation", { Action: "UpdateStackSet", StackSetName: "S", TemplateBody: template });
      expect([busy.status, tag(busy.body, "Code")]).toEqual([409, "OperationInProgressException"]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await status()).toBe("SUCCEEDED");
      expect(fake.account(MEMBER).roles.Enrolled.attachedPolicies).toEqual([`arn:aws:iam::${MEMBER}:policy/ReadOnly`]);
      expect(fake.account(INVITED).roles.Enrolled).toBeUndefined();
      expect(fake.account(MANAGEMENT).roles.Enrolled).toBeUndefined();
    });
  });
  test("GIVEN an OIDC provider for a URL THEN a second one for it is EntityAlreadyExists (409), and IAM answers the URL without its scheme, with a thumbprint", async () => {
    const create = { Action: "CreateOpenIDConnectProvider", Url: "https://app.terraform.io", "ClientIDList.member.1": "aws.workload.identity" };
    const created = await call("iam", create);
    const arn = tag(created.body, "OpenIDConnectProviderArn");
    expect(arn).toBe(`arn:aws:iam::${MANAGEMENT}:oidc-provider/app.terraform.io`);
    const again = await call("iam", create);
    expect([again.status, tag(again.body, "Code")]).toEqual([409, "EntityAlreadyExists"]);
    const described = await call("iam", { Action: "GetOpenIDConnectProvider", OpenIDConnectProviderArn: arn! });
    expect([tag(described.body, "Url"), /<ThumbprintList><member>[0-9a-f]{40}<\/member>/.test(described.body)]).toEqual(["app.terraform.io", true]);
    await call("iam", { Action: "DeleteOpenIDConnectProvider", OpenIDConnectProviderArn: arn! });
    expect(fake.account(MANAGEMENT).oidcProviders).toEqual({});
  });

  describe("CloudFormation resource import and stacks imported into a stack set", () => {
    const resources = (deletionPolicy: string | undefined) => ({
      Policy: {
        Type: "AWS::IAM::ManagedPolicy",
        ...(deletionPolicy ? { DeletionPolicy: deletionPolicy } : {}),
        Properties: { ManagedPolicyName: "Adopted", Path: "/", PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:ListUsers", Resource: "*" }] } },
      },
      Role: {
        Type: "AWS::IAM::Role",
        ...(deletionPolicy ? { DeletionPolicy: deletionPolicy } : {}),
        Properties: { RoleName: "Adopted", Path: "/", AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [] }, ManagedPolicyArns: [{ Ref: "Policy" }] },
      },
    });
    const policyArn = `arn:aws:iam::${MEMBER}:policy/Adopted`;
    const member = () => fake.credentialsFor(MEMBER);
    const importChangeSet = (stackName: string, template: object) =>
      call(
        "cloudformation",
        {
          Action: "CreateChangeSet",
          StackName: stackName,
          ChangeSetName: "import",
          ChangeSetType: "IMPORT",
          TemplateBody: JSON.stringify(template),
          "Capabilities.member.1": "CAPABILITY_NAMED_IAM",
          "ResourcesToImport.member.1.ResourceType": "AWS::IAM::Role",
          "ResourcesToImport.member.1.LogicalResourceId": "Role",
          "ResourcesToImport.member.1.ResourceIdentifier.entry.1.key": "RoleName",
          "ResourcesToImport.member.1.ResourceIdentifier.entry.1.value": "Adopted",
          "ResourcesToImport.member.2.ResourceType": "AWS::IAM::ManagedPolicy",
          "ResourcesToImport.member.2.LogicalResourceId": "Policy",
          "ResourcesToImport.member.2.ResourceIdentifier.entry.1.key": "PolicyArn",
          "ResourcesToImport.member.2.ResourceIdentifier.entry.1.value": policyArn,
        },
        member(),
      );
    const wait = () => new Promise((resolve) => setTimeout(resolve, 300));
    let roleId: string;

    beforeAll(() => {
      const document = JSON.stringify(resources("Delete").Policy.Properties.PolicyDocument);
      fake.call(MEMBER, "iam", "CreatePolicy", { PolicyName: "Adopted", Path: "/", PolicyDocument: document });
      fake.call(MEMBER, "iam", "CreateRole", { RoleName: "Adopted", Path: "/", AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [] }) });
      fake.call(MEMBER, "iam", "AttachRolePolicy", { RoleName: "Adopted", PolicyArn: policyArn });
      roleId = fake.account(MEMBER).roles.Adopted.id;
    });

    test("GIVEN a template without DeletionPolicy, or with Outputs THEN the import is refused, naming why, and no stack is left", async () => {
      const noPolicy = await importChangeSet("NoPolicy", { Resources: resources(undefined) });
      expect([noPolicy.status, tag(noPolicy.body, "Code")]).toEqual([400, "ValidationError"]);
      expect(tag(noPolicy.body, "Message")).toContain("must have DeletionPolicy attribute");
      const outputs = await importChangeSet("WithOutputs", { Resources: resources("Delete"), Outputs: { Arn: { Value: { "Fn::GetAtt": ["Role", "Arn"] } } } });
      expect(tag(outputs.body, "Message")).toContain("cannot modify or add [Outputs]");
      expect(Object.values(fake.account(MEMBER).stacks).filter((stack) => ["NoPolicy", "WithOutputs"].includes(stack.name))).toEqual([]);
    });

    test("GIVEN an IMPORT change set executed THEN the stack owns the role unchanged, and a second stack cannot import it", async () => {
      const created = await importChangeSet("Adopted", { Resources: resources("Delete") });
      expect(created.status).toBe(200);
      const described = await call("cloudformation", { Action: "DescribeChangeSet", ChangeSetName: tag(created.body, "Id")! }, member());
      expect(described.body).toContain("<Action>Import</Action>");
      await call("cloudformation", { Action: "ExecuteChangeSet", ChangeSetName: "import", StackName: "Adopted" }, member());
      const stacks = await call("cloudformation", { Action: "DescribeStacks", StackName: "Adopted" }, member());
      expect(tag(stacks.body, "StackStatus")).toBe("IMPORT_COMPLETE");
      expect(fake.account(MEMBER).roles.Adopted.id).toBe(roleId);
      const again = await importChangeSet("AdoptedAgain", { Resources: resources("Delete") });
      expect(tag(again.body, "Message")).toContain("already exists in stack");
    });

    test("GIVEN the imported stack WHEN imported into a service-managed stack set THEN it is an instance, the stack set's updates reach it, and removing it with RetainStacks keeps the role", async () => {
      const template = JSON.stringify({ Resources: resources("Delete") });
      await call("cloudformation", { Action: "CreateStackSet", StackSetName: "Adopting", TemplateBody: template, PermissionModel: "SERVICE_MANAGED", "Capabilities.member.1": "CAPABILITY_NAMED_IAM" });
      const stackId = Object.values(fake.account(MEMBER).stacks).find((stack) => stack.name === "Adopted")!.id;
      const outside = await call("cloudformation", { Action: "ImportStacksToStackSet", StackSetName: "Adopting", "StackIds.member.1": stackId, "OrganizationalUnitIds.member.1": "ou-ab12-other" });
      expect(tag(outside.body, "Code")).toBe("ValidationError");
      const imported = await call("cloudformation", { Action: "ImportStacksToStackSet", StackSetName: "Adopting", "StackIds.member.1": stackId, "OrganizationalUnitIds.member.1": "ou-ab12-members" });
      expect(imported.status).toBe(200);
      await wait();
      const instance = fake.account(MANAGEMENT).stackSets.Adopting.instances.find((candidate) => candidate.account === MEMBER)!;
      expect([instance.stackId, instance.status]).toEqual([stackId, "CURRENT"]);
      // Instances created over the OU afterwards leave the imported one as it is.
      await call("cloudformation", { Action: "CreateStackInstances", StackSetName: "Adopting", "DeploymentTargets.OrganizationalUnitIds.member.1": "ou-ab12-members", "Regions.member.1": "us-east-1", "OperationPreferences.FailureToleranceCount": "1" });
      await wait();
      expect(fake.account(MEMBER).roles.Adopted.id).toBe(roleId);
      const widened = template.replace('"Action":"iam:ListUsers"', '"Action":["iam:ListUsers","iam:ListRoles"]');
      await call("cloudformation", { Action: "UpdateStackSet", StackSetName: "Adopting", TemplateBody: widened });
      await wait();
      const policy = fake.account(MEMBER).policies[policyArn];
      expect(JSON.parse(policy.versions.find((version) => version.versionId === policy.defaultVersionId)!.document).Statement[0].Action).toEqual(["iam:ListUsers", "iam:ListRoles"]);
      await call("cloudformation", { Action: "DeleteStackInstances", StackSetName: "Adopting", "DeploymentTargets.OrganizationalUnitIds.member.1": "ou-ab12-members", "Regions.member.1": "us-east-1", RetainStacks: "true" });
      await wait();
      expect(fake.account(MEMBER).roles.Adopted.id).toBe(roleId);
      expect(fake.account(MEMBER).stacks[stackId].stackSetId).toBeUndefined();
    });
  });

  describe("what verify reads: users, access keys, Trelica's use of the role", () => {
    const TRELICA = "377450845233";
    const OTHER = "555555555555";

    test("GIVEN a user's access key THEN a request signed with it acts as the user and records its last use, and once Inactive it is refused", async () => {
      fake.call(OTHER, "iam", "CreateUser", { UserName: "trelica-legacy" });
      const key = fake.call(OTHER, "iam", "CreateAccessKey", { UserName: "trelica-legacy" }).AccessKey as { AccessKeyId: string; SecretAccessKey: string };
      const credentials = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
      const never = await call("iam", { Action: "GetAccessKeyLastUsed", AccessKeyId: key.AccessKeyId }, fake.credentialsFor(OTHER));
      expect([tag(never.body, "ServiceName"), tag(never.body, "LastUsedDate")]).toEqual(["N/A", undefined]);
      const me = await call("sts", { Action: "GetCallerIdentity" }, credentials);
      expect(tag(me.body, "Arn")).toBe(`arn:aws:iam::${OTHER}:user/trelica-legacy`);
      const used = await call("iam", { Action: "GetAccessKeyLastUsed", AccessKeyId: key.AccessKeyId }, fake.credentialsFor(OTHER));
      expect([tag(used.body, "ServiceName"), tag(used.body, "Region")]).toEqual(["sts", "us-east-1"]);
      expect(tag(used.body, "LastUsedDate")).toMatch(/^\d{4}-\d\d-\d\dT/);
      await call("iam", { Action: "UpdateAccessKey", UserName: "trelica-legacy", AccessKeyId: key.AccessKeyId, Status: "Inactive" }, fake.credentialsFor(OTHER));
      const refused = await call("sts", { Action: "GetCallerIdentity" }, credentials);
      expect([refused.status, tag(refused.body, "Code")]).toEqual([403, "InvalidClientTokenId"]);
    });

    test("GIVEN a role trusting Trelica's account with an external ID THEN Trelica's AssumeRole works only with that ID, and sets RoleLastUsed", async () => {
      const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${TRELICA}:root` }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "org-1" } } }] };
      fake.call(OTHER, "iam", "CreateRole", { RoleName: "TrelicaIntegration", AssumeRolePolicyDocument: JSON.stringify(trust) });
      const assume = (externalId?: string, from = TRELICA) =>
        call("sts", { Action: "AssumeRole", RoleArn: `arn:aws:iam::${OTHER}:role/TrelicaIntegration`, RoleSessionName: "t", ...(externalId ? { ExternalId: externalId } : {}) }, fake.credentialsFor(from));
      expect(tag((await assume()).body, "Code")).toBe("AccessDenied");
      expect(tag((await assume("org-2")).body, "Code")).toBe("AccessDenied");
      expect(tag((await assume("org-1", MANAGEMENT)).body, "Code")).toBe("AccessDenied");
      expect(fake.account(OTHER).roles.TrelicaIntegration.lastUsed).toBeUndefined();
      expect((await assume("org-1")).status).toBe(200);
      expect(fake.account(OTHER).roles.TrelicaIntegration.lastUsed?.region).toBe("us-east-1");
      const role = await call("iam", { Action: "GetRole", RoleName: "TrelicaIntegration" }, fake.credentialsFor(OTHER));
      expect(role.body).toMatch(/<RoleLastUsed><LastUsedDate>[^<]+<\/LastUsedDate><Region>us-east-1<\/Region><\/RoleLastUsed>/);
    });
  });

  describe("a snapshot (what npm run sandbox keeps on disk)", () => {
    test("GIVEN a role, a user's key, a session and a stack set operation still running WHEN a new fake starts from the snapshot, through JSON THEN all of it is there and works", async () => {
      const source = await FakeAws.start({ managementAccountId: MANAGEMENT, organizationalUnits: { "r-ab12": [MEMBER] }, operationMs: 60_000 });
      try {
        const admin = source.credentialsFor(MANAGEMENT);
        const session = sessionFrom(await callFake(source, "sts", { Action: "AssumeRole", RoleArn: `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`, RoleSessionName: "s" }, admin));
        await callFake(source, "iam", { Action: "CreateRole", RoleName: "Made", AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [] }) }, session);
        const template = JSON.stringify({ Resources: { Role: { Type: "AWS::IAM::Role", Properties: { RoleName: "Enrolled", AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [] } } } } });
        for (const params of <Record<string, string>[]>[
          { Action: "CreateStackSet", StackSetName: "S", TemplateBody: template, PermissionModel: "SERVICE_MANAGED", "Capabilities.member.1": "CAPABILITY_NAMED_IAM" },
          { Action: "CreateStackInstances", StackSetName: "S", "DeploymentTargets.OrganizationalUnitIds.member.1": "r-ab12", "Regions.member.1": "us-east-1" },
        ]) {
          const answer = await callFake(source, "cloudformation", params, admin);
          expect([params.Action, answer.status, answer.body.includes("<Error>") ? answer.body : ""]).toEqual([params.Action, 200, ""]);
        }

        const saved = JSON.parse(JSON.stringify(source.snapshot()));
        const restored = await FakeAws.start({ managementAccountId: MANAGEMENT, organizationalUnits: { "r-ab12": [MEMBER] }, restore: saved });
        try {
          expect(restored.snapshot()).toEqual(saved);
          // The running operation ended before the snapshot, as it would have: its role is in the member, the operation SUCCEEDED.
          expect(restored.rolesMadeIn(MEMBER).sort()).toEqual(["Enrolled", "Made"]);
          expect(restored.account(MANAGEMENT).stackSets.S.operations.map((operation) => operation.status)).toEqual(["SUCCEEDED"]);
          // The user's key and the session still sign requests; the deployment role is still Organizations' own.
          expect(tag((await callFake(restored, "sts", { Action: "GetCallerIdentity" }, admin)).body, "Account")).toBe(MANAGEMENT);
          expect(tag((await callFake(restored, "sts", { Action: "GetCallerIdentity" }, session)).body, "Account")).toBe(MEMBER);
          expect(Object.keys(restored.account(MEMBER).roles).sort()).toEqual(["Enrolled", "Made", "OrganizationAccountAccessRole"]);
        } finally {
          await restored.stop();
        }
      } finally {
        await source.stop();
      }
    });

    test("GIVEN something that is not a snapshot THEN reading it says so", () => {
      expect(() => readSnapshot({ version: 0 })).toThrow("not a fake AWS snapshot of version 1");
      expect(() => readSnapshot({ version: 1, accounts: {} })).toThrow("a fake AWS snapshot needs accounts, sessions and deploymentRoleMadeIn");
    });
  });
});
