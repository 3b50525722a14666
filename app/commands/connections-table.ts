import * as fs from "node:fs";
import * as path from "node:path";
import { TrelicaIntegration } from "../../modules/trelica-integration";
import { roleArn } from "../organization/defaults";
import { Resolution } from "../organization/deployments";
import type { StackSetDeployment } from "../stacks/stackset";
import { csvText, markdownTableLines } from "../common/tables";

/*
 * What to type into Trelica per account (Admin > Integrations > Amazon Web Services > Connect),
 * written beside the stacks as CSV for scripts and Markdown for people.
 */

const COLUMNS = ["account_id", "account_name", "region", "role_arn", "organizations", "status"] as const;

/**
 * Synth runs before any apply: its rows are what is planned, not roles confirmed to exist, so they
 * carry no role ARN (nobody pastes an ARN of a role that may not exist); the applied table has them.
 */
const PLANNED = "planned";
const NOT_YET = "";

type Row = [accountId: string, name: string, region: string, roleArn: string, organizations: string, status: string];

function rowsOf(resolution: Resolution): Row[] {
  return resolution.deployments.map((d) => [
    d.accountId,
    d.name ?? "",
    d.region,
    NOT_YET,
    String(d.services.organizations),
    PLANNED,
  ]);
}

export function connectionsCsv(resolution: Resolution): string {
  return csvText(COLUMNS, rowsOf(resolution));
}

function markdownTable(rows: readonly Row[]): string[] {
  return [
    "# Trelica connections",
    "",
    "In Trelica: Admin > Integrations > Amazon Web Services > Connect; enter the account ID and the region.",
    "",
    "PLANNED, NOT CONFIRMED: written by synth, before any apply; a role here may not exist yet. " +
      "After applying, run `npm run rollout -- connections` (apply does it too) for the table from the applied state: its `applied` rows are the accounts whose role exists, ready to connect with their account ID and region.",
    "",
    ...markdownTableLines(COLUMNS, rows),
  ];
}

export function connectionsMarkdown(resolution: Resolution): string {
  const lines = markdownTable(rowsOf(resolution));
  if (resolution.skipped.length > 0) {
    const skipped = resolution.skipped.map((s) => [s.accountId, s.name ?? "", s.state]);
    lines.push("", "## Skipped (not ACTIVE)", "", ...markdownTableLines(["account_id", "account_name", "state"], skipped));
  }
  return lines.join("\n") + "\n";
}

export function writeConnectionsTable(outdir: string, resolution: Resolution): void {
  fs.mkdirSync(outdir, { recursive: true });
  fs.writeFileSync(path.join(outdir, "trelica-connections.csv"), connectionsCsv(resolution));
  fs.writeFileSync(path.join(outdir, "trelica-connections.md"), connectionsMarkdown(resolution));
}

/** StackSets mode: the administering account is known; enrolled accounts are whatever the OUs hold. */
export function writeStackSetConnections(outdir: string, deployment: StackSetDeployment): void {
  // The management account's own stack holds its role directly; the stack set enrols the rest.
  const management = deployment.management;
  const row: Row = [
    management.accountId,
    "management",
    management.region,
    NOT_YET,
    String(management.services.organizations),
    PLANNED,
  ];
  const lines = markdownTable([row]);
  lines.push(
    "",
    `Every account of ${deployment.stackSet.organizationalUnitIds.join(", ")} gets ${roleArn(deployment.partition, "<account-id>", TrelicaIntegration.ROLE_NAME)} ` +
      `from stack set ${deployment.stackSet.name}; list them with \`aws cloudformation list-stack-instances --stack-set-name ${deployment.stackSet.name}` +
      `${deployment.stackSet.callAs === "DELEGATED_ADMIN" ? " --call-as DELEGATED_ADMIN" : ""}\` (a CURRENT instance has the role).`,
  );
  fs.writeFileSync(path.join(outdir, "trelica-connections.csv"), csvText(COLUMNS, [row]));
  fs.writeFileSync(path.join(outdir, "trelica-connections.md"), lines.join("\n") + "\n");
}
