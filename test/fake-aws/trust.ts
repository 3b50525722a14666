import type { Caller, Role } from "./state";

/*
 * A role's trust policy, evaluated as IAM does for sts:AssumeRole across accounts (the parts our roles
 * and Trelica use): an Allow statement for sts:AssumeRole whose AWS principal is the caller's account
 * (root ARN or bare ID) or the caller itself, and whose StringEquals sts:ExternalId, if any, matches.
 * No Deny, no other condition operator: a statement with any other condition never matches.
 */

interface Statement {
  readonly Effect?: string;
  readonly Principal?: { readonly AWS?: string | readonly string[] } | string;
  readonly Action?: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

export function trustAllows(role: Role, caller: Caller, externalId: string | undefined): boolean {
  let document: { Statement?: Statement | readonly Statement[] };
  try {
    document = JSON.parse(role.assumeRolePolicyDocument);
  } catch {
    return false;
  }
  const statements = ([] as Statement[]).concat((document.Statement ?? []) as Statement[]);
  return statements.some((statement) => statement.Effect === "Allow" && allowsAssumeRole(statement) && trusts(statement, caller) && conditionHolds(statement, externalId));
}

const list = (value: string | readonly string[] | undefined): string[] => (value === undefined ? [] : ([] as string[]).concat(value));

function allowsAssumeRole(statement: Statement): boolean {
  return list(statement.Action).some((action) => ["sts:assumerole", "sts:*", "*"].includes(action.toLowerCase()));
}

function trusts(statement: Statement, caller: Caller): boolean {
  if (statement.Principal === "*") return true;
  const principals = typeof statement.Principal === "object" ? list(statement.Principal.AWS) : [];
  return principals.some((principal) => principal === caller.accountId || principal === caller.arn || /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(principal)?.[1] === caller.accountId);
}

function conditionHolds(statement: Statement, externalId: string | undefined): boolean {
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) {
      if (operator !== "StringEquals" || key.toLowerCase() !== "sts:externalid") return false;
      if (externalId === undefined || !list(values).includes(externalId)) return false;
    }
  }
  return true;
}
