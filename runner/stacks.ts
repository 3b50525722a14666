import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../app/common/errors";
import { leavingMarker } from "../app/stacks/leaving-stacks";
import { globToRegExp } from "../app/common/glob";
import { BOOTSTRAP_STACK_NAMES } from "../app/stacks/stack-names";
import { compareVersions } from "../app/stacks/terraform-requirements";

/** One synthesized stack: a folder terraform runs in. */
export interface Stack {
  readonly name: string;
  readonly dir: string;
  /** The 12-digit account in `trelica-<id>`, when the name has one. */
  readonly accountId?: string;
  /** Its account left the config while its state held the role (app/stacks/leaving-stacks.ts): it is only ever destroyed. */
  readonly leaving?: boolean;
}

/** The stacks cdktf listed in `<outdir>/manifest.json`: leaving stacks first (they need a decision), then by name. */
/** `synthCommand`: the command that writes them, as the user would type it. */
export function readStacks(outdir: string, synthCommand: string): Stack[] {
  const manifestFile = path.join(outdir, "manifest.json");
  if (!fs.existsSync(manifestFile)) {
    throw new UserError(`${manifestFile} does not exist: synthesize first (${synthCommand}), or drop --no-synth.`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { stacks: Record<string, { workingDirectory: string }> };
  return Object.entries(manifest.stacks)
    .map(([name, entry]): Stack => {
      const dir = path.resolve(outdir, entry.workingDirectory);
      return { name, dir, accountId: /-(\d{12})$/.exec(name)?.[1], ...(leavingMarker(dir) ? { leaving: true } : {}) };
    })
    .sort((a, b) => Number(Boolean(b.leaving)) - Number(Boolean(a.leaving)) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** What --accounts and --exclude match: a stack's name and its account ID (verify selects accounts by the same words). */
export interface Selectable {
  readonly name: string;
  readonly accountId?: string;
}

/**
 * Stacks whose account ID or name matches an `include` glob (all if none) and no `exclude` glob. The Terraform Cloud bootstrap
 * stack and the deployer stack run only when `--accounts` names them exactly: each is applied by a person
 * (with a Terraform Cloud token, with management-account credentials), never swept into a rollout of the
 * accounts by `trelica-*`.
 */
export function selectStacks<T extends Selectable>(stacks: readonly T[], include: readonly string[], exclude: readonly string[]): T[] {
  const problems: string[] = [];
  const compile = (flag: string, patterns: readonly string[]) =>
    patterns.map((pattern) => {
      const regexp = globToRegExp(pattern);
      if (!stacks.some((stack) => matches(stack, regexp))) {
        const example = stacks.length > 0 ? `, such as ${stacks[0].name}${stacks[0].accountId ? ` or ${stacks[0].accountId}` : ""}` : "";
        problems.push(`${flag} ${JSON.stringify(pattern)}: matches no stack among ${stacks.length}; expected an account ID or stack name glob that matches one${example}`);
      }
      return regexp;
    });
  const includes = compile("--accounts", include);
  const excludes = compile("--exclude", exclude);
  if (problems.length > 0) throw new UserError("Nothing was run:", problems);
  return stacks.filter((stack) => {
    if (BOOTSTRAP_STACK_NAMES.includes(stack.name)) return include.includes(stack.name);
    return (includes.length === 0 || includes.some((r) => matches(stack, r))) && !excludes.some((r) => matches(stack, r));
  });
}

function matches(stack: Selectable, pattern: RegExp): boolean {
  return pattern.test(stack.name) || (stack.accountId !== undefined && pattern.test(stack.accountId));
}

export function stackFile(stack: Stack): string {
  return path.join(stack.dir, "cdk.tf.json");
}

/** The synthesized stack as terraform reads it, read afresh: a re-synth may have changed it since. */
export function stackJson<T = any>(stack: Stack): T {
  return JSON.parse(fs.readFileSync(stackFile(stack), "utf8")) as T;
}

/** Identifies the synthesized configuration a plan was made from. */
export function stackHash(stack: Stack): string {
  return crypto.createHash("sha256").update(fs.readFileSync(stackFile(stack))).digest("hex");
}

export interface VersionRequirement {
  /** The oldest terraform the stacks accept, X.Y.Z. */
  readonly minimum: string;
  /** The stacks that ask for it. */
  readonly stacks: string[];
  /** Why: their own `terraform.required_version`, or rollout's saved plans of runs in Terraform Cloud. */
  readonly source: "required_version" | "cloud";
}

/**
 * `plan -out` of a stack whose `cloud` block runs it in Terraform Cloud saves a cloud plan, which
 * terraform does from 1.6.0 on (1.5 refuses: "Saving a generated plan is currently not supported").
 */
export const SAVED_CLOUD_PLANS_MINIMUM = "1.6.0";

/**
 * The terraform versions the stacks ask for, by minimum, highest first: their own
 * `terraform.required_version` (the app writes it; it is the one source of what the stacks need), and,
 * when rollout will plan them (`savedCloudPlans`), 1.6.0 for stacks with a `cloud` block. Reads
 * `>= X.Y.Z` and `>= X.Y`; a stack without either asks for nothing.
 */
export function versionRequirements(stacks: readonly Stack[], { savedCloudPlans = true } = {}): VersionRequirement[] {
  const byMinimum = new Map<string, VersionRequirement>();
  const problems: string[] = [];
  for (const stack of stacks) {
    const json = stackJson(stack);
    const constraint: unknown = json.terraform?.required_version;
    let required: string | undefined;
    if (constraint !== undefined) {
      const match = typeof constraint === "string" ? /^\s*>=\s*(\d+)\.(\d+)(?:\.(\d+))?\s*$/.exec(constraint) : null;
      if (!match) {
        problems.push(`${stack.name}: terraform.required_version ${JSON.stringify(constraint)}; expected ">= X.Y.Z" or ">= X.Y" (${stackFile(stack)})`);
        continue;
      }
      required = `${Number(match[1])}.${Number(match[2])}.${Number(match[3] ?? 0)}`;
    }
    // The cloud block's reason is named even where required_version asks as much: it says what to do.
    const cloud = savedCloudPlans && json.terraform?.cloud !== undefined && (!required || compareVersions(SAVED_CLOUD_PLANS_MINIMUM, required) >= 0);
    if (!cloud && !required) continue;
    const minimum = cloud ? SAVED_CLOUD_PLANS_MINIMUM : required!;
    const source = cloud ? "cloud" : "required_version";
    const key = `${minimum} ${source}`;
    const entry = byMinimum.get(key) ?? { minimum, stacks: [], source };
    entry.stacks.push(stack.name);
    byMinimum.set(key, entry);
  }
  if (problems.length > 0) throw new UserError("Nothing was run: rollout cannot read these stacks' terraform version requirement:", problems);
  return [...byMinimum.values()].sort((a, b) => compareVersions(b.minimum, a.minimum));
}

/** Whether the stack's `cloud` block runs its plans and applies in Terraform Cloud (unless its workspace executes locally). */
export function runsInTerraformCloud(stack: Stack): boolean {
  const json = stackJson<{ terraform?: { cloud?: unknown } }>(stack);
  return json.terraform?.cloud !== undefined;
}
