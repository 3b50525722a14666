import * as fs from "node:fs";
import * as path from "node:path";
import { synthesizeOrganization } from "../../app/commands/organization-app";
import { PlainProgress } from "../../runner/progress";
import { verify, VerifyOptions } from "../../verify/run";
import type { VerifyReport } from "../../verify/report";
import type { FakeAws } from "../../sandbox/fake-aws/fake-aws";
import { writeFile } from "./files";

/*
 * For verify's quick tests: what `rollout apply` would leave in the fake AWS, made from the synthesized
 * stacks' own Terraform JSON (not from verify's idea of the role), and verify run in-process against it.
 * The real terraform doing the same is test/e2e/verify.e2e.ts.
 */

/** Synthesizes `config` into `<dir>/cdktf.out`; returns the config file. */
export function synthProject(dir: string, config: string, files: Record<string, string> = {}): string {
  for (const [name, text] of Object.entries(files)) writeFile(dir, name, text);
  const file = writeFile(dir, "trelica.config.yaml", config);
  synthesizeOrganization(file, { outdir: path.join(dir, "cdktf.out"), log: () => undefined });
  return file;
}

/** Creates each account stack's role, policy and attachment in the fake, as terraform would from cdk.tf.json. */
export function applyStacks(fake: FakeAws, outdir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
  for (const name of Object.keys(manifest.stacks)) {
    const accountId = /^trelica-(\d{12})$/.exec(name)?.[1];
    if (!accountId) continue;
    const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
    const [role] = Object.values<any>(json.resource.aws_iam_role);
    const [policy] = Object.values<any>(json.resource.aws_iam_policy);
    const tags = Object.entries<string>(role.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
    fake.call(accountId, "iam", "CreateRole", {
      RoleName: role.name,
      Path: role.path,
      AssumeRolePolicyDocument: role.assume_role_policy,
      Description: role.description,
      MaxSessionDuration: role.max_session_duration,
      PermissionsBoundary: role.permissions_boundary,
      Tags: tags,
    });
    const created = fake.call(accountId, "iam", "CreatePolicy", { PolicyName: policy.name, Path: policy.path, PolicyDocument: policy.policy, Description: policy.description });
    fake.call(accountId, "iam", "AttachRolePolicy", { RoleName: role.name, PolicyArn: (created.Policy as { Arn: string }).Arn });
  }
}

// As verify/main.ts does: the pinned SDK supports Node 20; its notice concerns later releases.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** The SDK reads endpoints and credentials from the environment: point it at the fake as `accountId`. */
export function useFakeAs(fake: FakeAws, accountId: string): void {
  for (const key of Object.keys(process.env)) if (key.startsWith("AWS_") && !key.startsWith("AWS_SDK_JS_")) delete process.env[key];
  Object.assign(process.env, fake.environmentFor(accountId), { AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" });
}

/** verify in this process (the fake answers from this event loop), its progress lines collected. */
export async function runVerify(configFile: string, options: Partial<VerifyOptions> = {}): Promise<{ report: VerifyReport; lines: string[] }> {
  const lines: string[] = [];
  const report = await verify({
    configFile,
    accounts: [],
    exclude: [],
    concurrency: 8,
    deactivateLegacyKeys: false,
    progress: new PlainProgress((line) => lines.push(line)),
    ...options,
  });
  return { report, lines };
}

/** Each account's status, by account ID. */
export function statuses(report: VerifyReport): Record<string, string> {
  return Object.fromEntries(report.accounts.map((account) => [account.accountId, account.status]));
}

/** Each account's findings as "what: expected …; live …". */
export function findingsOf(report: VerifyReport, accountId: string): string[] {
  const account = report.accounts.find((candidate) => candidate.accountId === accountId);
  if (!account) throw new Error(`no account ${accountId} in the report`);
  return account.findings.map((finding) => `${finding.what}: expected ${finding.expected}; live ${finding.live}`);
}
