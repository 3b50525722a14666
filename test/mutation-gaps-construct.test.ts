/*
 * Behaviour a mutation run (npm run test:mutation) showed no test pinned down: the CloudFormation
 * template's props one by one, the exclusive attachment's ordering, props checked at run time as
 * JavaScript or a jsii language would pass them, and the limits on both sides.
 */
import { Lazy, TerraformVariable, Testing, Token } from "../modules/cdk-flavour";
import {
  actionsFor,
  ALL_SERVICES,
  CFN_EXTERNAL_ID_PARAMETER,
  CFN_POLICY_LOGICAL_ID,
  CFN_ROLE_LOGICAL_ID,
  enabledServices,
  permissionPolicy,
  TrelicaIntegration,
  TrelicaIntegrationProps,
  TrelicaPolicies,
  TrelicaServices,
  trustPolicy,
} from "../modules/trelica-integration";

const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    return (error as { problems?: string[] }).problems ?? [String(error)];
  }
  return [];
};
const templateProblems = (props: TrelicaIntegrationProps) => problemsOf(() => TrelicaIntegration.cloudFormationTemplate(props));
const constructProblems = (props: TrelicaIntegrationProps) => problemsOf(() => Testing.synthScope((scope) => new TrelicaIntegration(scope, "trelica", props)));
const roleOf = (props: TrelicaIntegrationProps) => TrelicaIntegration.cloudFormationTemplate(props).Resources[CFN_ROLE_LOGICAL_ID].Properties;
const synthesized = (props: TrelicaIntegrationProps) => JSON.parse(Testing.synthScope((scope) => new TrelicaIntegration(scope, "trelica", props))).resource;

describe("the CloudFormation template, prop by prop", () => {
  test("GIVEN a custom trelicaAccountId and partition THEN the template trusts that account in that partition, the external ID from the parameter", () => {
    const role = roleOf({ externalId: "org-1", trelicaAccountId: "123456789012", partition: "aws-us-gov" });
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws-us-gov:iam::123456789012:root" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "sts:ExternalId": { Ref: CFN_EXTERNAL_ID_PARAMETER } } },
        },
      ],
    });
  });

  test("GIVEN only an external ID THEN the role has exactly its default properties and the policy the vendor's", () => {
    const template = TrelicaIntegration.cloudFormationTemplate({ externalId: "org-1" });
    expect(template.Description).toBe("TrelicaIntegration: Read-only access for the Trelica SaaS management platform");
    expect(template.Parameters[CFN_EXTERNAL_ID_PARAMETER]).toEqual({
      Type: "String",
      Description: "Your Trelica organization ID (Trelica: user menu > Profile): the sts:ExternalId Trelica must present",
      Default: "org-1",
      AllowedPattern: "[\\w+=,.@:/-]{2,1224}",
      ConstraintDescription: "2 to 1224 characters of letters, digits and _+=,.@:/-",
    });
    const { AssumeRolePolicyDocument, ...role } = template.Resources[CFN_ROLE_LOGICAL_ID].Properties;
    expect((AssumeRolePolicyDocument as { Statement: { Principal: unknown }[] }).Statement[0].Principal).toEqual({ AWS: "arn:aws:iam::377450845233:root" });
    expect(role).toEqual({
      RoleName: "TrelicaIntegration",
      Path: "/",
      Description: "Read-only access for the Trelica SaaS management platform",
      ManagedPolicyArns: [{ Ref: CFN_POLICY_LOGICAL_ID }],
      Tags: [
        { Key: "managed-by", Value: "trelica-aws-role" },
        { Key: "third-party", Value: "trelica" },
      ],
    });
    expect(template.Resources[CFN_POLICY_LOGICAL_ID]).toEqual({
      Type: "AWS::IAM::ManagedPolicy",
      DeletionPolicy: "Delete",
      Properties: {
        ManagedPolicyName: "TrelicaIntegrationReadOnly",
        Path: "/",
        Description: "Read-only access for the Trelica SaaS management platform",
        PolicyDocument: permissionPolicy({ cognito: true, connect: true, iam: true, organizations: true }),
      },
    });
  });

  test("GIVEN maxSessionDuration, a description, a policy name, services and tags THEN each reaches its property", () => {
    const template = TrelicaIntegration.cloudFormationTemplate({
      externalId: "org-1",
      maxSessionDuration: 7200,
      description: "Trelica reads here",
      policyName: "TrelicaCustom",
      services: { cognito: true, iam: true, organizations: true },
      tags: { team: "identity" },
    });
    const role = template.Resources[CFN_ROLE_LOGICAL_ID].Properties;
    expect(role.MaxSessionDuration).toBe(7200);
    expect(role.Description).toBe("Trelica reads here");
    expect(template.Description).toBe("TrelicaIntegration: Trelica reads here");
    expect(role.Tags).toEqual([
      { Key: "managed-by", Value: "trelica-aws-role" },
      { Key: "third-party", Value: "trelica" },
      { Key: "team", Value: "identity" },
    ]);
    const policy = template.Resources[CFN_POLICY_LOGICAL_ID].Properties;
    expect(policy.ManagedPolicyName).toBe("TrelicaCustom");
    // The policy's description stays fixed whatever the role's (CloudFormation replaces a policy to change it).
    expect(policy.Description).toBe("Read-only access for the Trelica SaaS management platform");
    expect(policy.PolicyDocument).toEqual(permissionPolicy({ cognito: true, iam: true, organizations: true }));
    expect(policy.PolicyDocument).not.toEqual(permissionPolicy({ cognito: true, connect: true, iam: true, organizations: true }));
  });

  test("GIVEN a boundary ARN THEN the role carries it as given; GIVEN a boundary policy name THEN the ARN of the stack's own account, in the partition", () => {
    expect(roleOf({ externalId: "org-1", permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/Boundary" }).PermissionsBoundary).toBe(
      "arn:aws:iam::123456789012:policy/Boundary",
    );
    expect(roleOf({ externalId: "org-1", permissionsBoundaryPolicyName: "team/Boundary" }).PermissionsBoundary).toEqual({
      "Fn::Sub": "arn:aws:iam::${AWS::AccountId}:policy/team/Boundary",
    });
    expect(roleOf({ externalId: "org-1", partition: "aws-cn", trelicaAccountId: "123456789012", permissionsBoundaryPolicyName: "Boundary" }).PermissionsBoundary).toEqual({
      "Fn::Sub": "arn:aws-cn:iam::${AWS::AccountId}:policy/Boundary",
    });
  });
});

describe("the construct's resources", () => {
  test("GIVEN the construct THEN the exclusive attachment waits for our attachment, which would otherwise be detached as foreign", () => {
    const resources = synthesized({ externalId: "org-1" });
    const [exclusive] = Object.values<{ depends_on: string[]; role_name: string; policy_arns: string[] }>(resources.aws_iam_role_policy_attachments_exclusive);
    const [attachment] = Object.keys(resources.aws_iam_role_policy_attachment);
    const [policy] = Object.keys(resources.aws_iam_policy);
    expect(exclusive.depends_on).toEqual([`aws_iam_role_policy_attachment.${attachment}`]);
    expect(exclusive.policy_arns).toEqual([`\${aws_iam_policy.${policy}.arn}`]);
    const [inline] = Object.values<{ policy_names: string[] }>(resources.aws_iam_role_policies_exclusive);
    expect(inline.policy_names).toEqual([]);
  });

  test("GIVEN a custom trelicaAccountId and partition THEN the role's trust names them", () => {
    const [role] = Object.values<{ assume_role_policy: string }>(synthesized({ externalId: "org-1", trelicaAccountId: "123456789012", partition: "aws-cn" }).aws_iam_role);
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ AWS: "arn:aws-cn:iam::123456789012:root" });
  });
});

describe("props as JavaScript passes them", () => {
  test.each([
    ["left out", undefined, "undefined"],
    ["null", null, "null"],
    ["a number", 12345, "12345"],
  ])("GIVEN externalId %s THEN both the construct and the template refuse it", (_what, externalId, shown) => {
    const props = { externalId } as unknown as TrelicaIntegrationProps;
    const problem = `\`externalId\` must be 2 to 1224 characters of letters, digits and _+=,.@:/-, got ${shown}`;
    expect(constructProblems(props)).toEqual([problem]);
    expect(templateProblems(props)).toEqual([problem]);
  });
});

describe("limits on both sides", () => {
  test.each([3600, 43200])("GIVEN maxSessionDuration %i THEN it is accepted", (seconds) => {
    expect(constructProblems({ externalId: "org-1", maxSessionDuration: seconds })).toEqual([]);
    expect(roleOf({ externalId: "org-1", maxSessionDuration: seconds }).MaxSessionDuration).toBe(seconds);
  });

  test.each([3599, 43201, 3600.5])("GIVEN maxSessionDuration %d THEN it is refused", (seconds) => {
    expect(templateProblems({ externalId: "org-1", maxSessionDuration: seconds })).toEqual([
      `\`maxSessionDuration\` must be whole seconds from 3600 (1 hour) to 43200 (12 hours), got ${seconds}`,
    ]);
  });

  const ownTags = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`t${i}`, "v"]));
  const COUNT = (n: number) =>
    `at most 48 tags besides managed-by: trelica-aws-role and third-party: trelica, which every role and policy carries (IAM's limit is 50 per role and per policy), not ${n}`;

  test("GIVEN 48 own tags and the default tags repeated THEN they fit", () => {
    expect(templateProblems({ externalId: "org-1", tags: { ...ownTags(48), "managed-by": "trelica-aws-role", "third-party": "trelica" } })).toEqual([]);
  });

  test("GIVEN 48 own tags and a default tag with another value THEN that tag counts as a 49th, besides being refused", () => {
    const problems = templateProblems({ externalId: "org-1", tags: { ...ownTags(48), "managed-by": "other" } });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(new RegExp(`^\`tags\` must be ${COUNT(49).replace(/[()]/g, "\\$&")}, got \\{"t0":"v"`));
    expect(problems[1]).toBe(
      '`tags.managed-by` must be "trelica-aws-role", or no managed-by tag: the program tags every role and policy managed-by: trelica-aws-role, which an SCP may rely on to protect them (docs/security.md), got "other"',
    );
  });

  test("GIVEN 48 own tags and a default tag's key in another case with our value THEN it counts as a 49th, besides being refused", () => {
    const problems = templateProblems({ externalId: "org-1", tags: { ...ownTags(48), "Managed-By": "trelica-aws-role" } });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain(COUNT(49));
    expect(problems[1]).toMatch(/^`tags.Managed-By` must be a tag key other than "managed-by" in any case/);
  });

  test("GIVEN a tag value that is a number, as JavaScript may pass it THEN refused", () => {
    const tags = { team: 5 } as unknown as Record<string, string>;
    expect(templateProblems({ externalId: "org-1", tags })).toEqual(["`tags.team` must be a tag value of 0 to 256 characters of letters, digits, spaces and _.:/=+-@, got 5"]);
  });

  test("GIVEN 49 own tags THEN the count is refused; GIVEN a default tag's key in another case THEN it is refused as that tag", () => {
    expect(templateProblems({ externalId: "org-1", tags: ownTags(49) })[0]).toContain(COUNT(49));
    expect(templateProblems({ externalId: "org-1", tags: { "Managed-By": "trelica-aws-role" } })).toEqual([
      '`tags.Managed-By` must be a tag key other than "managed-by" in any case: the program tags every role and policy managed-by: trelica-aws-role itself, got "Managed-By"',
    ]);
  });
});

describe("the policy's and attachment's lifecycle, and the error itself", () => {
  test("GIVEN the construct THEN the policy keeps an adopted policy's description, both it and the attachment are replaced create-before-destroy, and it carries the role's tags", () => {
    const resources = synthesized({ externalId: "org-1", tags: { team: "identity" } });
    const [policy] = Object.values<{ lifecycle: unknown; tags: unknown }>(resources.aws_iam_policy);
    const [attachment] = Object.values<{ lifecycle: unknown }>(resources.aws_iam_role_policy_attachment);
    const [role] = Object.values<{ tags: unknown }>(resources.aws_iam_role);
    expect(policy.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ["description"] });
    expect(attachment.lifecycle).toEqual({ create_before_destroy: true });
    expect(policy.tags).toEqual({ "managed-by": "trelica-aws-role", "third-party": "trelica", team: "identity" });
    expect(role.tags).toEqual(policy.tags);
  });

  test("GIVEN two problems THEN one error, named, listing both on their own lines", () => {
    let error: unknown;
    try {
      TrelicaIntegration.cloudFormationTemplate({ externalId: "x", maxSessionDuration: 1 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("TrelicaIntegrationValidationError");
    expect((error as Error).message).toBe(
      [
        "Invalid TrelicaIntegration props:",
        "  - `externalId` must be 2 to 1224 characters of letters, digits and _+=,.@:/-, got \"x\"",
        "  - `maxSessionDuration` must be whole seconds from 3600 (1 hour) to 43200 (12 hours), got 1",
      ].join("\n"),
    );
  });

  test("GIVEN a refused value whose JSON is 80 characters THEN it is shown whole; 81 THEN cut to 77 and an ellipsis", () => {
    const name = (length: number) => "!".repeat(length);
    const POLICY_NAME = "1 to 128 characters of letters, digits and _+=,.@-";
    expect(templateProblems({ externalId: "org-1", policyName: name(78) })).toEqual([`\`policyName\` must be ${POLICY_NAME}, got "${name(78)}"`]);
    expect(templateProblems({ externalId: "org-1", policyName: name(79) })).toEqual([`\`policyName\` must be ${POLICY_NAME}, got "${name(76)}...`]);
  });
});

describe("tokens, prop by prop", () => {
  const text = (value: string) => Lazy.stringValue({ produce: () => value });
  const TEXT_NOW = "text known when the template is rendered (cloudFormationTemplate cannot resolve a token)";
  const NUMBER_NOW = "a number known when the template is rendered (cloudFormationTemplate cannot resolve a token)";
  const tokenProps: [string, Partial<TrelicaIntegrationProps>, string, string][] = [
    ["externalId", { externalId: text("org-1") }, "externalId", TEXT_NOW],
    ["trelicaAccountId", { trelicaAccountId: text("123456789012") }, "trelicaAccountId", TEXT_NOW],
    ["partition", { partition: text("aws") }, "partition", TEXT_NOW],
    ["maxSessionDuration", { maxSessionDuration: Token.asNumber(Lazy.numberValue({ produce: () => 7200 })) }, "maxSessionDuration", NUMBER_NOW],
    ["policyName", { policyName: text("TrelicaCustom") }, "policyName", TEXT_NOW],
    ["description", { description: text("Trelica reads here") }, "description", TEXT_NOW],
    ["the tags as a whole", { tags: Token.asStringMap(Lazy.anyValue({ produce: () => ({ team: "identity" }) })) }, "tags", TEXT_NOW],
    ["a tag's value", { tags: { team: text("identity") } }, "tags.team", TEXT_NOW],
  ];

  test.each(tokenProps)("GIVEN %s as a token THEN a Terraform stack takes it as it is", (_what, props) => {
    expect(constructProblems({ externalId: "org-1", ...props })).toEqual([]);
  });

  test.each(tokenProps)("GIVEN %s as a token THEN a template refuses it, naming that prop", (_what, props, prop, allowed) => {
    expect(templateProblems({ externalId: "org-1", ...props })).toEqual([`\`${prop}\` must be ${allowed}, got "<token>"`]);
  });

  test("GIVEN text around a token THEN the text is checked, each prop by its own rule, and shown with the token's place", () => {
    const token = text("x");
    expect(
      constructProblems({
        externalId: `org!${token}`,
        trelicaAccountId: `12a${token}`,
        partition: `AWS${token}`,
        policyName: `a b${token}`,
        description: `\${${token}`,
        tags: { [`bad key!${token}`]: "v", team: `bad value!${token}` },
      }),
    ).toEqual([
      '`externalId` must be 2 to 1224 characters of letters, digits and _+=,.@:/-, got "org!<token>"',
      '`trelicaAccountId` must be exactly 12 digits, as a string, got "12a<token>"',
      '`partition` must be one of aws, aws-us-gov, aws-cn, got "AWS<token>"',
      '`policyName` must be 1 to 128 characters of letters, digits and _+=,.@-, got "a b<token>"',
      '`description` must be up to 1000 printable characters, without "${" or "%{", got "${<token>"',
      '`tags.bad key!<token>` must be a tag key of 1 to 128 characters of letters, digits, spaces and _.:/=+-@, got "bad key!<token>"',
      '`tags.team` must be a tag value of 0 to 256 characters of letters, digits, spaces and _.:/=+-@, got "bad value!<token>"',
    ]);
  });

  test("GIVEN good text around tokens THEN a Terraform stack takes every prop", () => {
    const token = text("1");
    expect(
      constructProblems({
        externalId: `org-${token}`,
        trelicaAccountId: `12345678901${token}`,
        partition: `aws-${token}`,
        policyName: `Trelica${token}`,
        description: `Trelica ${token}`,
        tags: { [`team-${token}`]: "v", team: `id-${token}` },
      }),
    ).toEqual([]);
  });

  test("GIVEN a token for the value of a tag of ours THEN refused, shown as a token; a token for another tag's key THEN it counts as one more tag", () => {
    expect(constructProblems({ externalId: "org-1", tags: { "managed-by": text("trelica-aws-role") } })).toEqual([
      '`tags.managed-by` must be "trelica-aws-role", or no managed-by tag: the program tags every role and policy managed-by: trelica-aws-role, which an SCP may rely on to protect them (docs/security.md), got "<token>"',
    ]);
    const own = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`t${i}`, "v"]));
    expect(constructProblems({ externalId: "org-1", tags: { ...own, [text("k1")]: "v" } })).toEqual([]);
    expect(constructProblems({ externalId: "org-1", tags: { ...own, [text("k1")]: "v", [text("k2")]: "v" } })[0]).toMatch(/^`tags` must be at most 48 tags besides .*, not 49, got /);
  });

  test("GIVEN a service that does not exist beside one that does THEN it is named; GIVEN a description with template syntax THEN a template refuses it too", () => {
    const services = { iam: true, lambda: true } as unknown as TrelicaIntegrationProps["services"];
    expect(templateProblems({ externalId: "org-1", services })).toEqual([
      '`services.lambda` must be a service name, one of cognito, connect, iam, organizations, got "lambda"',
    ]);
    expect(templateProblems({ externalId: "org-1", description: "costs %{x}" })).toEqual([
      '`description` must be up to 1000 printable characters, without "${" or "%{", got "costs %{x}"',
    ]);
  });
});

describe("the template's shape, the construct's ordering and the other languages' entry points", () => {
  test("GIVEN only an external ID THEN the template's version, the role's type and deletion policy, and no property left undefined", () => {
    const template = TrelicaIntegration.cloudFormationTemplate({ externalId: "org-1" });
    expect(template.AWSTemplateFormatVersion).toBe("2010-09-09");
    const { Properties, ...role } = template.Resources[CFN_ROLE_LOGICAL_ID];
    expect(role).toEqual({ Type: "AWS::IAM::Role", DeletionPolicy: "Delete" });
    expect(Object.keys(Properties)).toEqual(["RoleName", "Path", "Description", "AssumeRolePolicyDocument", "ManagedPolicyArns", "Tags"]);
  });

  test("GIVEN props THEN cloudFormationTemplateJson is the template as JSON, indented by two spaces", () => {
    const props = { externalId: "org-1", maxSessionDuration: 7200 };
    expect(TrelicaIntegration.cloudFormationTemplateJson(props)).toBe(JSON.stringify(TrelicaIntegration.cloudFormationTemplate(props), null, 2));
  });

  test("GIVEN the construct THEN its policy is written after its role (a new boundary reaches the role before the policy can change)", () => {
    const resources = synthesized({ externalId: "org-1" });
    const [role] = Object.keys(resources.aws_iam_role);
    const [policy] = Object.values<{ depends_on: string[] }>(resources.aws_iam_policy);
    expect(policy.depends_on).toEqual([`aws_iam_role.${role}`]);
  });

  test("GIVEN a whole tag map as a token THEN Terraform merges it with ours last, so ours win", () => {
    const stack = JSON.parse(
      Testing.synthScope((scope) => {
        const tags = new TerraformVariable(scope, "tags", { type: "map(string)" });
        new TrelicaIntegration(scope, "trelica", { externalId: "org-1", tags: Token.asStringMap(tags.value) });
      }),
    );
    const [role] = Object.values<{ tags: unknown }>(stack.resource.aws_iam_role);
    const [policy] = Object.values<{ tags: unknown }>(stack.resource.aws_iam_policy);
    expect(role.tags).toBe('${merge(var.tags, {"managed-by" = "trelica-aws-role", "third-party" = "trelica"})}');
    expect(policy.tags).toBe(role.tags);
  });

  test("GIVEN a token first and text after it THEN the text is still checked", () => {
    const token = Lazy.stringValue({ produce: () => "org" });
    expect(constructProblems({ externalId: `${token}!!` })).toEqual(['`externalId` must be 2 to 1224 characters of letters, digits and _+=,.@:/-, got "<token>!!"']);
  });

  test.each([
    ["trelicaAccountId", 123456789012, "exactly 12 digits, as a string"],
    ["policyName", 42, "1 to 128 characters of letters, digits and _+=,.@-"],
    ["description", 42, 'up to 1000 printable characters, without "${" or "%{"'],
    ["permissionsBoundaryArn", 42, "an IAM policy ARN such as arn:aws:iam::123456789012:policy/Boundary"],
  ])("GIVEN %s as a number, as JavaScript may pass it THEN refused rather than read as its digits", (prop, value, allowed) => {
    const props = { externalId: "org-1", [prop]: value } as unknown as TrelicaIntegrationProps;
    expect(constructProblems(props)).toEqual([`\`${prop}\` must be ${allowed}, got ${value}`]);
  });

  test("GIVEN a boundary policy name as a number in a template THEN refused", () => {
    const props = { externalId: "org-1", permissionsBoundaryPolicyName: 42 } as unknown as TrelicaIntegrationProps;
    expect(templateProblems(props)).toEqual([
      "`permissionsBoundaryPolicyName` must be a policy name (1 to 128 characters of letters, digits and _+=,.@-), optionally after a path such as team/, got 42",
    ]);
  });

  test("GIVEN TrelicaPolicies and TrelicaServices (jsii's entry points) THEN the same answers as the functions", () => {
    expect(TrelicaPolicies.trustPolicyJson({ externalId: "org-1", partition: "aws-cn", trelicaAccountId: "123456789012" })).toBe(
      JSON.stringify(trustPolicy({ externalId: "org-1", partition: "aws-cn", trelicaAccountId: "123456789012" })),
    );
    expect(TrelicaPolicies.permissionPolicyJson()).toBe(JSON.stringify(permissionPolicy(ALL_SERVICES)));
    expect(TrelicaPolicies.permissionPolicyJson({ iam: true })).toBe(JSON.stringify(permissionPolicy({ iam: true })));
    expect(TrelicaServices.enabled({ iam: true, cognito: true })).toEqual(enabledServices({ iam: true, cognito: true }));
    expect(TrelicaServices.enabled({ iam: true, cognito: true })).toEqual(["cognito", "iam"]);
    expect(TrelicaServices.actionsFor({ iam: true })).toEqual(actionsFor({ iam: true }));
    expect(TrelicaServices.actionsFor({ iam: true })).toContain("iam:ListUsers");
  });
});
