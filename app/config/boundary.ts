import type { Partition, TrelicaIntegrationProps } from "../../modules/trelica-integration";
import { ACCOUNT_ID_PLACEHOLDER } from "./schema";

/*
 * role.permissionsBoundaryArn. IAM only accepts a boundary policy that the role's own account owns (or an
 * AWS-managed one), so one ARN naming a customer's account cannot serve several accounts. `{accountId}`
 * in its account field names the policy of that name in each account.
 */

/** Stands for "every account a stack set enrols": the account is known only when CloudFormation runs there. */
export const EACH_ACCOUNT: unique symbol = Symbol("each account");
export type RoleAccount = string | typeof EACH_ACCOUNT;

export interface BoundaryArn {
  readonly partition: Partition;
  /** 12 digits, "aws" (AWS-managed), or the placeholder. */
  readonly account: string;
  /** Path and name after `policy/`. */
  readonly policy: string;
}

const ACCOUNT = /^(\d{12}|aws|\{accountId\})$/;

/** The parts of a boundary ARN as the schema accepts it; undefined for anything else. */
export function parseBoundaryArn(arn: unknown): BoundaryArn | undefined {
  if (typeof arn !== "string") return undefined;
  const [prefix, partition, service, region, account, resource, ...rest] = arn.split(":");
  if (prefix !== "arn" || service !== "iam" || region !== "" || rest.length > 0 || !ACCOUNT.test(account ?? "")) return undefined;
  if (!["aws", "aws-us-gov", "aws-cn"].includes(partition) || !resource?.startsWith("policy/")) return undefined;
  return { partition: partition as Partition, account, policy: resource.slice("policy/".length) };
}

/** Does the ARN name one customer account (neither AWS-managed nor per account)? */
export function namesOneAccount(boundary: BoundaryArn): boolean {
  return boundary.account !== "aws" && boundary.account !== ACCOUNT_ID_PLACEHOLDER;
}

/**
 * The role's boundary props in `account`: `{accountId}` becomes its ID, built from the ARN's parts; for
 * every account of a stack set, the policy name, which the CloudFormation template resolves per account.
 */
export function boundaryProps(
  arn: string | undefined,
  account: RoleAccount,
): Pick<TrelicaIntegrationProps, "permissionsBoundaryArn" | "permissionsBoundaryPolicyName"> {
  const boundary = parseBoundaryArn(arn);
  // The schema has checked the shape; an unparsed value passes through for the construct to refuse.
  if (boundary === undefined || boundary.account !== ACCOUNT_ID_PLACEHOLDER) return arn === undefined ? {} : { permissionsBoundaryArn: arn };
  if (account === EACH_ACCOUNT) return { permissionsBoundaryPolicyName: boundary.policy };
  return { permissionsBoundaryArn: boundaryArnIn(boundary, account) };
}

/** The boundary's ARN with `account` in the account's place: the parsed parts, put back together. */
export function boundaryArnIn(boundary: BoundaryArn, account: string): string {
  return `arn:${boundary.partition}:iam::${account}:policy/${boundary.policy}`;
}

/** What a boundary shared by several accounts may be, said the same way wherever one is refused. */
export function sharedBoundaryAllowed(boundary: BoundaryArn): string {
  return (
    `"${boundaryArnIn(boundary, ACCOUNT_ID_PLACEHOLDER)}" (${ACCOUNT_ID_PLACEHOLDER} becomes each account's ID, so each account needs that policy), ` +
    `or an AWS-managed policy (arn:${boundary.partition}:iam::aws:policy/...)`
  );
}
