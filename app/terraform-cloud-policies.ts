import { Partition } from "../modules/trelica-integration";

/*
 * The Terraform Cloud run role's two policies, as plain objects (no cdktf): its trust policy, which
 * admits only our workspaces' OIDC tokens, and its permissions, which reach only the Trelica role and
 * policy in the management account and the deployment role in member accounts.
 */

/** Terraform Cloud's fixed OIDC audience for AWS (`TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE` left at its default). */
export const TERRAFORM_CLOUD_AUDIENCE = "aws.workload.identity";

/** IAM's limit on a role's inline policies, in characters without whitespace. */
export const INLINE_POLICY_LIMIT = 10_240;

export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Record<string, string>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

export interface PolicyJson {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatementJson[];
}

export interface RunRoleTrustProps {
  readonly partition: Partition;
  readonly managementAccountId: string;
  readonly hostname: string;
  readonly organization: string;
  readonly project: string;
  /** The workspace names with `*` for the account ID, e.g. `trelica-*`. */
  readonly workspacePattern: string;
}

export function oidcProviderArn(partition: Partition, accountId: string, hostname: string): string {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${hostname}`;
}

/** The `sub` claim of any plan or apply run in our project's Trelica workspaces. */
export function runSubjectPattern(props: Pick<RunRoleTrustProps, "organization" | "project" | "workspacePattern">): string {
  return `organization:${props.organization}:project:${props.project}:workspace:${props.workspacePattern}:run_phase:*`;
}

/** Only tokens Terraform Cloud issued for AWS, for a run of one of our workspaces, in our organization and project. */
export function runRoleTrustPolicy(props: RunRoleTrustProps): PolicyJson {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn(props.partition, props.managementAccountId, props.hostname) },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { [`${props.hostname}:aud`]: TERRAFORM_CLOUD_AUDIENCE },
          StringLike: { [`${props.hostname}:sub`]: runSubjectPattern(props) },
        },
      },
    ],
  };
}

/**
 * What the AWS provider calls to plan, create, update, adopt (import) and delete TrelicaIntegration,
 * its managed policy, the attachment and the exclusive-attachment resources. Nothing else in IAM.
 */
export const ROLE_ACTIONS = [
  "iam:GetRole",
  "iam:CreateRole",
  "iam:DeleteRole",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
  "iam:UpdateAssumeRolePolicy",
  "iam:TagRole",
  "iam:UntagRole",
  "iam:ListRoleTags",
  "iam:PutRolePermissionsBoundary",
  "iam:DeleteRolePermissionsBoundary",
  "iam:ListAttachedRolePolicies",
  "iam:ListRolePolicies",
  "iam:GetRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:ListInstanceProfilesForRole",
  // Any policy, so the exclusive-attachment resource can remove one attached by hand.
  "iam:DetachRolePolicy",
] as const;

export const POLICY_ACTIONS = [
  "iam:GetPolicy",
  "iam:GetPolicyVersion",
  "iam:ListPolicyVersions",
  "iam:CreatePolicy",
  "iam:CreatePolicyVersion",
  "iam:DeletePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:DeletePolicy",
  "iam:TagPolicy",
  "iam:UntagPolicy",
  "iam:ListPolicyTags",
  "iam:ListEntitiesForPolicy",
] as const;

export interface RunRolePermissionProps {
  readonly partition: Partition;
  readonly managementAccountId: string;
  readonly roleName: string;
  /** The Trelica managed policy's name in the management account. */
  readonly policyName: string;
  /** The deployment role names used in member accounts (normally just OrganizationAccountAccessRole). */
  readonly deploymentRoleNames: readonly string[];
  /** With it, AssumeRole reaches any account of this Organization; without it, only `memberRoleArns`. */
  readonly awsOrganizationId?: string;
  /** The member accounts' deployment role ARNs, listed when the Organization ID is unknown. */
  readonly memberRoleArns: readonly string[];
}

export function runRolePermissionPolicy(props: RunRolePermissionProps): PolicyJson {
  const iam = `arn:${props.partition}:iam::${props.managementAccountId}`;
  const statements: PolicyStatementJson[] = [
    { Sid: "TrelicaRoleInManagementAccount", Effect: "Allow", Action: [...ROLE_ACTIONS], Resource: `${iam}:role/${props.roleName}` },
    // Only our policy: a run that could attach any policy to a role Trelica's account assumes could grant it anything.
    {
      Sid: "AttachOnlyTrelicaPolicy",
      Effect: "Allow",
      Action: "iam:AttachRolePolicy",
      Resource: `${iam}:role/${props.roleName}`,
      Condition: { ArnEquals: { "iam:PolicyARN": `${iam}:policy/${props.policyName}` } },
    },
    { Sid: "TrelicaPolicyInManagementAccount", Effect: "Allow", Action: [...POLICY_ACTIONS], Resource: `${iam}:policy/${props.policyName}` },
  ];
  if (props.awsOrganizationId !== undefined) {
    const roles = props.deploymentRoleNames.map((name) => `arn:${props.partition}:iam::*:role/${name}`);
    statements.push({
      Sid: "DeploymentRoleInMemberAccounts",
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Resource: roles.length === 1 ? roles[0] : roles,
      Condition: { StringEquals: { "aws:ResourceOrgID": props.awsOrganizationId } },
    });
  } else if (props.memberRoleArns.length > 0) {
    statements.push({ Sid: "DeploymentRoleInMemberAccounts", Effect: "Allow", Action: "sts:AssumeRole", Resource: [...props.memberRoleArns] });
  }
  return { Version: "2012-10-17", Statement: statements };
}

/** A policy's size as IAM counts it against its limits: its JSON without whitespace. */
export function policySize(policy: PolicyJson): number {
  return JSON.stringify(policy).length;
}
