import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../app/common/errors";

/** Runs the app from cdktf.json, as `cdktf synth` would, with `configFile` into `outdir`. */
export function synthesize(projectDir: string, outdir: string, configFile: string, env: NodeJS.ProcessEnv): void {
  const { app } = JSON.parse(fs.readFileSync(path.join(projectDir, "cdktf.json"), "utf8")) as { app: string };
  const result = spawnSync(app, { cwd: projectDir, env: { ...env, TRELICA_CONFIG: configFile, CDKTF_OUTDIR: outdir }, shell: true, stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new UserError(`Synthesis failed (${app} exited ${result.status}); nothing was run. Fix what it printed above, then run again.`);
}
