import * as path from "node:path";
import { reportUserErrors } from "./app/common/errors";
import { synthesizeOrganization } from "./app/commands/organization-app";
import { parseSynthCommand } from "./app/commands/synth-command";
import { managementPolicyOf, printedPolicy } from "./app/commands/management-policy";

void reportUserErrors(() => {
  const { configFile, outdir, printManagementPolicy } = parseSynthCommand(process.argv.slice(2), process.env, path.join(__dirname, "trelica.config.yaml"));
  if (printManagementPolicy) return void process.stdout.write(printedPolicy(managementPolicyOf(configFile)));
  synthesizeOrganization(configFile, { outdir, log: (line) => process.stdout.write(`${line}\n`) });
});
