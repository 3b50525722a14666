/*
 * Credential problems, named alike by rollout (terraform's words) and verify (the AWS SDK's): each class
 * with its own hint. A missing role and a role that does not trust the caller look the same from outside
 * (AssumeRole answers AccessDenied for both, as AWS does), so one class covers both and says so.
 */

export type CredentialProblem = "no-credentials" | "invalid-credentials" | "expired-credentials" | "wrong-account" | "assume-role-denied";

export interface CredentialClass {
  readonly problem: CredentialProblem;
  readonly pattern: RegExp;
  readonly hint: string;
}

/** First match wins: expiry before "invalid", AssumeRole's denial before any other AccessDenied. */
export const CREDENTIAL_CLASSES: readonly CredentialClass[] = [
  {
    problem: "expired-credentials",
    pattern: /ExpiredToken|security token included in the request is expired|token has expired/i,
    hint: "the AWS credentials expired: sign in again (aws sso login, or fresh keys), then run again",
  },
  {
    problem: "no-credentials",
    pattern: /No valid credential sources found|Could not load credentials from any providers|CredentialsProviderError|failed to refresh cached credentials/i,
    hint: "no AWS credentials were found: sign in (aws sso login) or set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then run again",
  },
  {
    problem: "invalid-credentials",
    pattern: /InvalidClientTokenId|security token included in the request is invalid|SignatureDoesNotMatch/i,
    hint: "the AWS credentials are not valid (a wrong, deleted or inactive access key, or a secret that does not match): check AWS_PROFILE or the keys",
  },
  {
    problem: "wrong-account",
    pattern: /AWS account ID not allowed|credentials act in account \d{12}, not \d{12}/i,
    hint: "the credentials belong to another AWS account than this stack's: run with the management account's credentials (each member is reached through its assumeRoleName), or with that account's own for an entry with assumeRoleName: false",
  },
  {
    problem: "assume-role-denied",
    pattern: /AssumeRole[\s\S]*AccessDenied|AccessDenied[\s\S]*sts:AssumeRole|not authorized to perform: sts:AssumeRole/i,
    hint: "the role to assume in that account does not exist, or does not trust your identity, or your identity may not call sts:AssumeRole on it (AWS answers all three with AccessDenied): with deployment.deployer, check that trelica-deployer enrolled that account (its TrelicaDeployer trusts your identity) and that your identity holds the policy synth --print-management-policy prints for this config (it names each account's deployer: print it again after adding accounts); without, check deployment.assumeRoleName (default OrganizationAccountAccessRole) in that account",
  },
];

export function classifyCredentials(text: string): CredentialClass | undefined {
  return CREDENTIAL_CLASSES.find((candidate) => candidate.pattern.test(text));
}
