import * as fs from "node:fs";
import * as path from "node:path";
import type { CloudReport } from "../terraform-cloud/cloud-report";
import { AccessChange, ChangeCounts, hasChanges } from "../terraform/plan-summary";
import { plural, textTable } from "../../app/common/list";
import { redact } from "../../runner/redact";
import { writePrivateFile } from "../../runner/private-files";

export type Command = "plan" | "apply" | "destroy" | "connections";
/** needs-action: Terraform Cloud holds the account's run for a person (a policy override, a confirmation) or discarded it. */
export type AccountStatus = "succeeded" | "failed" | "refused" | "interrupted" | "not-started" | "skipped" | "needs-action";

export interface AccountReport {
  readonly stack: string;
  readonly accountId?: string;
  /** Its account left the config; its stack is kept only to destroy the role (app/stacks/leaving-stacks.ts). */
  readonly leaving?: boolean;
  status: AccountStatus;
  /** What a successful run found or did. */
  outcome?: "no-changes" | "changes" | "applied" | "destroyed" | "read" | "in-sync";
  /** Proven in sync without terraform (rollout/prove-in-sync.ts): what was compared. */
  inSync?: { compared: string };
  /** Why terraform planned it rather than rollout proving it in sync. */
  notInSync?: string;
  counts?: ChangeCounts;
  destructive?: string[];
  cutsTrelicaOff?: boolean;
  /** What the plan changes in Trelica's access, per resource; apply refuses it without --allow-access-change. */
  accessChanges?: AccessChange[];
  /**
   * Why the plan could not be checked for changes to Trelica's access (its JSON was unreadable); apply
   * refuses it unless both --allow-access-change and --allow-destroy are given.
   */
  accessUnchecked?: string;
  /** The account's runs in Terraform Cloud, when its stack's `cloud` block sends them there. */
  cloud?: CloudReport;
  startedAt?: string;
  durationSeconds?: number;
  /** terraform runs for this account, all steps together. */
  attempts: number;
  /** Per step: terraform runs of that step, and retries (runs − 1). */
  steps?: Partial<Record<"init" | "plan" | "show" | "apply" | "output", { attempts: number; retries: number }>>;
  /** `terraform output -json` after apply and in `connections`: name → value ({} before a first apply). */
  outputs?: Record<string, string>;
  /** `terraform output -json` failed: the account's state is unknown (not "failed to apply"). */
  outputsUnread?: boolean;
  /** sha256 of cdk.tf.json when planned: apply refuses a stack that changed since. */
  stackHash?: string;
  planFile?: string;
  log?: string;
  /** Why it failed, was refused or skipped: a short excerpt, secrets masked. */
  reason?: string;
  /** What to do about a permanent failure (expired credentials, access denied...). */
  hint?: string;
}

export interface RunReport {
  readonly runId: string;
  readonly command: Command;
  readonly planAndApply: boolean;
  readonly startedAt: string;
  finishedAt?: string;
  interrupted: boolean;
  readonly terraform: { binary: string; version: string };
  readonly options: { concurrency: number; maxFailures: number; lockTimeout: string; retries: number };
  /** The plan run an apply used. */
  readonly fromPlanRun?: string;
  /** The output folder whose stacks it ran (absolute): its plans apply, and it resumes, only there. */
  readonly outdir?: string;
  accounts: AccountReport[];
  runner?: { cpuSeconds: number; peakRssMb: number };
}

export function writeReport(report: RunReport, files: readonly string[]): void {
  const text = JSON.stringify(report, null, 2) + "\n";
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    // Owner-only: it names accounts, roles and terraform's words about them.
    writePrivateFile(file, text);
  }
}

export function readReport(file: string): RunReport {
  return JSON.parse(fs.readFileSync(file, "utf8")) as RunReport;
}

/** Every readable run report under .rollout, oldest first (run IDs start with their UTC time); one cut short by a crash is skipped. */
export function readRunReports(stateDir: string): RunReport[] {
  if (!fs.existsSync(stateDir)) return [];
  const reports: RunReport[] = [];
  for (const entry of fs.readdirSync(stateDir).sort()) {
    const file = path.join(stateDir, entry, "report.json");
    if (!fs.existsSync(file)) continue;
    try {
      reports.push(readReport(file));
    } catch {
      // A report cut short (a crash mid-write) says nothing reliable.
    }
  }
  return reports;
}

/** The part of terraform's output that says what went wrong, from its first "Error:" on. */
export function errorExcerpt(output: string, limit = 600): string {
  const start = output.search(/Error[:\s]/);
  // Masked before it is cut, so a secret at the cut is not left half-shown.
  const text = redact((start >= 0 ? output.slice(start) : output.trim().split("\n").slice(-8).join("\n")).trim());
  return text.length > limit ? `${text.slice(0, limit)}...` : text;
}

export function changeText(counts: ChangeCounts | undefined): string {
  if (!counts || !hasChanges(counts)) return "no changes";
  const parts = [
    [counts.create, "to create"],
    [counts.update, "to update"],
    [counts.replace, "to replace"],
    [counts.delete, "to delete"],
    [counts.import, "to import"],
  ].filter(([count]) => (count as number) > 0);
  return parts.map(([count, what]) => `${count} ${what}`).join(", ");
}

/** Rows worth reading (changes, problems), then the totals. */
export function summaryTable(report: RunReport): string {
  // Accounts whose access to Trelica the plan changes come first: the rows a reviewer must not miss.
  const rows = report.accounts
    .filter((account) => account.leaving || account.status !== "succeeded" || (account.counts !== undefined && hasChanges(account.counts)) || account.destructive?.length)
    .sort((a, b) => Number(Boolean(b.leaving)) - Number(Boolean(a.leaving)) || Number(mustReview(b)) - Number(mustReview(a)));
  const header = ["account", "status", "create", "update", "replace", "delete", "import", "time", "note"];
  const lines = rows.map((account) => [
    account.stack,
    statusLabel(account),
    ...(["create", "update", "replace", "delete", "import"] as const).map((key) => String(account.counts?.[key] || "")),
    account.durationSeconds === undefined ? "" : `${account.durationSeconds.toFixed(1)}s`,
    note(account),
  ]);
  const out: string[] = textTable(header, lines);
  const count = (status: AccountStatus) => report.accounts.filter((a) => a.status === status).length;
  // "with changes" qualifies "succeeded": a refused or failed account is counted there, not here.
  const withChanges = report.accounts.filter((a) => a.status === "succeeded" && a.counts && hasChanges(a.counts)).length;
  const accessChanged = report.accounts.filter((a) => a.accessChanges?.length).length;
  const inSync = report.accounts.filter((a) => a.outcome === "in-sync").length;
  out.push(
    "",
    `${report.command}${report.planAndApply ? " (plan-and-apply)" : ""}: ${plural(report.accounts.length, "account")}: ` +
      `${count("succeeded")} succeeded (${withChanges} with changes), ${count("failed")} failed, ${count("refused")} refused, ` +
      `${count("interrupted")} interrupted, ${count("not-started")} not started, ${count("skipped")} skipped` +
      // Only runs in Terraform Cloud can need action there: other rollouts keep their one familiar line.
      (count("needs-action") > 0 ? `, ${count("needs-action")} need action in Terraform Cloud.` : "."),
  );
  if (inSync > 0) {
    const ran = report.accounts.filter((a) => a.attempts > 0).length;
    out.push(`${inSync} in sync (live and state): proven without terraform, nothing to plan; terraform ran in ${ran}. --full plans every account with terraform.`);
  }
  const leaving = report.accounts.filter((a) => a.leaving).length;
  if (leaving > 0) {
    out.push(`${leaving} leaving account${leaving === 1 ? "" : "s"} (listed first): left the config while ${leaving === 1 ? "its" : "their"} state held the role; apply destroys ${leaving === 1 ? "it" : "them"} only with --confirm-destroy.`);
  }
  if (accessChanged > 0) out.push(`${accessChanged} account${accessChanged === 1 ? "" : "s"} with plans that change Trelica's access (listed first).`);
  const unchecked = report.accounts.filter((a) => a.accessUnchecked).length;
  if (unchecked > 0) {
    out.push(`${unchecked} account${unchecked === 1 ? "" : "s"} with plans that could not be checked for changes to Trelica's access (listed first): apply refuses them unless both --allow-access-change and --allow-destroy are given.`);
  }
  const cloud = cloudTotals(report);
  if (cloud) out.push(cloud);
  return out.join("\n");
}

/** Rows a reviewer must not miss: access changes, and plans nobody could check for them. */
function mustReview(account: AccountReport): boolean {
  return Boolean(account.accessChanges?.length || account.accessUnchecked);
}

/** The status column: for a run Terraform Cloud holds or refused, what it waits for rather than a bare "failed". */
export function statusLabel(account: AccountReport): string {
  const state = account.cloud?.state;
  const heldByCloud = state && state !== "awaiting-confirmation" && state !== "applied" && ["failed", "needs-action", "skipped"].includes(account.status);
  return heldByCloud ? state : account.status;
}

/** One line on the runs in Terraform Cloud: how many wait for what, where to act. */
function cloudTotals(report: RunReport): string | undefined {
  const byState = new Map<string, number>();
  for (const account of report.accounts) {
    const state = account.cloud?.state;
    if (state && state !== "applied") byState.set(state, (byState.get(state) ?? 0) + 1);
  }
  if (byState.size === 0) return undefined;
  const needAction = report.accounts.filter((a) => a.status === "needs-action").length;
  const states = [...byState].map(([state, count]) => `${count} ${state}`).join(", ");
  const act = needAction > 0 ? `; ${needAction} need someone in Terraform Cloud: open their run URLs` : "";
  const confirm = byState.has("awaiting-confirmation") && report.command !== "apply" ? "; `rollout apply` confirms the awaiting runs" : "";
  return `Terraform Cloud runs: ${states}${act}${confirm}.`;
}

function note(account: AccountReport): string {
  const cloud = cloudNote(account);
  const text = accountNote(account);
  return cloud ? (text ? `${text}; ${cloud}` : cloud) : text;
}

/** Policy results and the run to open, for accounts whose runs are in Terraform Cloud. A failure's reason already names its run. */
function cloudNote(account: AccountReport): string {
  if (!account.cloud) return "";
  // A held or failed run's reason already says which policy failed.
  const policy = account.cloud.policy && account.cloud.policy !== "passed" && ["succeeded", "refused"].includes(account.status) ? `policy ${account.cloud.policy}` : "";
  const url = account.cloud.runs.apply ?? account.cloud.runs.plan;
  // terraform stopped by an interrupt leaves its remote run going (backend_plan.go, backend_apply.go headers).
  const what = account.cloud.state === "awaiting-confirmation" ? "run awaits confirmation" : account.status === "interrupted" ? "run (it may go on in Terraform Cloud)" : "run";
  const run = url && !(account.reason ?? "").includes(url) ? `${what}: ${url}` : "";
  return [policy, run].filter(Boolean).join("; ");
}

function accountNote(account: AccountReport): string {
  const text = accessNote(account);
  return account.leaving ? `LEAVING (left the config)${text ? `: ${text}` : ""}` : text;
}

function accessNote(account: AccountReport): string {
  const reason = account.reason ? `; ${firstLine(account.reason)}` : "";
  if (account.accessUnchecked) {
    // The refusal's reason repeats why: say it once.
    const why = account.status === "refused" ? "; refused without --allow-access-change --allow-destroy" : reason;
    return `NOT CHECKED for changes to Trelica's access: ${account.accessUnchecked}${why}`;
  }
  if (account.accessChanges?.length && !account.cutsTrelicaOff) {
    // The reason repeats the access changes when apply refused them: say them once.
    const why = account.status === "refused" ? "; refused without --allow-access-change" : reason;
    return `CHANGES TRELICA'S ACCESS: ${account.accessChanges.map((change) => `${change.address} ${change.reason}`).join("; ")}${why}`;
  }
  if (account.cutsTrelicaOff) return `DESTROYS the TrelicaIntegration role: Trelica is cut off${account.reason ? `; ${firstLine(account.reason)}` : ""}`;
  if (account.destructive?.length) return `deletes ${account.destructive.join(", ")}${account.reason ? `; ${firstLine(account.reason)}` : ""}`;
  const text = account.reason ? firstLine(account.reason) : "";
  return account.hint ? `${text} (${account.hint})` : text;
}

function firstLine(text: string): string {
  return text.split("\n")[0];
}
