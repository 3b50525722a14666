import { Command } from "commander";
import { parseCommandLine } from "./command-line";
import { addProjectOptions, PROJECT_ENVIRONMENT, ProjectPaths, projectPaths } from "./project-options";

export type SynthCommand = ProjectPaths;

const HELP_AFTER = `
Environment:
${PROJECT_ENVIRONMENT}

Writes one Terraform JSON stack per account (<output>/stacks/trelica-<account id>/cdk.tf.json),
manifest.json, and trelica-connections.csv/.md: what cdktf synth writes, without the cdktf CLI.
\`npx cdktf synth\`, \`cdktf deploy\` and \`cdktf diff\` run this same program.

Example:
  npm run synth -- --config ../org/trelica.yaml --output build/cdktf.out

Exit codes: 0 written; 1 the config or the output folder has problems (each named; nothing written).`;

/**
 * `npm run synth [-- --config FILE] [--output DIR]`: reads the command line of the main job. The
 * cdktf CLI runs the same entry point with no arguments and its own environment.
 */
export function parseSynthCommand(argv: readonly string[], env: NodeJS.ProcessEnv, defaultConfig: string): SynthCommand {
  const version: string = require("../../package.json").version;
  const command = addProjectOptions(new Command("npm run synth --").description("Synthesize the TrelicaIntegration role's Terraform stacks, one per AWS account, from a config file."))
    .version(version, "--version", "print this program's version")
    .helpOption("--help", "print this help")
    .addHelpText("after", HELP_AFTER)
    .allowExcessArguments(false);
  parseCommandLine(command, argv, { help: "npm run synth -- --help" });
  return projectPaths(command.opts<{ config?: string; output?: string }>(), env, defaultConfig);
}
