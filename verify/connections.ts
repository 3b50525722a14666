import * as fs from "node:fs";
import { csvText, parseCsv } from "../app/common/tables";
import type { VerifyAccountReport } from "./report";
import { connectionsFiles, LAST_USED_COLUMN } from "../app/commands/connections-table";

/*
 * The connections table (cdktf.out/trelica-connections.csv and .md, written by synth and rollout) gains
 * a `trelica_last_used` column: verify fills it for the accounts it read, from RoleLastUsed, and leaves
 * every other cell and row as they are.
 */

/** The cell of an account read and found without the role: rollout then may create it (rollout/plans/known-roles.ts). */
export const NO_ROLE_CELL = "no role";

/** The cell: when and where Trelica last assumed the role, "never", "no role", or "unknown" for an unreadable account. */
export function lastUsedCell(account: VerifyAccountReport): string {
  if (account.status === "missing-role") return NO_ROLE_CELL;
  if (!account.trelica) return "unknown";
  return account.trelica.lastUsed ? `${account.trelica.lastUsed} ${account.trelica.region ?? ""}`.trim() : "never";
}

/** Fills the column in whichever of the two files exist; returns the files written. */
export function fillLastUsed(outdir: string, accounts: readonly VerifyAccountReport[]): string[] {
  const cells = new Map(accounts.map((account) => [account.accountId, lastUsedCell(account)]));
  const written: string[] = [];
  const { csv: csvFile, markdown: mdFile } = connectionsFiles(outdir);
  if (fs.existsSync(csvFile)) {
    const [header, ...rows] = parseCsv(fs.readFileSync(csvFile, "utf8"));
    const filled = fillRows(header, rows, cells);
    if (filled) {
      fs.writeFileSync(csvFile, csvText(filled.header, filled.rows));
      written.push(csvFile);
    }
  }
  if (fs.existsSync(mdFile)) {
    const text = fillMarkdown(fs.readFileSync(mdFile, "utf8"), cells);
    if (text) {
      fs.writeFileSync(mdFile, text);
      written.push(mdFile);
    }
  }
  return written;
}

/** The rows with the column added (or refreshed) and filled where verify read the account; undefined without an account_id column. */
function fillRows(header: readonly string[] | undefined, rows: readonly string[][], cells: ReadonlyMap<string, string>) {
  const id = header?.indexOf("account_id") ?? -1;
  if (!header || id < 0) return undefined;
  let column = header.indexOf(LAST_USED_COLUMN);
  const newHeader = column < 0 ? [...header, LAST_USED_COLUMN] : [...header];
  if (column < 0) column = header.length;
  const newRows = rows.map((row) => {
    const out = [...row];
    while (out.length < newHeader.length) out.push("");
    out[column] = cells.get(row[id]) ?? out[column];
    return out;
  });
  return { header: newHeader, rows: newRows };
}

/** The first Markdown table whose header has account_id, filled the same way; the text around it kept. */
function fillMarkdown(text: string, cells: ReadonlyMap<string, string>): string | undefined {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.startsWith("| account_id"));
  if (start < 0) return undefined;
  let end = start;
  while (end < lines.length && lines[end].startsWith("|")) end++;
  const split = (line: string) => line.slice(2, -2).split(/ (?<!\\)\| /);
  const [header, , ...rows] = lines.slice(start, end).map(split);
  const filled = fillRows(header, rows, cells)!;
  const line = (row: readonly string[]) => `| ${row.join(" | ")} |`;
  const table = [line(filled.header), line(filled.header.map(() => "---")), ...filled.rows.map(line)];
  return [...lines.slice(0, start), ...table, ...lines.slice(end)].join("\n");
}
