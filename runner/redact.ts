/*
 * Masks credentials before output reaches a terminal, a log or a report: AWS access keys (long-term
 * AKIA…, temporary ASIA…), Terraform Cloud tokens, STS credentials as the AWS provider's debug log shows
 * them in XML responses, JSON Web Tokens (Terraform Cloud's OIDC workload identity tokens), and any
 * `secret`/`token`/`password` value written as key: value or key=value.
 */
const RULES: readonly [RegExp, string][] = [
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, "$1****************"],
  [/\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{20,}/g, "****.atlasv1.****"],
  // STS answers (AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken) in XML.
  [/<(SecretAccessKey|SessionToken)>[^<]*<\/\1>/g, "<$1>****</$1>"],
  // A JWT: base64url header (a JSON object, so "eyJ"), payload and signature (empty when unsigned).
  [/\beyJ[A-Za-z0-9_-]{7,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g, "eyJ****.****.****"],
  [/((?:secret|token|password)[\w-]*["']?\s*[:=]\s*["']?)[^\s"',]+/gi, "$1****"],
];

/** `text` with every credential the rules recognize masked. */
export function redact(text: string): string {
  return RULES.reduce((masked, [pattern, replacement]) => masked.replace(pattern, replacement), text);
}
