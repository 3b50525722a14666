import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FLAVOURS } from "../../scripts/cdk-flavour/flavours";
import { rewriteSpecifiers } from "../../scripts/cdk-flavour/specifiers";
import { flavour } from "./cdk-flavour";

/*
 * The package as a consumer gets it: `npm pack` of this repository, installed from the tarball into apps
 * in a temporary folder outside the repository, with their own package.json and node_modules.
 */

export const REPO = path.resolve(__dirname, "../..");
export const EXAMPLE_APP = path.join(REPO, "examples", "consumer-app");
const TSC = path.join(REPO, "node_modules", "typescript", "bin", "tsc");

/** The packages the construct takes as peers on the flavour this checkout is on (`npm run switch`). */
export const PEER_NAMES = [flavour.modules.core, "constructs", flavour.modules.awsProvider] as const;

/** The peer versions the consumer app installs: ours by default, or TRELICA_CONSUMER_PEERS="cdktf@0.21.0 constructs@10.4.2 ...". */
export function consumerPeerVersions(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const ours = (name: string) => JSON.parse(fs.readFileSync(path.join(REPO, "node_modules", name, "package.json"), "utf8")).version as string;
  const versions: Record<string, string> = Object.fromEntries(PEER_NAMES.map((name) => [name, ours(name)]));
  for (const spec of (env.TRELICA_CONSUMER_PEERS ?? "").split(/\s+/).filter(Boolean)) {
    const at = spec.lastIndexOf("@");
    const name = spec.slice(0, at);
    if (at <= 0 || !(name in versions)) throw new Error(`TRELICA_CONSUMER_PEERS: got "${spec}"; expected <name>@<version> for one of ${Object.keys(versions).join(", ")}`);
    versions[name] = spec.slice(at + 1);
  }
  return versions;
}

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
}

/**
 * Runs a command without the npm_* variables of the `npm test` around us: npm reads npm_config_* as its
 * own settings, and the consumer's npm must see only its own folder.
 */
export function run(command: string, args: readonly string[], cwd: string, check = true): CommandResult {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const result = spawnSync(command, args, { cwd, env: { ...env, CHECKPOINT_DISABLE: "1" }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (check && result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} in ${cwd} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

const NPM_QUIET = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

/** `npm pack` into `dir` (its `prepare` builds dist/ first); the tarball's path and its file list. */
export function packInto(dir: string): { tarball: string; files: string[] } {
  const [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", dir, "--loglevel=error"], REPO).stdout);
  return { tarball: path.join(dir, packed.filename), files: packed.files.map((f: { path: string }) => f.path).sort() };
}

export function scratchDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A CDKTF app of its own: the example's files, the tarball and the peers (plus @types/node for the script).
 * The example is written for cdktf; on another flavour its imports are spelt as that flavour's, by the
 * switch's own rewrite (the package there takes that flavour's CDK as its peers).
 */
export function installConsumerApp(dir: string, tarball: string, peers: Record<string, string>): void {
  for (const file of fs.readdirSync(EXAMPLE_APP)) {
    const text = fs.readFileSync(path.join(EXAMPLE_APP, file), "utf8");
    fs.writeFileSync(path.join(dir, file), rewriteSpecifiers(file, text, FLAVOURS.cdktf, flavour)?.text ?? text);
  }
  const typesNode = JSON.parse(fs.readFileSync(path.join(REPO, "node_modules", "@types", "node", "package.json"), "utf8")).version;
  writePackageJson(dir, { "trelica-aws-role": `file:${tarball}`, ...peers, "@types/node": typesNode });
  // To try versions outside the declared peer ranges before widening them (npm refuses them otherwise).
  const probe = process.env.TRELICA_CONSUMER_IGNORE_PEER_RANGES === "1" ? ["--legacy-peer-deps"] : [];
  run("npm", ["install", ...probe, ...NPM_QUIET], dir);
}

/** Only the package, its peers left out: what `trelica-aws-role/policies` needs and nothing else. */
export function installPoliciesOnly(dir: string, tarball: string): void {
  fs.copyFileSync(path.join(EXAMPLE_APP, "render-policies.js"), path.join(dir, "render-policies.js"));
  writePackageJson(dir, { "trelica-aws-role": `file:${tarball}` });
  run("npm", ["install", "--omit=peer", ...NPM_QUIET], dir);
}

/** The repository's own TypeScript compiler on the consumer's tsconfig (it resolves modules from the consumer's folder). */
export function typeCheckAndCompile(dir: string): CommandResult {
  return run(process.execPath, [TSC, "-p", "tsconfig.json"], dir, false);
}

/** The plain Node script alone under `moduleResolution: node16`, where TypeScript reads the exports map (not typesVersions). */
export function typeCheckScriptWithNode16(dir: string): CommandResult {
  const options = ["--noEmit", "--skipLibCheck", "--allowJs", "--checkJs", "--strict", "--module", "node16", "--moduleResolution", "node16", "--types", "node"];
  return run(process.execPath, [TSC, ...options, "render-policies.js"], dir, false);
}

function writePackageJson(dir: string, dependencies: Record<string, string>): void {
  const manifest = { name: path.basename(dir).toLowerCase(), version: "0.0.0", private: true, dependencies };
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}
