import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../../app/common/errors";
import { listSome } from "../../app/common/list";
import { compareVersions } from "../../app/stacks/terraform-requirements";
import { redact } from "../../runner/redact";
import { VersionRequirement } from "../../runner/stacks";

/** `$TERRAFORM_BINARY_NAME` if set, else `terraform` on PATH: cdktf's own convention. */
export function findTerraform(env: NodeJS.ProcessEnv): string {
  const name = env.TERRAFORM_BINARY_NAME || "terraform";
  const candidates = name.includes(path.sep)
    ? [path.resolve(name)]
    : (env.PATH ?? "").split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, name));
  const found = candidates.find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
  if (!found) {
    const where = env.TERRAFORM_BINARY_NAME ? `TERRAFORM_BINARY_NAME=${env.TERRAFORM_BINARY_NAME}` : "terraform on PATH";
    throw new UserError(`No terraform executable found (${where}). Install terraform 1.5 or later, or set TERRAFORM_BINARY_NAME.`);
  }
  return found;
}

export interface TerraformResult {
  readonly exitCode: number | null;
  /** Set when terraform ended by a signal rather than exiting. */
  readonly signal?: NodeJS.Signals | null;
  /** stdout and stderr, interleaved as they came: for logs and error excerpts. */
  readonly output: string;
  /**
   * stdout alone: what to parse. Terraform writes warnings (CLI configuration, TF_LOG, deprecations)
   * to stderr, so machine-readable output is only clean here.
   */
  readonly stdout: string;
}

/** One running terraform: what an interrupt reaches. */
export interface RunningTerraform {
  /** Sends terraform one SIGINT: the first makes it stop gracefully, a second makes it stop hard. */
  interrupt(): void;
}

/** Running terraform processes, so an interrupt can reach every one of them exactly once per signal. */
export class ProcessGroup {
  private readonly running = new Set<RunningTerraform>();

  get size(): number {
    return this.running.size;
  }

  add(process: RunningTerraform): void {
    this.running.add(process);
  }

  delete(process: RunningTerraform): void {
    this.running.delete(process);
  }

  interruptAll(): void {
    for (const process of this.running) process.interrupt();
  }
}

export interface RunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly log: fs.WriteStream;
  readonly group: ProcessGroup;
  /** terraform's output as it comes (stdout and stderr): a remote run's URL is known long before it ends. */
  readonly onOutput?: (text: string) => void;
}

/**
 * How rollout runs terraform: real processes by default; tests inject an in-memory double so the
 * many behaviour tests need no process per terraform call.
 */
export interface TerraformRunner {
  readonly binary: string;
  version(): Promise<string>;
  run(args: readonly string[], options: RunOptions): Promise<TerraformResult>;
}

export function processRunner(env: NodeJS.ProcessEnv): TerraformRunner {
  const binary = findTerraform(env);
  return { binary, version: () => terraformVersion(binary, env), run: (args, options) => runTerraform(binary, args, options) };
}

export function runTerraform(binary: string, args: readonly string[], options: RunOptions): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    options.log.write(`\n$ terraform ${args.join(" ")}\n`);
    // Its own process group: a Ctrl-C in the terminal reaches only the runner, which forwards one SIGINT.
    const child = spawn(binary, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const running = { interrupt: () => void child.kill("SIGINT") };
    options.group.add(running);
    child.once("exit", () => options.group.delete(running));
    let output = "";
    let stdout = "";
    const logs = [maskedLines(options.log), maskedLines(options.log)];
    const collect = (chunk: string, log: MaskedLines) => {
      output += chunk;
      log.write(chunk);
      options.onOutput?.(chunk);
    };
    // Decoded per stream, so a character split across two reads stays whole.
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
      collect(chunk, logs[0]);
    });
    child.stderr.on("data", (chunk: string) => collect(chunk, logs[1]));
    child.on("error", reject);
    child.on("close", (exitCode, signal) => {
      for (const log of logs) log.flush();
      options.log.write(signal ? `[ended by ${signal}]\n` : `[exit ${exitCode}]\n`);
      resolve({ exitCode, signal, output, stdout });
    });
  });
}

interface MaskedLines {
  write(chunk: string): void;
  flush(): void;
}

/** Writes one stream's output to the log whole lines at a time, masked: a secret split across two reads is still caught. */
function maskedLines(log: fs.WriteStream): MaskedLines {
  let pending = "";
  return {
    write(chunk) {
      pending += chunk;
      const end = pending.lastIndexOf("\n") + 1;
      if (end === 0) return;
      log.write(redact(pending.slice(0, end)));
      pending = pending.slice(end);
    },
    flush() {
      if (pending) log.write(redact(pending));
      pending = "";
    },
  };
}

/** Runs terraform for a one-off answer (version), without a log. */
export function captureTerraform(binary: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let stdout = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on("data", (chunk: string) => (output += chunk));
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ exitCode, output, stdout }));
  });
}

export async function terraformVersion(binary: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await captureTerraform(binary, ["version", "-json"], env);
  try {
    return (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
  } catch {
    throw new UserError(`${binary} version -json did not answer with a version (exit ${result.exitCode}); is it terraform 0.13 or later?`);
  }
}

/** Fails early, naming the version found and what the stacks require, rather than in the middle of a rollout. */
export function checkTerraformVersion(binary: string, version: string, requirements: readonly VersionRequirement[]): void {
  const unmet = requirements.filter((requirement) => compareVersions(version, requirement.minimum) < 0);
  if (unmet.length === 0) return;
  const described = unmet.map(({ minimum, stacks, source }) => {
    if (source === "cloud") {
      const named = listSome(stacks, 3);
      return (
        `${stacks.length} ${stacks.length === 1 ? "stack runs" : "stacks run"} in Terraform Cloud (a cloud block), and rollout saves their plans there ` +
        `(plan -out of a remote run), which needs terraform >= ${minimum}: ${named}`
      );
    }
    return stacks.length === 1
      ? `1 stack requires terraform >= ${minimum} (its terraform.required_version): ${stacks[0]}`
      : `${stacks.length} stacks require terraform >= ${minimum} (their terraform.required_version), e.g. ${stacks[0]}`;
  });
  throw new UserError(`terraform ${version} (${binary}) is too old for these stacks: ${described.join("; ")}`);
}
