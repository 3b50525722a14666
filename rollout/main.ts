/*
 * npm run rollout -- <plan|apply|destroy|connections> [options]
 * Plans and applies the synthesized stacks across accounts with bounded concurrency and one report;
 * apply and connections write the connections table from terraform's outputs (the applied state).
 */
import * as path from "node:path";
import { Command as Cli, Option } from "commander";
import { parseCommandLine } from "../app/commands/command-line";
import { addProjectOptions, DEFAULT_CONFIG_FILE, projectPaths } from "../app/commands/project-options";
import { reportUserErrors } from "../app/common/errors";
import { checkOptions, HELP_AFTER } from "./options";
import { MAX_CONCURRENCY } from "../runner/options";
import { LiveProgress, PlainProgress } from "../runner/progress";
import { EXIT_INTERRUPTED, rollout, RolloutControl } from "./run";

const list = (value: string, previous: string[] = []) => [...previous, ...value.split(",").map((item) => item.trim()).filter(Boolean)];

// Values stay strings here: checkOptions reports every bad one at once, naming option, value and what is allowed.
const cli = addProjectOptions(new Cli("rollout"), { deprecatedOutdir: true })
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

void reportUserErrors(async () => {
  parseCommandLine(cli, process.argv.slice(2), { help: "npm run rollout -- --help", arguments: { command: "plan, apply, destroy or connections" } });
  const [commandWord] = cli.args as [string];
  const opts = cli.opts();
  const checked = checkOptions(commandWord, opts as never);
  // npm runs scripts from the project root, where cdktf.json is.
  const projectDir = process.cwd();
  const paths = projectPaths(opts, process.env, path.join(projectDir, DEFAULT_CONFIG_FILE));
  if (opts.outdir !== undefined) process.stderr.write("Note: --outdir is the old name of --output; use --output.\n");
  if (opts.terraformLog) process.stderr.write(`Note: --terraform-log ${opts.terraformLog}: terraform's log goes into .rollout/<run>/<stack>.log and holds AWS request and response bodies; known secret shapes are masked, but treat those logs as secret.\n`);
  const command = checked.command;
  const live = checked.progress === "live" || (checked.progress === "auto" && process.stdout.isTTY && !process.env.CI);
  const progress = live ? new LiveProgress(command) : new PlainProgress();
  const control = new RolloutControl();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      progress.note(`${signal}: no new step starts in any account; running terraform processes got one interrupt and are finishing and releasing their state locks. Waiting for them... (again to stop them hard)`);
      control.interrupt();
    } else if (signals === 2) {
      progress.note(
        `${signal} again: forwarding a second interrupt to ${control.group.size} running terraform processes; they stop hard. ` +
          "A state lock may stay held (terraform force-unlock <ID> in that stack) and an apply may be partial: plan those accounts again.",
      );
      control.escalate();
    } else {
      progress.note(`${signal}: still waiting for ${control.group.size} terraform processes to exit.`);
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const result = await rollout(
    {
      command,
      projectDir,
      outdir: paths.outdir,
      configFile: paths.configFile,
      terraformLog: opts.terraformLog,
      synth: opts.synth,
      concurrency: checked.concurrency,
      maxFailures: checked.maxFailures,
      accounts: opts.accounts,
      exclude: opts.exclude,
      resume: opts.resume,
      lockTimeout: checked.lockTimeout,
      retries: checked.retries,
      retryDelayMs: checked.retryDelayMs,
      planAndApply: opts.planAndApply,
      full: opts.full,
      allowDestroy: opts.allowDestroy,
      allowAccessChange: opts.allowAccessChange,
      confirmDestroy: opts.confirmDestroy,
      report: opts.report,
      env: process.env,
      progress,
    },
    control,
  );
  process.exitCode = control.interrupted ? EXIT_INTERRUPTED : result.exitCode;
});
