import * as path from "node:path";
import { App } from "cdktf";
import { loadConfig } from "./app/config/load";
import { reportUserErrors } from "./app/errors";
import { addAccountStacks } from "./app/organization-app";

const configFile = path.resolve(process.env.TRELICA_CONFIG ?? path.join(__dirname, "trelica.config.yaml"));

reportUserErrors(() => {
  // Validate everything before the first stack exists: a bad config writes nothing.
  const config = loadConfig(configFile);
  // Stack traces in construct metadata cost time per resource and are useless in the JSON output.
  const app = new App({ stackTraces: false });
  addAccountStacks(app, config);
  app.synth();
});
