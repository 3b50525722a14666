import * as fs from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import { AccountStack } from "./account-stack";
import { loadConfig } from "./config/load";
import { writeConnectionsTable } from "./connections-table";
import { Resolution, resolveDeployments, stackNameFor } from "./deployments";
import { plural } from "./list";

/** Builds one stack per resolved account into `app`; all validation has happened before this runs. */
export function addAccountStacks(app: App, resolution: Resolution): AccountStack[] {
  return resolution.deployments.map((deployment) => new AccountStack(app, deployment));
}

/**
 * The whole job: validate the config (throwing before anything is written), synthesize the stacks,
 * drop stacks of accounts that left the config, and write the Trelica connections table.
 */
export function synthesizeOrganization(configFile: string, log: (line: string) => void): Resolution {
  const resolution = resolveDeployments(loadConfig(configFile));
  for (const warning of resolution.warnings) log(`Warning: ${warning}`);
  log(summaryLine(resolution));

  // Stack traces in construct metadata cost time per resource and are useless in the JSON output.
  // Validation is skipped because the only one our stacks carry (CloudBackend's) runs `terraform version`
  // once per stack: synthesis must not need terraform, and must stay fast with thousands of stacks.
  const app = new App({ stackTraces: false, skipValidation: true });
  addAccountStacks(app, resolution);
  app.synth();
  removeStaleStacks(app.outdir, resolution);
  writeConnectionsTable(app.outdir, resolution);
  return resolution;
}

function summaryLine(resolution: Resolution): string {
  const parts = [`${plural(resolution.deployments.length, "account stack")}`];
  if (resolution.skipped.length > 0) {
    const byState = new Map<string, number>();
    for (const account of resolution.skipped) byState.set(account.state, (byState.get(account.state) ?? 0) + 1);
    const states = [...byState].map(([state, count]) => `${count} ${state}`).join(", ");
    parts.push(`skipped ${plural(resolution.skipped.length, "account")} that ${resolution.skipped.length === 1 ? "is" : "are"} not ACTIVE (${states})`);
  }
  if (resolution.filteredOut > 0) parts.push(`${plural(resolution.filteredOut, "account")} left out by include/exclude`);
  return `trelica: ${parts.join("; ")}.`;
}

/** Stack folders of accounts that left the config must not linger (a rollout would still apply them). */
function removeStaleStacks(outdir: string, resolution: Resolution): void {
  const stacksDir = path.join(outdir, "stacks");
  const current = new Set(resolution.deployments.map((deployment) => stackNameFor(deployment.accountId)));
  const existing = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir) : [];
  for (const name of existing) {
    if (name.startsWith("trelica-") && !current.has(name)) fs.rmSync(path.join(stacksDir, name), { recursive: true, force: true });
  }
}
