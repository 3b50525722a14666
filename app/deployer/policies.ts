import { ALL_SERVICES, Partition, permissionPolicy, TrelicaIntegration } from "../../modules/trelica-integration";
import type { PolicyJson, PolicyStatementJson } from "../common/policy-json";
import { actionsOn, CALLER_IDENTITY_ACTION, NEVER_ALLOWED } from "./actions";
import { boundaryArn } from "../config/deployer";

/*
 * The policies of every identity that deploys TrelicaIntegration, as plain objects made from the one
 * action table (actions.ts): the deployer in member accounts, Terraform Cloud's apply and plan roles in
 * the management account, and the permissions boundary that caps TrelicaIntegration whoever writes it.
 */

/** Its description, the same wherever it is created (the management account's stack, the stack set's template). */
export const BOUNDARY_DESCRIPTION = "The most TrelicaIntegration may do: Trelica's read-only actions";

/** Stands for the account in a CloudFormation template deployed to many accounts (resolved by Fn::Sub). */
export const EACH_ACCOUNT_ID = "${AWS::AccountId}";

export interface DeployingPolicyProps {
  readonly partition: Partition;
  /** 12 digits, or EACH_ACCOUNT_ID in a stack set's template. */
  readonly account: string;
  /** The Trelica managed policy's names (normally one). */
  readonly policyNames: readonly string[];
  /** write: everything in the table; read: what a plan and the provider's refresh need, nothing that changes anything. */
  readonly access: "read" | "write";
  /**
   * CreateRole and PutRolePermissionsBoundary only with this boundary. @default TrelicaIntegrationBoundary in `account`;
   * `false` (Terraform Cloud without a deployer: no boundary exists) leaves them unconditioned.
   */
  readonly boundaryArn?: string | false;
}

/** The boundary's document: Trelica's actions for every service, so per-account service flags stay below it. */
export function boundaryPolicy(): PolicyJson {
  return permissionPolicy(ALL_SERVICES) as PolicyJson;
}

const one = <T>(items: readonly T[]): T | readonly T[] => (items.length === 1 ? items[0] : items);

/** What a deploying identity may do to TrelicaIntegration, its policy and nothing else. */
export function deployingPolicy(props: DeployingPolicyProps): PolicyJson {
  const iam = `arn:${props.partition}:iam::${props.account}`;
  const role = `${iam}:role/${TrelicaIntegration.ROLE_NAME}`;
  const policies = [...props.policyNames].sort().map((name) => `${iam}:policy/${name}`);
  const reading = props.access === "read";
  const boundary = props.boundaryArn ?? boundaryArn(props.partition, props.account);
  const selected = (only?: string) => (row: { access: string; only?: string }) => (!reading || row.access === "read") && row.only === only;
  const statements: PolicyStatementJson[] = [
    { Sid: "TrelicaRole", Effect: "Allow", Action: actionsOn("role", selected(undefined)), Resource: role },
    { Sid: "TrelicaPolicy", Effect: "Allow", Action: actionsOn("policy", selected(undefined)), Resource: one(policies) },
  ];
  if (!reading) {
    statements.push(
      // Created, or adopted, only under the ceiling: whatever trust and policy a run writes, the role stays read-only.
      {
        Sid: "TrelicaRoleOnlyWithBoundary",
        Effect: "Allow",
        Action: actionsOn("role", (row) => row.only === "ourBoundary"),
        Resource: role,
        ...(boundary === false ? {} : { Condition: { StringEquals: { "iam:PermissionsBoundary": boundary } } }),
      },
      {
        Sid: "AttachOnlyTrelicaPolicy",
        Effect: "Allow",
        Action: actionsOn("role", (row) => row.only === "ourPolicy"),
        Resource: role,
        Condition: { ArnEquals: { "iam:PolicyARN": one(policies) } },
      },
      // Explicit, so no other policy on the same identity can grant it.
      { Sid: "NeverLiftTheBoundary", Effect: "Deny", Action: [...NEVER_ALLOWED], Resource: role },
    );
  }
  statements.push({ Sid: "CallerIdentity", Effect: "Allow", Action: CALLER_IDENTITY_ACTION, Resource: "*" });
  return { Version: "2012-10-17", Statement: statements };
}

export interface DeployerTrustProps {
  /** Exact role or user ARNs: rollout's and cdktf deploy's callers, and Terraform Cloud's apply role. */
  readonly principalArns: readonly string[];
  /** With it, only callers of this Organization (defence in depth beside the exact ARNs). */
  readonly awsOrganizationId?: string;
}

export function deployerTrustPolicy(props: DeployerTrustProps): PolicyJson {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: one([...props.principalArns].sort()) },
        Action: "sts:AssumeRole",
        ...(props.awsOrganizationId === undefined ? {} : { Condition: { StringEquals: { "aws:PrincipalOrgID": props.awsOrganizationId } } }),
      },
    ],
  };
}
