/*
 * The connections table from the APPLIED state: what to type into Trelica (account ID, region), per account, written over
 * synth's planned table (cdktf.out/trelica-connections.csv and .md) after `apply` and `destroy`, and by
 * `connections`.
 * Only an account whose terraform outputs hold role_arn gets an ARN: nobody pastes the ARN of a role
 * that does not exist.
 */
import * as fs from "node:fs";
import { SERVICE_NAMES, TRELICA_SERVICES } from "../modules/trelica-integration/services";
import { csvText, markdownTableLines } from "../app/common/tables";
import { AccountReport, readRunReports, RunReport } from "./report/report";
import { Stack, stackJson } from "../runner/stacks";
import { NO_ROLE_CELL } from "../verify/connections";
import { CONNECTION_COLUMNS, connectionsFiles, LAST_USED_COLUMN, readConnectionRows } from "../app/commands/connections-table";

/**
 * applied: terraform output has role_arn. planned only: no role_arn (never applied, or destroyed).
 * failed: this run's apply (or destroy) of it failed. unknown: its outputs could not be read.
 */
export type ConnectionStatus = "applied" | "planned only" | "failed" | "unknown";

export interface ConnectionRow {
  readonly accountId: string;
  readonly name: string;
  readonly region: string;
  readonly roleArn: string;
  readonly services: string;
  readonly appliedAt: string;
  readonly status: ConnectionStatus;
  /** verify's `trelica_last_used`, kept from the table this one replaces (rollout does not read it). */
  readonly lastUsed?: string;
  /** The Terraform Cloud run that applied (or failed to apply) it in this rollout, for the Markdown table. */
  readonly run?: string;
}

/** `terraform output -json`: name → value (strings only; the stacks declare nothing else). */
export function parseOutputs(stdout: string): Record<string, string> {
  const parsed = JSON.parse(stdout) as Record<string, { value?: unknown }>;
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("terraform output -json did not print an object");
  return Object.fromEntries(Object.entries(parsed).filter(([, output]) => typeof output?.value === "string").map(([name, output]) => [name, output.value as string]));
}

/**
 * The services on in a stack: those whose every action its synthesized permission policy allows. The
 * one source for this column is the stack itself (what terraform applies), not synth's table.
 */
export function stackServices(stack: Stack): string[] {
  const json = stackJson<{ resource?: Record<string, Record<string, { policy?: string }>> }>(stack);
  const actions = new Set<string>();
  for (const policy of Object.values(json.resource?.aws_iam_policy ?? {})) {
    if (!policy.policy) continue;
    for (const statement of (JSON.parse(policy.policy) as { Statement: { Action: string | string[] }[] }).Statement) {
      for (const action of ([] as string[]).concat(statement.Action)) actions.add(action);
    }
  }
  return SERVICE_NAMES.filter((name) => TRELICA_SERVICES[name].actions.every((action) => actions.has(action)));
}

function stackRegion(stack: Stack): string {
  const json = stackJson<{ output?: Record<string, { value?: unknown }> }>(stack);
  const region = json.output?.region?.value;
  return typeof region === "string" ? region : "";
}

/** When each stack's latest successful apply finished, from this run's report and the earlier ones under .rollout. */
function appliedTimes(stateDir: string, current: RunReport): Map<string, string> {
  // Another output folder's runs say nothing about this folder's table.
  const reports = [current, ...readRunReports(stateDir).filter((report) => report.runId !== current.runId && report.outdir === current.outdir)];
  const latest = new Map<string, string>();
  for (const report of reports) {
    if (report.command !== "apply") continue;
    for (const account of report.accounts) {
      if (account.status !== "succeeded" || account.outcome !== "applied" || !account.startedAt) continue;
      const finished = new Date(Date.parse(account.startedAt) + (account.durationSeconds ?? 0) * 1000).toISOString();
      if ((latest.get(account.stack) ?? "") < finished) latest.set(account.stack, finished);
    }
  }
  return latest;
}

export function connectionRows(stacks: readonly Stack[], report: RunReport, outdir: string, stateDir: string): ConnectionRow[] {
  const { known } = readConnectionRows(outdir);
  const appliedAt = appliedTimes(stateDir, report);
  const accountOf = new Map(report.accounts.map((account) => [account.stack, account]));
  return stacks
    .filter((stack) => stack.accountId !== undefined)
    .map((stack) => {
      const account = accountOf.get(stack.name);
      const status = statusOf(account);
      const outputs = account?.outputs ?? {};
      const before = known.get(stack.accountId!);
      // A run that failed, or could not read the state, knows less than the table did: the role it listed stays.
      const kept = (status === "failed" || status === "unknown") && before?.role_arn ? before : undefined;
      return {
        accountId: stack.accountId!,
        name: before?.account_name ?? "",
        region: outputs.region ?? stackRegion(stack),
        roleArn: status === "applied" ? outputs.role_arn! : (kept?.role_arn ?? ""),
        services: stackServices(stack).join(" "),
        appliedAt: status === "applied" ? (appliedAt.get(stack.name) ?? before?.applied_at ?? "") : (kept?.applied_at ?? ""),
        status,
        // verify's "no role" is out of date once the role's ARN is read back here.
        ...(before?.[LAST_USED_COLUMN] !== undefined ? { lastUsed: status === "applied" && before[LAST_USED_COLUMN] === NO_ROLE_CELL ? "" : before[LAST_USED_COLUMN] } : {}),
        ...(account?.cloud?.runs.apply ? { run: account.cloud.runs.apply } : {}),
      };
    });
}

function statusOf(account: AccountReport | undefined): ConnectionStatus {
  if (account?.outputs?.role_arn) return "applied";
  // This run's apply of it failed: whatever state terraform left, it is not a confirmed role.
  if (account?.status === "failed" && !account.outputsUnread) return "failed";
  if (account?.outputs) return "planned only";
  return "unknown";
}

const hasLastUsed = (rows: readonly ConnectionRow[]) => rows.some((row) => row.lastUsed !== undefined);
const columnsOf = (rows: readonly ConnectionRow[]): string[] => [...CONNECTION_COLUMNS, ...(hasLastUsed(rows) ? [LAST_USED_COLUMN] : [])];
const cellsOf = (rows: readonly ConnectionRow[]) => (row: ConnectionRow) => [
  ...[row.accountId, row.name, row.region, row.roleArn, row.services, row.appliedAt, row.status],
  ...(hasLastUsed(rows) ? [row.lastUsed ?? ""] : []),
];

export function connectionsCsv(rows: readonly ConnectionRow[]): string {
  return csvText(columnsOf(rows), rows.map(cellsOf(rows)));
}

/**
 * StackSets mode: the organization stack has no account of its own and its members are whoever the OUs
 * hold, so no row can list them; a note says where their roles come from and how to list them.
 */
export function stackSetNotes(stacks: readonly Stack[], report: RunReport): string[] {
  const accountOf = new Map(report.accounts.map((account) => [account.stack, account]));
  return stacks
    .filter((stack) => stack.accountId === undefined)
    .flatMap((stack) => {
      const json = stackJson<{ resource?: Record<string, Record<string, { name?: string; call_as?: string }>> }>(stack);
      return Object.values(json.resource?.aws_cloudformation_stack_set ?? {}).map((stackSet) => {
        const applied = accountOf.get(stack.name)?.outputs?.stack_set_name === stackSet.name;
        const callAs = stackSet.call_as === "DELEGATED_ADMIN" ? " --call-as DELEGATED_ADMIN" : "";
        return (
          `Every other account of the stack set's OUs gets its role from stack set ${stackSet.name} (stack ${stack.name}, ` +
          `${applied ? "applied" : "not confirmed applied by this run"}), not listed above: list them with ` +
          `\`aws cloudformation list-stack-instances --stack-set-name ${stackSet.name}${callAs}\`; a CURRENT instance has the role.`
        );
      });
    });
}

export function connectionsMarkdown(rows: readonly ConnectionRow[], runId: string, notes: readonly string[] = []): string {
  const count = (status: ConnectionStatus) => rows.filter((row) => row.status === status).length;
  // Runs in Terraform Cloud: one more column, to trace a row to the run that applied it (the CSV, for Trelica, keeps its columns).
  const withRuns = rows.some((row) => row.run);
  const columns: string[] = withRuns ? [...columnsOf(rows), "terraform_cloud_run"] : columnsOf(rows);
  const cells = cellsOf(rows);
  const rowCells = (row: ConnectionRow) => (withRuns ? [...cells(row), row.run ?? ""] : cells(row));
  return (
    [
      "# Trelica connections (applied)",
      "",
      `From terraform's state after rollout run ${runId}: ${count("applied")} applied, ${count("planned only")} planned only, ` +
        `${count("failed")} failed, ${count("unknown")} unknown.`,
      "`applied` rows are the accounts whose role exists (its ARN shows it): connect those in Trelica (Admin > Integrations > Amazon Web Services > Connect; enter the account ID and the region; Trelica does not ask for the ARN).",
      "`planned only`: no role (never applied, or destroyed); `failed`: this run's apply or destroy failed; `unknown`: its terraform outputs could not be read (see the run's report). A `failed` or `unknown` row keeps the role ARN the table last listed: the role this run could not confirm.",
      "",
      ...markdownTableLines(columns, rows.map(rowCells)),
      ...notes.flatMap((note) => ["", note]),
    ].join("\n") + "\n"
  );
}

/** Writes the applied table over synth's; returns the CSV's path. */
export function writeAppliedConnections(stacks: readonly Stack[], report: RunReport, outdir: string, stateDir: string): string {
  const rows = connectionRows(stacks, report, outdir, stateDir);
  const files = connectionsFiles(outdir);
  fs.writeFileSync(files.csv, connectionsCsv(rows));
  fs.writeFileSync(files.markdown, connectionsMarkdown(rows, report.runId, stackSetNotes(stacks, report)));
  return files.csv;
}
