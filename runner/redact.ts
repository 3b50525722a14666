/*
 * Masks credentials before output reaches a terminal, a log or a report: AWS access keys (long-term
 * AKIA…, temporary ASIA…, also glued to a word as in key_AKIA…), a bare 40-character secret access key,
 * Terraform Cloud tokens, STS credentials as the AWS provider's debug log shows them in XML responses
 * (also HTML-escaped), JSON Web Tokens (Terraform Cloud's OIDC workload identity tokens), bearer tokens,
 * and any `secret`/`token`/`password` value written as key: value, key=value or key: ["value"] (Go's
 * header dump).
 */
const RULES: readonly [RegExp, string][] = [
  // Not \b: `_` is a word character, and key_AKIA… is still a key.
  [/(?<![A-Za-z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g, "$1****************"],
  [/\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{20,}/g, "****.atlasv1.****"],
  // STS answers (AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken) in XML, and HTML-escaped in an error page.
  [/<(SecretAccessKey|SessionToken)>[^<]*<\/\1>/g, "<$1>****</$1>"],
  [/&lt;(SecretAccessKey|SessionToken)&gt;.*?&lt;\/\1&gt;/g, "&lt;$1&gt;****&lt;/$1&gt;"],
  // A JWT: base64url header (a JSON object, so "eyJ"), payload and signature (empty when unsigned).
  [/\beyJ[A-Za-z0-9_-]{7,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g, "eyJ****.****.****"],
  // A bearer token that no rule above already masked.
  [/\b(Bearer\s+)(?![^\s"',\]]*\*{4})[A-Za-z0-9._~+/=-]{8,}/g, "$1****"],
  // Go prints headers as "Name": ["value"]: the value inside the list.
  [/((?:secret|token|password)[\w-]*["']?\s*[:=]\s*\[\s*["']?)[^\s"',\]]+/gi, "$1****"],
  [/((?:secret|token|password)[\w-]*["']?\s*[:=]\s*["']?)(?!\[)[^\s"',]+/gi, "$1****"],
  // A secret access key on its own: exactly 40 of base64's characters with both cases and a digit, / or +
  // (a 40-digit hex commit ID has no capital; a longer hash or a word is not 40 such characters).
  [/(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, "****"],
];

/** `text` with every credential the rules recognize masked. */
export function redact(text: string): string {
  return RULES.reduce((masked, [pattern, replacement]) => masked.replace(pattern, replacement), text);
}
