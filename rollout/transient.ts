/** Failures worth another try: AWS throttling, network trouble, a state lock another run holds. */
const TRANSIENT = [
  /Throttling|Rate exceeded|RequestLimitExceeded|TooManyRequests|SlowDown/i,
  /i\/o timeout|connection reset|TLS handshake timeout|EOF while|context deadline exceeded|no such host/i,
  /Error acquiring the state lock/i,
];

export function isTransient(output: string): boolean {
  return TRANSIENT.some((pattern) => pattern.test(output));
}

/** Exponential backoff with jitter, so parallel retries do not hit AWS in step. */
export function backoffMs(attempt: number, baseMs: number): number {
  return Math.round(baseMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
}
