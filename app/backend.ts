import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TaggedCloudWorkspaces, TerraformStack } from "cdktf";
import { ACCOUNT_ID_PLACEHOLDER, BackendConfig } from "./config/schema";

/** Gives a stack its own state: one state per account, whatever the backend. */
export function addBackend(stack: TerraformStack, backend: BackendConfig, accountId: string): void {
  const forAccount = (pattern: string) => pattern.split(ACCOUNT_ID_PLACEHOLDER).join(accountId);
  switch (backend.type) {
    case "local":
      // Relative to the stack's working directory (cdktf.out/stacks/<name>): state lands in the project
      // root, survives re-synthesis, and the output holds no path of the synthesizing machine.
      new LocalBackend(stack, { path: `../../../terraform.${stack.node.id}.tfstate` });
      return;
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
