import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Lazy, Testing } from "../modules/cdk-flavour";
import { DEFAULT_TAGS, TAGS_RULE, TrelicaIntegration, TrelicaIntegrationProps, TrelicaIntegrationValidationError } from "../modules/trelica-integration";
import vendorPolicy from "./fixtures/vendor-policy.json";

function synth(props: TrelicaIntegrationProps): string {
  return Testing.synthScope((scope) => {
    new TrelicaIntegration(scope, "trelica", props);
  });
}

function resourcesOf(synthesized: string, type: string): Record<string, Record<string, unknown>> {
  return JSON.parse(synthesized).resource[type];
}

describe("TrelicaIntegration", () => {
  test("GIVEN only an external ID THEN the role is TrelicaIntegration at / with the vendor's trust and policy", () => {
    const out = synth({ externalId: "org-1" });
    expect(out).toHaveResourceWithProperties(IamRole, { name: "TrelicaIntegration", path: "/" });
    expect(out).toHaveResourceWithProperties(IamPolicy, { name: "TrelicaIntegrationReadOnly", path: "/" });
    expect(out).toHaveResource(IamRolePolicyAttachment);

    const [role] = Object.values(resourcesOf(out, "aws_iam_role"));
    expect(JSON.parse(role.assume_role_policy as string).Statement[0]).toEqual({
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::377450845233:root" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": "org-1" } },
    });
    const [policy] = Object.values(resourcesOf(out, "aws_iam_policy"));
    expect(JSON.parse(policy.policy as string)).toEqual(vendorPolicy);
  });

  test("GIVEN the attachment THEN it joins this role to this policy by reference", () => {
    const out = synth({ externalId: "org-1" });
    const [roleId] = Object.keys(resourcesOf(out, "aws_iam_role"));
    const [policyId] = Object.keys(resourcesOf(out, "aws_iam_policy"));
    const [attachment] = Object.values(resourcesOf(out, "aws_iam_role_policy_attachment"));
    expect(attachment.role).toBe(`\${aws_iam_role.${roleId}.name}`);
    expect(attachment.policy_arn).toBe(`\${aws_iam_policy.${policyId}.arn}`);
  });

  test("GIVEN optional props THEN the role carries them", () => {
    const out = synth({
      externalId: "org-1",
      services: { iam: true },
      partition: "aws-us-gov",
      trelicaAccountId: "123456789012",
      permissionsBoundaryArn: "arn:aws-us-gov:iam::111111111111:policy/Boundary",
      maxSessionDuration: 7200,
      tags: { owner: "platform" },
      policyName: "TrelicaRead",
      description: "Trelica",
    });
    expect(out).toHaveResourceWithProperties(IamRole, {
      permissions_boundary: "arn:aws-us-gov:iam::111111111111:policy/Boundary",
      max_session_duration: 7200,
      tags: { ...DEFAULT_TAGS, owner: "platform" },
      description: "Trelica",
    });
    expect(out).toHaveResourceWithProperties(IamPolicy, { name: "TrelicaRead", tags: { ...DEFAULT_TAGS, owner: "platform" } });
    const [role] = Object.values(resourcesOf(out, "aws_iam_role"));
    expect(JSON.parse(role.assume_role_policy as string).Statement[0].Principal).toEqual({
      AWS: "arn:aws-us-gov:iam::123456789012:root",
    });
    const [policy] = Object.values(resourcesOf(out, "aws_iam_policy"));
    expect(JSON.parse(policy.policy as string).Statement[0].Action).toEqual(["iam:ListUsers"]);
  });

  describe("default tags, so that an SCP can recognize the role and its policy", () => {
    const ownTags = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`t${i}`, "v"]));
    const problemsOf = (tags: Record<string, string>) => {
      try {
        synth({ externalId: "org-1", tags });
        return [];
      } catch (error) {
        return (error as TrelicaIntegrationValidationError).problems;
      }
    };

    test("GIVEN no tags THEN the role, the policy and the CloudFormation template's role carry managed-by and third-party", () => {
      const out = synth({ externalId: "org-1" });
      expect(DEFAULT_TAGS).toEqual({ "managed-by": "trelica-aws-role", "third-party": "trelica" });
      expect(out).toHaveResourceWithProperties(IamRole, { tags: DEFAULT_TAGS });
      expect(out).toHaveResourceWithProperties(IamPolicy, { tags: DEFAULT_TAGS });
      const template = TrelicaIntegration.cloudFormationTemplate({ externalId: "org-1", tags: { owner: "platform" } });
      expect(template.Resources.TrelicaIntegrationRole.Properties.Tags).toEqual([
        { Key: "managed-by", Value: "trelica-aws-role" },
        { Key: "third-party", Value: "trelica" },
        { Key: "owner", Value: "platform" },
      ]);
    });

    test("GIVEN a user tag repeating a default with its value THEN it is accepted and carried once", () => {
      expect(problemsOf({ "managed-by": "trelica-aws-role", owner: "platform" })).toEqual([]);
      expect(synth({ externalId: "org-1", tags: { "managed-by": "trelica-aws-role" } })).toHaveResourceWithProperties(IamRole, { tags: DEFAULT_TAGS });
    });

    test("GIVEN a user tag contradicting a default, or the same key in another case THEN it is refused, naming why", () => {
      expect(problemsOf({ "managed-by": "someone-else", "Third-Party": "trelica" })).toEqual([
        '`tags.managed-by` must be "trelica-aws-role", or no managed-by tag: the program tags every role and policy managed-by: trelica-aws-role, which an SCP may rely on to protect them (docs/security.md), got "someone-else"',
        '`tags.Third-Party` must be a tag key other than "third-party" in any case: the program tags every role and policy third-party: trelica itself, got "Third-Party"',
      ]);
    });

    test("GIVEN the defaults THEN they count toward IAM's limit: 48 tags of one's own pass, 49 do not", () => {
      const limit = TAGS_RULE.maxCount - Object.keys(DEFAULT_TAGS).length;
      expect(problemsOf(ownTags(limit))).toEqual([]);
      expect(problemsOf({ ...ownTags(limit), "managed-by": "trelica-aws-role" })).toEqual([]);
      expect(problemsOf(ownTags(limit + 1))).toEqual([
        expect.stringMatching(/^`tags` must be at most 48 tags besides managed-by: trelica-aws-role and third-party: trelica, which every role and policy carries \(IAM's limit is 50 per role and per policy\), not 49, got /),
      ]);
    });
  });

  test("GIVEN a role description THEN the policy keeps its fixed description, ignores a different one and is replaced create-before-destroy", () => {
    const [policy] = Object.values(resourcesOf(synth({ externalId: "org-1", description: "Our own words" }), "aws_iam_policy"));
    expect(policy.description).toBe(TrelicaIntegration.POLICY_DESCRIPTION);
    expect(policy.lifecycle).toEqual({ ignore_changes: ["description"], create_before_destroy: true });
    const [attachment] = Object.values(resourcesOf(synth({ externalId: "org-1" }), "aws_iam_role_policy_attachment"));
    expect(attachment.lifecycle).toEqual({ create_before_destroy: true });
  });

  test("GIVEN the construct THEN the role holds exactly our policy: any other managed or inline policy is removed by apply", () => {
    const out = synth({ externalId: "org-1" });
    const [policyId] = Object.keys(resourcesOf(out, "aws_iam_policy"));
    const [roleId] = Object.keys(resourcesOf(out, "aws_iam_role"));
    const [managed] = Object.values(resourcesOf(out, "aws_iam_role_policy_attachments_exclusive"));
    expect(managed).toMatchObject({ role_name: `\${aws_iam_role.${roleId}.name}`, policy_arns: [`\${aws_iam_policy.${policyId}.arn}`] });
    const [inline] = Object.values(resourcesOf(out, "aws_iam_role_policies_exclusive"));
    expect(inline).toMatchObject({ role_name: `\${aws_iam_role.${roleId}.name}`, policy_names: [] });
  });

  test("GIVEN the same props twice THEN the synthesized JSON is identical", () => {
    expect(synth({ externalId: "org-1", tags: { a: "1" } })).toBe(synth({ externalId: "org-1", tags: { a: "1" } }));
  });

  test("GIVEN several bad props THEN one error names each prop, its value and what is allowed", () => {
    let error: unknown;
    try {
      synth({
        externalId: "x",
        trelicaAccountId: "12345",
        services: { iam: false },
        maxSessionDuration: 60,
        permissionsBoundaryArn: "Boundary",
        policyName: "has space",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TrelicaIntegrationValidationError);
    const problems = (error as TrelicaIntegrationValidationError).problems;
    expect(problems).toEqual([
      '`externalId` must be 2 to 1224 characters of letters, digits and _+=,.@:/-, got "x"',
      '`trelicaAccountId` must be exactly 12 digits, as a string, got "12345"',
      '`services` must be a set of flags with at least one service on, got {"iam":false}',
      "`maxSessionDuration` must be whole seconds from 3600 (1 hour) to 43200 (12 hours), got 60",
      '`permissionsBoundaryArn` must be an IAM policy ARN such as arn:aws:iam::123456789012:policy/Boundary, got "Boundary"',
      '`policyName` must be 1 to 128 characters of letters, digits and _+=,.@-, got "has space"',
    ]);
  });

  test("GIVEN permissionsBoundaryArn as an unresolved token THEN validation waits for synthesis, where the role holds its resolved value", () => {
    const boundary = "arn:aws:iam::222222222222:policy/Boundary";
    const roles = resourcesOf(synth({ externalId: "org-1", permissionsBoundaryArn: Lazy.stringValue({ produce: () => boundary }) }), "aws_iam_role");
    expect(Object.values(roles).map((role) => role.permissions_boundary)).toEqual([boundary]);
  });

  test("GIVEN a boundary ARN with a token where the account ID goes THEN it is accepted and resolved; with a token inside text that is no ARN THEN refused", () => {
    const account = Lazy.stringValue({ produce: () => "222222222222" });
    const roles = resourcesOf(synth({ externalId: "org-1", permissionsBoundaryArn: `arn:aws:iam::${account}:policy/Boundary` }), "aws_iam_role");
    expect(Object.values(roles).map((role) => role.permissions_boundary)).toEqual(["arn:aws:iam::222222222222:policy/Boundary"]);
    expect(() => synth({ externalId: "org-1", permissionsBoundaryArn: `not an arn ${account}` })).toThrow(/`permissionsBoundaryArn` must be an IAM policy ARN/);
  });

  test("GIVEN a boundary ARN as a token for a CloudFormation template THEN refused: the template is plain JSON and nothing would resolve it", () => {
    const arn = Lazy.stringValue({ produce: () => "arn:aws:iam::222222222222:policy/Boundary" });
    expect(() => TrelicaIntegration.cloudFormationTemplate({ externalId: "org-1", permissionsBoundaryArn: arn })).toThrow(
      "`permissionsBoundaryArn` must be text known when the template is rendered (cloudFormationTemplate cannot resolve a token), got \"<token>\"",
    );
  });

  test("GIVEN tags IAM refuses THEN each bad tag is named with the same rules as the config", () => {
    let error: unknown;
    try {
      synth({ externalId: "org-1", tags: { "aws:owner": "me", Team: "a", team: "b" } });
    } catch (caught) {
      error = caught;
    }
    expect((error as TrelicaIntegrationValidationError).problems).toEqual([
      '`tags.aws:owner` must be a tag key that does not start with "aws:" in any case (AWS reserves that prefix for its own tags), got "aws:owner"',
      '`tags.team` must be a tag key that differs from "Team" by more than case (IAM treats "Team" and "team" as the same key), got "team"',
    ]);
  });

  test("GIVEN an external ID with a character AWS refuses THEN it is rejected", () => {
    expect(() => synth({ externalId: "org 1" })).toThrow(/`externalId` must be/);
    expect(() => synth({ externalId: "x".repeat(1225) })).toThrow(/`externalId` must be/);
    expect(() => synth({ externalId: "x".repeat(1224) })).not.toThrow();
  });
});
