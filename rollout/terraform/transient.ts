import { CREDENTIAL_CLASSES } from "../../runner/credentials";

/**
 * Which terraform/AWS failures are worth another try, and what to tell the user about the others.
 * Permanent patterns are checked first: an expired token retried three times is still expired.
 */
export interface FailureKind {
  readonly pattern: RegExp;
  readonly transient: boolean;
  /** What the user can do about it. */
  readonly hint?: string;
}

export const FAILURE_KINDS: readonly FailureKind[] = [
  // The credential classes verify names too (runner/credentials.ts): never worth a retry.
  ...CREDENTIAL_CLASSES.map((kind) => ({ pattern: kind.pattern, transient: false, hint: kind.hint })),
  {
    pattern: /AccessDenied|not authorized to perform/i,
    transient: false,
    hint: "the credentials may not do this in this account: check the role terraform uses there",
  },
  {
    // DNS does not heal in seconds: a wrong region or endpoint, or no network at all.
    pattern: /no such host/i,
    transient: false,
    hint: "a host name did not resolve: check the region, any custom endpoint and the network",
  },
  {
    pattern: /ValidationError|Invalid value for|Unsupported argument|MalformedPolicyDocument/i,
    transient: false,
    hint: "AWS or terraform rejected the configuration: fix it and synthesize again",
  },
  {
    pattern: /Required token could not be found/,
    transient: false,
    hint: "no Terraform Cloud token for this host: run `terraform login` or set TF_TOKEN_app_terraform_io (the host, dots as underscores); the cloud block does not read TFE_TOKEN",
  },
  {
    pattern: /Insufficient rights to (?:generate a plan|apply changes)/,
    transient: false,
    hint: "the Terraform Cloud token may not plan or apply in this workspace: give its team plan and apply permission on the workspace or project",
  },
  {
    // terraform cancels a remote run still queued after -lock-timeout (internal/cloud/backend_plan.go).
    pattern: /Lock timeout exceeded, sending interrupt to cancel the remote operation/,
    transient: true,
    hint: "the run waited in Terraform Cloud's queue longer than --lock-timeout and terraform canceled it: raise --lock-timeout (e.g. 30m) or lower --concurrency to what your organization runs at once",
  },
  { pattern: /Throttling|Rate exceeded|RequestLimitExceeded|TooManyRequests|SlowDown/i, transient: true },
  { pattern: /i\/o timeout|connection reset|connection refused|TLS handshake timeout|EOF while|context deadline exceeded/i, transient: true },
  { pattern: /Error acquiring the state lock/i, transient: true },
];

export interface FailureClass {
  readonly transient: boolean;
  readonly hint?: string;
}

export function classifyFailure(output: string): FailureClass {
  const kind = FAILURE_KINDS.find((candidate) => candidate.pattern.test(output));
  return kind ? { transient: kind.transient, hint: kind.hint } : { transient: false };
}

/** Exponential backoff with jitter, so parallel retries do not hit AWS in step. */
export function backoffMs(attempt: number, baseMs: number): number {
  return Math.round(baseMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
}
