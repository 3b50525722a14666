/**
 * A mistake in the user's input: printed as its message alone, never with a stack trace.
 * Anything else that escapes is a bug in this program and keeps its stack.
 */
export class UserError extends Error {
  constructor(
    readonly summary: string,
    readonly problems: readonly string[] = [],
  ) {
    super(problems.length === 0 ? summary : `${summary}\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "UserError";
  }
}

/** Runs a command's body; a UserError becomes its message on stderr and exit code 1. */
export async function reportUserErrors<T>(body: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UserError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
      return undefined;
    }
    throw error;
  }
}
