/** Shell-style globs over account IDs, names and stack names: `*` is any run of characters, `?` any one. */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

export function matchesAny(values: readonly (string | undefined)[], patterns: readonly RegExp[]): boolean {
  return patterns.some((pattern) => values.some((value) => value !== undefined && pattern.test(value)));
}
