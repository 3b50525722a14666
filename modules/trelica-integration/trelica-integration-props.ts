import { ServiceFlags } from "./services";

export interface TrelicaIntegrationProps {
  /** The customer's Trelica organization ID (Trelica: user menu > Profile), required as `sts:ExternalId`. */
  readonly externalId: string;
  /**
   * What Trelica may read.
   * @default every service on (the vendor's documented policy)
   */
  readonly services?: ServiceFlags;
  /** @default "377450845233" (Trelica's AWS account) */
  readonly trelicaAccountId?: string;
  /**
   * "aws", "aws-us-gov" or "aws-cn" (`PARTITIONS`); text, so that it may be a token, such as a
   * `DataAwsPartition`'s `partition`.
   * @default "aws"
   */
  readonly partition?: string;
  /**
   * An IAM policy ARN. In a Terraform stack a value that is wholly a token (known only at synthesis) is
   * taken as is and text around tokens is checked; `cloudFormationTemplate` needs plain text.
   * @default no permissions boundary
   */
  readonly permissionsBoundaryArn?: string;
  /**
   * The permissions boundary as a customer-managed policy of the role's own account, by name (and path,
   * such as "team/Boundary"), for one template deployed to many accounts (StackSets): only
   * `cloudFormationTemplate` takes it, and renders the ARN of whichever account the stack runs in. IAM
   * refuses a boundary the role's account does not own. A Terraform stack knows its account: give
   * `permissionsBoundaryArn` there.
   */
  readonly permissionsBoundaryPolicyName?: string;
  /**
   * Tags for the role and the policy, beside `DEFAULT_TAGS` (managed-by: trelica-aws-role,
   * third-party: trelica), which they may repeat but not contradict; together at most IAM's 50.
   * @default only DEFAULT_TAGS
   */
  readonly tags?: Readonly<Record<string, string>>;
  /** @default 3600 (one hour, IAM's default) */
  readonly maxSessionDuration?: number;
  /** Name of the customer-managed policy; Trelica does not care what it is. @default "TrelicaIntegrationReadOnly" */
  readonly policyName?: string;
  /** Description of the role. @default "Read-only access for the Trelica SaaS management platform" */
  readonly description?: string;
}
