/*
 * Where rollout or verify last saw TrelicaIntegration exist. A plan that creates the role in such an
 * account means terraform found no state for it (state moved or read from another place): its apply
 * would fail with EntityAlreadyExists, or worse, a new state would start beside the old one. Refused
 * at plan time, naming where state was looked for.
 */
import { connectionsFiles, LAST_USED_COLUMN, readConnectionRows } from "../../app/commands/connections-table";
import { readRunReports } from "../report/report";
import type { Located } from "./terraform-state";
import { NO_ROLE_CELL } from "../../verify/connections";

export interface KnownRole {
  readonly roleArn: string;
  /** What showed it, as the refusal names it. */
  readonly seenIn: string;
}

/**
 * Per account ID: the role the latest rollout that applied or destroyed it left (in any output folder:
 * state may have moved with one), or, failing that, the role the connections table of `outdir` lists as
 * applied. verify's latest read wins over both when it found no role (the role was deleted since).
 */
export function knownRoles(outdir: string, stateDir: string): Map<string, KnownRole> {
  const known = new Map<string, KnownRole>();
  for (const report of readRunReports(stateDir)) {
    if (report.command !== "apply" && report.command !== "destroy") continue;
    for (const account of report.accounts) {
      if (account.accountId === undefined || account.status !== "succeeded") continue;
      const roleArn = account.outputs?.role_arn;
      if (account.outcome === "destroyed") known.delete(account.accountId);
      else if (roleArn && (account.outcome === "applied" || account.outcome === "no-changes")) known.set(account.accountId, { roleArn, seenIn: `rollout run ${report.runId}` });
    }
  }
  const table = connectionsFiles(outdir).csv;
  for (const [accountId, row] of readConnectionRows(outdir).known) {
    if (row[LAST_USED_COLUMN] === NO_ROLE_CELL) known.delete(accountId);
    else if (!known.has(accountId) && row.role_arn && row.status === "applied") known.set(accountId, { roleArn: row.role_arn, seenIn: `the connections table ${table}` });
  }
  return known;
}

/** The refusal of a plan that creates `known`'s role, naming where state was looked for and both ways on. */
export function roleExistsRefusal(known: KnownRole, located: Located, verifyCommand: string): string {
  const where = "doubt" in located ? `where its backend keeps it (${located.doubt})` : located.location.kind === "local" ? located.location.file : `s3://${located.location.bucket}/${located.location.key}`;
  return (
    `the plan creates TrelicaIntegration, but ${known.seenIn} shows it exists (${known.roleArn}): terraform found no state for it at ${where}. ` +
    `If its state moved (another --output or folder, a changed backend), put it back there and plan again; if the role is gone, ${verifyCommand} records that and the next plan creates it`
  );
}
