import { ALL_SERVICES, Partition, permissionPolicy, TrelicaIntegration } from "../../modules/trelica-integration";
import type { PolicyJson, PolicyStatementJson } from "../common/policy-json";
import { CALLER_IDENTITY_ACTION, conditionKey, DEPLOYER_ACTIONS, DeployerAction, DeployerCondition, NEVER_ALLOWED } from "./actions";
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
  /** The Trelica managed policy's name in that account (in a stack set's template, see EACH_POLICY_NAME). */
  readonly policyName: string;
  /** write: everything in the table; read: what a plan and the provider's refresh need, nothing that changes anything. */
  readonly access: "read" | "write";
  /**
   * Accounts marked adoptExisting (12 digits each): there the rows the provider calls before the boundary are also
   * allowed on a role with no boundary at all, once, to take over a hand-made role (never on a role with another one).
   */
  readonly adoptingAccountIds?: readonly string[];
}

/** The boundary's document: Trelica's actions for every service, so per-account service flags stay below it. */
export function boundaryPolicy(): PolicyJson {
  return permissionPolicy(ALL_SERVICES) as PolicyJson;
}

const one = <T>(items: readonly T[]): T | readonly T[] => (items.length === 1 ? items[0] : items);

/** Each group of rows (same resource, same conditions) is one statement, named here. */
const SIDS: Record<string, string> = {
  "role:": "TrelicaRole",
  "role:ourBoundary": "TrelicaRoleOnlyWithBoundary",
  "role:ourBoundary+ourPolicy": "AttachOnlyTrelicaPolicyWithBoundary",
  "policy:": "TrelicaPolicy",
};

/**
 * What a deploying identity may do to TrelicaIntegration, its policy and nothing else: the action table's
 * rows grouped by resource and conditions, in the table's order. Every change to the role's trust,
 * settings, attachments or inline policies, and its deletion, needs the role to carry the boundary; the
 * boundary may only be put on, never taken off.
 */
export function deployingPolicy(props: DeployingPolicyProps): PolicyJson {
  const iam = `arn:${props.partition}:iam::${props.account}`;
  const role = `${iam}:role/${TrelicaIntegration.ROLE_NAME}`;
  const policy = `${iam}:policy/${props.policyName}`;
  const reading = props.access === "read";
  const conditionOf: Record<DeployerCondition, Record<string, Record<string, string>>> = {
    ourBoundary: { StringEquals: { "iam:PermissionsBoundary": boundaryArn(props.partition, props.account) } },
    ourPolicy: { ArnEquals: { "iam:PolicyARN": policy } },
  };
  const groups = new Map<string, DeployerAction[]>();
  for (const row of DEPLOYER_ACTIONS) {
    if (reading && row.access !== "read") continue;
    const key = `${row.on}:${conditionKey(row)}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const statements: PolicyStatementJson[] = [...groups].map(([key, rows]) => {
    const sid = SIDS[key];
    if (sid === undefined) throw new Error(`no statement name for the action table's rows ${key}`);
    const conditions = (rows[0].only ?? []).map((condition) => conditionOf[condition]);
    return {
      Sid: sid,
      Effect: "Allow",
      Action: rows.map((row) => row.action),
      Resource: rows[0].on === "role" ? role : policy,
      ...(conditions.length === 0 ? {} : { Condition: Object.assign({}, ...conditions) }),
    };
  });
  const adopting = [...(props.adoptingAccountIds ?? [])].sort();
  if (!reading && adopting.length > 0) {
    statements.push({
      Sid: "AdoptAHandMadeRoleBeforeItsBoundary",
      Effect: "Allow",
      Action: DEPLOYER_ACTIONS.filter((row) => row.beforeTheBoundary).map((row) => row.action),
      Resource: one(adopting.map((account) => `arn:${props.partition}:iam::${account}:role/${TrelicaIntegration.ROLE_NAME}`)),
      Condition: { Null: { "iam:PermissionsBoundary": "true" } },
    });
  }
  // Explicit, so no other policy on the same identity can grant it.
  if (!reading) statements.push({ Sid: "NeverLiftTheBoundary", Effect: "Deny", Action: [...NEVER_ALLOWED], Resource: role });
  statements.push({ Sid: "CallerIdentity", Effect: "Allow", Action: CALLER_IDENTITY_ACTION, Resource: "*" });
  return { Version: "2012-10-17", Statement: statements };
}

export interface ManagingPolicyProps {
  readonly partition: Partition;
  readonly managementAccountId: string;
  /** The Trelica managed policy's name in the management account. */
  readonly policyName: string;
  readonly access: "read" | "write";
  /** With adoptExisting on the management account: its hand-made role may be re-trusted before its boundary lands, once. */
  readonly adoptingManagementRole?: boolean;
  /** What may be assumed in member accounts: the deployer (or its read-only twin), never a role this program does not create. */
  readonly deploymentRoleNames: readonly string[];
  /** With it, AssumeRole reaches any account of this Organization; without it, only `memberRoleArns`. */
  readonly awsOrganizationId?: string;
  /** The member accounts' deployment role ARNs, listed when the Organization ID is unknown. */
  readonly memberRoleArns: readonly string[];
}

/**
 * What an identity that deploys from the management account needs: the deploying table on the management
 * account's TrelicaIntegration and its policy (that stack runs with the identity's own credentials), and
 * sts:AssumeRole into the deployer in members. The policy of `deployment.deployer.trustedPrincipalArns`
 * (`npm run synth -- --print-management-policy`) and of Terraform Cloud's apply role (its plan role: the reads).
 */
export function managingPolicy(props: ManagingPolicyProps): PolicyJson {
  const own = deployingPolicy({
    partition: props.partition,
    account: props.managementAccountId,
    policyName: props.policyName,
    access: props.access,
    adoptingAccountIds: props.adoptingManagementRole ? [props.managementAccountId] : [],
  });
  const statements: PolicyStatementJson[] = [...own.Statement];
  if (props.awsOrganizationId !== undefined && props.deploymentRoleNames.length > 0) {
    const roles = props.deploymentRoleNames.map((name) => `arn:${props.partition}:iam::*:role/${name}`);
    statements.push({
      Sid: "DeploymentRoleInMemberAccounts",
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Resource: one(roles),
      Condition: { StringEquals: { "aws:ResourceOrgID": props.awsOrganizationId } },
    });
  } else if (props.memberRoleArns.length > 0) {
    statements.push({ Sid: "DeploymentRoleInMemberAccounts", Effect: "Allow", Action: "sts:AssumeRole", Resource: [...props.memberRoleArns] });
  }
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
