import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../app/errors";
import { globToRegExp } from "../app/glob";

/** One synthesized stack: a folder terraform runs in. */
export interface Stack {
  readonly name: string;
  readonly dir: string;
  /** The 12-digit account in `trelica-<id>`, when the name has one. */
  readonly accountId?: string;
}

/** The stacks cdktf listed in `<outdir>/manifest.json`, sorted by name. */
export function readStacks(outdir: string): Stack[] {
  const manifestFile = path.join(outdir, "manifest.json");
  if (!fs.existsSync(manifestFile)) {
    throw new UserError(`${manifestFile} does not exist: synthesize first (npm run synth), or drop --no-synth.`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { stacks: Record<string, { workingDirectory: string }> };
  return Object.entries(manifest.stacks)
    .map(([name, entry]) => ({ name, dir: path.resolve(outdir, entry.workingDirectory), accountId: /-(\d{12})$/.exec(name)?.[1] }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Stacks whose account ID or name matches an `include` glob (all if none) and no `exclude` glob. */
export function selectStacks(stacks: readonly Stack[], include: readonly string[], exclude: readonly string[]): Stack[] {
  const problems: string[] = [];
  const compile = (flag: string, patterns: readonly string[]) =>
    patterns.map((pattern) => {
      const regexp = globToRegExp(pattern);
      if (!stacks.some((stack) => matches(stack, regexp))) problems.push(`${flag} ${pattern}: matches no stack among ${stacks.length}`);
      return regexp;
    });
  const includes = compile("--accounts", include);
  const excludes = compile("--exclude", exclude);
  if (problems.length > 0) throw new UserError("Nothing was run:", problems);
  return stacks.filter(
    (stack) => (includes.length === 0 || includes.some((r) => matches(stack, r))) && !excludes.some((r) => matches(stack, r)),
  );
}

function matches(stack: Stack, pattern: RegExp): boolean {
  return pattern.test(stack.name) || (stack.accountId !== undefined && pattern.test(stack.accountId));
}

export function stackFile(stack: Stack): string {
  return path.join(stack.dir, "cdk.tf.json");
}

/** Identifies the synthesized configuration a plan was made from. */
export function stackHash(stack: Stack): string {
  return crypto.createHash("sha256").update(fs.readFileSync(stackFile(stack))).digest("hex");
}

export interface VersionRequirement {
  readonly minimum: string;
  readonly feature: string;
  readonly stacks: string[];
}

/** The terraform versions the stacks' features need (import blocks, S3 native locking, cloud block). */
export function versionRequirements(stacks: readonly Stack[]): VersionRequirement[] {
  const features = [
    { minimum: "1.1.0", feature: "the cloud block", uses: (json: any) => json.terraform?.cloud !== undefined },
    { minimum: "1.5.0", feature: "import blocks (adoptExisting)", uses: (json: any) => Array.isArray(json.import) && json.import.length > 0 },
    { minimum: "1.10.0", feature: "S3 native locking (use_lockfile)", uses: (json: any) => json.terraform?.backend?.s3?.use_lockfile === true },
  ];
  const found = features.map((feature) => ({ minimum: feature.minimum, feature: feature.feature, stacks: [] as string[] }));
  for (const stack of stacks) {
    const json = JSON.parse(fs.readFileSync(stackFile(stack), "utf8"));
    features.forEach((feature, index) => {
      if (feature.uses(json)) found[index].stacks.push(stack.name);
    });
  }
  return found.filter((requirement) => requirement.stacks.length > 0);
}
