import { Partition } from "../../modules/trelica-integration";
import type { PolicyJson } from "../common/policy-json";
import { BOUNDARY_POLICY_NAME, readOnlyDeployerName } from "../config/deployer";
import { BOUNDARY_DESCRIPTION, boundaryPolicy, deployerTrustPolicy, deployingPolicy, EACH_ACCOUNT_ID } from "./policies";
import { verifyPolicy, verifyRoleResources } from "./verify-role";

/** Stands for the account's Trelica policy name in the template: resolved per account by Fn::If on the account ID. */
const EACH_POLICY_NAME = "${TrelicaPolicyName}";

/*
 * The stack set's template: what every member account of the targeted OUs gets. The deployer role and
 * its policy, made from the one action table, and TrelicaIntegrationBoundary beside them. The
 * deployer's policy names neither its own role nor its own policy, nor the boundary: it cannot widen
 * itself or lift the ceiling.
 */

export interface DeployerTemplateProps {
  readonly partition: Partition;
  readonly roleName: string;
  /** The Trelica policy's name in every account the stack set enrols, but those of `policyNameOf`. */
  readonly policyName: string;
  /** Accounts (of the config) whose Trelica policy has another name: each account's deployer names only its own. */
  readonly policyNameOf?: Readonly<Record<string, string>>;
  /** Member accounts marked adoptExisting: their deployer may take over a hand-made role (deployingPolicy). */
  readonly adoptingAccountIds?: readonly string[];
  /** Who may assume the deployer (rollout's callers, Terraform Cloud's apply role). */
  readonly principalArns: readonly string[];
  /** Terraform Cloud's plan role: it may assume only the read-only twin. */
  readonly planPrincipalArn?: string;
  /** Who may assume the verify role (the deployer's trustedPrincipalArns; none: no verify role). */
  readonly verifyPrincipalArns: readonly string[];
  readonly awsOrganizationId?: string;
}

export function deployerPolicyName(roleName: string): string {
  return `${roleName}Policy`;
}

export function deployerTemplate(props: DeployerTemplateProps): object {
  const names = policyNameChoice(props);
  const policyName = names.conditions === undefined ? props.policyName : EACH_POLICY_NAME;
  const eachAccount = (value: unknown) => resolvedPerAccount(value, names.expression);
  const managedPolicy = (name: string, description: string, document: PolicyJson) => ({
    Type: "AWS::IAM::ManagedPolicy",
    DeletionPolicy: "Delete",
    Properties: { ManagedPolicyName: name, Path: "/", Description: description, PolicyDocument: eachAccount(document) },
  });
  const resources: Record<string, object> = {
    Boundary: managedPolicy(BOUNDARY_POLICY_NAME, BOUNDARY_DESCRIPTION, boundaryPolicy()),
    DeployerPolicy: managedPolicy(
      deployerPolicyName(props.roleName),
      "Manage TrelicaIntegration and its policy, under TrelicaIntegrationBoundary; nothing else",
      deployingPolicy({ partition: props.partition, account: EACH_ACCOUNT_ID, policyName, access: "write", adoptingAccountIds: props.adoptingAccountIds }),
    ),
    Deployer: role(props.roleName, "Deploys TrelicaIntegration (trelica-aws-role rollout, cdktf deploy, Terraform Cloud apply)", props.principalArns, props.awsOrganizationId, "DeployerPolicy"),
  };
  if (props.planPrincipalArn !== undefined) {
    const readOnly = readOnlyDeployerName(props.roleName);
    resources.ReadOnlyPolicy = managedPolicy(
      deployerPolicyName(readOnly),
      "Read TrelicaIntegration and its policy: what a plan needs",
      deployingPolicy({ partition: props.partition, account: EACH_ACCOUNT_ID, policyName, access: "read" }),
    );
    resources.ReadOnlyDeployer = role(readOnly, "Terraform Cloud plans of TrelicaIntegration: read only", [props.planPrincipalArn], props.awsOrganizationId, "ReadOnlyPolicy");
  }
  // ---- verify's read-only role (app/deployer/verify-role.ts)
  Object.assign(
    resources,
    verifyRoleResources(props, {
      policy: managedPolicy,
      role: (name, description, principals, policyLogicalId) => role(name, description, principals, props.awsOrganizationId, policyLogicalId),
      document: verifyPolicy(props.partition, EACH_ACCOUNT_ID),
    }),
  );
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `${props.roleName} and ${BOUNDARY_POLICY_NAME} for trelica-aws-role`,
    ...(names.conditions === undefined ? {} : { Conditions: names.conditions }),
    Resources: resources,
  };
}

/**
 * The policy name as CloudFormation resolves it in each account: one condition per other name (the account ID
 * equals one of its accounts), nested Fn::If down to the common name. Undefined conditions: one name everywhere.
 */
function policyNameChoice(props: DeployerTemplateProps): { conditions?: Record<string, object>; expression: unknown } {
  const byName = new Map<string, string[]>();
  for (const [account, name] of Object.entries(props.policyNameOf ?? {}).sort()) {
    if (name !== props.policyName) byName.set(name, [...(byName.get(name) ?? []), account]);
  }
  if (byName.size === 0) return { expression: props.policyName };
  const conditions: Record<string, object> = {};
  let expression: unknown = props.policyName;
  [...byName].sort(([a], [b]) => (a < b ? 1 : -1)).forEach(([name, accounts], index) => {
    const id = `PolicyName${byName.size - index}`;
    conditions[id] = anyOf(accounts.map((account) => ({ "Fn::Equals": [{ Ref: "AWS::AccountId" }, account] })));
    expression = { "Fn::If": [id, name, expression] };
  });
  return { conditions, expression };
}

/** Fn::Or takes 2 to 10 conditions: more are grouped ten by ten. */
function anyOf(conditions: readonly object[]): object {
  if (conditions.length === 1) return conditions[0];
  if (conditions.length <= 10) return { "Fn::Or": conditions };
  const groups: object[] = [];
  for (let start = 0; start < conditions.length; start += 10) groups.push(anyOf(conditions.slice(start, start + 10)));
  return anyOf(groups);
}

function role(name: string, description: string, principals: readonly string[], awsOrganizationId: string | undefined, policyLogicalId: string): object {
  return {
    Type: "AWS::IAM::Role",
    DeletionPolicy: "Delete",
    Properties: {
      RoleName: name,
      Path: "/",
      Description: description,
      AssumeRolePolicyDocument: deployerTrustPolicy({ principalArns: principals, awsOrganizationId }),
      ManagedPolicyArns: [{ Ref: policyLogicalId }],
    },
  };
}

/**
 * Strings naming "each account" (or its policy name) become Fn::Join around a Ref to AWS::AccountId (and the
 * policy name's Fn::If), which CloudFormation resolves in the account it runs in. Not Fn::Sub: its `${...}` inside the stack set's template_body
 * would be read by Terraform as an interpolation.
 */
function resolvedPerAccount(value: unknown, policyName: unknown): unknown {
  if (typeof value === "string") {
    if (!value.includes(EACH_ACCOUNT_ID) && !value.includes(EACH_POLICY_NAME)) return value;
    const parts = value
      .split(EACH_POLICY_NAME)
      .flatMap((text, index) => [...(index > 0 ? [policyName] : []), ...text.split(EACH_ACCOUNT_ID).flatMap((part, at) => [...(at > 0 ? [{ Ref: "AWS::AccountId" }] : []), part])])
      .filter((part) => part !== "");
    return { "Fn::Join": ["", parts] };
  }
  if (Array.isArray(value)) return value.map((item) => resolvedPerAccount(item, policyName));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolvedPerAccount(item, policyName)]));
  return value;
}
