/*
 * The command line's values, checked all at once: each problem names the option, the value given and
 * what is allowed, so one run shows everything to fix.
 */
import { Command as Cli, Option } from "commander";
import { UserError } from "../app/common/errors";
import { addProjectOptions } from "../app/commands/project-options";
import { Command } from "./report/report";
import { MAX_CONCURRENCY, selectionProblems, wholeNumber } from "../runner/options";

export const COMMANDS: readonly Command[] = ["plan", "apply", "destroy", "connections"];

/** What commander hands over: every value as typed. */
export interface RawOptions {
  readonly concurrency: string;
  readonly maxFailures: string;
  readonly accounts: readonly string[];
  readonly exclude: readonly string[];
  readonly lockTimeout: string;
  readonly retries: string;
  readonly retryDelay: string;
  readonly planAndApply: boolean;
  readonly full?: boolean;
  readonly progress: string;
  readonly terraformLog?: string;
}

export interface CheckedOptions {
  readonly command: Command;
  readonly concurrency: number;
  readonly maxFailures: number;
  readonly lockTimeout: string;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly progress: "auto" | "live" | "plain";
}

/** Go's time.ParseDuration, which terraform uses for -lock-timeout: `0`, or number+unit runs like `60s`, `5m`, `1m30s`. */
const TERRAFORM_DURATION = /^(0|(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/;
const TERRAFORM_LOG_LEVELS = ["trace", "debug", "info", "warn", "error"];

export function checkOptions(command: string, raw: RawOptions): CheckedOptions {
  const problems: string[] = [];
  if (!COMMANDS.includes(command as Command)) {
    const suggestion = closest(command, COMMANDS);
    problems.push(`command "${command}": expected ${COMMANDS.join(", ")}${suggestion ? `; did you mean "${suggestion}"?` : ""}`);
  }
  const whole = (option: string, value: string, min: number, max: number) => wholeNumber(problems, option, value, min, max);
  const concurrency = whole("--concurrency", raw.concurrency, 1, MAX_CONCURRENCY);
  const maxFailures = whole("--max-failures", raw.maxFailures, 0, 1_000_000);
  const retries = whole("--retries", raw.retries, 0, 10);
  const retryDelayMs = whole("--retry-delay", raw.retryDelay, 0, 600_000);
  if (!TERRAFORM_DURATION.test(raw.lockTimeout)) {
    problems.push(`--lock-timeout ${JSON.stringify(raw.lockTimeout)}: expected a terraform duration such as 0s, 60s, 5m or 1m30s (units ms, s, m, h)`);
  }
  problems.push(...selectionProblems(raw));
  if (raw.terraformLog !== undefined && !TERRAFORM_LOG_LEVELS.includes(raw.terraformLog.toLowerCase())) {
    problems.push(`--terraform-log ${JSON.stringify(raw.terraformLog)}: expected a terraform log level: ${TERRAFORM_LOG_LEVELS.join(", ")}`);
  }
  if (raw.planAndApply && command !== "apply" && COMMANDS.includes(command as Command)) problems.push(`--plan-and-apply with ${command}: it goes with apply only`);
  // Only a command that plans can skip planning: apply from saved plans, destroy and connections prove nothing.
  if (raw.full && !(command === "plan" || (command === "apply" && raw.planAndApply))) problems.push(`--full with ${command}${command === "apply" ? " from saved plans" : ""}: it goes with plan and apply --plan-and-apply only`);
  if (problems.length > 0) throw new UserError("Nothing was run; the command line has problems:", problems);
  return { command: command as Command, concurrency, maxFailures, lockTimeout: raw.lockTimeout, retries, retryDelayMs, progress: raw.progress as CheckedOptions["progress"] };
}

/** The allowed word nearest to a typo, if it is near enough to be meant. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  const scored = candidates.map((candidate) => ({ candidate, distance: editDistance(word.toLowerCase(), candidate) }));
  const best = scored.sort((a, b) => a.distance - b.distance)[0];
  return best && best.distance <= Math.max(2, Math.floor(best.candidate.length / 3)) ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

export const HELP_AFTER = `
Environment variables read:
  TERRAFORM_BINARY_NAME  the terraform to run (default: terraform on PATH)
  TRELICA_CONFIG         the config file synthesis reads, when --config is not given (default: trelica.config.yaml)
  CDKTF_OUTDIR           the output folder, when --output is not given (default: cdktf.out)
  TF_LOG, TF_LOG_PATH    ignored (terraform's log holds secrets); ask for it with --terraform-log
  CI                     when set, --progress auto prints one line per event

Exit codes:
  0    every account succeeded (plan: and none has changes)
  2    plan succeeded and some account has changes
  1    a failure, a refusal, an account not started, or a mistake on the command line
  130  interrupted (Ctrl-C or SIGTERM)
`;

const list = (value: string, previous: string[] = []) => [...previous, ...value.split(",").map((item) => item.trim()).filter(Boolean)];

// Values stay strings here: checkOptions reports every bad one at once, naming option, value and what is allowed.
/** rollout's command line: one definition, for main.ts and for the test that parses every command the program prints. */
export function rolloutCommand(): Cli {
  return addProjectOptions(new Cli("rollout"), { deprecatedOutdir: true })
    .description("Plan and apply the TrelicaIntegration stacks across accounts, with one consolidated view.")
    .argument("<command>", "plan, apply, destroy or connections (read each stack's terraform outputs, write cdktf.out/trelica-connections.csv and .md)")
    .option("--no-synth", "use the output folder's stacks as they are instead of synthesizing first")
    .option("--concurrency <n>", `accounts at once (1-${MAX_CONCURRENCY})`, "8")
    .option("--max-failures <n>", "failures tolerated before no new account starts", "0")
    .option("--accounts <globs>", "only these account IDs or stack names (globs, comma-separated, repeatable)", list, [])
    .option("--exclude <globs>", "leave out these account IDs or stack names (globs)", list, [])
    .option("--resume <report.json>", "skip accounts that succeeded in that run's report (a run of the same command)")
    .option("--lock-timeout <duration>", "how long terraform waits for a state lock (terraform duration: 60s, 5m)", "60s")
    .option("--retries <n>", "retries of a transient failure (throttling, network, lock), 0-10", "3")
    .option("--retry-delay <ms>", "first retry's delay in ms; doubles each time", "5000")
    .option("--plan-and-apply", "apply: plan and apply in one go (for automation)", false)
    .option("--full", "plan every selected account with terraform, even those proven in sync (live and state) without it", false)
    .option("--allow-access-change", "apply plans that change Trelica's access (trust policy, role, policy, attachments, stack set, removed actions)", false)
    .option("--allow-destroy", "apply plans that delete or replace other resources", false)
    .option("--confirm-destroy", "destroy: yes, remove the role from every selected account; apply: yes, destroy the roles of accounts that left the config (leaving)", false)
    .option("--report <file.json>", "also write the run's report here")
    .option("--terraform-log <level>", "terraform's own log (TF_LOG: trace, debug, info, warn, error) into each account's log; it holds request bodies: treat the logs as secret. Without it any TF_LOG* in the environment is ignored")
    .addOption(new Option("--progress <mode>", "live view or one line per event (auto, live, plain)").default("auto"))
    .addHelpText("after", HELP_AFTER);
}
