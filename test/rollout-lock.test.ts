/*
 * One run per output folder, with real processes: rollout's command line twice in one folder (the
 * stand-in terraform holding the first in its plans), the holder killed with -9, synthesis into a held
 * folder, and the lock gone after a run.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LOCK_FILE, lockFolder, readHolder } from "../runner/lock";
import { PROJECT_ROOT, tempDir } from "./helpers/files";
import { RolloutProject } from "./helpers/rollout";

const dir = tempDir("trelica-lock-");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await sleep(20);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Cli {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startRollout(project: RolloutProject, args: string[], env: NodeJS.ProcessEnv = {}): Cli {
  const child = spawn(process.execPath, ["-r", "sucrase/register", path.join(PROJECT_ROOT, "rollout", "main.ts"), ...args, "--progress", "plain"], {
    cwd: project.dir,
    env: { ...project.env(env), NODE_PATH: path.join(PROJECT_ROOT, "node_modules") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const cli = { child, output: () => output, exited };
  started.push(cli);
  return cli;
}

const started: Cli[] = [];
afterEach(() => {
  // A failed expectation must not leave a run (and its sleeping terraform) holding the folder.
  for (const cli of started.splice(0)) if (cli.child.exitCode === null) cli.child.kill("SIGKILL");
  const readyDir = path.join(dir, "ready");
  for (const name of fs.existsSync(readyDir) ? fs.readdirSync(readyDir) : []) {
    const pid = Number(name.split("-").pop());
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
  }
});

describe("one run per output folder (real processes)", () => {
  const project = new RolloutProject(dir, "lock", 2, "", "process");
  const outdir = path.join(project.dir, "cdktf.out");
  const lock = path.join(outdir, LOCK_FILE);
  const readyDir = path.join(dir, "ready");

  test("GIVEN a plan running in a folder WHEN a second rollout, then synth, start there THEN each refuses at once naming the holder; WHEN the holder is killed -9 THEN the next run takes the lock over with a note and releases it when done", async () => {
    fs.mkdirSync(readyDir, { recursive: true });
    project.scenario({}, { sleepMs: 600_000 });
    const first = startRollout(project, ["plan", "--no-synth"], { FAKE_TERRAFORM_READY_DIR: readyDir, FAKE_TERRAFORM_SHUTDOWN_MS: "0" });
    await until(() => fs.readdirSync(readyDir).some((name) => name.startsWith("plan-")));
    const holder = readHolder(lock)!;
    expect(holder).toMatchObject({ command: "rollout plan", pid: first.child.pid, host: os.hostname() });

    const second = startRollout(project, ["apply", "--no-synth"]);
    expect(await second.exited).toBe(1);
    expect(second.output()).toBe(
      `Output folder ${outdir} is in use by \`rollout plan\` (pid ${first.child.pid} on ${os.hostname()}, started ${holder.startedAt}); nothing was done. ` +
        `One run per output folder: wait for it to finish, or use another --output. If that process is gone for good on another machine, delete ${lock}.\n`,
    );

    // synth into the held folder (as `npm run synth` and the cdktf CLI run it) refuses the same way, writing nothing.
    const stacksBefore = fs.readdirSync(path.join(outdir, "stacks"));
    const synth = spawnSync(process.execPath, ["-r", "sucrase/register", path.join(PROJECT_ROOT, "main.ts"), "--config", "trelica.config.yaml", "--output", "cdktf.out"], {
      cwd: project.dir,
      env: { ...process.env, NODE_PATH: path.join(PROJECT_ROOT, "node_modules") },
      encoding: "utf8",
    });
    expect(synth.status).toBe(1);
    expect(synth.stderr).toContain(`Output folder ${outdir} is in use by \`rollout plan\` (pid ${first.child.pid}`);
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual(stacksBefore);

    // kill -9: no handler runs, the lock file stays behind with a dead pid.
    first.child.kill("SIGKILL");
    await first.exited;
    for (const name of fs.readdirSync(readyDir)) {
      const pid = Number(name.split("-").pop());
      if (isAlive(pid)) process.kill(pid, "SIGKILL");
    }
    expect(readHolder(lock)?.pid).toBe(first.child.pid);

    project.scenario({});
    const third = startRollout(project, ["plan", "--no-synth"]);
    expect(await third.exited).toBe(2);
    expect(third.output()).toContain(
      `Note: took over the lock of \`rollout plan\` (pid ${first.child.pid} on ${os.hostname()}, started ${holder.startedAt}) on ${outdir}: that process is gone (killed or crashed)`,
    );
    expect(fs.existsSync(lock)).toBe(false);
  });

  test("GIVEN a run interrupted with SIGINT THEN its lock is released", async () => {
    fs.rmSync(readyDir, { recursive: true, force: true });
    fs.mkdirSync(readyDir);
    project.scenario({}, { sleepMs: 600_000 });
    const cli = startRollout(project, ["plan", "--no-synth"], { FAKE_TERRAFORM_READY_DIR: readyDir, FAKE_TERRAFORM_SHUTDOWN_MS: "0" });
    await until(() => fs.readdirSync(readyDir).some((name) => name.startsWith("plan-")));
    expect(readHolder(lock)?.pid).toBe(cli.child.pid);
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(130);
    expect(fs.existsSync(lock)).toBe(false);
  });

  test("GIVEN a lock held by a live process on this host THEN it is never taken over; a holder's own release leaves a later holder's lock alone", () => {
    const folder = path.join(dir, "held");
    const held = lockFolder(folder, "rollout apply");
    expect(fs.statSync(held.file).mode & 0o777).toBe(0o600);
    expect(() => lockFolder(folder, "rollout plan")).toThrow(`is in use by \`rollout apply\` (pid ${process.pid} on ${os.hostname()}`);
    held.release();
    expect(fs.existsSync(held.file)).toBe(false);
    const again = lockFolder(folder, "rollout plan");
    held.release();
    expect(readHolder(again.file)?.command).toBe("rollout plan");
    again.release();
  });

  test("GIVEN a folder held by a run on another host WHEN verify --deactivate-legacy-keys starts there THEN it refuses before reading anything, naming the holder; the holder's lock stays", () => {
    const folder = path.join(dir, "verify-held");
    fs.mkdirSync(path.join(folder, "cdktf.out"), { recursive: true });
    const holder = { command: "rollout apply", pid: 4242, host: "build-server", startedAt: "2026-05-01T09:00:00.000Z" };
    fs.writeFileSync(path.join(folder, "cdktf.out", LOCK_FILE), JSON.stringify(holder));
    fs.writeFileSync(path.join(folder, "trelica.config.yaml"), 'trelicaOrganizationId: org-42\naccounts: [{ id: "111111111111" }]\n');
    const verify = spawnSync(process.execPath, ["-r", "sucrase/register", path.join(PROJECT_ROOT, "verify", "main.ts"), "--deactivate-legacy-keys"], {
      cwd: folder,
      env: { ...process.env, NODE_PATH: path.join(PROJECT_ROOT, "node_modules"), AWS_ENDPOINT_URL: "http://127.0.0.1:9" },
      encoding: "utf8",
    });
    expect(verify.status).toBe(2);
    expect(verify.stderr).toContain(`Output folder ${path.join(folder, "cdktf.out")} is in use by \`rollout apply\` (pid 4242 on build-server, started 2026-05-01T09:00:00.000Z); nothing was done.`);
    expect(readHolder(path.join(folder, "cdktf.out", LOCK_FILE))).toEqual(holder);
  });
});
