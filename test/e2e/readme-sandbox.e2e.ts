/*
 * The README's "Try it without an AWS account" block, run as a newcomer pastes it: extracted from README.md,
 * run line by line in one bash (each line stops the run on an exit code other than 0, or than the one its
 * comment announces: "# exits 2: ..."), in a scratch copy of the project (its tracked and new files, no
 * node_modules: a link to ours), with the real terraform and AWS provider. The only thing this test adds
 * is what a newcomer's machine has by itself: a terraform CLI config that installs the AWS provider (here
 * from this machine's mirror; a newcomer's terraform has registry access). When the README changes in a
 * way that no longer runs, this fails naming the line.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT, tempDir } from "../helpers/files";
import { describeWithRealTerraform, installProvider, run } from "../helpers/real-terraform";
import { parse } from "../helpers/printed-commands";

const HEADING = "## Try it without an AWS account";

/** The first sh block under the heading, and the README's own line number of each of its lines. */
export function readmeBlock(readme: string): { lines: { text: string; readmeLine: number }[]; after: string } {
  const start = readme.indexOf(`${HEADING}\n`);
  if (start < 0) throw new Error(`README.md has no "${HEADING}" section`);
  const section = readme.slice(start);
  const match = /```sh\n([\s\S]*?)```\n/.exec(section);
  if (!match) throw new Error(`README.md's "${HEADING}" section has no sh block`);
  const firstLine = readme.slice(0, start + match.index).split("\n").length + 1;
  const lines = match[1].split("\n").map((text, index) => ({ text, readmeLine: firstLine + index })).filter((line) => line.text.trim() !== "");
  const next = section.indexOf("\n## ", 1);
  return { lines, after: section.slice(match.index + match[0].length, next < 0 ? undefined : next) };
}

/** The exit code a line's comment announces ("# exits 2: ..."), else 0. */
export function expectedExit(line: string): number {
  return Number(/#\s*exits (\d+)\b/.exec(line)?.[1] ?? 0);
}

/** The script: each line run, its exit code checked, its output marked so the test can find it. */
function script(lines: readonly { text: string; readmeLine: number }[], envFile: string): string {
  const steps = lines.map(({ text, readmeLine }, index) => {
    const expected = expectedExit(text);
    // npm ci is the README's set-up step; the scratch copy links this project's node_modules instead.
    const command = /^npm ci\b/.test(text) ? ": skipped npm ci, node_modules is linked" : text;
    return [
      `echo "@@ line ${index} (README.md:${readmeLine}): ${text.replace(/[\\"$`]/g, "\\$&")}"`,
      command,
      "rc=$?",
      `echo "@@ exit $rc"`,
      `if [ "$rc" -ne ${expected} ]; then echo "@@ README.md:${readmeLine} exited $rc, expected ${expected}"; env -0 > ${JSON.stringify(envFile)}; exit 1; fi`,
    ].join("\n");
  });
  return `${steps.join("\n")}\nenv -0 > ${JSON.stringify(envFile)}\n`;
}

/** A fresh clone's files: everything git tracks or would track (new files too), as they are now. */
function copyProject(target: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: PROJECT_ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const file of files) {
    const from = path.join(PROJECT_ROOT, file);
    if (!fs.existsSync(from)) continue; // deleted in the work tree, not yet committed
    fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    fs.copyFileSync(from, path.join(target, file));
  }
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(target, "node_modules"));
}

/** The version our stacks ask for (`~> X.Y`): the mirror serves this machine's provider binary under it. */
function askedProviderVersion(): string {
  const generatedFor: string = require(path.join(PROJECT_ROOT, "node_modules/@cdktf/provider-aws/package.json")).cdktf.provider.version;
  const [major, minor] = generatedFor.split(".");
  return `${major}.${minor}.0`;
}

describe("the README's sandbox block, read from README.md", () => {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");

  test("GIVEN the README THEN the block starts the sandbox, points the shell at it, plans, applies, verifies, drifts and repairs", () => {
    const texts = readmeBlock(readme).lines.map((line) => line.text);
    const order = [
      "npm run sandbox -- start", "npm run -s sandbox -- env", "npm run init", "npm run rollout -- plan --accounts trelica-deployer",
      "npm run rollout -- apply --accounts trelica-deployer", "npm run rollout -- plan", "npm run rollout -- apply", "npm run verify", "npm run sandbox -- drift",
    ];
    // Each command after the one before it, in the block's order.
    let at = -1;
    const missing = order.filter((command) => {
      at = texts.findIndex((text, index) => index > at && text.includes(command));
      return at < 0;
    });
    expect(missing).toEqual([]);
    expect(texts.at(-1)).toMatch(/^npm run verify\b/);
    // The secure default: the block deploys through the deployer, never through an administrator role.
    expect(texts.find((text) => text.startsWith("npm run init"))).toMatch(/--deployer-principal \S+ --deployer-ou \S+/);
    expect(texts.join("\n")).not.toContain("--administrator-access");
  });

  test("GIVEN a line's comment THEN the exit code it announces is the one expected, 0 without one", () => {
    expect(expectedExit("npm run rollout -- plan   # exits 2: every account has changes")).toBe(2);
    expect(expectedExit("npm run rollout -- apply  # detaches it")).toBe(0);
  });
});

describeWithRealTerraform("the README's sandbox block, pasted in a fresh copy of the project", (real) => {
  const dir = tempDir("trelica-e2e-readme-sandbox-");
  const project = path.join(dir, "project");
  const envFile = path.join(dir, "env-after-block");
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
  const block = readmeBlock(readme);
  let output = "";
  let exitCode: number | null = null;
  const outputOf = (index: number) => output.split(`@@ line ${index} `)[1]?.split("@@ exit")[0] ?? "";

  beforeAll(async () => {
    copyProject(project);
    const provider = installProvider(real, dir, [askedProviderVersion()]);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TF_CLI_CONFIG_FILE: provider.cliConfig, CHECKPOINT_DISABLE: "1" };
    fs.writeFileSync(path.join(dir, "block.sh"), script(block.lines, envFile));
    const started = Date.now();
    const result = await run("bash", [path.join(dir, "block.sh")], { cwd: project, env, timeoutMs: 1_200_000 });
    process.stdout.write(`README sandbox block: ${((Date.now() - started) / 1000).toFixed(0)} s wall time\n`);
    output = result.stdout + result.stderr;
    // Kept after the run (the scratch folder is not): what each line printed, to read after a failure.
    fs.writeFileSync(path.join(os.tmpdir(), "trelica-readme-sandbox-block.log"), output);
    exitCode = result.code;
  });

  afterAll(() => {
    // The sandbox is left running by the block (the README stops it in the sentence after): stop it here.
    spawnSync(process.execPath, ["-r", "sucrase/register", path.join(project, "sandbox", "main.ts"), "stop", "--reset"], { cwd: project, encoding: "utf8" });
  });

  test("GIVEN the block WHEN run line by line THEN every line exits as announced", () => {
    const failed = /@@ (README\.md:\d+ exited \d+, expected \d+)/.exec(output)?.[1];
    // On failure, the end of the run's output says why.
    expect([failed, exitCode, exitCode === 0 ? "" : output.slice(-6000)]).toEqual([undefined, 0, ""]);
  });

  test("GIVEN the block has run THEN verify saw every role as configured and Trelica's use, then the drift, then nothing", () => {
    const verifies = block.lines.map((line, index) => ({ line, index })).filter(({ line }) => /^npm run verify\b/.test(line.text));
    expect(verifies.length).toBe(3);
    const [first, drifted, repaired] = verifies.map(({ index }) => outputOf(index));
    expect(first).toMatch(/used by Trelica/);
    expect(drifted).toMatch(/drift/);
    expect(drifted).toContain("AdministratorAccess");
    expect(repaired).not.toMatch(/\bdrift\b/);
    expect(repaired).toMatch(/used by Trelica/);
  });

  test("GIVEN every command the block's runs printed THEN each parses to the block's own config and output folder", () => {
    // What the programs printed, not the block's own lines the script echoes ("@@ ...") or npm's ("> ...").
    const printed = output.split("\n").filter((line) => !line.startsWith("@@") && !line.startsWith("> ")).join("\n");
    const commands = parse(printed);
    expect(commands.length).toBeGreaterThanOrEqual(4);
    const foreign = commands.filter(
      (command) => ![undefined, "trelica.local.yaml", "./trelica.local.yaml"].includes(command.config) || ![undefined, "cdktf.out", "./cdktf.out"].includes(command.output),
    );
    expect(foreign).toEqual([]);
    // The deployer note and verify's fix name what they are about.
    expect(commands.filter((command) => command.accounts.includes("trelica-deployer")).length).toBeGreaterThanOrEqual(2);
    expect(commands.some((command) => command.script === "rollout" && command.accounts.join() === "200000000001")).toBe(true);
  });

  test("GIVEN the environment the block set THEN the real AWS CLI reads the role back from the sandbox", () => {
    const aws = spawnSync("bash", ["-c", "command -v aws"], { encoding: "utf8" }).stdout.trim();
    if (!aws) {
      process.stdout.write("SKIPPED: reading the role with the AWS CLI: no aws on PATH\n");
      return;
    }
    const env = Object.fromEntries(fs.readFileSync(envFile, "utf8").split("\0").filter((line) => line.includes("=")).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
    const read = spawnSync(aws, ["iam", "get-role", "--role-name", "TrelicaIntegration", "--output", "json"], { cwd: project, env, encoding: "utf8" });
    expect(read.stderr).toBe("");
    const role = JSON.parse(read.stdout).Role;
    expect(role.Arn).toBe("arn:aws:iam::111111111111:role/TrelicaIntegration");
    // The AWS CLI decodes the policy document; an SDK answers it URL-encoded.
    const trust = typeof role.AssumeRolePolicyDocument === "string" ? JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument)) : role.AssumeRolePolicyDocument;
    expect(trust.Statement[0].Condition.StringEquals["sts:ExternalId"]).toBe("my-trelica-org");
  });

  test("GIVEN the sentence after the block THEN its stop command stops the sandbox, as printed", () => {
    const stop = /`(npm run sandbox -- stop)`/.exec(block.after)?.[1];
    expect(stop).toBeDefined();
    const stopped = spawnSync("bash", ["-c", stop!], { cwd: project, encoding: "utf8" });
    expect([stopped.status, stopped.stdout]).toEqual([0, expect.stringContaining("Stopped the sandbox")]);
  });
});
