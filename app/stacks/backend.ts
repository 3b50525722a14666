import * as fs from "node:fs";
import * as path from "node:path";
import { App, CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TaggedCloudWorkspaces, TerraformStack } from "../../modules/cdk-flavour";
import { ACCOUNT_ID_PLACEHOLDER, BackendConfig } from "../config/schema";

/**
 * App context: the output folder the stacks will be written to, for an App that synthesizes them
 * elsewhere first (synthesis by shape, in a scratch folder). Without it, the App's own outdir.
 */
export const STACKS_OUTDIR_CONTEXT = "trelica:stacksOutdir";

/** Gives a stack its own state: one state per account, whatever the backend. */
export function addBackend(stack: TerraformStack, backend: BackendConfig, accountId: string): void {
  const forAccount = (pattern: string) => pattern.split(ACCOUNT_ID_PLACEHOLDER).join(accountId);
  switch (backend.type) {
    case "local": {
      const outdir: string = stack.node.tryGetContext(STACKS_OUTDIR_CONTEXT) ?? App.of(stack).outdir;
      new LocalBackend(stack, { path: localStatePath(outdir, stack.node.id) });
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

/**
 * Where a stack's local state lives, relative to the folder terraform runs in (`<outdir>/stacks/<stack>`):
 * `terraform.<stack>.tfstate` in the project root, whatever the output folder. Relative, so the output
 * holds no path of the synthesizing machine and state survives re-synthesis and a moved checkout.
 */
export function localStatePath(outdir: string, stackName: string): string {
  const stackDir = path.join(path.resolve(outdir), "stacks", stackName);
  const up = path.relative(stackDir, projectRoot(outdir)).split(path.sep).join("/");
  return `${up}/terraform.${stackName}.tfstate`;
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
