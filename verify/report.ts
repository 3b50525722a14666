import * as fs from "node:fs";
import * as path from "node:path";
import { listSome, plural, textTable } from "../app/common/list";
import { redact } from "../runner/redact";
import type { Finding } from "./compare";
import type { LegacyUser, NotTrelicaUser } from "./legacy-keys";

/*
 * What verify found, per account, and how it is shown: the JSON report, one table like rollout's
 * (accounts with findings first, clean accounts counted) and one line per finding. Key IDs are already
 * masked in LegacyKey; everything written passes through redact() as well.
 */

/**
 * ok: as configured, no active legacy key. drift: the role differs. missing-role: no role. unreadable:
 * verify could not read the account. legacy-keys: the role is fine, an active legacy key remains.
 */
export type VerifyStatus = "ok" | "drift" | "missing-role" | "unreadable" | "legacy-keys";

export interface TrelicaUse {
  readonly lastUsed?: string;
  readonly region?: string;
  /** "used by Trelica on … in …" or "never used: connect it in Trelica …". */
  readonly text: string;
}

export interface VerifyAccountReport {
  readonly stack: string;
  readonly accountId: string;
  readonly accountName?: string;
  readonly region: string;
  readonly managedBy: "stack" | "stack set";
  readonly instanceStatus?: string;
  status: VerifyStatus;
  findings: Finding[];
  trelica?: TrelicaUse;
  legacyUsers: LegacyUser[];
  /** Users that look like Trelica's (by name, tag or policy) but do not count, and why: their keys are never touched. */
  notTrelica: NotTrelicaUser[];
  /** Keys this run set to Inactive, masked. */
  deactivated: string[];
  /** Why it is unreadable. */
  reason?: string;
  hint?: string;
  /** The command that repairs a drift. */
  fix?: string;
  /** API calls made for this account (AssumeRole included, retries not). */
  calls: number;
  durationSeconds: number;
}

export interface VerifyReport {
  readonly command: "verify";
  readonly mode: "accounts" | "stackset";
  readonly startedAt: string;
  finishedAt?: string;
  readonly options: { readonly concurrency: number; readonly roleName?: string; readonly deactivateLegacyKeys: boolean; readonly legacyKeyIdleDays: number };
  accounts: VerifyAccountReport[];
  /** Accounts the config gives no stack (not ACTIVE): not read. */
  readonly skipped: { readonly accountId: string; readonly name?: string; readonly state: string }[];
  /** Warnings from resolving the config (as synth prints them). */
  readonly warnings: string[];
  exitCode?: number;
  runner?: { cpuSeconds: number; peakRssMb: number };
}

/** Worst first: the order of the table. */
const SEVERITY: Record<VerifyStatus, number> = { unreadable: 0, "missing-role": 1, drift: 2, "legacy-keys": 3, ok: 4 };

export function exitCodeOf(report: VerifyReport): 0 | 1 {
  return report.accounts.every((account) => account.status === "ok") ? 0 : 1;
}

export function writeVerifyReport(report: VerifyReport, file: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, redact(JSON.stringify(report, null, 2)) + "\n");
}

/** One line per finding, legacy key and unreadable account: what, where, expected vs live, the fix. */
export function findingLines(report: VerifyReport): string[] {
  const lines: string[] = [];
  for (const account of sorted(report.accounts)) {
    const where = `${account.accountId}${account.accountName ? ` (${account.accountName})` : ""}`;
    if (account.status === "unreadable") lines.push(`${where}: UNREADABLE: ${account.reason}${account.hint ? ` (${account.hint})` : ""}`);
    for (const finding of account.findings) {
      lines.push(`${where}: ${finding.what}: expected ${finding.expected}; live ${finding.live}${account.fix ? `. Fix: ${account.fix}` : ""}`);
    }
    for (const user of account.legacyUsers) {
      for (const key of user.keys) {
        const used = key.lastUsed ? `last used ${key.lastUsed.date}${key.lastUsed.service ? ` (${key.lastUsed.service})` : ""}` : "never used";
        lines.push(`${where}: legacy user ${user.userName} (${user.why}): access key ${key.keyId} ${key.status}, created ${key.createdAt ?? "?"}, ${used}: ${key.verdict}: ${key.reason}`);
      }
    }
    for (const user of account.notTrelica) lines.push(`${where}: user ${user.userName} is not Trelica's legacy user, its keys are left alone: ${user.why}`);
  }
  return lines.map(redact);
}

/** Accounts with something to say first, clean accounts counted on the last line. */
export function verifyTable(report: VerifyReport): string {
  // Clean accounts are counted, not listed; those Trelica has never used are named on a line of their own.
  const rows = sorted(report.accounts).filter((account) => account.status !== "ok" || account.deactivated.length > 0);
  const header = ["account", "status", "findings", "legacy keys", "trelica", "note"];
  const lines = rows.map((account) => [
    account.stack,
    account.status,
    String(account.findings.length || ""),
    legacyCount(account),
    account.trelica ? (account.trelica.lastUsed ? `used ${account.trelica.lastUsed.slice(0, 10)}` : "never used") : "",
    note(account),
  ]);
  const out: string[] = textTable(header, lines);
  const count = (status: VerifyStatus) => report.accounts.filter((account) => account.status === status).length;
  out.push(
    "",
    `verify: ${plural(report.accounts.length, "account")}: ${count("ok")} ok, ${count("drift")} drifted, ${count("missing-role")} without the role, ` +
      `${count("unreadable")} unreadable, ${count("legacy-keys")} with active legacy keys.`,
  );
  const unused = report.accounts.filter((account) => account.trelica && !account.trelica.lastUsed).map((account) => account.accountId);
  if (unused.length > 0) {
    out.push(`Never used by Trelica: ${listSome(unused)}. Connect each in Trelica (Admin > Integrations > Amazon Web Services) with its account ID and region (the report and trelica-connections.md list them).`);
  }
  if (report.skipped.length > 0) {
    out.push(`${plural(report.skipped.length, "account")} not ACTIVE in the config's accounts ${report.skipped.length === 1 ? "was" : "were"} not read (no stack).`);
  }
  return redact(out.join("\n"));
}

function legacyCount(account: VerifyAccountReport): string {
  const keys = account.legacyUsers.flatMap((user) => user.keys);
  if (keys.length === 0) return "";
  const active = keys.filter((key) => key.status === "Active").length;
  return `${active} active / ${keys.length}`;
}

function note(account: VerifyAccountReport): string {
  if (account.status === "unreadable") return account.reason ?? "";
  if (account.deactivated.length > 0) return `deactivated ${account.deactivated.join(", ")}`;
  if (account.findings.length > 0) return account.findings.map((finding) => finding.what).join("; ");
  return account.trelica?.lastUsed ? "" : (account.trelica?.text ?? "");
}

function sorted(accounts: readonly VerifyAccountReport[]): VerifyAccountReport[] {
  return [...accounts].sort((a, b) => SEVERITY[a.status] - SEVERITY[b.status] || (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
}
