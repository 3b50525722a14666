import { ServiceFlags } from "./services";

/**
 * The construct's props. Every one that ends up in Terraform but `services` may be a token, a value known
 * only at plan or apply time (a `TerraformVariable`, a data source's attribute, an `Fn` expression): a
 * literal is checked, a token is passed through, text around tokens is checked with the tokens taken out.
 * `cloudFormationTemplate` needs every value known and refuses tokens.
 */
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
   * An IAM policy ARN; tokens may stand for its partition, account or parts of its name.
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
   * third-party: trelica), which they may repeat but not contradict; together at most IAM's 50. Keys and
   * values may be tokens, but not the value of one of ours; a whole map as a token (`Token.asStringMap`)
   * is merged by Terraform with ours last, so ours win.
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
