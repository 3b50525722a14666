import { deploymentRoleName } from "../app/organization/defaults";
import { Invocation, npmCommand } from "../app/common/commands";
import { ListStackInstancesCommand, StackInstanceSummary } from "@aws-sdk/client-cloudformation";
import { loadConfig } from "../app/config/load";
import { UserError } from "../app/common/errors";
import { partitionOf } from "../app/config/regions";
import type { Progress } from "../runner/progress";
import { runBounded } from "../runner/scheduler";
import { AwsSession, errorText, UnreadableAccount } from "./read/aws";
import { compareRole } from "./compare";
import { accountStatus } from "./in-sync";
import { consolePasswordReason, deactivateKey, DEFAULT_IDLE_DAYS, legacyCandidates, readLegacyUser } from "./legacy-keys";
import { readAccount } from "./read/read-account";
import { exitCodeOf, TrelicaUse, VerifyAccountReport, VerifyReport } from "./report";
import { resolveStackSet } from "../app/stacks/stackset";
import { accountTargets, InstanceAccount, Selection, SelectOptions, stackSetTargets, Target } from "./targets";
import { plural } from "../app/common/list";

export interface VerifyOptions extends SelectOptions {
  readonly configFile: string;
  readonly concurrency: number;
  readonly deactivateLegacyKeys: boolean;
  /** A legacy key is safe to deactivate only after this many idle days. @default 30 */
  readonly legacyKeyIdleDays?: number;
  readonly progress: Progress;
  /** --config and --output as the user gave them: the fix commands verify prints repeat them. @default none (the defaults) */
  readonly given?: Pick<Invocation, "config" | "output">;
}

/** Reads every selected account (read-only unless deactivateLegacyKeys) and returns the report with its exit code. */
export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const startedAt = new Date().toISOString();
  const loaded = loadConfig(options.configFile);
  const session = new AwsSession(loaded.config.region, partitionOf(loaded.config.region), Math.max(options.concurrency, 4));
  try {
    let selection: Selection;
    if (loaded.config.mode === "stackset") {
      const deployment = resolveStackSet(loaded);
      const instances = await listInstances(session, deployment.accountId, deployment.management.accountId, deploymentRoleName(loaded.config), deployment.stackSet);
      selection = stackSetTargets(loaded, deployment, instances, options);
    } else {
      selection = accountTargets(loaded, options);
    }
    refuseReadOnlyDeactivation(selection.targets.filter((target) => target.readOnlyRole).length, options.deactivateLegacyKeys);
    const report: VerifyReport = {
      command: "verify",
      mode: loaded.config.mode === "stackset" ? "stackset" : "accounts",
      startedAt,
      options: {
        concurrency: options.concurrency,
        roleName: options.roleName,
        deactivateLegacyKeys: options.deactivateLegacyKeys,
        legacyKeyIdleDays: options.legacyKeyIdleDays ?? DEFAULT_IDLE_DAYS,
      },
      accounts: [],
      skipped: selection.skipped.map(({ accountId, name, state }) => ({ accountId, name, state })),
      warnings: selection.warnings,
    };
    options.progress.begin(selection.targets.length);
    await runBounded(selection.targets, options.concurrency, () => true, async (target) => {
      options.progress.started(target.name, "reading");
      const account = await verifyAccount(session, target, options);
      report.accounts.push(account);
      options.progress.finished(target.name, `${account.status}${account.findings.length ? `: ${plural(account.findings.length, "finding")}` : ""}`);
    });
    options.progress.close();
    report.accounts.sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
    report.finishedAt = new Date().toISOString();
    report.exitCode = exitCodeOf(report);
    const usage = process.resourceUsage();
    report.runner = { cpuSeconds: Number(((usage.userCPUTime + usage.systemCPUTime) / 1e6).toFixed(2)), peakRssMb: Math.round(usage.maxRSS / 1024) };
    return report;
  } finally {
    session.close();
  }
}

async function verifyAccount(session: AwsSession, target: Target, options: VerifyOptions): Promise<VerifyAccountReport> {
  const started = Date.now();
  const account: VerifyAccountReport = {
    stack: target.name,
    accountId: target.accountId,
    accountName: target.accountName,
    region: target.region,
    managedBy: target.managedBy,
    instanceStatus: target.instanceStatus,
    status: "ok",
    findings: [],
    legacyUsers: [],
    notTrelica: [],
    deactivated: [],
    calls: 0,
    durationSeconds: 0,
  };
  try {
    // --role-name is for other accounts: in the credentials' own account they are used as they are.
    const own = options.roleName !== undefined && (await session.callerAccountId().catch(() => "")) === target.accountId;
    const clients = await session.clientsIn(target.accountId, own ? undefined : target.assumeRoleName, () => account.calls++);
    const live = await readAccount(clients.iam, target.expected.roleName);
    account.findings = compareRole(target.expected, live);
    account.trelica = trelicaUse(target, live.role?.lastUsed);
    const { candidates, notTrelica } = legacyCandidates(live);
    account.notTrelica.push(...notTrelica);
    const rule = { idleDays: options.legacyKeyIdleDays ?? DEFAULT_IDLE_DAYS, now: Date.now(), roleLastUsed: live.role?.lastUsed?.date };
    for (const candidate of candidates) {
      const password = await consolePasswordReason(clients.iam, candidate.user.name);
      if (password !== undefined) {
        account.notTrelica.push({ userName: candidate.user.name, why: `${candidate.why}, but ${password}` });
        continue;
      }
      const read = await readLegacyUser(clients.iam, candidate, rule);
      if (options.deactivateLegacyKeys) {
        for (const key of read.user.keys.filter((k) => k.verdict === "safe to deactivate")) {
          await deactivateKey(clients.iam, read, key);
          account.deactivated.push(`${read.user.userName} ${key.keyId}`);
        }
      }
      account.legacyUsers.push(read.user);
    }
    account.status = accountStatus(live.role !== undefined, account.findings, account.legacyUsers);
    if (account.findings.length > 0) account.fix = fixFor(target, options.given ?? {});
  } catch (error) {
    account.status = "unreadable";
    account.reason = error instanceof UnreadableAccount ? error.message : errorText(error);
    account.hint = error instanceof UnreadableAccount ? error.hint : "the credentials in that account need the read-only permissions in docs/verify.md";
  }
  account.durationSeconds = Number(((Date.now() - started) / 1000).toFixed(3));
  return account;
}

/**
 * The deployer's verify role is read-only (it never holds iam:UpdateAccessKey): deactivating keys in members
 * it reaches needs a role the user names for that run. Refused before any account is read, so nothing is half-done.
 */
function refuseReadOnlyDeactivation(readOnlyAccounts: number, deactivate: boolean): void {
  if (!deactivate || readOnlyAccounts === 0) return;
  throw new UserError(
    `Nothing was verified: --deactivate-legacy-keys with deployment.deployer, where verify reads ${readOnlyAccounts} of the selected accounts ` +
      "through the deployer's verify role, which is read-only and may not iam:UpdateAccessKey. " +
      "Give --role-name with a role that may (such as OrganizationAccountAccessRole, for this run only), or --accounts that leaves those accounts out.",
  );
}

function trelicaUse(target: Target, lastUsed: { date: string; region?: string } | undefined): TrelicaUse {
  if (lastUsed) return { lastUsed: lastUsed.date, region: lastUsed.region, text: `used by Trelica on ${lastUsed.date} in ${lastUsed.region ?? "an unrecorded region"}` };
  return {
    text: `never used: connect it in Trelica (Admin > Integrations > Amazon Web Services) with account ID ${target.accountId} and region ${target.region}`,
  };
}

/** What puts the role back: the account's own stack, or (StackSets) the stack instance. */
function fixFor(target: Target, given: Pick<Invocation, "config" | "output">): string {
  if (target.managedBy === "stack") {
    // This account only, whatever verify's own selection was.
    const account = { ...given, accounts: [target.accountId] };
    return `${npmCommand("rollout", ["plan"], account)}, then ${npmCommand("rollout", ["apply"], account)}`;
  }
  return `CloudFormation does not undo changes made behind a stack set's back: undo the change in ${target.accountId} by hand, or delete and re-create its stack instance`;
}

/** StackSets mode: the accounts with an instance, from ListStackInstances where the stack set is administered. */
async function listInstances(
  session: AwsSession,
  adminAccountId: string,
  managementAccountId: string,
  assumeRoleName: string | false,
  stackSet: { name: string; region?: string; callAs?: string },
): Promise<InstanceAccount[]> {
  const roleName = adminAccountId === managementAccountId || assumeRoleName === false ? undefined : assumeRoleName;
  const clients = await session.clientsIn(adminAccountId, roleName, () => undefined);
  const cloudFormation = clients.cloudFormation(stackSet.region ?? session.region);
  const instances: StackInstanceSummary[] = [];
  let NextToken: string | undefined;
  try {
    do {
      const page = await cloudFormation.send(new ListStackInstancesCommand({ StackSetName: stackSet.name, CallAs: stackSet.callAs as "SELF" | "DELEGATED_ADMIN", NextToken }));
      instances.push(...(page.Summaries ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
  } catch (error) {
    throw new UnreadableAccount(
      `cannot list the instances of stack set ${stackSet.name} in account ${adminAccountId}: ${errorText(error)}`,
      "apply the organization stack first (npm run rollout -- apply), or check the credentials",
    );
  }
  return instances.map((instance) => ({ accountId: instance.Account!, status: instance.Status }));
}
