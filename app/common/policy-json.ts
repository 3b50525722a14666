/** IAM policy documents as this program writes them (trust and permission policies alike). */

export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Record<string, string | readonly string[]>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

export interface PolicyJson {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatementJson[];
}
