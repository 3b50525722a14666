/*
 * `terraform init` only where it is needed: a marker in each stack's .terraform says what the last init
 * that succeeded there depended on, and one init before the parallel phase fills the shared provider cache.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { closeLog, openLog, StackContext } from "./report/stack-context";
import { Stack, stackJson } from "../runner/stacks";
import { TerraformResult } from "./terraform/terraform";

/**
 * What `terraform init` of a stack depends on: its `terraform` block (backend, providers), its lock
 * file, where providers come from and which terraform. Unchanged since the last init that succeeded
 * there (and the provider still installed), init would only cost time.
 */
function initInputs(stack: Stack, context: StackContext): string {
  const json = stackJson<{ terraform?: unknown }>(stack);
  const lock = path.join(stack.dir, ".terraform.lock.hcl");
  return crypto
    .createHash("sha256")
    .update(JSON.stringify([json.terraform, fs.existsSync(lock) ? fs.readFileSync(lock, "utf8") : "", context.terraform.binary, context.env.TF_CLI_CONFIG_FILE ?? "", context.env.TF_PLUGIN_CACHE_DIR ?? ""]))
    .digest("hex");
}

const INIT_MARKER = path.join(".terraform", "trelica-rollout-init.sha256");

export function isInitialized(stack: Stack, context: StackContext): boolean {
  const marker = path.join(stack.dir, INIT_MARKER);
  const providers = path.join(stack.dir, ".terraform", "providers");
  try {
    // fs.existsSync follows the provider symlinks: a cache or mirror that moved means init again.
    const installed = fs.readdirSync(providers, { recursive: true }).every((entry) => fs.existsSync(path.join(providers, String(entry))));
    return installed && fs.readFileSync(marker, "utf8") === initInputs(stack, context);
  } catch {
    return false;
  }
}

export function markInitialized(stack: Stack, context: StackContext): void {
  fs.writeFileSync(path.join(stack.dir, INIT_MARKER), initInputs(stack, context));
}

/**
 * One `terraform init` before the parallel phase fills the shared plugin cache: parallel inits that
 * all find it empty download the provider N times and collide writing it ("text file busy").
 */
export async function warmPluginCache(stack: Stack, context: StackContext): Promise<TerraformResult> {
  const log = openLog(stack, context.runDir);
  context.options.progress.note(`Warming the provider cache with terraform init in ${stack.name}...`);
  try {
    if (isInitialized(stack, context)) return { exitCode: 0, output: "", stdout: "" };
    if (!context.control.mayProceed) return { exitCode: null, output: "", stdout: "" };
    const result = await context.terraform.run(["init", "-input=false", "-no-color"], { cwd: stack.dir, env: context.env, log, group: context.control.group });
    if (result.exitCode === 0) markInitialized(stack, context);
    return result;
  } finally {
    await closeLog(log);
  }
}

export function copyLockFile(from: Stack, to: readonly Stack[]): void {
  const lock = path.join(from.dir, ".terraform.lock.hcl");
  if (!fs.existsSync(lock)) return;
  for (const stack of to) {
    const target = path.join(stack.dir, ".terraform.lock.hcl");
    if (!fs.existsSync(target)) fs.copyFileSync(lock, target);
  }
}
