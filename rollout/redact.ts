/** Masks anything shaped like an AWS access key, a Terraform Cloud token or a secret, before output reaches a terminal, a log or a report. */
export function redact(text: string): string {
  return text
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, "$1****************")
    .replace(/\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{20,}/g, "****.atlasv1.****")
    .replace(/((?:secret|token|password)[\w-]*["']?\s*[:=]\s*["']?)[^\s"',]+/gi, "$1****");
}
