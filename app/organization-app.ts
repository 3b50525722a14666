import * as fs from "node:fs";
import * as path from "node:path";
import { loadConfig } from "./config/load";
import { writeConnectionsTable } from "./connections-table";
import { Resolution, resolveDeployments, stackNameFor } from "./deployments";
import { plural } from "./list";
import { synthesizeStacks } from "./synthesize";

export interface OrganizationSynthOptions {
  /** @default $CDKTF_OUTDIR (set by the cdktf CLI), else "cdktf.out" as cdktf's App does */
  readonly outdir?: string;
  readonly log: (line: string) => void;
}

/**
 * The whole job: validate the config (throwing before anything is written), synthesize one stack per
 * account, drop stacks of accounts that left the config, and write the Trelica connections table.
 */
export function synthesizeOrganization(configFile: string, options: OrganizationSynthOptions): Resolution {
  const resolution = resolveDeployments(loadConfig(configFile));
  for (const warning of resolution.warnings) options.log(`Warning: ${warning}`);
  options.log(summaryLine(resolution));

  const outdir = options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out";
  fs.mkdirSync(outdir, { recursive: true });
  synthesizeStacks(resolution.deployments, outdir);
  removeStaleStacks(outdir, resolution);
  writeConnectionsTable(outdir, resolution);
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
