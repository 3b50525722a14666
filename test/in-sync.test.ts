/*
 * Rollout's proof that an account is in sync without terraform (rollout/prove-in-sync.ts), piece by
 * piece: what the stack says terraform manages (verify/expected.ts managedFromStack), the live role and
 * policy against it (verify/compare.ts, strict), the state against the stack and the live IDs, and
 * reading the state where it lives (rollout/plans/terraform-state.ts): a local file, S3 on the fake AWS.
 * The whole flow with the real terraform: test/real-terraform.test.ts and test/e2e/in-sync.e2e.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { IAMClient } from "@aws-sdk/client-iam";
import { FakeAws } from "../sandbox/fake-aws/fake-aws";
import { tempDir, writeFile } from "./helpers/files";
import { synthProject } from "./helpers/verify";
import { compareRole } from "../verify/compare";
import { managedFromStack, ManagedStack } from "../verify/expected";
import { readManaged } from "../verify/read/read-account";
import { idDisagreement, stateDisagreement } from "../rollout/prove-in-sync";
import { readState, s3Readers, stateLocation, stateWhere, TerraformState } from "../rollout/plans/terraform-state";
import type { Stack } from "../runner/stacks";

const MANAGEMENT = "111111111111";
/** One account per live change, each changed alone. */
const LIVE_CASES = [
  "trust policy principal",
  "trust policy external ID",
  "trust policy Sid (as written)",
  "trust policy statement order (as written)",
  "policy document action added",
  "policy document as written",
  "policy tag added",
  "policy tag value",
  "role tag added",
  "role tag removed",
  "role tag split across two",
  "role description",
  "max session duration",
  "extra managed policy attached",
  "inline policy",
  "permissions boundary added",
  "role deleted",
  "policy detached",
  "policy deleted",
] as const;
const ACCOUNTS = Object.fromEntries(LIVE_CASES.map((name, i) => [name, String(200000000001 + i)]));
const CLEAN = "299999999999";

const CONFIG = `trelicaOrganizationId: "org-in-sync-1"
managementAccountId: "${MANAGEMENT}"
services: { connect: false }
role: { tags: { team: "security" } }
accounts:
${[MANAGEMENT, CLEAN, ...Object.values(ACCOUNTS)].map((id) => `  - id: "${id}"`).join("\n")}
`;

let fake: FakeAws;
const dir = tempDir("trelica-in-sync-");
const stackJsonOf = (accountId: string) => JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", `trelica-${accountId}`, "cdk.tf.json"), "utf8"));
const managedOf = (accountId: string, json = stackJsonOf(accountId)): ManagedStack => {
  const reading = managedFromStack(json, accountId);
  if ("doubt" in reading) throw new Error(`unexpected doubt: ${reading.doubt}`);
  return reading.managed;
};
const iamIn = (accountId: string) => {
  const env = fake.environmentFor(accountId);
  return new IAMClient({ region: "us-east-1", endpoint: env.AWS_ENDPOINT_URL, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY } });
};
const call = (accountId: string, action: string, input: Record<string, unknown>) => fake.call(accountId, "iam", action, input);

/** What terraform's apply leaves, made from the stack's own resource bodies (not from the parser under test). */
function applyAsTerraform(accountId: string): void {
  const json = stackJsonOf(accountId);
  const [role] = Object.values<any>(json.resource.aws_iam_role);
  const [policy] = Object.values<any>(json.resource.aws_iam_policy);
  const tags = (record: Record<string, string>) => Object.entries(record ?? {}).map(([Key, Value]) => ({ Key, Value }));
  call(accountId, "CreateRole", {
    RoleName: role.name,
    Path: role.path,
    AssumeRolePolicyDocument: role.assume_role_policy,
    Description: role.description,
    MaxSessionDuration: role.max_session_duration,
    Tags: tags(role.tags),
  });
  const created = call(accountId, "CreatePolicy", { PolicyName: policy.name, Path: policy.path, PolicyDocument: policy.policy, Description: policy.description, Tags: tags(policy.tags) });
  call(accountId, "AttachRolePolicy", { RoleName: role.name, PolicyArn: (created.Policy as { Arn: string }).Arn });
}

async function findings(accountId: string, json = stackJsonOf(accountId)): Promise<string[]> {
  const managed = managedOf(accountId, json);
  const live = await readManaged(iamIn(accountId), managed.expected.roleName, managed.expected.policyArn);
  return compareRole(managed.expected, live, { strict: true }).map((finding) => finding.what);
}

beforeAll(async () => {
  fake = await FakeAws.start({ managementAccountId: MANAGEMENT, enforceIam: false });
  synthProject(dir, CONFIG);
  for (const accountId of [CLEAN, ...Object.values(ACCOUNTS)]) applyAsTerraform(accountId);
});
afterAll(() => fake.stop());
afterEach(() => expect(fake.unimplemented).toEqual([]));

const policyArn = (accountId: string) => `arn:aws:iam::${accountId}:policy/TrelicaIntegrationReadOnly`;
const trustOf = (accountId: string) => JSON.parse(fake.account(accountId).roles.TrelicaIntegration.assumeRolePolicyDocument);
const documentOf = (accountId: string) => JSON.parse(stackJsonOf(accountId).resource.aws_iam_policy[Object.keys(stackJsonOf(accountId).resource.aws_iam_policy)[0]].policy);

/** Each live change, made behind terraform's back in its own account, and the finding it must give. */
const LIVE: Record<(typeof LIVE_CASES)[number], { change: (accountId: string) => void; seen: string }> = {
  "trust policy principal": {
    change: (a) => call(a, "UpdateAssumeRolePolicy", { RoleName: "TrelicaIntegration", PolicyDocument: JSON.stringify({ ...trustOf(a), Statement: [{ ...trustOf(a).Statement[0], Principal: { AWS: "arn:aws:iam::999999999999:root" } }] }) }),
    seen: "trust policy principal",
  },
  "trust policy external ID": {
    change: (a) => call(a, "UpdateAssumeRolePolicy", { RoleName: "TrelicaIntegration", PolicyDocument: JSON.stringify({ ...trustOf(a), Statement: [{ ...trustOf(a).Statement[0], Condition: { StringEquals: { "sts:ExternalId": "other" } } }] }) }),
    seen: "trust policy external ID",
  },
  "trust policy Sid (as written)": {
    change: (a) => call(a, "UpdateAssumeRolePolicy", { RoleName: "TrelicaIntegration", PolicyDocument: JSON.stringify({ ...trustOf(a), Statement: [{ Sid: "Hand", ...trustOf(a).Statement[0] }] }) }),
    seen: "trust policy (as written)",
  },
  "trust policy statement order (as written)": {
    change: (a) => {
      const deny = { Effect: "Deny", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "sts:AssumeRole" };
      call(a, "UpdateAssumeRolePolicy", { RoleName: "TrelicaIntegration", PolicyDocument: JSON.stringify({ ...trustOf(a), Statement: [deny, ...trustOf(a).Statement] }) });
    },
    seen: "trust policy",
  },
  "policy document action added": {
    change: (a) => {
      const document = documentOf(a);
      document.Statement[0].Action = [...document.Statement[0].Action, "s3:GetObject"];
      call(a, "CreatePolicyVersion", { PolicyArn: policyArn(a), PolicyDocument: JSON.stringify(document), SetAsDefault: true });
    },
    seen: "policy TrelicaIntegrationReadOnly grants actions not configured",
  },
  "policy document as written": {
    change: (a) => {
      const document = documentOf(a);
      document.Statement[0].Action = [...document.Statement[0].Action].reverse();
      call(a, "CreatePolicyVersion", { PolicyArn: policyArn(a), PolicyDocument: JSON.stringify(document), SetAsDefault: true });
    },
    seen: "policy TrelicaIntegrationReadOnly (default version, as written)",
  },
  "policy tag added": { change: (a) => call(a, "TagPolicy", { PolicyArn: policyArn(a), Tags: [{ Key: "owner", Value: "someone" }] }), seen: "policy TrelicaIntegrationReadOnly tags" },
  "policy tag value": { change: (a) => call(a, "TagPolicy", { PolicyArn: policyArn(a), Tags: [{ Key: "team", Value: "other" }] }), seen: "policy TrelicaIntegrationReadOnly tags" },
  "role tag added": { change: (a) => call(a, "TagRole", { RoleName: "TrelicaIntegration", Tags: [{ Key: "owner", Value: "someone" }] }), seen: "tags" },
  "role tag removed": { change: (a) => call(a, "UntagRole", { RoleName: "TrelicaIntegration", TagKeys: ["team"] }), seen: "tags" },
  // "team=security" as text equals a tag "team" of "security" and nothing else; as values they differ.
  "role tag split across two": {
    change: (a) => {
      call(a, "UntagRole", { RoleName: "TrelicaIntegration", TagKeys: ["team", "third-party"] });
      call(a, "TagRole", { RoleName: "TrelicaIntegration", Tags: [{ Key: "team", Value: "security, third-party=trelica" }] });
    },
    seen: "tags",
  },
  "role description": { change: (a) => call(a, "UpdateRoleDescription", { RoleName: "TrelicaIntegration", Description: "edited by hand" }), seen: "description" },
  "max session duration": { change: (a) => call(a, "UpdateRole", { RoleName: "TrelicaIntegration", MaxSessionDuration: 7200 }), seen: "max session duration" },
  "extra managed policy attached": {
    change: (a) => {
      const other = call(a, "CreatePolicy", { PolicyName: "Extra", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }] }) });
      call(a, "AttachRolePolicy", { RoleName: "TrelicaIntegration", PolicyArn: (other.Policy as { Arn: string }).Arn });
    },
    seen: "attached managed policies",
  },
  "inline policy": {
    change: (a) => call(a, "PutRolePolicy", { RoleName: "TrelicaIntegration", PolicyName: "hand", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }] }) }),
    seen: "inline policies",
  },
  "permissions boundary added": { change: (a) => call(a, "PutRolePermissionsBoundary", { RoleName: "TrelicaIntegration", PermissionsBoundary: "arn:aws:iam::aws:policy/ReadOnlyAccess" }), seen: "permissions boundary" },
  "role deleted": {
    change: (a) => {
      call(a, "DetachRolePolicy", { RoleName: "TrelicaIntegration", PolicyArn: policyArn(a) });
      call(a, "DeleteRole", { RoleName: "TrelicaIntegration" });
    },
    seen: "role TrelicaIntegration",
  },
  "policy detached": { change: (a) => call(a, "DetachRolePolicy", { RoleName: "TrelicaIntegration", PolicyArn: policyArn(a) }), seen: "attached managed policies" },
  "policy deleted": {
    change: (a) => {
      call(a, "DetachRolePolicy", { RoleName: "TrelicaIntegration", PolicyArn: policyArn(a) });
      call(a, "DeletePolicy", { PolicyArn: policyArn(a) });
    },
    seen: "attached managed policies",
  },
};

describe("the live role and policy against what the stack renders (strict)", () => {
  test("GIVEN the stack as terraform applies it WHEN compared THEN nothing differs, and the reads are exactly terraform's refresh calls", async () => {
    const before = fake.requests.length;
    expect(await findings(CLEAN)).toEqual([]);
    const calls = fake.requests.slice(before).map((request) => `${request.service}:${request.action}`).sort();
    expect(calls).toEqual(["iam:GetPolicy", "iam:GetPolicyVersion", "iam:GetRole", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies"]);
  });

  test.each(LIVE_CASES)("GIVEN %s behind terraform's back WHEN compared THEN it is seen", async (name) => {
    const accountId = ACCOUNTS[name];
    LIVE[name].change(accountId);
    expect(await findings(accountId)).toContain(LIVE[name].seen);
  });

  /** Each attribute the stack sets, changed alone in the stack (as a config change would): the live role no longer matches. */
  const STACK_CASES: [string, (json: any) => void, string][] = [
    ["role path", (json) => (first(json, "aws_iam_role").path = "/other/"), "role path"],
    ["role description", (json) => (first(json, "aws_iam_role").description = "new"), "description"],
    ["role max session", (json) => (first(json, "aws_iam_role").max_session_duration = 7200), "max session duration"],
    ["role boundary", (json) => (first(json, "aws_iam_role").permissions_boundary = "arn:aws:iam::aws:policy/ReadOnlyAccess"), "permissions boundary"],
    ["role tags", (json) => (first(json, "aws_iam_role").tags = { ...first(json, "aws_iam_role").tags, team: "x" }), "tags"],
    ["trust policy", (json) => (first(json, "aws_iam_role").assume_role_policy = first(json, "aws_iam_role").assume_role_policy.replace("org-in-sync-1", "org-2")), "trust policy external ID"],
    ["policy path", (json) => (first(json, "aws_iam_policy").path = "/other/"), "attached managed policies"],
    ["policy name", (json) => (first(json, "aws_iam_policy").name = "Other"), "attached managed policies"],
    ["policy tags", (json) => (first(json, "aws_iam_policy").tags = { ...first(json, "aws_iam_policy").tags, team: "x" }), "policy TrelicaIntegrationReadOnly tags"],
    ["policy description, no longer ignored", (json) => {
      first(json, "aws_iam_policy").description = "new";
      first(json, "aws_iam_policy").lifecycle = { create_before_destroy: true };
    }, "policy TrelicaIntegrationReadOnly description"],
    ["policy document", (json) => (first(json, "aws_iam_policy").policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:GetRole", Resource: "*" }] })), "policy TrelicaIntegrationReadOnly lacks configured actions"],
    ["provider default tags", (json) => (json.provider.aws[0].default_tags = [{ tags: { cost: "1" } }]), "tags"],
  ];
  test.each(STACK_CASES)("GIVEN the stack's %s changed WHEN compared THEN it is seen", async (_name, edit, seen) => {
    const json = stackJsonOf(CLEAN);
    edit(json);
    expect(await findings(CLEAN, json)).toContain(seen);
  });

  test("GIVEN the policy's description changed where the stack ignores it WHEN compared THEN it is not a finding (terraform ignores it too)", async () => {
    const json = stackJsonOf(CLEAN);
    first(json, "aws_iam_policy").description = "adopted, its own description";
    expect(await findings(CLEAN, json)).toEqual([]);
  });
});

function first(json: any, type: string): any {
  return Object.values<any>(json.resource[type])[0];
}

describe("what the stack manages: anything the proof does not cover is a doubt", () => {
  const DOUBTS: [string, (json: any) => void, RegExp][] = [
    ["another resource type", (json) => (json.resource.aws_s3_bucket = { b: { bucket: "x" } }), /manages a aws_s3_bucket/],
    ["an argument not compared", (json) => (first(json, "aws_iam_role").force_detach_policies = true), /sets force_detach_policies/],
    ["an expression where a value should be", (json) => (first(json, "aws_iam_role").description = "${var.x}"), /not a literal/],
    ["a data source", (json) => (json.data = { aws_caller_identity: { me: {} } }), /data blocks/],
    ["ignore_changes on the role", (json) => (first(json, "aws_iam_role").lifecycle = { ignore_changes: ["tags"] }), /ignore_changes/],
    ["a second provider", (json) => json.provider.aws.push({ alias: "other", region: "us-east-1" }), /providers other than one aws provider/],
    ["another output", (json) => (json.output.other = { value: "${aws_iam_policy.x.arn}" }), /output other/],
    ["a moved block", (json) => (json.moved = [{ from: "a.b", to: "c.d" }]), /moved blocks/],
    ["a missing attachment", (json) => delete json.resource.aws_iam_role_policy_attachments_exclusive, /exactly one of each/],
    ["the provider for another account", (json) => (json.provider.aws[0].allowed_account_ids = ["999999999999"]), /not restricted to/],
  ];
  test.each(DOUBTS)("GIVEN %s WHEN read THEN it is a doubt, named", (_name, edit, why) => {
    const json = stackJsonOf(CLEAN);
    edit(json);
    const reading = managedFromStack(json, CLEAN);
    expect("doubt" in reading && reading.doubt).toMatch(why);
  });

  test("GIVEN the synthesized stack WHEN read THEN it covers the five resources, the outputs and the provider's role", () => {
    const managed = managedOf(CLEAN);
    expect(managed.addresses.map((address) => address.split(".")[0])).toEqual([
      "aws_iam_policy",
      "aws_iam_role",
      "aws_iam_role_policies_exclusive",
      "aws_iam_role_policy_attachment",
      "aws_iam_role_policy_attachments_exclusive",
    ]);
    expect(managed.outputs).toEqual({ account_id: CLEAN, region: "us-east-1", role_arn: { arnOf: managed.roleAddress } });
    expect(managed.assumeRoleArn).toBe(`arn:aws:iam::${CLEAN}:role/OrganizationAccountAccessRole`);
    expect(managed.expected.policyDescription).toBeUndefined();
    expect(managed.expected.policyTags).toEqual({ "managed-by": "trelica-aws-role", "third-party": "trelica", team: "security" });
  });
});

describe("the state against the stack and the live IDs", () => {
  const roleArn = `arn:aws:iam::${CLEAN}:role/TrelicaIntegration`;
  /** A state as terraform writes it after applying the stack (the attributes the checks read). */
  function stateFor(managed: ManagedStack): TerraformState {
    const attributesOf: Record<string, Record<string, unknown>> = {
      [managed.roleAddress]: { id: "TrelicaIntegration", name: "TrelicaIntegration", arn: roleArn },
      [managed.policyAddress]: { id: policyArn(CLEAN), arn: policyArn(CLEAN) },
    };
    return {
      version: 4,
      terraform_version: "1.11.4",
      serial: 3,
      lineage: "l",
      outputs: { account_id: { value: CLEAN }, region: { value: "us-east-1" }, role_arn: { value: roleArn } },
      resources: managed.addresses.map((address) => {
        const [type, name] = address.split(".");
        return { mode: "managed", type, name, provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ attributes: attributesOf[address] ?? { id: "x" } }] };
      }),
    };
  }

  test("GIVEN the state terraform leaves WHEN checked THEN it agrees", () => {
    const managed = managedOf(CLEAN);
    const state = stateFor(managed);
    expect(stateDisagreement(state, managed)).toBeUndefined();
    expect(idDisagreement(state, managed, roleArn)).toBeUndefined();
  });

  const CASES: [string, (state: any, managed: ManagedStack) => void, RegExp][] = [
    ["a resource missing", (state) => state.resources.pop(), /tracks/],
    ["a resource the stack does not have", (state) => state.resources.push({ mode: "managed", type: "aws_iam_role", name: "other", provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{}] }), /tracks/],
    ["a tainted instance", (state) => (state.resources[0].instances[0].status = "tainted"), /tainted/],
    ["a deposed instance", (state) => (state.resources[0].instances[0].deposed = "00000001"), /deposed/],
    ["two instances", (state) => state.resources[0].instances.push({}), /not one managed instance/],
    ["a data source", (state) => state.resources.push({ mode: "data", type: "aws_caller_identity", name: "me", provider: "p", instances: [{}] }), /not one managed instance/],
    ["another provider", (state) => (state.resources[0].provider = 'provider["registry.terraform.io/hashicorp/aws"].other'), /belongs to/],
    ["an output missing", (state) => delete state.outputs.region, /outputs/],
    ["an old format", (state) => (state.version = 3), /format 3/],
  ];
  test.each(CASES)("GIVEN %s WHEN checked THEN it disagrees", (_name, edit, why) => {
    const managed = managedOf(CLEAN);
    const state = stateFor(managed);
    edit(state, managed);
    expect(stateDisagreement(state, managed)).toMatch(why);
  });

  const ID_CASES: [string, (state: any, managed: ManagedStack) => void, string | undefined, RegExp][] = [
    ["a role recreated elsewhere (another ARN)", () => undefined, `arn:aws:iam::${CLEAN}:role/x/TrelicaIntegration`, /role's ARN/],
    ["a role that is gone", () => undefined, undefined, /role's ARN/],
    ["the policy tracked under another ARN", (state, managed) => (state.resources.find((r: any) => `${r.type}.${r.name}` === managed.policyAddress).instances[0].attributes.id = "arn:aws:iam::1:policy/x"), roleArn, /policy is tracked/],
    ["an output value changed", (state) => (state.outputs.region.value = "eu-west-1"), roleArn, /output region/],
  ];
  test.each(ID_CASES)("GIVEN %s WHEN the IDs are checked THEN they disagree", (_name, edit, liveArn, why) => {
    const managed = managedOf(CLEAN);
    const state = stateFor(managed);
    edit(state, managed);
    expect(idDisagreement(state, managed, liveArn)).toMatch(why);
  });
});

describe("reading state where it lives, without terraform", () => {
  const stackWith = (name: string, backend: unknown): Stack => {
    const stackDir = path.join(dir, "states", name);
    writeFile(stackDir, "cdk.tf.json", JSON.stringify({ terraform: { backend } }));
    return { name, dir: stackDir, accountId: CLEAN };
  };
  const noS3 = { s3: () => Promise.reject(new Error("no S3 here")) };

  test("GIVEN a local backend WHEN read THEN the file at the backend's path relative to the stack, absent as none, a held lock as an error", async () => {
    const stack = stackWith("local", { local: { path: "../../terraform.local.tfstate" } });
    const located = stateLocation(stack, {});
    expect(located).toEqual({ location: { kind: "local", file: path.join(dir, "terraform.local.tfstate") } });
    const location = (located as { location: any }).location;
    expect(await readState(location, noS3)).toEqual({});
    fs.writeFileSync(location.file, '{"version":4}');
    expect((await readState(location, noS3)).text).toBe('{"version":4}');
    fs.writeFileSync(path.join(dir, ".terraform.local.tfstate.lock.info"), "{}");
    await expect(readState(location, noS3)).rejects.toThrow(/locked/);
  });

  const stackWithCloudBlock = (name: string): Stack => {
    const stackDir = path.join(dir, "states", name);
    // As cdktf writes a CloudBackend: a `cloud` block beside (not inside) `backend`.
    writeFile(stackDir, "cdk.tf.json", JSON.stringify({ terraform: { cloud: { organization: "o", workspaces: { name: `trelica-${CLEAN}` } } } }));
    return { name, dir: stackDir, accountId: CLEAN };
  };

  test("GIVEN a Terraform Cloud backend, another workspace or an S3 argument not followed WHEN located THEN each is a doubt", () => {
    expect(stateLocation(stackWith("cloud", { cloud: { organization: "o" } }), {})).toEqual({ doubt: "its state is in Terraform Cloud, which rollout never reads" });
    expect(stateLocation(stackWithCloudBlock("cloud-block"), {})).toEqual({ doubt: "its state is in Terraform Cloud, which rollout never reads" });
    expect(stateLocation(stackWith("ws", { local: {} }), { TF_WORKSPACE: "staging" })).toEqual({ doubt: "TF_WORKSPACE selects workspace staging" });
    expect(stateLocation(stackWith("args", { local: {} }), { TF_CLI_ARGS_plan: "-replace=x" })).toEqual({ doubt: "TF_CLI_ARGS_plan set in the environment" });
    expect(stateLocation(stackWith("data-dir", { local: {} }), { TF_DATA_DIR: "/elsewhere" })).toEqual({ doubt: "TF_DATA_DIR set in the environment" });
    expect(stateLocation(stackWith("s3-profile", { s3: { bucket: "b", key: "k", region: "us-east-1", profile: "p" } }), {})).toEqual({ doubt: "the S3 backend sets profile" });
  });

  test("GIVEN stacks WHEN their state is named for a first line THEN in synth's words: local folders, or each backend", () => {
    const shown = (file: string) => path.relative(dir, file) || ".";
    expect(stateWhere([stackWith("a", { local: { path: "../../terraform.a.tfstate" } }), stackWith("b", { local: { path: "../../terraform.b.tfstate" } })], shown)).toBe("local state in .");
    expect(stateWhere([stackWith("default", undefined)], shown)).toBe("local state in states/default");
    expect(stateWhere([stackWith("s3", { s3: { bucket: "b", key: "k", region: "us-east-1" } })], shown)).toBe("state in the s3 backend");
    expect(stateWhere([stackWithCloudBlock("cloud-first"), stackWith("c", { local: { path: "../../terraform.c.tfstate" } })], shown)).toBe("state in the cloud backend and local state in .");
  });

  test("GIVEN an S3 backend WHEN read with the SDK from the fake AWS THEN the object's text, none when absent, and another account's bucket refused", async () => {
    fake.createBucket(MANAGEMENT, "trelica-state");
    fake.createBucket("222222222222", "not-ours");
    const env = fake.environmentFor(MANAGEMENT);
    const creds = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
    const readers = s3Readers(env, creds);
    const located = stateLocation(stackWith("s3", { s3: { bucket: "trelica-state", key: `accounts/${CLEAN}.tfstate`, region: "us-east-1", encrypt: true, use_lockfile: true } }), env);
    const location = (located as { location: any }).location;
    expect(location).toEqual({ kind: "s3", bucket: "trelica-state", key: `accounts/${CLEAN}.tfstate`, region: "us-east-1", roleArn: undefined, pathStyle: false });
    expect(await readState(location, readers)).toEqual({});
    fake.object("trelica-state", `accounts/${CLEAN}.tfstate`, '{"version":4,"serial":7}');
    const read = await readState(location, readers);
    expect(read.text).toBe('{"version":4,"serial":7}');
    expect(read.hash).toMatch(/^[0-9a-f]{64}$/);
    await expect(readState({ ...location, bucket: "not-ours" }, readers)).rejects.toThrow(/Access Denied/);
    expect(fake.requests.filter((request) => request.service === "s3").map((request) => `${request.action} ${request.status}`)).toEqual(["GetObject 404", "GetObject 200", "GetObject 403"]);
  });
});
