import * as fs from "node:fs";
import * as path from "node:path";
import { TrelicaIntegration } from "../../modules/trelica-integration";
import { roleArn } from "../organization/defaults";
import { Resolution } from "../organization/deployments";
import type { StackSetDeployment } from "../stacks/stackset";
import { csvText, markdownTableLines, parseCsv } from "../common/tables";
import { SERVICE_NAMES } from "../../modules/trelica-integration/services";
import type { ServiceFlags } from "../../modules/trelica-integration";

/*
 * What to type into Trelica per account (Admin > Integrations > Amazon Web Services > Connect),
 * written beside the stacks as CSV for scripts and Markdown for people.
 */

/** The table's columns, whoever writes it (synth here, rollout from the applied state: rollout/connections.ts). */
export const CONNECTION_COLUMNS = ["account_id", "account_name", "region", "role_arn", "services", "applied_at", "status"] as const;
/** The column verify adds (verify/connections.ts): kept by every writer while any row has it. */
export const LAST_USED_COLUMN = "trelica_last_used";

/**
 * Synth runs before any apply: a new account's row is what is planned, with no role ARN (nobody pastes
 * an ARN of a role that may not exist). An account the table already lists keeps what the last apply
 * read (its role ARN, when, its status) and verify's last use: a re-synth never makes the table worse.
 */
const PLANNED = "planned only";

type Known = ReadonlyMap<string, Readonly<Record<string, string>>>;

function rowOf(accountId: string, name: string, region: string, services: ServiceFlags, known: Known, lastUsed: boolean): string[] {
  const before = known.get(accountId);
  const applied = before?.role_arn ? before : undefined;
  return [
    accountId,
    name,
    region,
    applied?.role_arn ?? "",
    SERVICE_NAMES.filter((service) => services[service] !== false).join(" "),
    applied?.applied_at ?? "",
    applied?.status || PLANNED,
    ...(lastUsed ? [before?.[LAST_USED_COLUMN] ?? ""] : []),
  ];
}

/** The connections table's two files in an output folder: the CSV every writer reads back, and its Markdown view. */
export function connectionsFiles(outdir: string): { readonly csv: string; readonly markdown: string } {
  return { csv: path.join(outdir, "trelica-connections.csv"), markdown: path.join(outdir, "trelica-connections.md") };
}

/**
 * The table in `outdir` as it is (synth's, an applied one, verify's last-used column): column → value, per
 * account ID, and whether it has verify's column. The one reader of the table, for synth, rollout and its refusals.
 */
export function readConnectionRows(outdir: string): { known: Known; lastUsed: boolean } {
  const file = connectionsFiles(outdir).csv;
  if (!fs.existsSync(file)) return { known: new Map(), lastUsed: false };
  const [header, ...rows] = parseCsv(fs.readFileSync(file, "utf8"));
  if (!header?.includes("account_id")) return { known: new Map(), lastUsed: false };
  const id = header.indexOf("account_id");
  return {
    known: new Map(rows.filter((row) => row[id]).map((row) => [row[id], Object.fromEntries(header.map((column, i) => [column, row[i] ?? ""]))])),
    lastUsed: header.includes(LAST_USED_COLUMN),
  };
}

const columnsOf = (lastUsed: boolean): string[] => [...CONNECTION_COLUMNS, ...(lastUsed ? [LAST_USED_COLUMN] : [])];

type Table = { readonly columns: string[]; readonly rows: string[][] };

function tableOf(resolution: Resolution, outdir: string): Table {
  const { known, lastUsed } = readConnectionRows(outdir);
  return { columns: columnsOf(lastUsed), rows: resolution.deployments.map((d) => rowOf(d.accountId, d.name ?? "", d.region, d.services, known, lastUsed)) };
}

export function connectionsCsv(resolution: Resolution, outdir: string, table = tableOf(resolution, outdir)): string {
  return csvText(table.columns, table.rows);
}

function markdownTable(columns: readonly string[], rows: readonly string[][]): string[] {
  const status = columns.indexOf("status");
  const applied = rows.filter((row) => row[status] !== PLANNED).length;
  return [
    "# Trelica connections",
    "",
    "In Trelica: Admin > Integrations > Amazon Web Services > Connect; enter the account ID and the region.",
    "",
    applied === 0
      ? "PLANNED, NOT CONFIRMED: written by synth, before any apply; a role here may not exist yet. "
      : `Written by synth: ${applied} of ${rows.length} rows keep what the last apply read (a role ARN: the role existed then); the \`${PLANNED}\` rows may not exist yet. `,
    "After applying, run `npm run rollout -- connections` (apply does it too) for the table from the applied state: its `applied` rows are the accounts whose role exists, ready to connect with their account ID and region.",
    "",
    ...markdownTableLines(columns, rows),
  ];
}

export function connectionsMarkdown(resolution: Resolution, outdir: string, table = tableOf(resolution, outdir)): string {
  const lines = markdownTable(table.columns, table.rows);
  if (resolution.skipped.length > 0) {
    const skipped = resolution.skipped.map((s) => [s.accountId, s.name ?? "", s.state]);
    lines.push("", "## Skipped (not ACTIVE)", "", ...markdownTableLines(["account_id", "account_name", "state"], skipped));
  }
  return lines.join("\n") + "\n";
}

export function writeConnectionsTable(outdir: string, resolution: Resolution): void {
  fs.mkdirSync(outdir, { recursive: true });
  // Both from the table as it was, read once before either is written.
  const table = tableOf(resolution, outdir);
  const files = connectionsFiles(outdir);
  fs.writeFileSync(files.csv, connectionsCsv(resolution, outdir, table));
  fs.writeFileSync(files.markdown, connectionsMarkdown(resolution, outdir, table));
}

/** StackSets mode: the administering account is known; enrolled accounts are whatever the OUs hold. */
export function writeStackSetConnections(outdir: string, deployment: StackSetDeployment): void {
  // The management account's own stack holds its role directly; the stack set enrols the rest.
  const management = deployment.management;
  const { known, lastUsed } = readConnectionRows(outdir);
  const columns = columnsOf(lastUsed);
  const row = rowOf(management.accountId, "management", management.region, management.services, known, lastUsed);
  const lines = markdownTable(columns, [row]);
  lines.push(
    "",
    `Every account of ${deployment.stackSet.organizationalUnitIds.join(", ")} gets ${roleArn(deployment.partition, "<account-id>", TrelicaIntegration.ROLE_NAME)} ` +
      `from stack set ${deployment.stackSet.name}; list them with \`aws cloudformation list-stack-instances --stack-set-name ${deployment.stackSet.name}` +
      `${deployment.stackSet.callAs === "DELEGATED_ADMIN" ? " --call-as DELEGATED_ADMIN" : ""}\` (a CURRENT instance has the role).`,
  );
  const files = connectionsFiles(outdir);
  fs.writeFileSync(files.csv, csvText(columns, [row]));
  fs.writeFileSync(files.markdown, lines.join("\n") + "\n");
}
