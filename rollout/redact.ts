/** Masks anything shaped like an AWS access key or a secret, before output reaches a terminal or a report. */
export function redact(text: string): string {
  return text
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, "$1****************")
    .replace(/((?:secret|token|password)[\w-]*["']?\s*[:=]\s*["']?)[^\s"',]+/gi, "$1****");
}
