import { App } from "cdktf";
import { AccountStack } from "./account-stack";
import { Config } from "./config/schema";
import { resolveDeployments } from "./deployments";

/** Builds one stack per account into `app`; all validation has happened before this runs. */
export function addAccountStacks(app: App, config: Config): AccountStack[] {
  return resolveDeployments(config).map((deployment) => new AccountStack(app, deployment));
}
