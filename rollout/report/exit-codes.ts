import { RunReport } from "./report";

/** What rollout's exit code says; docs/rollout.md's table is generated from this (npm run docs). */
export const EXIT_CODES = {
  SUCCEEDED: { code: 0, meaning: "every account succeeded (plan: and none has changes)" },
  FAILED: { code: 1, meaning: "a failure, a refusal, an account not started or held in Terraform Cloud, or a mistake on the command line" },
  CHANGES: { code: 2, meaning: "plan succeeded and some account has changes" },
  /** 130 = 128 + SIGINT, as shells and terraform report an interrupted command. */
  INTERRUPTED: { code: 130, meaning: "interrupted (Ctrl-C or SIGTERM); the report is still written" },
} as const;

export const EXIT_INTERRUPTED = EXIT_CODES.INTERRUPTED.code;

export function exitCodeOf(report: RunReport): number {
  if (report.interrupted) return EXIT_INTERRUPTED;
  const bad = report.accounts.some((a) => ["failed", "refused", "interrupted", "not-started", "needs-action"].includes(a.status));
  if (bad) return EXIT_CODES.FAILED.code;
  const planOnly = report.command === "plan" && !report.planAndApply;
  return planOnly && report.accounts.some((a) => a.outcome === "changes") ? EXIT_CODES.CHANGES.code : EXIT_CODES.SUCCEEDED.code;
}
