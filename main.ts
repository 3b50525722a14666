import * as path from "node:path";
import { reportUserErrors } from "./app/common/errors";
import { synthesizeOrganization } from "./app/commands/organization-app";
import { parseSynthCommand } from "./app/commands/synth-command";

void reportUserErrors(() => {
  const { configFile, outdir } = parseSynthCommand(process.argv.slice(2), process.env, path.join(__dirname, "trelica.config.yaml"));
  synthesizeOrganization(configFile, { outdir, log: (line) => process.stdout.write(`${line}\n`) });
});
