import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, CDK_VERSION, Lazy, Manifest, StackManifest } from "../../modules/cdk-flavour";
import { AccountStack } from "./account-stack";
import { STACKS_OUTDIR_CONTEXT, STATE_DIR_CONTEXT } from "./backend";
import { boundaryArnIn, parseBoundaryArn } from "../config/boundary";
import { ACCOUNT_ID_SENTINEL } from "../config/reserved";
import { AccountDeployment } from "../organization/deployments";

/*
 * Synthesis at Organization scale. cdktf spends ~1 ms of token resolution per small stack, and an
 * Organization's stacks differ from one another only in the account ID wherever their settings agree.
 * So cdktf synthesizes one real stack per distinct shape: the deployment whose account ID is
 * ACCOUNT_ID_SENTINEL, a marker no config may contain (the config loader refuses it). Every account
 * of that shape gets that JSON with the sentinel replaced by its ID. The sentinel only ever reaches the
 * JSON where our code put the account ID, so nothing a user wrote can be rewritten; a property test
 * proves the output byte-identical to synthesizing each account on its own.
 */

const BATCH_SIZE = 1000;

export type StackManifests = Record<string, StackManifest>;

interface Shape {
  /** The deployment cdktf synthesizes for this shape: its account ID is the sentinel. */
  readonly template: AccountDeployment;
  readonly members: AccountDeployment[];
}

/** Writes `stacks/<name>/cdk.tf.json` for every deployment and one manifest.json, as `cdktf synth` does. */
export function synthesizeStacks(deployments: readonly AccountDeployment[], outdir: string, stateDir?: string): void {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "trelica-synth-"));
  try {
    const manifests: StackManifests = {};
    groupByShape(deployments).forEach((shape, index) => {
      // One App per shape: every template stack has the sentinel's name.
      const templateDir = path.join(scratch, String(index));
      fs.mkdirSync(templateDir);
      const [templateManifest] = Object.values(synthesizeInBatches([synthesizable(shape.template)], templateDir, outdir, stateDir));
      const manifestText = JSON.stringify(templateManifest);
      const stackText = fs.readFileSync(path.join(templateDir, templateManifest.synthesizedStackPath), "utf8");
      for (const member of shape.members) {
        const stamp = (text: string) => text.split(ACCOUNT_ID_SENTINEL).join(member.accountId);
        const manifest: StackManifest = JSON.parse(stamp(manifestText));
        fs.mkdirSync(path.join(outdir, manifest.workingDirectory), { recursive: true });
        writeIfChanged(path.join(outdir, manifest.synthesizedStackPath), stamp(stackText));
        manifests[manifest.name] = manifest;
      }
    });
    writeManifest(outdir, manifests);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Leaves an unchanged stack file alone: its timestamp keeps meaning "last changed", and a re-synth of
 * thousands of unchanged stacks costs reads, not writes.
 */
function writeIfChanged(file: string, text: string): void {
  try {
    if (fs.readFileSync(file, "utf8") === text) return;
  } catch {
    // Not there yet.
  }
  fs.writeFileSync(file, text);
}

/** Exported for its test: which accounts share one synthesized stack. */
export function groupByShape(deployments: readonly AccountDeployment[]): Shape[] {
  const shapes = new Map<string, Shape>();
  for (const deployment of deployments) {
    const template = shapeOf(deployment);
    const key = JSON.stringify(template);
    const shape = shapes.get(key);
    if (shape) shape.members.push(deployment);
    else shapes.set(key, { template, members: [deployment] });
  }
  return [...shapes.values()];
}

/**
 * The deployment with its account ID replaced by the sentinel in the fields our code put it in: the
 * account itself and a permissions boundary made per account from `{accountId}` (parsed, never found by
 * searching text), so such accounts still share a shape. The display name never reaches the stack;
 * leaving it out lets differently named accounts share a shape too.
 */
function shapeOf(deployment: AccountDeployment): AccountDeployment {
  const template: AccountDeployment = { ...deployment, accountId: ACCOUNT_ID_SENTINEL, name: undefined };
  const boundary = parseBoundaryArn(deployment.integration.permissionsBoundaryArn);
  if (boundary?.account !== deployment.accountId) return template;
  return { ...template, integration: { ...deployment.integration, permissionsBoundaryArn: boundaryArnIn(boundary, ACCOUNT_ID_SENTINEL) } };
}

/**
 * A shape's boundary ARN holds the sentinel, which is not an account ID until stamped: handed to the
 * construct as a token, resolved to that same text at synthesis, so the construct's ARN check waits.
 */
function synthesizable(template: AccountDeployment): AccountDeployment {
  const arn = template.integration.permissionsBoundaryArn;
  if (arn === undefined || !arn.includes(ACCOUNT_ID_SENTINEL)) return template;
  return { ...template, integration: { ...template.integration, permissionsBoundaryArn: Lazy.stringValue({ produce: () => arn }) } };
}

/**
 * Plain cdktf synthesis, one real App per BATCH_SIZE stacks; returns the stacks' manifest entries.
 * `stacksOutdir`: where the stacks will finally be written, if not `outdir` (local state paths are relative to it).
 */
export function synthesizeInBatches(deployments: readonly AccountDeployment[], outdir: string, stacksOutdir = outdir, stateDir?: string): StackManifests {
  const manifests: StackManifests = {};
  for (let start = 0; start < deployments.length; start += BATCH_SIZE) {
    const app = createApp(outdir, stacksOutdir, stateDir);
    for (const deployment of deployments.slice(start, start + BATCH_SIZE)) new AccountStack(app, deployment);
    app.synth();
    Object.assign(manifests, app.manifest.stacks);
  }
  return manifests;
}

/**
 * A cdktf App as this program uses it. Stack traces in construct metadata cost time per resource and
 * are useless in the JSON output. Validation is skipped: the only check our stacks carry
 * (CloudBackend's) runs `terraform version` once per stack, and synthesis must neither need terraform
 * nor slow down with thousands of stacks.
 */
export function createApp(outdir: string, stacksOutdir = outdir, stateDir?: string): App {
  const context = { [STACKS_OUTDIR_CONTEXT]: path.resolve(stacksOutdir), ...(stateDir ? { [STATE_DIR_CONTEXT]: stateDir } : {}) };
  return new App({ outdir, stackTraces: false, skipValidation: true, context });
}

export function writeManifest(outdir: string, stacks: StackManifests): void {
  const manifest = new Manifest(CDK_VERSION, outdir, false);
  Object.assign(manifest.stacks, stacks);
  manifest.writeToFile();
}

/**
 * Writes one more stack (`build` adds it to the App) beside the account stacks, into the manifest they were
 * written with, so the cdktf CLI keeps its folder and `cdktf deploy` finds it. Called after stale stacks
 * are removed: its name starts with `trelica-` like theirs.
 */
export function synthesizeBeside(outdir: string, name: string, build: (app: App) => void, stateDir?: string): void {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "trelica-beside-"));
  try {
    const app = createApp(scratch, outdir, stateDir);
    build(app);
    app.synth();
    const manifest: StackManifest = app.manifest.stacks[name];
    fs.mkdirSync(path.join(outdir, manifest.workingDirectory), { recursive: true });
    fs.copyFileSync(path.join(scratch, manifest.synthesizedStackPath), path.join(outdir, manifest.synthesizedStackPath));
    addToManifest(outdir, { [name]: manifest });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Adds stacks to the manifest.json already written in `outdir`, as cdktf would have listed them. */
export function addToManifest(outdir: string, stacks: StackManifests | readonly string[]): void {
  const entries: StackManifests = Array.isArray(stacks) ? Object.fromEntries(stacks.map((name) => [name, stackManifestEntry(name)])) : (stacks as StackManifests);
  const manifestFile = path.join(outdir, "manifest.json");
  const existing: StackManifests = fs.existsSync(manifestFile) ? JSON.parse(fs.readFileSync(manifestFile, "utf8")).stacks : {};
  writeManifest(outdir, { ...existing, ...entries });
}

/** The manifest entry cdktf writes for a stack of this name (a leaving stack keeps the folder it had). */
function stackManifestEntry(name: string): StackManifest {
  return {
    name,
    constructPath: name,
    workingDirectory: `stacks/${name}`,
    synthesizedStackPath: `stacks/${name}/cdk.tf.json`,
    stackMetadataPath: `stacks/${name}/metadata.json`,
    annotations: [],
    dependencies: [],
  };
}
