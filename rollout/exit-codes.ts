import { RunReport } from "./report";

/** 130 = 128 + SIGINT, as shells and terraform report an interrupted command. */
export const EXIT_INTERRUPTED = 130;

export function exitCodeOf(report: RunReport): number {
  if (report.interrupted) return EXIT_INTERRUPTED;
  const bad = report.accounts.some((a) => ["failed", "refused", "interrupted", "not-started", "needs-action"].includes(a.status));
  if (bad) return 1;
  const planOnly = report.command === "plan" && !report.planAndApply;
  return planOnly && report.accounts.some((a) => a.outcome === "changes") ? 2 : 0;
}
