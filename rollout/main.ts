/*
 * npm run rollout -- <plan|apply|destroy> [options]
 * Plans and applies the synthesized stacks across accounts with bounded concurrency and one report.
 */
import { Command as Cli, InvalidArgumentError, Option } from "commander";
import { reportUserErrors, UserError } from "../app/errors";
import { LiveProgress, PlainProgress } from "./progress";
import { Command } from "./report";
import { rollout, RolloutControl } from "./run";

const MAX_CONCURRENCY = 64;

function integer(min: number, max: number) {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got ${value}`);
    return parsed;
  };
}

const list = (value: string, previous: string[] = []) => [...previous, ...value.split(",").map((item) => item.trim()).filter(Boolean)];

const cli = new Cli("rollout")
  .description("Plan and apply the TrelicaIntegration stacks across accounts, with one consolidated view.")
  .argument("<command>", "plan, apply or destroy")
  .option("--no-synth", "use cdktf.out as it is instead of synthesizing first")
  .addOption(new Option("--concurrency <n>", `accounts at once (1-${MAX_CONCURRENCY})`).default(8).argParser(integer(1, MAX_CONCURRENCY)))
  .addOption(new Option("--max-failures <n>", "failures tolerated before no new account starts").default(0).argParser(integer(0, 1_000_000)))
  .option("--accounts <globs>", "only these account IDs or stack names (globs, comma-separated, repeatable)", list, [])
  .option("--exclude <globs>", "leave out these account IDs or stack names (globs)", list, [])
  .option("--resume <report.json>", "skip accounts that succeeded in that run's report")
  .option("--lock-timeout <duration>", "how long terraform waits for a state lock", "60s")
  .addOption(new Option("--retries <n>", "retries of a transient failure (throttling, network, lock)").default(3).argParser(integer(0, 10)))
  .addOption(new Option("--retry-delay <ms>", "first retry's delay; doubles each time").default(5000).argParser(integer(0, 600_000)))
  .option("--plan-and-apply", "apply: plan and apply in one go (for automation)", false)
  .option("--allow-destroy", "apply plans that delete or replace resources", false)
  .option("--confirm-destroy", "destroy: yes, remove the role from every selected account", false)
  .option("--report <file.json>", "also write the run's report here")
  .option("--outdir <dir>", "cdktf output folder", "cdktf.out")
  .addOption(new Option("--progress <mode>", "live view or one line per event").choices(["auto", "live", "plain"]).default("auto"))
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 1));

cli.parse();
const [command] = cli.args as [string];
const opts = cli.opts();

void reportUserErrors(async () => {
  if (!["plan", "apply", "destroy"].includes(command)) throw new UserError(`Unknown command "${command}"; expected plan, apply or destroy.`);
  if (opts.planAndApply && command !== "apply") throw new UserError("--plan-and-apply goes with apply.");
  const live = opts.progress === "live" || (opts.progress === "auto" && process.stdout.isTTY && !process.env.CI);
  const progress = live ? new LiveProgress(command) : new PlainProgress();
  const control = new RolloutControl();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      progress.note(`${signal}: no new accounts start; running terraform processes were interrupted and are releasing their state locks. Waiting for them...`);
      control.interrupt();
    } else {
      progress.note(`${signal} again: still waiting for ${control.group.size} terraform processes to exit cleanly; nothing is killed.`);
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const result = await rollout(
    {
      command: command as Command,
      // npm runs scripts from the project root, where cdktf.json is.
      projectDir: process.cwd(),
      outdir: opts.outdir,
      synth: opts.synth,
      concurrency: opts.concurrency,
      maxFailures: opts.maxFailures,
      accounts: opts.accounts,
      exclude: opts.exclude,
      resume: opts.resume,
      lockTimeout: opts.lockTimeout,
      retries: opts.retries,
      retryDelayMs: opts.retryDelay,
      planAndApply: opts.planAndApply,
      allowDestroy: opts.allowDestroy,
      confirmDestroy: opts.confirmDestroy,
      report: opts.report,
      env: process.env,
      progress,
    },
    control,
  );
  process.exitCode = result.exitCode;
});
