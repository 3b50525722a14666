/*
 * Values known only at plan or apply time: every prop that ends up in Terraform takes a TerraformVariable,
 * a data source's attribute or an Fn expression, passed through to the synthesized stack; then real
 * terraform plans that stack against the fake AWS, with the variables given by -var, and the plan holds
 * the values they resolve to. The literal refusals, the refusals of text around tokens and the template's
 * refusals of tokens are rows of test/fixtures/messages.yaml.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsDefaultTags } from "@cdktf/provider-aws/lib/data-aws-default-tags";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, Fn, Testing, TerraformStack, TerraformVariable, Token } from "../modules/cdk-flavour";
import { DEFAULT_TAGS, TrelicaIntegration, TrelicaIntegrationProps, TrelicaIntegrationValidationError, trustPolicy } from "../modules/trelica-integration";
import { FakeAws } from "../sandbox/fake-aws/fake-aws";
import { tempDir } from "./helpers/files";
import { copyStack, describeWithRealTerraform, installProvider, providerVersionFor, run, terraformEnv } from "./helpers/real-terraform";

const ACCOUNT = "111111111111";

/** The values the variables are given with -var, and what the data sources read from the fake AWS. */
const VARIABLES = {
  external_id: "org-from-a-variable",
  trelica_account_id: "377450845233",
  partition: "aws",
  boundary_account_id: "222222222222",
  max_session_duration: "7200",
  tags: '{ team = "platform" }',
  tag_value: "billing",
  policy_name: "TrelicaFromVariable",
  description: "described by a variable",
};

/** Three constructs, each with every prop from one kind of value known only later. */
function tokenStack(scope: TerraformStack): void {
  new AwsProvider(scope, "aws", { region: "us-east-1", defaultTags: [{ tags: { source: "default-tags" } }] });
  const variable = (name: keyof typeof VARIABLES, type: string) => new TerraformVariable(scope, name, { type });
  const byVariable: TrelicaIntegrationProps = {
    externalId: variable("external_id", "string").stringValue,
    trelicaAccountId: variable("trelica_account_id", "string").stringValue,
    partition: variable("partition", "string").stringValue,
    permissionsBoundaryArn: `arn:aws:iam::${variable("boundary_account_id", "string").stringValue}:policy/Boundary`,
    maxSessionDuration: variable("max_session_duration", "number").numberValue,
    tags: Token.asStringMap(variable("tags", "map(string)").value),
    policyName: variable("policy_name", "string").stringValue,
    description: variable("description", "string").stringValue,
  };
  const caller = new DataAwsCallerIdentity(scope, "caller");
  const partition = new DataAwsPartition(scope, "this_partition");
  const byDataSource: TrelicaIntegrationProps = {
    externalId: caller.userId,
    trelicaAccountId: caller.accountId,
    partition: partition.partition,
    permissionsBoundaryArn: `arn:${partition.partition}:iam::${caller.accountId}:policy/Boundary`,
    // No data source of this provider reads a number without an API the fake lacks: a number made from one.
    maxSessionDuration: Token.asNumber(Fn.sum([3600, Fn.tonumber(Fn.substr(caller.accountId, 0, 1))])),
    tags: Token.asStringMap(new DataAwsDefaultTags(scope, "default_tags").tags),
    policyName: `Trelica${caller.accountId}`,
    description: partition.dnsSuffix,
  };
  const tagValue = variable("tag_value", "string").stringValue;
  const byFn: TrelicaIntegrationProps = {
    externalId: Fn.lower("ORG-FROM-FN"),
    trelicaAccountId: Fn.format("%s", ["377450845233"]),
    partition: Fn.trimspace(" aws "),
    permissionsBoundaryArn: Fn.format("arn:aws:iam::%s:policy/Boundary", [ACCOUNT]),
    maxSessionDuration: Token.asNumber(Fn.max([3600, 10800])),
    tags: { team: Fn.upper(tagValue), [Fn.lower("Cost-Center")]: "42" },
    policyName: Fn.join("-", ["Trelica", "Fn"]),
    description: Fn.title("described by fn"),
  };
  new TrelicaIntegration(scope, "by_variable", byVariable);
  new TrelicaIntegration(scope, "by_data_source", byDataSource);
  new TrelicaIntegration(scope, "by_fn", byFn);
}

function synthesized(): any {
  return JSON.parse(Testing.synthScope((scope) => tokenStack(scope as TerraformStack)));
}

/** The one resource of `type` a construct made, by the construct's id. */
function resourceOf(stack: any, type: string, constructId: string): any {
  const entries = Object.entries<any>(stack.resource[type]).filter(([name]) => name.startsWith(`${constructId}_`));
  expect(entries).toHaveLength(1);
  return entries[0][1];
}

describe("props known only at plan or apply time", () => {
  const stack = synthesized();

  test("GIVEN every prop from a TerraformVariable THEN each reaches its attribute as a reference to the variable", () => {
    const role = resourceOf(stack, "aws_iam_role", "by_variable");
    const policy = resourceOf(stack, "aws_iam_policy", "by_variable");
    // Terraform's jsonencode of the trust policy, the values as references (escaped by Terraform, not pasted into JSON).
    expect(role.assume_role_policy).toBe(
      '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Principal" = {"AWS" = "arn:${var.partition}:iam::${var.trelica_account_id}:root"}, "Action" = "sts:AssumeRole", "Condition" = {"StringEquals" = {"sts:ExternalId" = var.external_id}}}]})}',
    );
    expect(role.permissions_boundary).toBe("arn:aws:iam::${var.boundary_account_id}:policy/Boundary");
    expect(role.max_session_duration).toBe("${var.max_session_duration}");
    expect(role.description).toBe("${var.description}");
    expect(policy.name).toBe("${var.policy_name}");
    // A whole map known later: merged by Terraform with ours last, so ours always hold.
    const merged = '${merge(var.tags, {"managed-by" = "trelica-aws-role", "third-party" = "trelica"})}';
    expect(role.tags).toBe(merged);
    expect(policy.tags).toBe(merged);
  });

  test("GIVEN every prop from a data source's attribute THEN each reaches its attribute as a reference to the data source", () => {
    const role = resourceOf(stack, "aws_iam_role", "by_data_source");
    const policy = resourceOf(stack, "aws_iam_policy", "by_data_source");
    expect(role.assume_role_policy).toContain('"AWS" = "arn:${data.aws_partition.this_partition.partition}:iam::${data.aws_caller_identity.caller.account_id}:root"');
    expect(role.assume_role_policy).toContain('"sts:ExternalId" = data.aws_caller_identity.caller.user_id');
    expect(role.permissions_boundary).toBe("arn:${data.aws_partition.this_partition.partition}:iam::${data.aws_caller_identity.caller.account_id}:policy/Boundary");
    expect(role.max_session_duration).toBe("${sum([3600, tonumber(substr(data.aws_caller_identity.caller.account_id, 0, 1))])}");
    expect(role.description).toBe("${data.aws_partition.this_partition.dns_suffix}");
    expect(role.tags).toBe('${merge(data.aws_default_tags.default_tags.tags, {"managed-by" = "trelica-aws-role", "third-party" = "trelica"})}');
    expect(policy.name).toBe("Trelica${data.aws_caller_identity.caller.account_id}");
  });

  test("GIVEN every prop from an Fn expression THEN each reaches its attribute as that expression, and tag values beside literal ones", () => {
    const role = resourceOf(stack, "aws_iam_role", "by_fn");
    const policy = resourceOf(stack, "aws_iam_policy", "by_fn");
    expect(role.assume_role_policy).toContain('"sts:ExternalId" = lower("ORG-FROM-FN")');
    expect(role.assume_role_policy).toContain('"AWS" = "arn:${trimspace(" aws ")}:iam::${format("%s", "377450845233")}:root"');
    expect(role.permissions_boundary).toBe('${format("arn:aws:iam::%s:policy/Boundary", "111111111111")}');
    expect(role.max_session_duration).toBe("${max(3600, 10800)}");
    expect(role.description).toBe('${title("described by fn")}');
    expect(role.tags).toEqual({ ...DEFAULT_TAGS, team: "${upper(var.tag_value)}", '${lower("Cost-Center")}': "42" });
    expect(policy.name).toBe('${join("-", ["Trelica", "Fn"])}');
  });

  test("GIVEN only literal props THEN the policies are the same JSON text as ever (no jsonencode)", () => {
    const literal = JSON.parse(Testing.synthScope((scope) => void new TrelicaIntegration(scope, "trelica", { externalId: "org-1", trelicaAccountId: "123456789012" })));
    const [role] = Object.values<any>(literal.resource.aws_iam_role);
    expect(role.assume_role_policy).toBe(JSON.stringify(trustPolicy({ externalId: "org-1", trelicaAccountId: "123456789012" })));
  });

  test("GIVEN tokens THEN cloudFormationTemplate refuses each, naming the prop, and a literal problem beside them is still reported", () => {
    const refusal = (() => {
      try {
        Testing.synthScope((scope) => {
          const variable = new TerraformVariable(scope, "v", { type: "string" });
          TrelicaIntegration.cloudFormationTemplate({
            externalId: variable.stringValue,
            trelicaAccountId: variable.stringValue,
            maxSessionDuration: Token.asNumber(variable.value),
            tags: { team: variable.stringValue },
            policyName: "has space",
          });
        });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(TrelicaIntegrationValidationError);
    expect((refusal as TrelicaIntegrationValidationError).problems).toEqual([
      '`externalId` must be text known when the template is rendered (cloudFormationTemplate cannot resolve a token), got "<token>"',
      '`trelicaAccountId` must be text known when the template is rendered (cloudFormationTemplate cannot resolve a token), got "<token>"',
      '`maxSessionDuration` must be a number known when the template is rendered (cloudFormationTemplate cannot resolve a token), got "<token>"',
      '`policyName` must be 1 to 128 characters of letters, digits and _+=,.@-, got "has space"',
      '`tags.team` must be text known when the template is rendered (cloudFormationTemplate cannot resolve a token), got "<token>"',
    ]);
  });

  test("GIVEN text around tokens THEN the text is checked: allowed text passes, refused text is named with <token> where the value stands", () => {
    const problems = (props: Partial<TrelicaIntegrationProps>) => {
      try {
        Testing.synthScope((scope) => {
          const token = new TerraformVariable(scope, "v", { type: "string" }).stringValue;
          const tokened = Object.fromEntries(Object.entries(props).map(([key, value]) => [key, typeof value === "string" ? value.replace("TOKEN", token) : value]));
          new TrelicaIntegration(scope, "trelica", { externalId: "org-1", ...tokened } as TrelicaIntegrationProps);
        });
        return [];
      } catch (error) {
        return (error as TrelicaIntegrationValidationError).problems;
      }
    };
    expect(problems({ externalId: "org-TOKEN", trelicaAccountId: "37745TOKEN", partition: "aws-TOKEN", policyName: "Trelica-TOKEN", description: "for TOKEN" })).toEqual([]);
    expect(problems({ trelicaAccountId: "acct-TOKEN" })).toEqual(['`trelicaAccountId` must be exactly 12 digits, as a string, got "acct-<token>"']);
    expect(problems({ partition: "AWS TOKEN" })).toEqual(['`partition` must be one of aws, aws-us-gov, aws-cn, got "AWS <token>"']);
    expect(problems({ policyName: "my policy TOKEN" })).toEqual(['`policyName` must be 1 to 128 characters of letters, digits and _+=,.@-, got "my policy <token>"']);
    expect(problems({ description: "${x} TOKEN" })).toEqual(['`description` must be up to 1000 printable characters, without "${" or "%{", got "${x} <token>"']);
  });
});

describeWithRealTerraform("props known only at plan or apply time, planned by the real terraform", (real) => {
  jest.setTimeout(600_000);
  const dir = tempDir("trelica-tokens-");
  let fake: FakeAws;
  let planned: Record<string, any>;

  beforeAll(async () => {
    const app = new App({ outdir: path.join(dir, "out") });
    tokenStack(new TerraformStack(app, "tokens"));
    app.synth();
    // Nested, so a local backend's relative state path stays inside the scratch folder.
    const work = path.join(dir, "work", "a");
    const stackDir = copyStack(path.join(dir, "out"), "tokens", work);
    const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
    const provider = installProvider(real, dir, [providerVersionFor(json)]);
    fake = await FakeAws.start({ managementAccountId: ACCOUNT });
    const env = terraformEnv(fake, ACCOUNT, provider);
    const terraform = async (args: string[], codes: number[]) => {
      const result = await run(real.terraform, args, { cwd: stackDir, env, timeoutMs: 600_000 });
      if (!codes.includes(result.code ?? -1)) throw new Error(`terraform ${args[0]} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
      return result;
    };
    await terraform(["init", "-input=false", "-no-color"], [0]);
    const vars = Object.entries(VARIABLES).flatMap(([name, value]) => ["-var", `${name}=${value}`]);
    await terraform(["plan", "-input=false", "-no-color", "-lock=false", "-detailed-exitcode", "-out=tfplan", ...vars], [2]);
    const plan = JSON.parse((await terraform(["show", "-json", "tfplan"], [0])).stdout);
    planned = Object.fromEntries(plan.resource_changes.map((change: any) => [change.address, change.change.after]));
  });
  afterAll(async () => {
    await fake?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The planned role or policy of one construct. */
  const plannedOf = (type: string, constructId: string) => {
    const [address] = Object.keys(planned).filter((key) => key.startsWith(`${type}.${constructId}_`));
    return planned[address];
  };

  test("GIVEN the variables by -var THEN the planned role and policy hold their values, the trust is valid JSON with the external ID", () => {
    const role = plannedOf("aws_iam_role", "by_variable");
    const policy = plannedOf("aws_iam_policy", "by_variable");
    expect(JSON.parse(role.assume_role_policy)).toEqual(trustPolicy({ externalId: "org-from-a-variable" }));
    expect(role.permissions_boundary).toBe("arn:aws:iam::222222222222:policy/Boundary");
    expect(role.max_session_duration).toBe(7200);
    expect(role.description).toBe("described by a variable");
    expect(role.tags).toEqual({ ...DEFAULT_TAGS, team: "platform" });
    expect(policy.name).toBe("TrelicaFromVariable");
    expect(policy.tags).toEqual({ ...DEFAULT_TAGS, team: "platform" });
  });

  test("GIVEN data sources THEN the plan holds what they read from the fake AWS", () => {
    const role = plannedOf("aws_iam_role", "by_data_source");
    const trust = JSON.parse(role.assume_role_policy);
    expect(trust.Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${ACCOUNT}:root` });
    // The caller's user ID: the fake's IAM user terraform runs as.
    expect(trust.Statement[0].Condition.StringEquals["sts:ExternalId"]).toBe(fake.account(ACCOUNT).users.terraform.id);
    expect(role.permissions_boundary).toBe(`arn:aws:iam::${ACCOUNT}:policy/Boundary`);
    expect(role.max_session_duration).toBe(3601);
    expect(role.description).toBe("amazonaws.com");
    expect(role.tags).toEqual({ ...DEFAULT_TAGS, source: "default-tags" });
    expect(plannedOf("aws_iam_policy", "by_data_source").name).toBe(`Trelica${ACCOUNT}`);
  });

  test("GIVEN Fn expressions THEN the plan holds what Terraform computed", () => {
    const role = plannedOf("aws_iam_role", "by_fn");
    expect(JSON.parse(role.assume_role_policy)).toEqual(trustPolicy({ externalId: "org-from-fn" }));
    expect(role.permissions_boundary).toBe(`arn:aws:iam::${ACCOUNT}:policy/Boundary`);
    expect(role.max_session_duration).toBe(10800);
    expect(role.description).toBe("Described By Fn");
    expect(role.tags).toEqual({ ...DEFAULT_TAGS, team: "BILLING", "cost-center": "42" });
    expect(plannedOf("aws_iam_policy", "by_fn").name).toBe("Trelica-Fn");
  });

  test("GIVEN the plan THEN the fake AWS was asked for nothing it does not implement", () => {
    expect(fake.unimplemented).toEqual([]);
  });
});
