import { spawnSync, SpawnSyncReturns } from "node:child_process";
import * as path from "node:path";
import { PROJECT_ROOT } from "./files";

/**
 * Runs the real `cdktf synth` CLI from the project root. Terraform is pointed at a path that does
 * not exist: synthesis must never need a terraform binary.
 */
export function cdktfSynth(configFile: string, outdir: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(path.join(PROJECT_ROOT, "node_modules", ".bin", "cdktf"), ["synth", "--output", outdir], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      TRELICA_CONFIG: configFile,
      CHECKPOINT_DISABLE: "1",
      TERRAFORM_BINARY_NAME: "/nonexistent/terraform",
      CI: "1",
      ...env,
    },
    encoding: "utf8",
    timeout: 120_000,
  });
}
