/*
 * npm run rollout -- <plan|apply|destroy|connections> [options]
 * Plans and applies the synthesized stacks across accounts with bounded concurrency and one report;
 * apply and connections write the connections table from terraform's outputs (the applied state).
 */
import * as path from "node:path";
import { parseCommandLine } from "../app/commands/command-line";
import { DEFAULT_CONFIG_FILE, projectPaths } from "../app/commands/project-options";
import { reportUserErrors } from "../app/common/errors";
import { checkOptions, rolloutCommand } from "./options";
import { LiveProgress, PlainProgress } from "../runner/progress";
import { EXIT_INTERRUPTED, rollout, RolloutControl } from "./run";

const cli = rolloutCommand();

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
      given: paths.given,
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
