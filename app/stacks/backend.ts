import * as fs from "node:fs";
import * as path from "node:path";
import { App, CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TaggedCloudWorkspaces, TerraformStack } from "../../modules/cdk-flavour";
import { ACCOUNT_ID_PLACEHOLDER, BackendConfig } from "../config/schema";

/**
 * App context: the output folder the stacks will be written to, for an App that synthesizes them
 * elsewhere first (synthesis by shape, in a scratch folder). Without it, the App's own outdir.
 */
export const STACKS_OUTDIR_CONTEXT = "trelica:stacksOutdir";

/**
 * App context: the folder local state lives in (absolute): the config file's folder, whatever the output
 * folder (docs/rollout.md, "Where state lives"). Without it (an App of the construct's own), the project root.
 */
export const STATE_DIR_CONTEXT = "trelica:stateDir";

/** The folder a deployment's local state lives in: beside its config file. */
export function stateDirFor(configFile: string): string {
  return path.dirname(path.resolve(configFile));
}

/** Gives a stack its own state: one state per account, whatever the backend. */
export function addBackend(stack: TerraformStack, backend: BackendConfig, accountId: string): void {
  const forAccount = (pattern: string) => pattern.split(ACCOUNT_ID_PLACEHOLDER).join(accountId);
  switch (backend.type) {
    case "local": {
      new LocalBackend(stack, { path: localStateOf(stack, stack.node.id) });
      return;
    }
    case "s3": {
      const s3 = new S3Backend(stack, {
        bucket: backend.bucket,
        key: forAccount(backend.key),
        region: backend.region,
        encrypt: backend.encrypt,
        dynamodbTable: backend.dynamodbTable,
        assumeRole: backend.roleArn ? { roleArn: backend.roleArn } : undefined,
      });
      // cdktf 0.21 has no typed use_lockfile (S3-native locking, Terraform >= 1.10).
      if (backend.useLockfile) s3.addOverride("use_lockfile", true);
      return;
    }
    case "cloud": {
      const workspaces = backend.workspaceTags
        ? new TaggedCloudWorkspaces(backend.workspaceTags.map(forAccount), backend.project)
        : new NamedCloudWorkspace(forAccount(backend.workspaceName ?? `trelica-${ACCOUNT_ID_PLACEHOLDER}`), backend.project);
      new CloudBackend(stack, { organization: backend.organization, hostname: backend.hostname, workspaces });
      return;
    }
  }
}

/** A stack's local state path, from its App's context: the output folder it is written to and the state folder. */
export function localStateOf(stack: TerraformStack, stackName: string): string {
  const outdir: string = stack.node.tryGetContext(STACKS_OUTDIR_CONTEXT) ?? App.of(stack).outdir;
  return localStatePath(outdir, stackName, stack.node.tryGetContext(STATE_DIR_CONTEXT) ?? projectRoot(outdir));
}

/**
 * Where a stack's local state lives, relative to the folder terraform runs in (`<outdir>/stacks/<stack>`):
 * `terraform.<stack>.tfstate` in `stateDir`, whatever the output folder. Relative, so the output holds no
 * path of the synthesizing machine and state survives re-synthesis and a moved checkout.
 */
export function localStatePath(outdir: string, stackName: string, stateDir: string): string {
  const stackDir = path.join(path.resolve(outdir), "stacks", stackName);
  const up = path.relative(stackDir, stateDir).split(path.sep).join("/");
  return `${up}/terraform.${stackName}.tfstate`;
}

/** The state file itself (absolute). */
export function localStateFile(stateDir: string, stackName: string): string {
  return path.join(stateDir, `terraform.${stackName}.tfstate`);
}

/**
 * The nearest folder at or above the output folder that holds cdktf.json: where the cdktf CLI runs
 * the app, whatever the current directory of a direct run. An output folder in no project (a temporary
 * folder, say) has no such folder; its parent stands in, as for the default `cdktf.out`.
 */
export function projectRoot(outdir: string): string {
  const start = path.resolve(outdir);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "cdktf.json"))) return dir;
    if (path.dirname(dir) === dir) return path.dirname(start);
  }
}
