import * as fs from "node:fs";
import * as path from "node:path";
import { CloudFormationTemplate, TrelicaIntegration } from "../../modules/trelica-integration";
import { AccountStack } from "../stacks/account-stack";
import { memberRoleProps } from "../organization/defaults";
import { partitionOf } from "../config/regions";
import { LoadedConfig, loadConfig } from "../config/load";
import { DEFAULT_OUTDIR, shownPath } from "./project-options";
import { LeavingStack, markLeaving, sortStaleStacks } from "../stacks/leaving-stacks";
import { checkOutputFolder, writingInto } from "./output-folder";
import { placeholderWarnings } from "../organization/placeholder";
import { writeConnectionsTable, writeStackSetConnections } from "./connections-table";
import { Resolution, resolveDeployments, stackNameFor } from "../organization/deployments";
import { UserError } from "../common/errors";
import { lockFolderForSynth } from "../../runner/lock";
import { localStateFile, projectRoot, stateDirFor } from "../stacks/backend";
import { Invocation, npmCommand, shellQuote } from "../common/commands";
import { listSome, plural } from "../common/list";
import { memberTemplate, ORGANIZATION_STACK_NAME, OrganizationStack, resolveStackSet } from "../stacks/stackset";
import { addToManifest, createApp, synthesizeStacks } from "../stacks/synthesize";
import { resolveTerraformCloud, terraformCloudRoles } from "../terraform-cloud/deployment";
import { synthesizeTerraformCloudStack, TERRAFORM_CLOUD_STACK_NAME } from "../terraform-cloud/stack";
import { DEPLOYER_STACK_NAME, resolveDeployer, synthesizeDeployerStack } from "../deployer/stack";

export interface OrganizationSynthOptions {
  /** @default $CDKTF_OUTDIR (set by the cdktf CLI), else "cdktf.out" as cdktf's App does */
  readonly outdir?: string;
  readonly log: (line: string) => void;
}

/**
 * The whole job: validate the config and the output folder (throwing before anything is written),
 * synthesize the stacks, keep the stacks of accounts that left the config while their state holds a
 * role (leaving) and drop the rest, and write what to enter in Trelica. Lines are logged only once
 * everything is written: the first names the config and the output folder.
 */
export function synthesizeOrganization(configFile: string, options: OrganizationSynthOptions): void {
  refuseHclOutput(process.env);
  const loaded = loadConfig(configFile);
  const outdir = options.outdir ?? process.env.CDKTF_OUTDIR ?? DEFAULT_OUTDIR;
  checkOutputFolder(outdir);
  const stateDir = stateDirFor(configFile);
  // Never under a rollout's feet: its saved plans are of the stacks it found there.
  const lock = lockFolderForSynth(outdir, process.env);
  let written: Written;
  try {
    written = writingInto(outdir, () => (loaded.config.mode === "stackset" ? synthesizeStackSetMode(loaded, outdir, stateDir) : synthesizeAccountsMode(loaded, outdir, stateDir)));
  } finally {
    lock?.release();
  }
  const [head, ...details] = written.summary;
  const state = loaded.config.backend.type === "local" ? `local state in ${shownPath(stateDir)}` : `state in the ${loaded.config.backend.type} backend`;
  options.log(`trelica: ${[`${head} from ${shownPath(configFile)} into ${shownPath(outdir)} (${state})`, ...details].join("; ")}.`);
  for (const note of [...(lock?.note ? [lock.note] : []), ...(written.notes ?? [])]) options.log(note);
  const invocation = synthInvocation(loaded, outdir);
  for (const warning of [...placeholderWarnings(loaded.config), ...written.warnings, ...written.leaving.map((stack) => leavingWarning(stack, invocation))]) options.log(`Warning: ${warning}`);
}

/**
 * The config and output folder of this synthesis, for the commands it prints: named always (synthesis
 * cannot tell a default from a choice), as paths that read the same from the project root.
 */
function synthInvocation(loaded: LoadedConfig, outdir: string): Invocation {
  return { config: shownPath(loaded.file), output: shownPath(outdir) };
}

interface Written {
  /** What was written: a count ("3 account stacks"), then details ("skipped 1 account that is not ACTIVE (1 SUSPENDED)"). */
  readonly summary: readonly string[];
  /** Lines that follow the summary (what the Terraform Cloud bootstrap stack is for). */
  readonly notes?: readonly string[];
  readonly warnings: readonly string[];
  readonly leaving: readonly LeavingStack[];
}

function synthesizeAccountsMode(loaded: LoadedConfig, outdir: string, stateDir: string): Written {
  const resolution = resolveDeployments(loaded);
  const terraformCloud = resolveTerraformCloud(loaded, resolution);
  const deployer = resolveDeployer(loaded, resolution, terraformCloud && terraformCloudRoles(terraformCloud));
  const names = [...resolution.deployments.map((deployment) => stackNameFor(deployment.accountId)), ...(terraformCloud ? [TERRAFORM_CLOUD_STACK_NAME] : []), ...(deployer ? [DEPLOYER_STACK_NAME] : [])];
  refuseMovedState(loaded, outdir, stateDir, names);
  fs.mkdirSync(outdir, { recursive: true });
  synthesizeStacks(resolution.deployments, outdir, stateDir);
  // The bootstrap stack stays when it is still configured: its .terraform and lock file survive a re-synth.
  const current = resolution.deployments.map((deployment) => stackNameFor(deployment.accountId));
  const leaving = settleStaleStacks(outdir, new Set([...current, ...(terraformCloud ? [TERRAFORM_CLOUD_STACK_NAME] : []), ...(deployer ? [DEPLOYER_STACK_NAME] : [])]));
  const notes: string[] = [];
  if (terraformCloud) synthesizeTerraformCloudStack(terraformCloud, outdir, (line) => notes.push(line), stateDir);
  if (deployer) synthesizeDeployerStack(deployer, outdir, (line) => notes.push(line), stateDir, synthInvocation(loaded, outdir));
  writeConnectionsTable(outdir, resolution);
  writeRoleTemplate(outdir, TrelicaIntegration.cloudFormationTemplate(memberRoleProps(loaded.config, partitionOf(loaded.config.region))));
  return { summary: summaryOf(resolution, leaving), notes, warnings: resolution.warnings, leaving };
}

/**
 * `trelica-role.cfn.json`, in every mode: the member role as a CloudFormation template with the external
 * ID as a parameter, for the console's "Create stack", Control Tower customizations or a stack set.
 */
function writeRoleTemplate(outdir: string, template: CloudFormationTemplate): void {
  fs.writeFileSync(path.join(outdir, "trelica-role.cfn.json"), JSON.stringify(template, null, 2) + "\n");
}

function synthesizeStackSetMode(loaded: LoadedConfig, outdir: string, stateDir: string): Written {
  const deployment = resolveStackSet(loaded);
  const { stackSet } = deployment;
  const managementStack = stackNameFor(deployment.management.accountId);
  refuseMovedState(loaded, outdir, stateDir, [managementStack, ORGANIZATION_STACK_NAME]);
  fs.mkdirSync(outdir, { recursive: true });
  const app = createApp(outdir, outdir, stateDir);
  new AccountStack(app, deployment.management);
  new OrganizationStack(app, deployment);
  app.synth();
  const leaving = settleStaleStacks(outdir, new Set([managementStack, ORGANIZATION_STACK_NAME]));
  writeRoleTemplate(outdir, memberTemplate(deployment));
  writeStackSetConnections(outdir, deployment);
  const summary = [
    "2 stacks",
    `${managementStack} (the management account's role) and ${ORGANIZATION_STACK_NAME} (for account ` +
      `${deployment.accountId}: stack set ${stackSet.name} enrolling ${stackSet.organizationalUnitIds.join(", ")} in ${stackSet.region})`,
    ...(leaving.length > 0 ? [leavingPart(leaving)] : []),
  ];
  return { summary, warnings: deployment.warnings, leaving };
}

function summaryOf(resolution: Resolution, leaving: readonly LeavingStack[]): string[] {
  const parts = [`${plural(resolution.deployments.length, "account stack")}`];
  if (resolution.skipped.length > 0) {
    const byState = new Map<string, number>();
    for (const account of resolution.skipped) byState.set(account.state, (byState.get(account.state) ?? 0) + 1);
    const states = [...byState].map(([state, count]) => `${count} ${state}`).join(", ");
    parts.push(`skipped ${plural(resolution.skipped.length, "account")} that ${resolution.skipped.length === 1 ? "is" : "are"} not ACTIVE (${states})`);
  }
  if (resolution.filteredOut > 0) parts.push(`${plural(resolution.filteredOut, "account")} left out by include/exclude`);
  if (leaving.length > 0) parts.push(leavingPart(leaving));
  return parts;
}

function leavingPart(leaving: readonly LeavingStack[]): string {
  return `kept ${plural(leaving.length, "stack")} of accounts that left the config until ${leaving.length === 1 ? "its role is" : "their roles are"} destroyed (${listSome(leaving.map((stack) => stack.stack))})`;
}

/**
 * Local state lives beside the config file. Before that rule it lived in the project root found from the
 * output folder (its parent, for a folder outside any project): state left there is never silently
 * replaced by an empty one. Synthesis stops, naming the files and the command that moves them.
 */
function refuseMovedState(loaded: LoadedConfig, outdir: string, stateDir: string, stacks: readonly string[]): void {
  const before = projectRoot(outdir);
  if (loaded.config.backend.type !== "local" || path.resolve(before) === path.resolve(stateDir)) return;
  const stranded = stacks
    .filter((stack) => fs.existsSync(localStateFile(before, stack)) && !fs.existsSync(localStateFile(stateDir, stack)))
    .map((stack) => path.basename(localStateFile(before, stack)));
  if (stranded.length === 0) return;
  const files = stranded.map((name) => shellQuote(shownPath(path.join(before, name))));
  throw new UserError(
    `Local state now lives beside the config file, in ${shownPath(stateDir)}, whatever --output; ${plural(stranded.length, "state file")} of this deployment ` +
      `${stranded.length === 1 ? "is" : "are"} still where it used to be found, in ${shownPath(before)} (${listSome(stranded)}), and none in ${shownPath(stateDir)}. ` +
      `Nothing was written: synthesizing now would start from empty state and plan to create roles that exist. Move ${stranded.length === 1 ? "it" : "them"} first: ` +
      `mv -n ${files.join(" ")} ${shellQuote(shownPath(stateDir))}/`,
  );
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
 * Stack folders of accounts that left the config must not linger (a rollout would still apply them),
 * unless their state still holds resources: then they stay, marked leaving, listed in the manifest (the
 * cdktf CLI deletes folders the manifest does not name) until a rollout destroys them.
 * The cdktf CLI lists the stack folders before it runs the app and afterwards deletes those the
 * manifest no longer names, failing (ENOENT) on one already gone. So under the CLI a stale folder is
 * only emptied, which already leaves nothing to apply, and the CLI deletes the folder itself.
 */
function settleStaleStacks(outdir: string, current: ReadonlySet<string>): LeavingStack[] {
  const { drop, leaving } = sortStaleStacks(outdir, current);
  const keepFolders = runByCdktfCli(process.env);
  for (const folder of drop) {
    if (!keepFolders) {
      fs.rmSync(folder, { recursive: true, force: true });
    } else if (fs.lstatSync(folder).isDirectory()) {
      for (const entry of fs.readdirSync(folder)) fs.rmSync(path.join(folder, entry), { recursive: true, force: true });
    }
  }
  for (const stack of leaving) markLeaving(stack);
  if (leaving.length > 0) addToManifest(outdir, leaving.map((stack) => stack.stack));
  return leaving;
}

function leavingWarning(stack: LeavingStack, given: Invocation): string {
  const accountId = /-(\d{12})$/.exec(stack.stack)?.[1];
  const select = { ...given, accounts: [accountId ?? stack.stack] };
  return (
    `${stack.stack} left the config but ${stack.holds}: its stack is kept, marked leaving, so the role is not orphaned. ` +
    `To remove the role: ${npmCommand("rollout", ["plan"], select)}, then ${npmCommand("rollout", ["apply", "--confirm-destroy"], select)} ` +
    `(cuts Trelica off there); the synth after that drops the folder. To keep the role managed, put ${accountId ? "the account" : "it"} back in the config.`
  );
}
