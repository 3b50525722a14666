/**
 * The tags every TrelicaIntegration role and policy carries, whatever the user adds, so that an SCP or
 * RCP can recognize them and keep everyone but the deployer from changing them (docs/security.md).
 * A user's tag may repeat one with the same value; another value is refused (see `tagProblems`): a
 * silently overridden `managed-by` would take the role out of the SCP's protection.
 */
export const DEFAULT_TAGS: Readonly<Record<string, string>> = {
  "managed-by": "trelica-aws-role",
  "third-party": "trelica",
};

/** The default tags, then the user's (already checked not to clash with them). */
export function withDefaultTags(tags: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...DEFAULT_TAGS, ...tags };
}
