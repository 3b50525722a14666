import * as path from "node:path";
import { Command, Option } from "commander";
import { UserError } from "../common/errors";
import { Invocation } from "../common/commands";

/*
 * What every command (synth, rollout, verify) takes alike: which config it reads and where the stacks
 * are. One definition, so the options, their environment variables and their defaults cannot drift.
 */

/** Where the config is read from and the stacks are written: the same for every command. */
export interface ProjectPaths {
  /** Absolute path of the config file. */
  readonly configFile: string;
  /** The output folder, as given (relative to the current directory) or the default. */
  readonly outdir: string;
  /** Both as the user gave them (option, else environment variable): what a printed next command repeats. */
  readonly given: Pick<Invocation, "config" | "output">;
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
  const config = options.config ?? env.TRELICA_CONFIG;
  const output = options.output ?? options.outdir ?? env.CDKTF_OUTDIR;
  return {
    configFile: path.resolve(config ?? defaultConfig),
    outdir: output ?? DEFAULT_OUTDIR,
    given: { ...(config !== undefined ? { config } : {}), ...(output !== undefined ? { output } : {}) },
  };
}

/** A path as a person reads it in a message: relative (`./x`) inside the current folder, else absolute. */
export function shownPath(file: string, cwd = process.cwd()): string {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (relative === "") return ".";
  return relative.startsWith("..") || path.isAbsolute(relative) ? absolute : `./${relative.split(path.sep).join("/")}`;
}
