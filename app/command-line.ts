import * as path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { nearest } from "./config/suggest";
import { UserError } from "./errors";

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
  const flags = command.options.map((option) => option.long ?? option.short ?? option.flags);
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

/** Where the config is read from and the stacks are written: the same for every command. */
export interface ProjectPaths {
  /** Absolute path of the config file. */
  readonly configFile: string;
  /** The output folder, as given (relative to the current directory) or the default. */
  readonly outdir: string;
}

export const DEFAULT_CONFIG_FILE = "trelica.config.yaml";
export const DEFAULT_OUTDIR = "cdktf.out";

/** --config and --output, with their environment variables: one definition for synth, rollout and what comes. */
export function addProjectOptions(command: Command, { deprecatedOutdir = false } = {}): Command {
  command
    .addOption(new Option("--config <file>", `the config file, YAML or JSON (default: $TRELICA_CONFIG, else ${DEFAULT_CONFIG_FILE})`))
    .addOption(new Option("--output <dir>", `the stacks' output folder (default: $CDKTF_OUTDIR, else ${DEFAULT_OUTDIR})`));
  // rollout's earlier name for --output: still read, never shown.
  if (deprecatedOutdir) command.addOption(new Option("--outdir <dir>", "deprecated: use --output").hideHelp());
  return command;
}

export const PROJECT_ENVIRONMENT = `  TRELICA_CONFIG   the config file, when --config is not given
  CDKTF_OUTDIR     the output folder, when --output is not given (the cdktf CLI sets it)`;

/**
 * The config file and output folder a command works with: the option, else its environment variable,
 * else the default (`defaultConfig`: the shipped example beside the program).
 */
export function projectPaths(
  options: { readonly config?: string; readonly output?: string; readonly outdir?: string },
  env: NodeJS.ProcessEnv,
  defaultConfig: string,
): ProjectPaths {
  if (options.output !== undefined && options.outdir !== undefined && options.output !== options.outdir) {
    throw new UserError(`--outdir ${JSON.stringify(options.outdir)} and --output ${JSON.stringify(options.output)}: two output folders; expected one, --output (--outdir is its deprecated name)`);
  }
  return {
    configFile: path.resolve(options.config ?? env.TRELICA_CONFIG ?? defaultConfig),
    outdir: options.output ?? options.outdir ?? env.CDKTF_OUTDIR ?? DEFAULT_OUTDIR,
  };
}

/** A path as a person reads it in a message: relative (`./x`) inside the current folder, else absolute. */
export function shownPath(file: string, cwd = process.cwd()): string {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (relative === "") return ".";
  return relative.startsWith("..") || path.isAbsolute(relative) ? absolute : `./${relative.split(path.sep).join("/")}`;
}
