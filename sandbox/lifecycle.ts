import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../app/common/errors";
import { ADMIN_USER, newOrganization, listAccounts, SandboxOrganization } from "./organization";
import { isAlive, ServerInfo, StateFolder } from "./state-folder";

/* start, stop, status and env: the server's life, as a background process with a pid file and a log. */

export interface StartOptions {
  readonly accounts?: number;
  readonly scenario?: boolean;
  readonly port?: number;
  readonly trelicaOrg?: string;
}

/** How long start waits for the server to listen, and stop for it to save and exit. */
const START_WAIT_MS = 60_000;
const STOP_WAIT_MS = 20_000;

export async function start(folder: StateFolder, options: StartOptions, defaults: { members: number; trelicaOrg: string }): Promise<string[]> {
  const running = folder.running();
  const kept = folder.organization();
  if (kept) refuseChanges(folder, kept, options);
  if (running) return [`The sandbox is already running at ${running.url} (pid ${running.pid}).`, ...describe(folder, kept!)];
  const organization: SandboxOrganization = kept ?? newOrganization({ members: options.accounts ?? defaults.members, scenario: options.scenario === true, trelicaOrganizationId: options.trelicaOrg ?? defaults.trelicaOrg, port: options.port ?? 0 });
  if (options.port !== undefined) organization.port = options.port;
  folder.write(folder.organizationFile, organization);
  if (!fs.existsSync(folder.accountsFile)) folder.write(folder.accountsFile, listAccounts(organization, new Date()));

  const log = fs.openSync(folder.logFile, "a");
  const child = spawn(process.execPath, ["-r", require.resolve("sucrase/register"), path.join(__dirname, "server.ts"), folder.dir], {
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
  fs.closeSync(log);
  let exited: number | null | undefined;
  child.on("exit", (code) => (exited = code));
  const info = await waitFor(START_WAIT_MS, () => {
    const written = folder.running();
    return written?.pid === child.pid ? written : undefined;
  }, () => exited !== undefined);
  child.unref();
  if (!info) {
    if (exited === undefined && child.pid) process.kill(child.pid, "SIGTERM");
    const lastLines = fs.readFileSync(folder.logFile, "utf8").trim().split("\n").slice(-5).join("\n  ");
    if (/port in use/.test(lastLines)) {
      throw new UserError(`--port ${organization.port}: another program listens there; expected a free port: start with --port <another>, then run env again (its lines name the port)`);
    }
    throw new UserError(`The sandbox did not start (see ${folder.logFile}):\n  ${lastLines}`);
  }
  if (organization.port !== info.port) {
    organization.port = info.port;
    folder.write(folder.organizationFile, organization);
  }
  return [`The sandbox is running at ${info.url} (pid ${info.pid}).`, ...describe(folder, organization), "Next: eval \"$(npm run -s sandbox -- env)\""];
}

/** An Organization is made once: options that would make another are refused, not ignored. */
function refuseChanges(folder: StateFolder, kept: SandboxOrganization, options: StartOptions): void {
  const problems: string[] = [];
  const keep = `the sandbox in ${folder.dir} keeps its Organization until stop --reset`;
  if (options.accounts !== undefined && options.accounts !== kept.memberAccountIds.length) {
    problems.push(`--accounts ${options.accounts}: ${keep}, which has ${kept.memberAccountIds.length} member accounts; expected no --accounts, or stop --reset first`);
  }
  if (options.scenario && !kept.scenario) problems.push(`--scenario: ${keep}, made without it; expected no --scenario, or stop --reset first`);
  if (options.trelicaOrg !== undefined && options.trelicaOrg !== kept.trelicaOrganizationId) {
    problems.push(`--trelica-org ${options.trelicaOrg}: ${keep}, made with --trelica-org ${kept.trelicaOrganizationId}; expected no --trelica-org, or stop --reset first`);
  }
  if (problems.length > 0) throw new UserError(`npm run sandbox -- start has ${problems.length === 1 ? "1 problem" : `${problems.length} problems`}; nothing was started:`, problems);
}

export function describe(folder: StateFolder, organization: SandboxOrganization): string[] {
  const relative = path.relative(process.cwd(), folder.accountsFile) || folder.accountsFile;
  const scenario = organization.scenario;
  return [
    `Organization ${organization.organizationId} (root ${organization.rootId}, OU ${organization.organizationalUnitId}): management account ${organization.managementAccountId}, ${organization.memberAccountIds.length} member accounts ${organization.memberAccountIds.join(", ")}.`,
    `Accounts file (as aws organizations list-accounts prints it): ${relative}`,
    `Trelica presents the external ID ${organization.trelicaOrganizationId}.`,
    ...(scenario ? [`Scenario: a TrelicaIntegration role made by hand in ${scenario.handMadeRoleIn}; an IAM user trelica-legacy with an access key in ${scenario.legacyUserIn}.`] : []),
  ];
}

export async function stop(folder: StateFolder, reset: boolean): Promise<string[]> {
  const running = folder.running();
  const lines: string[] = [];
  if (running) {
    process.kill(running.pid, "SIGTERM");
    const gone = await waitFor(STOP_WAIT_MS, () => (isAlive(running.pid) ? undefined : true));
    if (!gone) throw new UserError(`The sandbox (pid ${running.pid}) did not stop within ${STOP_WAIT_MS / 1000} s; see ${folder.logFile}`);
    lines.push(`Stopped the sandbox at ${running.url}.`);
  } else lines.push("The sandbox is not running.");
  if (reset) {
    fs.rmSync(folder.dir, { recursive: true, force: true });
    lines.push(`Removed ${folder.dir}: the next start makes a new Organization.`);
  } else if (folder.organization()) {
    lines.push(`Its state stays in ${folder.dir}: start brings it back; stop --reset forgets it.`);
  }
  return lines;
}

export function status(folder: StateFolder): { lines: string[]; running: boolean } {
  const running = folder.running();
  const organization = folder.organization();
  if (!organization) return { lines: [`No sandbox in ${folder.dir}: npm run sandbox -- start makes one.`], running: false };
  const head = running ? `Running at ${running.url} (pid ${running.pid}, since ${running.startedAt}); log ${folder.logFile}.` : `Stopped; its state is kept in ${folder.dir} (start brings it back).`;
  return { lines: [head, ...describe(folder, organization)], running: running !== undefined };
}

/** Shell lines that point the AWS SDKs, the AWS CLI and terraform's AWS provider at the sandbox, as its administrator. */
export function envLines(folder: StateFolder): string[] {
  const running = requireRunning(folder);
  const organization = folder.organization()!;
  const keys = folder.credentials(organization.managementAccountId, ADMIN_USER);
  const values: [string, string][] = [
    ["AWS_ENDPOINT_URL", running.url],
    ["AWS_ACCESS_KEY_ID", keys.accessKeyId],
    ["AWS_SECRET_ACCESS_KEY", keys.secretAccessKey],
    ["AWS_REGION", "us-east-1"],
    ["AWS_DEFAULT_REGION", "us-east-1"],
    // No instance metadata lookups: nothing here runs on EC2.
    ["AWS_EC2_METADATA_DISABLED", "true"],
  ];
  return [
    `# The sandbox at ${running.url}, as the administrator of its management account ${organization.managementAccountId}.`,
    // A profile, a session token or an SSO setting of yours would replace or spoil these keys.
    "unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN",
    ...values.map(([name, value]) => `export ${name}=${shellQuoted(value)}`),
  ];
}

export function requireRunning(folder: StateFolder): ServerInfo {
  const running = folder.running();
  if (!running) throw new UserError(`The sandbox in ${folder.dir} is not running; expected a running sandbox: npm run sandbox -- start`);
  return running;
}

function shellQuoted(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

async function waitFor<T>(ms: number, found: () => T | undefined, giveUp: () => boolean = () => false): Promise<T | undefined> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const value = found();
    if (value !== undefined) return value;
    if (giveUp()) return found();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}
