import * as fs from "node:fs";
import * as path from "node:path";
import { LoadedConfig, loadConfig } from "./config/load";
import { writeConnectionsTable, writeStackSetConnections } from "./connections-table";
import { Resolution, resolveDeployments, stackNameFor } from "./deployments";
import { plural } from "./list";
import { memberTemplate, ORGANIZATION_STACK_NAME, OrganizationStack, resolveStackSet } from "./stackset";
import { createApp, synthesizeStacks } from "./synthesize";

export interface OrganizationSynthOptions {
  /** @default $CDKTF_OUTDIR (set by the cdktf CLI), else "cdktf.out" as cdktf's App does */
  readonly outdir?: string;
  readonly log: (line: string) => void;
}

/**
 * The whole job: validate the config (throwing before anything is written), synthesize the stacks,
 * drop stacks that left the config, and write what to enter in Trelica.
 */
export function synthesizeOrganization(configFile: string, options: OrganizationSynthOptions): void {
  const loaded = loadConfig(configFile);
  const outdir = options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out";
  if (loaded.config.mode === "stackset") return synthesizeStackSetMode(loaded, outdir, options.log);

  const resolution = resolveDeployments(loaded);
  for (const warning of resolution.warnings) options.log(`Warning: ${warning}`);
  options.log(summaryLine(resolution));
  fs.mkdirSync(outdir, { recursive: true });
  synthesizeStacks(resolution.deployments, outdir);
  removeStaleStacks(outdir, new Set(resolution.deployments.map((deployment) => stackNameFor(deployment.accountId))));
  writeConnectionsTable(outdir, resolution);
}

function synthesizeStackSetMode(loaded: LoadedConfig, outdir: string, log: (line: string) => void): void {
  const deployment = resolveStackSet(loaded);
  for (const warning of deployment.warnings) log(`Warning: ${warning}`);
  const { stackSet } = deployment;
  log(
    `trelica: 1 stack (${ORGANIZATION_STACK_NAME}) for account ${deployment.accountId}, with stack set ${stackSet.name} ` +
      `enrolling ${stackSet.organizationalUnitIds.join(", ")} in ${stackSet.region}.`,
  );
  fs.mkdirSync(outdir, { recursive: true });
  const app = createApp(outdir);
  new OrganizationStack(app, deployment);
  app.synth();
  removeStaleStacks(outdir, new Set([ORGANIZATION_STACK_NAME]));
  fs.writeFileSync(path.join(outdir, "trelica-role.cfn.json"), JSON.stringify(memberTemplate(deployment), null, 2) + "\n");
  writeStackSetConnections(outdir, deployment);
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
function removeStaleStacks(outdir: string, current: ReadonlySet<string>): void {
  const stacksDir = path.join(outdir, "stacks");
  const existing = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir) : [];
  for (const name of existing) {
    if (name.startsWith("trelica-") && !current.has(name)) fs.rmSync(path.join(stacksDir, name), { recursive: true, force: true });
  }
}
