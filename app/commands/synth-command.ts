import { Command, Option } from "commander";
import { PRINT_MANAGEMENT_POLICY } from "./management-policy";
import { parseCommandLine } from "./command-line";
import { addProjectOptions, PROJECT_ENVIRONMENT, ProjectPaths, projectPaths } from "./project-options";

export interface SynthCommand extends ProjectPaths {
  /** Print the management account's trusted principals' policy instead of synthesizing. */
  readonly printManagementPolicy: boolean;
}

const HELP_AFTER = `
Environment:
${PROJECT_ENVIRONMENT}

Writes one Terraform JSON stack per account (<output>/stacks/trelica-<account id>/cdk.tf.json),
manifest.json, and trelica-connections.csv/.md: what cdktf synth writes, without the cdktf CLI.
\`npx cdktf synth\`, \`cdktf deploy\` and \`cdktf diff\` run this same program.

Examples:
  npm run synth -- --config ../org/trelica.yaml --output build/cdktf.out
  npm run --silent synth -- --print-management-policy > trelica-management-policy.json

Exit codes: 0 written (or printed); 1 the config or the output folder has problems (each named; nothing written).`;

/**
 * `npm run synth [-- --config FILE] [--output DIR]`: reads the command line of the main job. The
 * cdktf CLI runs the same entry point with no arguments and its own environment.
 */
export function parseSynthCommand(argv: readonly string[], env: NodeJS.ProcessEnv, defaultConfig: string): SynthCommand {
  const version: string = require("../../package.json").version;
  const command = addProjectOptions(new Command("npm run synth --").description("Synthesize the TrelicaIntegration role's Terraform stacks, one per AWS account, from a config file."))
    .addOption(
      new Option(
        PRINT_MANAGEMENT_POLICY,
        "print the IAM policy deployment.deployer.trustedPrincipalArns need in the management account (JSON) and write nothing",
      ),
    )
    .version(version, "--version", "print this program's version")
    .helpOption("--help", "print this help")
    .addHelpText("after", HELP_AFTER)
    .allowExcessArguments(false);
  parseCommandLine(command, argv, { help: "npm run synth -- --help" });
  const options = command.opts<{ config?: string; output?: string; printManagementPolicy?: boolean }>();
  return { ...projectPaths(options, env, defaultConfig), printManagementPolicy: options.printManagementPolicy === true };
}
