import * as fs from "node:fs";
import { UserError } from "../../app/common/errors";
import { readReport, RunReport } from "../report/report";
import { RolloutOptions } from "../report/rollout-options";

/** A report to resume from: it must exist and be of the same command, or its "succeeded" means something else. */
export function resumedReport(file: string, options: RolloutOptions, outdir: string): RunReport {
  if (!fs.existsSync(file)) throw new UserError(`--resume ${file}: no such file; expected the report.json of an earlier run (.rollout/<run-id>/report.json).`);
  let report: RunReport;
  try {
    report = readReport(file);
  } catch {
    throw new UserError(`--resume ${file}: not JSON; expected the report.json of an earlier run (.rollout/<run-id>/report.json).`);
  }
  if (!report || !Array.isArray(report.accounts) || typeof report.command !== "string") {
    throw new UserError(`--resume ${file}: not a rollout report (no command or accounts); expected the report.json of an earlier run.`);
  }
  const describe = (command: string, planAndApply: boolean) => (planAndApply ? `${command} --plan-and-apply` : command);
  const theirs = describe(report.command, Boolean(report.planAndApply));
  const ours = describe(options.command, options.planAndApply);
  if (theirs !== ours) throw new UserError(`--resume ${file}: that report is of \`${theirs}\`, this run is \`${ours}\`; resume only a run of the same command.`);
  // Its "succeeded" is about another folder's stacks (or an unknown folder's, from before reports named theirs).
  if (report.outdir !== outdir) {
    throw new UserError(`--resume ${file}: that run was of ${report.outdir ? `output folder ${report.outdir}` : "an output folder it does not name"}, this run is of ${outdir}; resume only a run of the same folder.`);
  }
  return report;
}
