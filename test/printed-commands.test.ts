/*
 * Every command the program prints is runnable as printed: harvested from the message table and from
 * runs of the real command lines, split by a real POSIX shell, parsed by the program's own option
 * parsers, and checked to name the same config, output folder and accounts as the run that printed it.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { npmCommand } from "../app/common/commands";
import { parse } from "./helpers/printed-commands";
import { PROJECT_ROOT, tempDir, writeFile } from "./helpers/files";
import { readMessageRows } from "./helpers/message-inputs";

const dir = tempDir("trelica-printed-");

describe("printed commands parse to the run's own config, output folder and accounts", () => {
  test("GIVEN awkward paths and globs (spaces, quotes, stars) THEN the command round-trips through sh and rollout's parser", () => {
    const invocation = { config: "my org/trelica's.yaml", output: "/tmp/out dir", accounts: ["1234*", "trelica-9?"] };
    const printed = npmCommand("rollout", ["plan"], invocation);
    expect(parse(printed)).toEqual([{ script: "rollout", config: invocation.config, output: invocation.output, accounts: invocation.accounts }]);
  });

  test("GIVEN every row of the message table that prints a command THEN each parses, and names the row's own output folder and accounts", () => {
    let harvested = 0;
    for (const row of readMessageRows()) {
      // The table's <dir> stands for the row's folder: a plain path here, as it is in a real run.
      const at = (text: string) => text.split("<dir>").join("/row-dir");
      for (const command of parse(at(row.message))) {
        harvested++;
        if (row.kind === "rollout") {
          const options = (row.input as { options: { outdir?: string; accounts?: string[] } }).options;
          expect({ given: row.given, output: command.output, accounts: command.accounts }).toEqual({ given: row.given, output: options.outdir, accounts: options.accounts ?? [] });
        }
        if (row.kind === "config" && command.script === "rollout") {
          const input = row.input as { name?: string; output?: string };
          expect({ given: row.given, config: command.config, output: command.output }).toEqual({
            given: row.given,
            config: `/row-dir/${input.name ?? "trelica.yaml"}`,
            output: `/row-dir/${input.output ?? "out"}`,
          });
        }
      }
    }
    expect(harvested).toBeGreaterThanOrEqual(5);
  });

  test("GIVEN the real rollout command line with a user's --config, --output and --accounts THEN destroy's consent and apply's 'plan first' print commands that parse to the same", () => {
    writeFile(dir, "cdktf.json", JSON.stringify({ app: "true" }));
    const run = (args: string[]) =>
      spawnSync(process.execPath, ["-r", "sucrase/register", path.join(PROJECT_ROOT, "rollout", "main.ts"), ...args], {
        cwd: dir,
        env: { ...process.env, NODE_PATH: path.join(PROJECT_ROOT, "node_modules") },
        encoding: "utf8",
      });
    const given = ["--config", "org files/trelica.yaml", "--output", "build/out", "--accounts", "2045*"];
    for (const command of ["destroy", "apply"]) {
      const result = run([command, ...given]);
      expect(result.status).toBe(1);
      const [printed] = parse(result.stderr);
      expect(printed).toEqual({ script: "rollout", config: "org files/trelica.yaml", output: "build/out", accounts: ["2045*"] });
    }
    expect(fs.existsSync(path.join(dir, "build"))).toBe(false);
  });
});
