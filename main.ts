import * as path from "node:path";
import { reportUserErrors } from "./app/errors";
import { synthesizeOrganization } from "./app/organization-app";

const configFile = path.resolve(process.env.TRELICA_CONFIG ?? path.join(__dirname, "trelica.config.yaml"));

void reportUserErrors(() => synthesizeOrganization(configFile, { log: (line) => process.stdout.write(`${line}\n`) }));
