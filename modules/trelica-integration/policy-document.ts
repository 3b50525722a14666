/**
 * Plain IAM policy shapes: what the renderers return and what JSON.stringify writes. TypeScript only
 * (IAM's capitalized keys are no jsii struct): other languages get the JSON text from `TrelicaPolicies`.
 * @jsii ignore
 */
export interface PolicyStatement {
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: { readonly AWS: string };
  readonly Action: string | readonly string[];
  readonly Resource?: string;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** @jsii ignore */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export type Partition = "aws" | "aws-us-gov" | "aws-cn";

export const PARTITIONS: readonly Partition[] = ["aws", "aws-us-gov", "aws-cn"];

/** Trelica's own AWS account: the one that assumes the role. */
export const TRELICA_ACCOUNT_ID = "377450845233";
