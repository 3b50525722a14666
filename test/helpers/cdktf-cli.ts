import { spawnSync, SpawnSyncReturns } from "node:child_process";
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
