import { Command, CommanderError } from "commander";
import { nearest } from "../config/parse/suggest";
import { UserError } from "../common/errors";

export interface CommandLineWords {
  /** How to get help, e.g. "npm run synth -- --help": the end of every message. */
  readonly help: string;
  /** What each positional argument may be, by name: said when it is missing. */
  readonly arguments?: Readonly<Record<string, string>>;
}

/**
 * Parses `argv` with commander, whose own error texts never reach the user: each mistake becomes one
 * UserError naming the option or argument, what was given and what is allowed. --help and --version
 * print and exit 0 as usual.
 */
export function parseCommandLine(command: Command, argv: readonly string[], words: CommandLineWords): void {
  command.exitOverride().configureOutput({ writeErr: () => undefined });
  try {
    command.parse(argv, { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version") process.exit(0);
    throw new UserError(`${inOurWords(command, error, words)}; see ${words.help}`);
  }
}

function inOurWords(command: Command, error: CommanderError, words: CommandLineWords): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? "";
  // A hidden option (a deprecated alias) still works but is not offered.
  const flags = command.options.filter((option) => !option.hidden).map((option) => option.long ?? option.short ?? option.flags);
  switch (error.code) {
    case "commander.unknownOption": {
      const guess = nearest(quoted, flags);
      return `${quoted}: unknown option.${guess ? ` Did you mean ${guess}?` : ""} Allowed: ${[...flags, "--help"].join(", ")}`;
    }
    case "commander.optionMissingArgument":
      // `quoted` is the option as declared, e.g. "--config <file>".
      return `${quoted.split(/[ ,]/)[0]}: got no value; expected ${quoted}`;
    case "commander.missingArgument":
      return `${quoted}: none given; expected ${words.arguments?.[quoted] ?? `<${quoted}>`}`;
    case "commander.excessArguments": {
      const expected = command.registeredArguments.length;
      const extra = command.args.slice(expected);
      const allowed = expected === 0 ? "options only" : `${command.registeredArguments.map((arg) => `<${arg.name()}>`).join(" ")} once, then options`;
      return `${extra.map((arg) => JSON.stringify(arg)).join(", ")}: unexpected ${extra.length === 1 ? "argument" : "arguments"}; expected ${allowed}`;
    }
    default:
      // Not reachable with the options we declare (no choices, no conflicts, no parsers); kept readable all the same.
      return error.message.replace(/^error: /, "").replace(/\.$/, "");
  }
}

