import { Partition } from "../../modules/trelica-integration";
import { managingPolicy, ManagingPolicyProps } from "../deployer/policies";
import type { PolicyJson } from "../common/policy-json";

/*
 * Terraform Cloud's plan and apply roles' policies, as plain objects (no cdktf): their trust policies,
 * which admit only our workspaces' OIDC tokens of one run phase, and their permissions (the deploying
 * table's reads, or all of it), which reach only the Trelica role and policy in the management account
 * and one role in member accounts.
 */

/** Terraform Cloud's fixed OIDC audience for AWS (`TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE` left at its default). */
export const TERRAFORM_CLOUD_AUDIENCE = "aws.workload.identity";

/** IAM's limit on a role's inline policies, in characters without whitespace. */
export const INLINE_POLICY_LIMIT = 10_240;

export type { PolicyJson, PolicyStatementJson } from "../common/policy-json";

export interface RunRoleTrustProps {
  readonly partition: Partition;
  readonly managementAccountId: string;
  readonly hostname: string;
  readonly organization: string;
  readonly project: string;
  /** The workspace names with `*` for the account ID, e.g. `trelica-*`. */
  readonly workspacePattern: string;
  readonly phase: RunPhase;
}

export function oidcProviderArn(partition: Partition, accountId: string, hostname: string): string {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${hostname}`;
}

export type RunPhase = "plan" | "apply";

/** The `sub` claim of one phase of a run in our project's Trelica workspaces. */
export function runSubjectPattern(props: Pick<RunRoleTrustProps, "organization" | "project" | "workspacePattern" | "phase">): string {
  return `organization:${props.organization}:project:${props.project}:workspace:${props.workspacePattern}:run_phase:${props.phase}`;
}

/**
 * Only tokens Terraform Cloud issued for AWS, for one phase of a run of one of our workspaces, in our
 * organization and project: a plan (a pull request's speculative plan included) never gets the apply role.
 */
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

export interface RunRolePermissionProps extends Omit<ManagingPolicyProps, "access"> {
  readonly phase: RunPhase;
}

/**
 * The apply role: what the management account's trusted principals hold (managingPolicy): the deploying table on
 * TrelicaIntegration and its policy in the management account, and the deployer in members; the plan role: only
 * the reads, and the deployer's read-only twin.
 */
export function runRolePermissionPolicy(props: RunRolePermissionProps): PolicyJson {
  const { phase, ...rest } = props;
  return managingPolicy({ ...rest, access: phase === "apply" ? "write" : "read" });
}

/** A policy's size as IAM counts it against its limits: its JSON without whitespace. */
export function policySize(policy: PolicyJson): number {
  return JSON.stringify(policy).length;
}
