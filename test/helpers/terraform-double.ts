/*
 * An in-memory terraform for the rollout runner's behaviour tests: the stand-in's behaviours
 * (test/fake-terraform/terraform) without a process per call, so the suite is fast and its timing
 * steady. Files the runner itself reads (the plugin cache, .terraform/providers, the lock file, saved
 * plans) are still written, as terraform would. Interrupts are seen per call: the first makes a call
 * finish gracefully after `shutdownMs`, a second ends it at once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { RunOptions, TerraformResult, TerraformRunner } from "../../rollout/terraform/terraform";
import type { Behaviour, Event } from "./rollout";

// Shared with the stand-in, so both make the same plans.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const plans = require("../fake-terraform/plans.js") as {
  resourceChanges(config: unknown, behaviour: Behaviour, destroyAll: boolean): { change: { actions: string[] } }[];
  drift(changes: { change: { actions: string[] } }[], inState: boolean): unknown[];
  hasChanges(changes: unknown[]): boolean;
  outputs(config: unknown, applied: boolean): Record<string, { value: string }>;
};

const THROTTLE_ERROR = "Error: reading IAM Role (TrelicaIntegration): operation error IAM: GetRole, https response error StatusCode: 400, api error Throttling: Rate exceeded\n";
const LOCK_ERROR = "Error: Error acquiring the state lock\n\nError message: ConditionalCheckFailedException: The conditional request failed\n";

export interface DoubleCall {
  readonly stack: string;
  readonly command: string;
  readonly args: readonly string[];
  /** SIGINTs this call received. */
  interrupts: number;
}

export class TerraformDouble implements TerraformRunner {
  readonly binary = "/in-memory/terraform";
  readonly events: Event[] = [];
  /** Calls running now. */
  readonly running = new Set<DoubleCall>();
  /** Called when a call starts and when it ends: tests act at exact points (e.g. interrupt after plan). */
  onStart?: (call: DoubleCall) => void;
  onEnd?: (call: DoubleCall, exit: number | null) => void;
  shutdownMs = 20;
  versionString = "1.11.4";
  private readonly attemptCounters = new Map<string, number>();
  private readonly serials = new Map<string, number>();
  /** Stacks whose last apply left the role in place (not a destroy plan). */
  private readonly applied = new Set<string>();
  private nextPid = 1;

  constructor(private behaviours: () => { default: Behaviour; stacks: Record<string, Behaviour> }) {}

  /** The stack's state lost (removed or moved): its objects still exist, terraform no longer knows them. */
  forgetState(stackDir: string): void {
    this.applied.delete(stackDir);
  }

  async version(): Promise<string> {
    return this.versionString;
  }

  async run(args: readonly string[], options: RunOptions): Promise<TerraformResult> {
    const stack = path.basename(options.cwd);
    const call: DoubleCall = { stack, command: args[0], args, interrupts: 0 };
    const start = Date.now();
    const pid = this.nextPid++;
    let wake = () => {};
    const running = {
      interrupt: () => {
        call.interrupts++;
        wake();
      },
    };
    options.group.add(running);
    this.running.add(call);
    options.log.write(`\n$ terraform ${args.join(" ")}\n`);
    this.onStart?.(call);
    const extra: Partial<Event> = {};
    let output = "";
    let stdout = "";
    const out = (text: string) => {
      output += text;
      stdout += text;
    };
    const err = (text: string) => (output += text);

    /** Works `ms`; false when interrupted (after a graceful shutdown, or at once on a second interrupt). */
    const work = async (ms: number): Promise<boolean> => {
      if (ms > 0 && call.interrupts === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      if (call.interrupts === 0) return true;
      out("\nInterrupt received.\nPlease wait for Terraform to exit or data loss may occur.\nGracefully shutting down...\n");
      if (call.interrupts === 1) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.shutdownMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return false;
    };

    const b = { plan: "changes", apply: "ok", sleepMs: 0, throttled: 0, lockHeld: 0, ...this.behaviours().default, ...this.behaviours().stacks[stack] } as Behaviour;
    const exit = await this.execute(call, b, options, work, out, err, extra);
    const end = Date.now();
    this.events.push({ stack, command: call.command, args: [...args], pid, start, end, exit: exit ?? -1, ...extra, ...(call.interrupts ? { interrupts: call.interrupts } : {}) });
    options.group.delete(running);
    this.running.delete(call);
    options.log.write(output);
    options.log.write(`[exit ${exit}]\n`);
    this.onEnd?.(call, exit);
    return { exitCode: exit, output, stdout };
  }

  private failsThisAttempt(stackDir: string, kind: string, times = 0): boolean {
    if (!times) return false;
    const key = `${stackDir}:${kind}`;
    const seen = this.attemptCounters.get(key) ?? 0;
    this.attemptCounters.set(key, seen + 1);
    return seen < times;
  }

  /** Forgets scripted failures already served, as removing the stand-in's counter files does. */
  resetAttempts(): void {
    this.attemptCounters.clear();
  }

  private async execute(
    call: DoubleCall,
    b: Behaviour,
    options: RunOptions,
    work: (ms: number) => Promise<boolean>,
    out: (text: string) => void,
    err: (text: string) => void,
    extra: Partial<Event>,
  ): Promise<number> {
    const dir = options.cwd;
    const args = call.args;
    switch (call.command) {
      case "init": {
        if (b.initFail) {
          err("Error: Failed to query available provider packages\n");
          return 1;
        }
        const cache = options.env.TF_PLUGIN_CACHE_DIR;
        const cached = cache && path.join(cache, "registry.terraform.io/hashicorp/aws/6.25.0/linux_amd64/terraform-provider-aws");
        extra.cacheWarm = Boolean(cached && fs.existsSync(cached));
        if (cached && !extra.cacheWarm) {
          if (!(await work(20))) return 1;
          fs.mkdirSync(path.dirname(cached), { recursive: true });
          fs.writeFileSync(cached, "provider");
          extra.downloaded = true;
        }
        fs.mkdirSync(path.join(dir, ".terraform", "providers"), { recursive: true });
        const lock = path.join(dir, ".terraform.lock.hcl");
        if (!fs.existsSync(lock)) fs.writeFileSync(lock, 'provider "registry.terraform.io/hashicorp/aws" {\n  version = "6.25.0"\n}\n');
        out("Terraform has been successfully initialized!\n");
        return 0;
      }
      case "plan": {
        if (!(await work(b.sleepMs ?? 0))) {
          err("Error: execution halted\n");
          return 1;
        }
        if (this.failsThisAttempt(dir, "lock", b.lockHeld)) {
          err(LOCK_ERROR);
          return 1;
        }
        if (this.failsThisAttempt(dir, "throttle", b.throttled)) {
          err(THROTTLE_ERROR);
          return 1;
        }
        if (b.planError) {
          err(b.planError);
          return 1;
        }
        if (b.plan === "fail") {
          err("Error: No valid credential sources found\n\nPlease see https://registry.terraform.io/providers/hashicorp/aws\n");
          return 1;
        }
        const config = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
        const changes = plans.resourceChanges(config, b, args.includes("-destroy"));
        const outFile = args.find((a) => a.startsWith("-out="))?.slice("-out=".length);
        if (outFile) fs.writeFileSync(outFile, JSON.stringify({ stack: call.stack, serial: this.serials.get(dir) ?? 0, changes, drift: plans.drift(changes, this.applied.has(dir)) }));
        const changed = plans.hasChanges(changes);
        out(changed ? "Plan: changes.\n" : "No changes. Your infrastructure matches the configuration.\n");
        return args.includes("-detailed-exitcode") && changed ? 2 : 0;
      }
      case "show": {
        const file = args.slice(1).find((a) => !a.startsWith("-"))!;
        const plan = JSON.parse(fs.readFileSync(file, "utf8"));
        out(JSON.stringify({ format_version: "1.2", resource_changes: plan.changes, resource_drift: plan.drift ?? [] }) + "\n");
        return 0;
      }
      case "apply": {
        if (!(await work(b.sleepMs ?? 0))) {
          err("Error: operation canceled\n");
          return 1;
        }
        if (this.failsThisAttempt(dir, "apply-throttle", b.throttled)) {
          err(THROTTLE_ERROR);
          return 1;
        }
        const planFile = args.slice(1).find((a) => !a.startsWith("-"))!;
        if ((JSON.parse(fs.readFileSync(planFile, "utf8")).serial ?? 0) !== (this.serials.get(dir) ?? 0)) {
          err("Error: Saved plan is stale\n");
          return 1;
        }
        if (b.apply === "fail") {
          err("Error: creating IAM Role (TrelicaIntegration): EntityAlreadyExists: Role with name TrelicaIntegration already exists.\n");
          return 1;
        }
        this.serials.set(dir, (this.serials.get(dir) ?? 0) + 1);
        const applied = JSON.parse(fs.readFileSync(planFile, "utf8")) as { changes: { change: { actions: string[] } }[] };
        if (applied.changes.every((c) => c.change.actions.every((a) => a === "delete"))) this.applied.delete(dir);
        else this.applied.add(dir);
        out("Apply complete!\n");
        return 0;
      }
      case "output": {
        if (this.failsThisAttempt(dir, "output-throttle", b.outputThrottled)) {
          err(THROTTLE_ERROR);
          return 1;
        }
        if (b.outputFail) {
          err("Error: Failed to load state: AccessDenied: Access Denied\n");
          return 1;
        }
        const config = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
        out(JSON.stringify(plans.outputs(config, this.applied.has(dir)), null, 2) + "\n");
        return 0;
      }
      default:
        err(`terraform double: unsupported command ${call.command}\n`);
        return 1;
    }
  }
}
