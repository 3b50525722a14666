/*
 * Every next-step command the program prints is built here, so that it runs as printed: the user's own
 * --config, --output and selection repeated as given, each argument quoted for a POSIX shell.
 */

/** An argument as a POSIX shell reads it back: bare when it is plain, else in single quotes. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.split("'").join(`'\\''`)}'`;
}

/** What a printed command repeats of the user's command line: --config, --output and the selection, as given. */
export interface Invocation {
  /** --config as typed, else the value of TRELICA_CONFIG it came from; absent: the default. */
  readonly config?: string;
  /** --output as typed, else the value of CDKTF_OUTDIR; absent: the default. */
  readonly output?: string;
  readonly accounts?: readonly string[];
  readonly exclude?: readonly string[];
}

/**
 * `npm run <script> -- <words> --config … --output … --accounts …`: `words` first (the subcommand and its
 * own options), then the user's. `selection` false: a command about other accounts than the user's
 * selection (a fix naming its account sets `accounts` itself).
 */
export function npmCommand(script: "synth" | "rollout" | "verify" | "init", words: readonly string[], invocation: Invocation = {}, { selection = true } = {}): string {
  const args = [...words];
  if (invocation.config !== undefined) args.push("--config", invocation.config);
  if (invocation.output !== undefined) args.push("--output", invocation.output);
  if (selection) {
    if (invocation.accounts?.length) args.push("--accounts", invocation.accounts.join(","));
    if (invocation.exclude?.length) args.push("--exclude", invocation.exclude.join(","));
  }
  const line = [`npm run ${script}`];
  if (args.length > 0) line.push("--", ...args.map(shellQuote));
  return line.join(" ");
}
