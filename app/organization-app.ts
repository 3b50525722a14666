import * as fs from "node:fs";
import * as path from "node:path";
import { CloudFormationTemplate, TrelicaIntegration } from "../modules/trelica-integration";
import { AccountStack } from "./account-stack";
import { memberRoleProps } from "./config/defaults";
import { partitionOf } from "./config/regions";
import { LoadedConfig, loadConfig } from "./config/load";
import { writeConnectionsTable, writeStackSetConnections } from "./connections-table";
import { Resolution, resolveDeployments, stackNameFor } from "./deployments";
import { UserError } from "./errors";
import { plural } from "./list";
import { memberTemplate, ORGANIZATION_STACK_NAME, OrganizationStack, resolveStackSet } from "./stackset";
import { createApp, synthesizeBeside, synthesizeStacks } from "./synthesize";
import { resolveTerraformCloud, synthesizeTerraformCloudStack, TERRAFORM_CLOUD_STACK_NAME, terraformCloudRoles } from "./terraform-cloud-stack";
import { DEPLOYER_STACK_NAME, DeployerDeployment, DeployerStack, resolveDeployer } from "./deployer/stack";

export interface OrganizationSynthOptions {
  /** @default $CDKTF_OUTDIR (set by the cdktf CLI), else "cdktf.out" as cdktf's App does */
  readonly outdir?: string;
  readonly log: (line: string) => void;
}

/**
 * The whole job: validate the config (throwing before anything is written), synthesize the stacks,
 * drop stacks that left the config, and write what to enter in Trelica.
 */
export function synthesizeOrganization(configFile: string, options: OrganizationSynthOptions): void {
  refuseHclOutput(process.env);
  const loaded = loadConfig(configFile);
  const outdir = options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out";
  if (loaded.config.mode === "stackset") return synthesizeStackSetMode(loaded, outdir, options.log);

  const resolution = resolveDeployments(loaded);
  const terraformCloud = resolveTerraformCloud(loaded, resolution);
  const deployer = resolveDeployer(loaded, resolution, terraformCloud && terraformCloudRoles(terraformCloud));
  for (const warning of resolution.warnings) options.log(`Warning: ${warning}`);
  options.log(summaryLine(resolution));
  fs.mkdirSync(outdir, { recursive: true });
  synthesizeStacks(resolution.deployments, outdir);
  // The bootstrap stack stays when it is still configured: its .terraform and lock file survive a re-synth.
  const current = resolution.deployments.map((deployment) => stackNameFor(deployment.accountId));
  removeStaleStacks(outdir, new Set([...current, ...(terraformCloud ? [TERRAFORM_CLOUD_STACK_NAME] : []), ...(deployer ? [DEPLOYER_STACK_NAME] : [])]));
  if (terraformCloud) synthesizeTerraformCloudStack(terraformCloud, outdir, options.log);
  if (deployer) synthesizeDeployerStack(deployer, outdir, options.log);
  writeConnectionsTable(outdir, resolution);
  writeRoleTemplate(outdir, TrelicaIntegration.cloudFormationTemplate(memberRoleProps(loaded.config, partitionOf(loaded.config.region))));
}

/**
 * `trelica-role.cfn.json`, in every mode: the member role as a CloudFormation template with the external
 * ID as a parameter, for the console's "Create stack", Control Tower customizations or a stack set.
 */
function writeRoleTemplate(outdir: string, template: CloudFormationTemplate): void {
  fs.writeFileSync(path.join(outdir, "trelica-role.cfn.json"), JSON.stringify(template, null, 2) + "\n");
}

function synthesizeStackSetMode(loaded: LoadedConfig, outdir: string, log: (line: string) => void): void {
  const deployment = resolveStackSet(loaded);
  for (const warning of deployment.warnings) log(`Warning: ${warning}`);
  const { stackSet } = deployment;
  const managementStack = stackNameFor(deployment.management.accountId);
  log(
    `trelica: 2 stacks: ${managementStack} (the management account's role) and ${ORGANIZATION_STACK_NAME} (for account ` +
      `${deployment.accountId}: stack set ${stackSet.name} enrolling ${stackSet.organizationalUnitIds.join(", ")} in ${stackSet.region}).`,
  );
  fs.mkdirSync(outdir, { recursive: true });
  const app = createApp(outdir);
  new AccountStack(app, deployment.management);
  new OrganizationStack(app, deployment);
  app.synth();
  removeStaleStacks(outdir, new Set([managementStack, ORGANIZATION_STACK_NAME]));
  writeRoleTemplate(outdir, memberTemplate(deployment));
  writeStackSetConnections(outdir, deployment);
}

function summaryLine(resolution: Resolution): string {
  const parts = [`${plural(resolution.deployments.length, "account stack")}`];
  if (resolution.skipped.length > 0) {
    const byState = new Map<string, number>();
    for (const account of resolution.skipped) byState.set(account.state, (byState.get(account.state) ?? 0) + 1);
    const states = [...byState].map(([state, count]) => `${count} ${state}`).join(", ");
    parts.push(`skipped ${plural(resolution.skipped.length, "account")} that ${resolution.skipped.length === 1 ? "is" : "are"} not ACTIVE (${states})`);
  }
  if (resolution.filteredOut > 0) parts.push(`${plural(resolution.filteredOut, "account")} left out by include/exclude`);
  return `trelica: ${parts.join("; ")}.`;
}

/**
 * `cdktf synth --hcl` reaches the app as SYNTH_HCL_OUTPUT=true. We write Terraform JSON only: stacks are
 * stamped per account from one JSON template per shape, and rollout, its plan checks and the README's
 * workflows read cdk.tf.json. Half-honouring it would leave cdk.tf beside an older cdk.tf.json, and
 * terraform would load both.
 */
function refuseHclOutput(env: NodeJS.ProcessEnv): void {
  const value = env.SYNTH_HCL_OUTPUT;
  if (value === "true" || value === "1") {
    throw new UserError(
      `HCL output (cdktf synth --hcl, or SYNTH_HCL_OUTPUT=${value}) is not supported; nothing was written. ` +
        "This program writes Terraform JSON only (stacks/<stack>/cdk.tf.json), which terraform reads as it reads HCL: " +
        "run cdktf synth without --hcl, and unset SYNTH_HCL_OUTPUT or set it to false.",
    );
  }
}

/**
 * The cdktf CLI is running this app. Only its synth step puts `cdktfRelativeModules` into the context
 * it hands the app (CDKTF_CONTEXT_JSON); rollout, the tests and a plain `node main.ts` never do.
 */
export function runByCdktfCli(env: NodeJS.ProcessEnv): boolean {
  try {
    const context: unknown = JSON.parse(env.CDKTF_CONTEXT_JSON ?? "null");
    return typeof context === "object" && context !== null && "cdktfRelativeModules" in context;
  } catch {
    return false;
  }
}

/**
 * Stack folders of accounts that left the config must not linger (a rollout would still apply them).
 * The cdktf CLI lists the stack folders before it runs the app and afterwards deletes those the
 * manifest no longer names, failing (ENOENT) on one already gone. So under the CLI a stale folder is
 * only emptied, which already leaves nothing to apply, and the CLI deletes the folder itself.
 */
function removeStaleStacks(outdir: string, current: ReadonlySet<string>): void {
  const stacksDir = path.join(outdir, "stacks");
  const existing = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir) : [];
  const keepFolders = runByCdktfCli(process.env);
  for (const name of existing) {
    if (!name.startsWith("trelica-") || current.has(name)) continue;
    const folder = path.join(stacksDir, name);
    if (!keepFolders) {
      fs.rmSync(folder, { recursive: true, force: true });
    } else if (fs.lstatSync(folder).isDirectory()) {
      for (const entry of fs.readdirSync(folder)) fs.rmSync(path.join(folder, entry), { recursive: true, force: true });
    }
  }
}

function synthesizeDeployerStack(deployment: DeployerDeployment, outdir: string, log: (line: string) => void): void {
  log(
    `trelica: 1 deployer stack (${DEPLOYER_STACK_NAME}) for account ${deployment.managementAccountId}: stack set ${deployment.roleName} enrolling ` +
      `${deployment.organizationalUnitIds.join(", ")}; apply it before the account stacks (rollout apply --accounts ${DEPLOYER_STACK_NAME}).`,
  );
  synthesizeBeside(outdir, DEPLOYER_STACK_NAME, (app) => new DeployerStack(app, deployment));
}
