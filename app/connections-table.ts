import * as fs from "node:fs";
import * as path from "node:path";
import { Resolution } from "./deployments";

/*
 * What to type into Trelica per account (Admin > Integrations > Amazon Web Services > Connect),
 * written beside the stacks as CSV for scripts and Markdown for people.
 */

const COLUMNS = ["account_id", "account_name", "region", "role_arn", "organizations"] as const;

function rowsOf(resolution: Resolution): string[][] {
  return resolution.deployments.map((d) => [d.accountId, d.name ?? "", d.region, d.roleArn, String(d.services.organizations)]);
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function connectionsCsv(resolution: Resolution): string {
  return [COLUMNS, ...rowsOf(resolution)].map((row) => row.map(csvField).join(",")).join("\n") + "\n";
}

export function connectionsMarkdown(resolution: Resolution): string {
  const cell = (value: string) => value.replace(/\|/g, "\\|");
  const lines = [
    "# Trelica connections",
    "",
    "In Trelica: Admin > Integrations > Amazon Web Services > Connect; enter the account ID and the region.",
    "",
    `| ${COLUMNS.join(" | ")} |`,
    `| ${COLUMNS.map(() => "---").join(" | ")} |`,
    ...rowsOf(resolution).map((row) => `| ${row.map(cell).join(" | ")} |`),
  ];
  if (resolution.skipped.length > 0) {
    lines.push("", "## Skipped (not ACTIVE)", "", "| account_id | account_name | state |", "| --- | --- | --- |");
    lines.push(...resolution.skipped.map((s) => `| ${s.accountId} | ${cell(s.name ?? "")} | ${s.state} |`));
  }
  return lines.join("\n") + "\n";
}

export function writeConnectionsTable(outdir: string, resolution: Resolution): void {
  fs.mkdirSync(outdir, { recursive: true });
  fs.writeFileSync(path.join(outdir, "trelica-connections.csv"), connectionsCsv(resolution));
  fs.writeFileSync(path.join(outdir, "trelica-connections.md"), connectionsMarkdown(resolution));
}
