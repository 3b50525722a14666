import { spawnSync, SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CDK_CLI } from "../../modules/cdk-flavour";
import { PROJECT_ROOT } from "./files";

export interface CdktfSynthOptions {
  /** Environment on top of this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** More arguments after `synth --output <outdir>`, e.g. ["--hcl"]. */
  readonly args?: readonly string[];
  /** The folder the CLI runs in, holding cdktf.json. @default the project root */
  readonly cwd?: string;
}

/**
 * Runs the real `cdktf synth` CLI (`cdktn synth` on CDK Terrain), from the project root unless told otherwise. Terraform is pointed
 * at a path that does not exist: synthesis must never need a terraform binary.
 */
export function cdktfSynth(configFile: string, outdir: string, options: CdktfSynthOptions = {}): SpawnSyncReturns<string> {
  return spawnSync(path.join(PROJECT_ROOT, "node_modules", ".bin", CDK_CLI), ["synth", "--output", outdir, ...(options.args ?? [])], {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: {
      ...process.env,
      TRELICA_CONFIG: configFile,
      CHECKPOINT_DISABLE: "1",
      TERRAFORM_BINARY_NAME: "/nonexistent/terraform",
      CI: "1",
      ...options.env,
    },
    encoding: "utf8",
    timeout: 120_000,
  });
}

/**
 * Why the real cdktf CLI cannot start on this Node, or undefined. cdktf-cli 0.21 (archived) loads a terminal
 * module, @cdktf/node-pty-prebuilt-multiarch, that ships builds up to Node 22's ABI; npm 11 runs no install
 * script to build another, so on Node 24 the CLI dies at start. Read from the module's own build lookup,
 * never guessed from the Node version. `npm run synth`, rollout and verify do not need it.
 */
export function cdktfCliUnavailable(): string | undefined {
  let dir: string;
  try {
    dir = path.dirname(require.resolve("@cdktf/node-pty-prebuilt-multiarch/package.json", { paths: [PROJECT_ROOT] }));
  } catch {
    return undefined; // a CLI without that module (another flavour): nothing known to be missing
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ptyPath } = require(path.join(dir, "lib", "prebuild-file-path")) as { ptyPath: string | null };
  if (ptyPath || fs.existsSync(path.join(dir, "build", "Release", "pty.node"))) return undefined;
  return `the cdktf CLI cannot start on Node ${process.version}: its terminal module (@cdktf/node-pty-prebuilt-multiarch) has no build for ABI ${process.versions.modules}`;
}

const unavailable = cdktfCliUnavailable();
// One line per test file that imports this helper, so a skip is never silent.
if (unavailable) process.stdout.write(`SKIPPED: the tests that run the real cdktf CLI: ${unavailable}\n`);
// Under Stryker (npm run test:mutation) a spawned CLI never sees a mutant, which is switched on in the
// jest process only: such tests cannot kill one and are not run there.
const underStryker = (globalThis as { __strykerGlobalNamespace__?: string }).__strykerGlobalNamespace__ !== undefined;
/** `describe`, or `describe.skip` where the cdktf CLI cannot start (the line above says so) or under Stryker. */
export const describeWithCdktfCli: typeof describe = unavailable || underStryker ? describe.skip : describe;
/** `test`, or `test.skip` where the cdktf CLI cannot start (the line above says so) or under Stryker. */
export const testWithCdktfCli: typeof test = unavailable || underStryker ? test.skip : test;
