/*
 * The step before planning: which accounts terraform would find nothing to do in, proven without
 * terraform. An account is in sync only when all of these hold, and plans otherwise (the reason is kept):
 *  - rollout recorded terraform finding nothing to do there (an empty plan, or a saved plan applied), and
 *    since then the stack, the state, the terraform version and the provider lock file are unchanged;
 *  - the stack holds only what the comparison covers (verify/expected.ts managedFromStack);
 *  - the state tracks exactly the stack's resources, once each, untainted, with the live role's and
 *    policy's IDs, and its outputs are the stack's;
 *  - the live role and policy, read as terraform reads them, equal what the stack renders (verify's
 *    comparison, strict: documents as written).
 * Leaving accounts, Terraform Cloud state and anything unreadable always plan.
 */
import * as http from "node:http";
import * as https from "node:https";
import { GetCallerIdentityCommand, AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { IAMClient } from "@aws-sdk/client-iam";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { compareRole } from "../verify/compare";
import { managedFromStack, ManagedStack } from "../verify/expected";
import { readManaged } from "../verify/read/read-account";
import { errorText } from "../verify/read/aws";
import { AccountReport } from "./report/report";
import { parseState, readState, s3Readers, stateLocation, StateReaders, TerraformState } from "./plans/terraform-state";
import { lockHash, readSyncRecord, SyncRecord, writeSyncRecord } from "./plans/sync-record";
import { runBounded } from "../runner/scheduler";
import { Stack, stackHash, stackJson } from "../runner/stacks";

/** What the proof compares, as the report and the table say it. */
export const COMPARED =
  "stack, state, terraform and provider lock unchanged since terraform last found nothing to do; state tracks exactly the stack's resources with the live IDs and its outputs; " +
  "live role (name, path, description, trust policy, max session, boundary, tags), policy (name, path, description unless ignored, default version's document, tags), its attachment and no other, no inline policy";

export interface ProofContext {
  readonly stateDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly terraformVersion: string;
  readonly concurrency: number;
  /** false (--full): only each state's hash is read, for the record after terraform runs. */
  readonly prove: boolean;
}

export interface ProofResult {
  readonly inSync: ReadonlySet<string>;
  /** Each stack's state hash before terraform ran (undefined: no state or unreadable). */
  readonly stateBefore: ReadonlyMap<string, string | undefined>;
}

export async function proveInSync(stacks: readonly Stack[], accountOf: (stack: Stack) => AccountReport, context: ProofContext): Promise<ProofResult> {
  const aws = new ProofAws(context.env);
  const inSync = new Set<string>();
  const stateBefore = new Map<string, string | undefined>();
  try {
    await runBounded(stacks, context.concurrency, () => true, async (stack) => {
      const account = accountOf(stack);
      try {
        const why = await whyNotInSync(stack, context, aws, stateBefore, account);
        if (why === undefined) {
          inSync.add(stack.name);
          Object.assign(account, { status: "succeeded", outcome: "in-sync", stackHash: stackHash(stack), inSync: { compared: COMPARED } });
        } else if (context.prove) {
          account.notInSync = why;
        }
      } catch (error) {
        if (context.prove) account.notInSync = `could not be read: ${errorText(error)}`;
      }
    });
  } finally {
    aws.close();
  }
  return { inSync, stateBefore };
}

async function whyNotInSync(stack: Stack, context: ProofContext, aws: ProofAws, stateBefore: Map<string, string | undefined>, account: AccountReport): Promise<string | undefined> {
  if (stack.leaving) return "its account is leaving: always planned";
  if (stack.accountId === undefined) return "not an account's stack";
  const located = stateLocation(stack, context.env);
  if ("doubt" in located) return located.doubt;
  const read = await readState(located.location, aws.stateReaders);
  stateBefore.set(stack.name, read.hash);
  if (!context.prove) return "--full";
  if (read.text === undefined) return "it has no state";
  const record = readSyncRecord(context.stateDir, stack);
  if (!record) return "no record of terraform finding nothing to do there";
  const changed = [
    record.stackHash !== stackHash(stack) && "the stack",
    record.stateHash !== read.hash && "the state",
    record.terraformVersion !== context.terraformVersion && "the terraform version",
    record.lockHash !== lockHash(stack) && "the provider lock file",
  ].filter(Boolean);
  if (changed.length > 0) return `${changed.join(", ")} changed since run ${record.runId}`;
  const reading = managedFromStack(stackJson(stack), stack.accountId);
  if ("doubt" in reading) return reading.doubt;
  const { managed } = reading;
  const state = parseState(read.text);
  const stateProblem = stateDisagreement(state, managed);
  if (stateProblem) return `state: ${stateProblem}`;
  const iam = await aws.iamFor(stack.accountId, managed);
  const live = await readManaged(iam, managed.expected.roleName, managed.expected.policyArn);
  const findings = compareRole(managed.expected, live, { strict: true });
  if (findings.length > 0) return `live: ${findings.map((f) => `${f.what}: expected ${f.expected}; live ${f.live}`).join("; ")}`;
  const roleArn = live.role?.arn;
  const idProblem = idDisagreement(state, managed, roleArn);
  if (idProblem) return `state: ${idProblem}`;
  account.outputs = outputValues(state);
  return undefined;
}

/** The state's resources against the stack's: exactly the same addresses, one plain instance each. */
export function stateDisagreement(state: TerraformState, managed: ManagedStack): string | undefined {
  if (state.version !== 4) return `format ${state.version}, not 4`;
  const resources = state.resources ?? [];
  const odd = resources.find((r) => r.mode !== "managed" || r.module !== undefined || r.instances.length !== 1);
  if (odd) return `${odd.module ? `${odd.module}.` : ""}${odd.mode === "data" ? "data." : ""}${odd.type}.${odd.name} is not one managed instance`;
  for (const resource of resources) {
    const [instance] = resource.instances;
    const address = `${resource.type}.${resource.name}`;
    if (instance.index_key !== undefined || instance.deposed !== undefined) return `${address} has an indexed or deposed instance`;
    if (instance.status !== undefined) return `${address} is ${instance.status}`;
    if (resource.provider !== 'provider["registry.terraform.io/hashicorp/aws"]') return `${address} belongs to ${resource.provider}`;
  }
  const inState = resources.map((r) => `${r.type}.${r.name}`).sort();
  if (JSON.stringify(inState) !== JSON.stringify([...managed.addresses].sort())) {
    return `tracks ${inState.join(", ") || "nothing"}; the stack manages ${managed.addresses.join(", ")}`;
  }
  const outputs = Object.keys(state.outputs ?? {}).sort();
  if (JSON.stringify(outputs) !== JSON.stringify(Object.keys(managed.outputs).sort())) return `outputs ${outputs.join(", ") || "none"}; the stack has ${Object.keys(managed.outputs).sort().join(", ")}`;
  return undefined;
}

/** The state's IDs and outputs against the live objects: the role and the policy terraform tracks are the ones there. */
export function idDisagreement(state: TerraformState, managed: ManagedStack, liveRoleArn: string | undefined): string | undefined {
  const attributes = (address: string) => state.resources!.find((r) => `${r.type}.${r.name}` === address)!.instances[0].attributes ?? {};
  const role = attributes(managed.roleAddress);
  const policy = attributes(managed.policyAddress);
  if (role.id !== managed.expected.roleName || role.name !== managed.expected.roleName) return `the role is tracked as ${role.id}`;
  if (liveRoleArn === undefined || role.arn !== liveRoleArn) return `the role's ARN is ${role.arn}; live ${liveRoleArn ?? "unknown"}`;
  if (policy.id !== managed.expected.policyArn || policy.arn !== managed.expected.policyArn) return `the policy is tracked as ${policy.id}`;
  for (const [name, want] of Object.entries(managed.outputs)) {
    const value = state.outputs![name].value;
    const expected = typeof want === "string" ? want : want.arnOf === managed.roleAddress ? liveRoleArn : undefined;
    if (value !== expected) return `output ${name} is ${JSON.stringify(value)}; expected ${JSON.stringify(expected)}`;
  }
  return undefined;
}

function outputValues(state: TerraformState): Record<string, string> {
  return Object.fromEntries(Object.entries(state.outputs ?? {}).map(([name, output]) => [name, String(output.value)]));
}

/**
 * After terraform ran: an account it found nothing to do in (its plan empty and its state as before),
 * or whose saved plan it applied, gets a record. Reads each state once more.
 */
export async function recordInSync(stacks: readonly Stack[], accountOf: (stack: Stack) => AccountReport, context: ProofContext & { runId: string }, stateBefore: ReadonlyMap<string, string | undefined>): Promise<void> {
  const aws = new ProofAws(context.env);
  try {
    await runBounded(stacks, context.concurrency, () => true, async (stack) => {
      const account = accountOf(stack);
      // An empty plan is -detailed-exitcode 0: no `show` ran. A plan with output changes only ran `show` and found no resource to change: no record.
      const emptyPlan = account.outcome === "no-changes" && account.planFile !== undefined && account.steps?.show === undefined;
      const how = account.status !== "succeeded" || stack.leaving ? undefined : account.outcome === "applied" ? "applied" : emptyPlan ? "empty plan" : undefined;
      const lock = lockHash(stack);
      if (!how || !lock || stack.accountId === undefined) return;
      const located = stateLocation(stack, context.env);
      if ("doubt" in located) return;
      try {
        const read = await readState(located.location, aws.stateReaders);
        // An empty plan says nothing about a state someone wrote while it ran.
        if (!read.hash || (how === "empty plan" && stateBefore.get(stack.name) !== read.hash)) return;
        const record: SyncRecord = { stackHash: account.stackHash ?? stackHash(stack), stateHash: read.hash, terraformVersion: context.terraformVersion, lockHash: lock, runId: context.runId, how };
        writeSyncRecord(context.stateDir, stack, record);
      } catch {
        // No record: the next plan runs terraform there.
      }
    });
  } finally {
    aws.close();
  }
}

/** IAM as terraform's AWS provider reaches it: the credentials in the environment, then the provider's assume_role. */
class ProofAws {
  private readonly requestHandler = new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 32 }), httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 32 }) });
  private readonly base: any;
  private caller?: Promise<string>;
  private readonly sts = new Map<string, STSClient>();
  readonly stateReaders: StateReaders;

  constructor(private readonly env: NodeJS.ProcessEnv) {
    this.base = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
      : fromNodeProviderChain({ profile: env.AWS_PROFILE });
    this.stateReaders = s3Readers(env, this.base);
  }

  private config(region: string, credentials: unknown, service: "IAM" | "STS") {
    const endpoint = this.env[`AWS_ENDPOINT_URL_${service}`] ?? this.env.AWS_ENDPOINT_URL;
    return { region, credentials: credentials as any, requestHandler: this.requestHandler, retryMode: "adaptive", maxAttempts: 8, ...(endpoint ? { endpoint } : {}) };
  }

  async iamFor(accountId: string, managed: ManagedStack): Promise<IAMClient> {
    if (!this.sts.has(managed.region)) this.sts.set(managed.region, new STSClient(this.config(managed.region, this.base, "STS")));
    const sts = this.sts.get(managed.region)!;
    const iamRegion = managed.expected.policyArn.startsWith("arn:aws-us-gov:") ? "us-gov-west-1" : managed.expected.policyArn.startsWith("arn:aws-cn:") ? "cn-north-1" : "us-east-1";
    if (!managed.assumeRoleArn) {
      this.caller ??= sts.send(new GetCallerIdentityCommand({})).then((identity) => identity.Account ?? "");
      const caller = await this.caller;
      if (caller !== accountId) throw new Error(`the credentials act in ${caller}, not ${accountId}`);
      return new IAMClient(this.config(iamRegion, this.base, "IAM"));
    }
    if (!new RegExp(`^arn:aws[a-z-]*:iam::${accountId}:role/`).test(managed.assumeRoleArn)) throw new Error(`the provider assumes ${managed.assumeRoleArn}, not a role of ${accountId}`);
    const answer = await sts.send(new AssumeRoleCommand({ RoleArn: managed.assumeRoleArn, RoleSessionName: "trelica-aws-role" }));
    const c = answer.Credentials!;
    return new IAMClient(this.config(iamRegion, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken }, "IAM"));
  }

  close(): void {
    this.requestHandler.destroy();
  }
}
