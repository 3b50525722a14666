import { PolicyDocument, TRELICA_ACCOUNT_ID } from "./policy-document";

export interface TrustPolicyProps {
  /** The customer's Trelica organization ID, required as `sts:ExternalId` (confused-deputy guard). */
  readonly externalId: string;
  /** @default "377450845233" (Trelica) */
  readonly trelicaAccountId?: string;
  /** "aws", "aws-us-gov" or "aws-cn" (`PARTITIONS`), or a token. @default "aws" */
  readonly partition?: string;
}

/** Lets Trelica's account assume the role only when it presents the customer's external ID. */
export function trustPolicy(props: TrustPolicyProps): PolicyDocument {
  const account = props.trelicaAccountId ?? TRELICA_ACCOUNT_ID;
  const partition = props.partition ?? "aws";
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": props.externalId } },
      },
    ],
  };
}
