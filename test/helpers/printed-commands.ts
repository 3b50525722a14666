/*
 * The commands a run printed, as the program's own option parsers read them: harvested from any text
 * (`npm run <script> -- <args>`), split by a real POSIX shell. Used by test/printed-commands.test.ts on
 * the message table and real command lines, and by the e2e runs on everything they printed.
 */
import { spawnSync } from "node:child_process";
import { Command } from "commander";
import { parseSynthCommand } from "../../app/commands/synth-command";
import { rolloutCommand } from "../../rollout/options";
import { verifyCommand } from "../../verify/options";

/** `npm run <script>` and its arguments: bare words or single-quoted strings, up to the sentence's punctuation. */
const COMMAND = /npm run (rollout|verify|synth|init)(?: -- ((?:'[^']*'|\\.|[^\s,;`()'\\])+(?: (?:'[^']*'|\\.|[^\s,;`()'\\])+)*))?/g;

export interface Parsed {
  readonly script: string;
  readonly config?: string;
  readonly output?: string;
  readonly accounts: readonly string[];
}

/** The words a POSIX shell makes of the printed arguments. */
function shellWords(args: string): string[] {
  const run = spawnSync("sh", ["-c", `for word in ${args}; do printf '%s\\0' "$word"; done`], { encoding: "utf8" });
  expect({ args, status: run.status, stderr: run.stderr }).toEqual({ args, status: 0, stderr: "" });
  return run.stdout.split("\0").slice(0, -1);
}

export function parse(printed: string): Parsed[] {
  return [...printed.matchAll(COMMAND)].map(([, script, args]) => {
    // A sentence's full stop glued to the last word: pasted with it, that word names another file or account.
    expect({ printed: `npm run ${script} -- ${args ?? ""}`, endsWithFullStop: /\.$/.test(args ?? "") }).toEqual({ printed: `npm run ${script} -- ${args ?? ""}`, endsWithFullStop: false });
    const argv = args ? shellWords(args) : [];
    // "see npm run synth -- --help": help alone, about no run.
    if (argv.length === 1 && argv[0] === "--help") return { script, accounts: [] };
    // `npm run init` is printed bare: a new config starts from its own flags.
    if (script === "init") {
      expect(argv).toEqual([]);
      return { script, accounts: [] };
    }
    if (script === "synth") {
      const paths = parseSynthCommand(argv, {}, "trelica.config.yaml");
      return { script, config: paths.given.config, output: paths.given.output, accounts: [] };
    }
    const command: Command = script === "rollout" ? rolloutCommand() : verifyCommand();
    command.exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    command.parse(argv, { from: "user" });
    const opts = command.opts();
    return { script, config: opts.config, output: opts.output, accounts: opts.accounts ?? [] };
  });
}

