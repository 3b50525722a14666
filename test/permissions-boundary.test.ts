import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "../modules/cdk-flavour";
import { memberTemplate } from "../app/stacks/stackset";
import { groupByShape, synthesizeInBatches, synthesizeStacks, writeManifest } from "../app/stacks/synthesize";
import { TrelicaIntegration, TrelicaIntegrationValidationError } from "../modules/trelica-integration";
import { onlyResource, synthStacks } from "./helpers/app";
import { filesUnder, tempDir } from "./helpers/files";
import { resolve, resolveProblems, resolveStackSetConfig } from "./helpers/organization";
import { refusalOf } from "./helpers/refusal";

const dir = tempDir();
const TWO_ACCOUNTS = { trelicaOrganizationId: "org-42", managementAccountId: "111111111111", accounts: [{ id: "111111111111" }, { id: "222222222222" }] };
const withBoundary = (arn: string, extra: object = {}) => ({ ...TWO_ACCOUNTS, role: { permissionsBoundaryArn: arn }, ...extra });
const boundaryOf = (stack: { json: unknown }) => onlyResource(stack.json, "aws_iam_role").permissions_boundary;

const STACKSET = {
  trelicaOrganizationId: "org-42",
  mode: "stackset",
  managementAccountId: "111111111111",
  stackSet: { organizationalUnitIds: ["r-ab12"] },
};
const stackSetOf = (config: object) => resolveStackSetConfig(dir, config);
function stackSetProblems(config: object): string[] {
  return [...refusalOf(() => stackSetOf(config), "expected the config to be rejected").problems];
}

describe("role.permissionsBoundaryArn per account", () => {
  test("GIVEN {accountId} in the boundary ARN THEN each account's role has the policy of that name in its own account", () => {
    const stacks = synthStacks(resolve(dir, withBoundary("arn:aws:iam::{accountId}:policy/team/Boundary")));
    expect(stacks.map(boundaryOf)).toEqual(["arn:aws:iam::111111111111:policy/team/Boundary", "arn:aws:iam::222222222222:policy/team/Boundary"]);
  });

  test("GIVEN {accountId} in the boundary ARN THEN the members still share one shape, and synthesis by shape writes the same files as synthesizing each account on its own", () => {
    const members = ["222222222222", "333333333333", "444444444444"].map((id) => ({ id }));
    const { deployments } = resolve(dir, withBoundary("arn:aws:iam::{accountId}:policy/Boundary", { accounts: [...TWO_ACCOUNTS.accounts, ...members.slice(1)] }));
    // The management account differs (organizations on); the members are one shape, their IDs stamped in.
    expect(groupByShape(deployments).map((shape) => shape.members.length).sort()).toEqual([1, 3]);
    const byShape = path.join(dir, "by-shape");
    const oneByOne = path.join(dir, "one-by-one");
    synthesizeStacks(deployments, byShape);
    writeManifest(oneByOne, synthesizeInBatches(deployments, oneByOne));
    expect(filesUnder(byShape)).toEqual(filesUnder(oneByOne));
    const member = JSON.parse(fs.readFileSync(path.join(byShape, "stacks", "trelica-222222222222", "cdk.tf.json"), "utf8"));
    expect(boundaryOf({ json: member })).toBe("arn:aws:iam::222222222222:policy/Boundary");
  });

  test("GIVEN an AWS-managed boundary THEN every account's role has it as written", () => {
    const stacks = synthStacks(resolve(dir, withBoundary("arn:aws:iam::aws:policy/ReadOnlyAccess")));
    expect(stacks.map(boundaryOf)).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"]);
  });

  test("GIVEN one account's boundary and only that account THEN it is accepted", () => {
    const [stack] = synthStacks(resolve(dir, { trelicaOrganizationId: "org-42", deployment: { assumeRoleName: false }, role: { permissionsBoundaryArn: "arn:aws:iam::222222222222:policy/B" }, accounts: [{ id: "222222222222" }] }));
    expect(boundaryOf(stack)).toBe("arn:aws:iam::222222222222:policy/B");
  });

  test.each([
    [
      "one account's boundary for two accounts",
      withBoundary("arn:aws:iam::111111111111:policy/team/Boundary"),
      'role.permissionsBoundaryArn: got "arn:aws:iam::111111111111:policy/team/Boundary", a policy of account 111111111111, for 2 accounts; ' +
        "IAM refuses a boundary the role's account does not own (here 222222222222). Expected " +
        '"arn:aws:iam::{accountId}:policy/team/Boundary" ({accountId} becomes each account\'s ID, so each account needs that policy), ' +
        "or an AWS-managed policy (arn:aws:iam::aws:policy/...)",
    ],
    [
      "another account's boundary for the one account",
      { trelicaOrganizationId: "org-42", deployment: { assumeRoleName: false }, role: { permissionsBoundaryArn: "arn:aws:iam::999999999999:policy/B" }, accounts: [{ id: "222222222222" }] },
      'role.permissionsBoundaryArn: got "arn:aws:iam::999999999999:policy/B", a policy of account 999999999999, for 1 account; IAM refuses a boundary the role\'s account does not own (here 222222222222)',
    ],
    [
      "a boundary of another partition",
      withBoundary("arn:aws-cn:iam::{accountId}:policy/Boundary"),
      'role.permissionsBoundaryArn: got "arn:aws-cn:iam::{accountId}:policy/Boundary", an ARN of the aws-cn partition; expected one of the aws partition, where the role is (region us-east-1)',
    ],
    [
      "a placeholder in the wrong place",
      withBoundary("arn:aws:iam::111111111111:policy/{accountId}"),
      'role.permissionsBoundaryArn: got "arn:aws:iam::111111111111:policy/{accountId}"; expected an IAM policy ARN: arn:aws:iam::{accountId}:policy/Boundary for the policy of that name in each account',
    ],
  ])("GIVEN %s THEN the config is refused, naming the field, the value and what to write instead", (_case, config, expected) => {
    expect(resolveProblems(dir, config)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });
});

describe("role.permissionsBoundaryArn in mode: stackset", () => {
  test("GIVEN {accountId} in the boundary ARN THEN the member template names each account's own policy with Fn::Sub, and the management account's role its own", () => {
    const deployment = stackSetOf({ ...STACKSET, role: { permissionsBoundaryArn: "arn:aws:iam::{accountId}:policy/team/Boundary" } });
    expect(memberTemplate(deployment).Resources.TrelicaIntegrationRole.Properties.PermissionsBoundary).toEqual({
      "Fn::Sub": "arn:aws:iam::${AWS::AccountId}:policy/team/Boundary",
    });
    expect(deployment.management.integration.permissionsBoundaryArn).toBe("arn:aws:iam::111111111111:policy/team/Boundary");
  });

  test("GIVEN an AWS-managed boundary THEN the member template carries it as written", () => {
    const deployment = stackSetOf({ ...STACKSET, role: { permissionsBoundaryArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } });
    expect(memberTemplate(deployment).Resources.TrelicaIntegrationRole.Properties.PermissionsBoundary).toBe("arn:aws:iam::aws:policy/ReadOnlyAccess");
  });

  test("GIVEN one account's boundary THEN the config is refused: the stack set puts the role in many accounts", () => {
    expect(stackSetProblems({ ...STACKSET, role: { permissionsBoundaryArn: "arn:aws:iam::111111111111:policy/Boundary" } })).toEqual([
      'role.permissionsBoundaryArn: got "arn:aws:iam::111111111111:policy/Boundary", a policy of account 111111111111; with mode: stackset the role is in every enrolled account, ' +
        'and IAM refuses a boundary the role\'s account does not own. Expected "arn:aws:iam::{accountId}:policy/Boundary" ' +
        "({accountId} becomes each account's ID, so each account needs that policy), or an AWS-managed policy (arn:aws:iam::aws:policy/...)",
    ]);
  });
});

describe("the construct and a boundary named per account", () => {
  test("GIVEN permissionsBoundaryPolicyName THEN the CloudFormation template renders it for the account it runs in, in the role's partition", () => {
    const template = TrelicaIntegration.cloudFormationTemplate({ externalId: "org-1", partition: "aws-us-gov", trelicaAccountId: "123456789012", permissionsBoundaryPolicyName: "Boundary" });
    expect(template.Resources.TrelicaIntegrationRole.Properties.PermissionsBoundary).toEqual({ "Fn::Sub": "arn:aws-us-gov:iam::${AWS::AccountId}:policy/Boundary" });
  });

  test("GIVEN permissionsBoundaryPolicyName to the Terraform construct, or beside an ARN THEN it is refused, saying what to give instead", () => {
    const problemsOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        if (error instanceof TrelicaIntegrationValidationError) return error.problems;
        throw error;
      }
      throw new Error("expected the props to be refused");
    };
    const construct = () => Testing.synthScope((scope) => new TrelicaIntegration(scope, "trelica", { externalId: "org-1", permissionsBoundaryPolicyName: "Boundary" }));
    expect(problemsOf(construct)).toEqual([
      '`permissionsBoundaryPolicyName` must be left out of a Terraform stack, which knows its account: give permissionsBoundaryArn with that account\'s ID (only cloudFormationTemplate resolves a policy name per account), got "Boundary"',
    ]);
    expect(
      problemsOf(() =>
        TrelicaIntegration.cloudFormationTemplate({ externalId: "org-1", permissionsBoundaryArn: "arn:aws:iam::aws:policy/X", permissionsBoundaryPolicyName: "Boundary" }),
      ),
    ).toEqual(['`permissionsBoundaryPolicyName` must be left out when permissionsBoundaryArn is given (one boundary per role), got "Boundary"']);
  });
});
