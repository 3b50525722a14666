/*
 * npm run verify -- [options]
 * Audits every selected account's live TrelicaIntegration role against what this config synthesizes,
 * read-only: drift, whether Trelica uses the role, and legacy long-term access keys (which
 * --deactivate-legacy-keys sets Inactive when safe). Exit 0 as configured, 1 findings, 2 usage/config.
 */
import { parseCommandLine } from "../app/commands/command-line";
import { UserError } from "../app/common/errors";
import { LiveProgress, PlainProgress } from "../runner/progress";
import { redact } from "../runner/redact";
import { UnreadableAccount } from "./read/aws";
import { fillLastUsed } from "./connections";
import { checkVerifyOptions, EXIT_USAGE, VerifyCommandLine, verifyCommand } from "./options";
import { lockFolder } from "../runner/lock";
import { findingLines, verifyTable, writeVerifyReport } from "./report";
import { verify } from "./run";

// The pinned SDK supports this project's Node (>= 20); its notice is about SDK releases after January 2027.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

async function main(): Promise<number> {
  const command = verifyCommand();
  parseCommandLine(command, process.argv.slice(2), { help: "npm run verify -- --help" });
  const options = checkVerifyOptions(command.opts(), process.env);
  const live = options.progress === "live" || (options.progress === "auto" && process.stdout.isTTY && !process.env.CI);
  const progress = live ? new LiveProgress("verify") : new PlainProgress();
  // Its one write to AWS and the connections table it fills: never beside a rollout in the same folder.
  const lock = options.deactivateLegacyKeys ? lockFolder(options.outdir, "verify --deactivate-legacy-keys") : undefined;
  if (lock?.note) console.log(lock.note);
  try {
    return await verifyAndReport(options, progress);
  } finally {
    lock?.release();
  }
}

async function verifyAndReport(options: VerifyCommandLine, progress: LiveProgress | PlainProgress): Promise<number> {
  const report = await verify({ ...options, configFile: options.config, progress });
  for (const warning of report.warnings) console.log(`Warning: ${warning}`);
  const lines = findingLines(report);
  if (lines.length > 0) console.log(["", ...lines].join("\n"));
  console.log(`\n${verifyTable(report)}`);
  const deactivated = report.accounts.filter((account) => account.deactivated.length > 0);
  if (deactivated.length > 0) {
    console.log(
      "\nSet to Inactive (nothing was deleted). To undo, in that account: `aws iam update-access-key --user-name <user> --access-key-id <id> --status Active` " +
        "(`aws iam list-access-keys --user-name <user>` shows the full ID; its last 4 characters are the ones shown here):",
    );
    for (const account of deactivated) console.log(`  ${account.accountId}: ${account.deactivated.join(", ")}`);
  }
  for (const file of fillLastUsed(options.outdir, report.accounts)) console.log(`Filled trelica_last_used in ${file}`);
  if (options.report) {
    writeVerifyReport(report, options.report);
    console.log(`Report: ${options.report}`);
  }
  return report.exitCode ?? 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    if (error instanceof UserError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = EXIT_USAGE;
    } else if (error instanceof UnreadableAccount) {
      process.stderr.write(`${redact(error.message)} (${error.hint})\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`${redact(String((error as Error)?.stack ?? error))}\n`);
      process.exitCode = 1;
    }
  },
);
