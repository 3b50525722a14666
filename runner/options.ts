/*
 * The options every command that runs across accounts takes alike (rollout, verify): how many at once and
 * which accounts, checked the same way so a mistake reads the same whichever command it was given to.
 */

export const MAX_CONCURRENCY = 64;

const GLOB = /^[A-Za-z0-9_.*?-]+$/;

/** A whole number option in [min, max]; a bad value is added to `problems` (and min returned). Shared with verify. */
export function wholeNumber(problems: string[], option: string, value: string, min: number, max: number): number {
  const parsed = Number(value);
  if (/^\d+$/.test(value.trim()) && parsed >= min && parsed <= max) return parsed;
  problems.push(`${option} ${JSON.stringify(value)}: expected a whole number from ${min} to ${max}`);
  return min;
}

/** --accounts, --exclude and --progress, as rollout and verify take them. */
export function selectionProblems(raw: { readonly accounts: readonly string[]; readonly exclude: readonly string[]; readonly progress: string }): string[] {
  const problems: string[] = [];
  for (const [option, globs] of [["--accounts", raw.accounts], ["--exclude", raw.exclude]] as const) {
    for (const glob of globs) {
      if (!GLOB.test(glob)) problems.push(`${option} ${JSON.stringify(glob)}: expected account IDs or stack names with * and ? as wildcards (letters, digits, _ . -)`);
    }
  }
  if (!["auto", "live", "plain"].includes(raw.progress)) problems.push(`--progress ${JSON.stringify(raw.progress)}: expected auto, live or plain`);
  return problems;
}
