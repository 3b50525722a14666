import { spawnSync, SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "../../modules/cdk-flavour";
import { Resolution } from "../../app/organization/deployments";
import { AccountStack } from "../../app/stacks/account-stack";
import { PROJECT_ROOT } from "./files";

/** Runs the app's entry point the way cdktf.json does, with its own config and output folder. */
export function runApp(configFile: string, outdir: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ["-r", "sucrase/register", path.join(PROJECT_ROOT, "main.ts")], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, TRELICA_CONFIG: configFile, CDKTF_OUTDIR: outdir },
    encoding: "utf8",
  });
}

/** What `npm run --silent synth -- --config <file> --print-management-policy` prints, parsed; fails on anything else. */
export function printedManagementPolicy(configFile: string): any {
  const run = spawnSync(process.execPath, ["-r", "sucrase/register", path.join(PROJECT_ROOT, "main.ts"), "--config", configFile, "--print-management-policy"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`--print-management-policy exited ${run.status}:\n${run.stdout}${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** The synthesized Terraform JSON of one stack in an output folder. */
export function readStack(outdir: string, stack: string): any {
  return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
}

/** The one resource of a type in a synthesized stack. */
export function onlyResource(stackJson: any, type: string): any {
  const resources = Object.values(stackJson.resource?.[type] ?? {});
  if (resources.length !== 1) throw new Error(`expected one ${type}, found ${resources.length}`);
  return resources[0];
}

/** Synthesizes resolved deployments in-process; returns each stack's name and parsed Terraform JSON. */
export function synthStacks(resolution: Resolution): { name: string; json: any; text: string }[] {
  const app = Testing.app();
  return resolution.deployments.map((deployment) => {
    const stack = new AccountStack(app, deployment);
    const text = Testing.synth(stack);
    return { name: stack.node.id, json: JSON.parse(text), text };
  });
}
