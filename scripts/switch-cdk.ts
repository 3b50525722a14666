/*
 * npm run switch -- <cdktf|cdktn> [--force] [--no-lock]
 * Moves the program between CDKTF and CDK Terrain (docs/cdk-terrain.md): package.json, the lock file and
 * the import specifiers; says what changed and how to go back.
 */
import { Command as Cli } from "commander";
import * as path from "node:path";
import { parseCommandLine } from "../app/commands/command-line";
import { reportUserErrors } from "../app/common/errors";
import { FLAVOUR_NAMES } from "./cdk-flavour/flavours";
import { switchFlavour } from "./cdk-flavour/switch";

const cli = new Cli("switch")
  .description("Switch the CDK flavour: cdktf (CDKTF, the default) or cdktn (CDK Terrain).")
  .argument("<flavour>", FLAVOUR_NAMES.join(" or "))
  .option("--force", "switch even with uncommitted changes in the git tree", false)
  .option("--no-lock", "leave package-lock.json as it is (run npm install yourself)");

void reportUserErrors(() => {
  parseCommandLine(cli, process.argv.slice(2), { help: "npm run switch -- --help", arguments: { flavour: FLAVOUR_NAMES.join(" or ") } });
  const [flavour] = cli.args as [string];
  const opts = cli.opts<{ force: boolean; lock: boolean }>();
  switchFlavour(path.resolve(__dirname, ".."), flavour, { force: opts.force, lock: opts.lock, log: (line) => process.stdout.write(`${line}\n`) });
});
