import * as path from "node:path";
import { Command, Option } from "commander";
import { parseCommandLine } from "./command-line";

export interface SynthCommand {
  readonly configFile: string;
  /** @default $CDKTF_OUTDIR (the cdktf CLI sets it), else "cdktf.out" */
  readonly outdir?: string;
}

const HELP_AFTER = `
Environment:
  TRELICA_CONFIG   the config file, when --config is not given
  CDKTF_OUTDIR     the output folder, when --output is not given (the cdktf CLI sets it)

Writes one Terraform JSON stack per account (<output>/stacks/trelica-<account id>/cdk.tf.json),
manifest.json, and trelica-connections.csv/.md: what cdktf synth writes, without the cdktf CLI.
\`npx cdktf synth\`, \`cdktf deploy\` and \`cdktf diff\` run this same program.

Example:
  npm run synth -- --config ../org/trelica.yaml --output build/cdktf.out

Exit codes: 0 written; 1 the config has problems (each named; nothing written).`;

/**
 * `npm run synth [-- --config FILE] [--output DIR]`: reads the command line of the main job. The
 * cdktf CLI runs the same entry point with no arguments and its own environment.
 */
export function parseSynthCommand(argv: readonly string[], env: NodeJS.ProcessEnv, defaultConfig: string): SynthCommand {
  const version: string = require("../package.json").version;
  const command = new Command("npm run synth --")
    .description("Synthesize the TrelicaIntegration role's Terraform stacks, one per AWS account, from a config file.")
    .addOption(new Option("--config <file>", "the config file, YAML or JSON (default: $TRELICA_CONFIG, else trelica.config.yaml)"))
    .addOption(new Option("--output <dir>", "where to write the stacks (default: $CDKTF_OUTDIR, else cdktf.out)"))
    .version(version, "--version", "print this program's version")
    .helpOption("--help", "print this help")
    .addHelpText("after", HELP_AFTER)
    .allowExcessArguments(false);
  parseCommandLine(command, argv, { help: "npm run synth -- --help" });
  const options = command.opts<{ config?: string; output?: string }>();
  return {
    configFile: path.resolve(options.config ?? env.TRELICA_CONFIG ?? defaultConfig),
    outdir: options.output ?? env.CDKTF_OUTDIR,
  };
}
