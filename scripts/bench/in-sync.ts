/*
 * `rollout plan` of an Organization in steady state on the fake AWS: most accounts proven in sync from
 * live reads and state (rollout/prove-in-sync.ts), against `--full` (terraform plans every account). The
 * steady state of 1,000 accounts is built, not applied 1,000 times: two accounts (the management account
 * and one member) are applied with the real terraform; every other member's role and policy are made in
 * the fake as that apply made them, its state is the member's state with that account's values set field
 * by field (ARNs, IDs, dates from the fake), and rollout's record is written as an apply would. A sample
 * planned with `--full` by the real terraform must find nothing to do: it proves the built steady state is
 * real, and gives the CPU per account of a terraform plan. rollout runs as its own process; the fake answers
 * in this one (its CPU is shown apart).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeAws } from "../../sandbox/fake-aws/fake-aws";
import { findRealTerraform, installProvider, providerVersionFor, terraformEnv } from "../../test/helpers/real-terraform";
import { inProcessRollout } from "../../test/helpers/rollout";
import { synthProject } from "../../test/helpers/verify";
import { rollout } from "../../rollout/run";
import { readStacks, stackHash } from "../../runner/stacks";
import { lockHash, readSyncRecord, writeSyncRecord } from "../../rollout/plans/sync-record";
import { childrenCpuSeconds } from "./real-terraform";
import { measure } from "./measure";

const MANAGEMENT = "111111111111";
const TEMPLATE = "600000000001";
const ROOT = path.resolve(__dirname, "..", "..");

export async function benchInSync(work: string, size: number, sample: number, changed: number): Promise<void> {
  const real = findRealTerraform();
  if ("missing" in real) {
    console.log(`\nrollout plan in steady state: SKIPPED (${real.missing})`);
    return;
  }
  const fake = await FakeAws.start({ managementAccountId: MANAGEMENT });
  try {
    const dir = path.join(work, `in-sync-${size}`);
    fs.mkdirSync(dir, { recursive: true });
    const members = Array.from({ length: size - 1 }, (_, i) => String(600000000001 + i));
    synthProject(dir, `trelicaOrganizationId: bench-org\nmanagementAccountId: "${MANAGEMENT}"\nservices: { connect: false }\naccounts:\n${[MANAGEMENT, ...members].map((id) => `  - id: "${id}"`).join("\n")}\n`);
    const outdir = path.join(dir, "cdktf.out");
    const stackDir = (account: string) => path.join(outdir, "stacks", `trelica-${account}`);
    const stackJson = (account: string) => JSON.parse(fs.readFileSync(path.join(stackDir(account), "cdk.tf.json"), "utf8"));
    const env = terraformEnv(fake, MANAGEMENT, installProvider(real, dir, [providerVersionFor(stackJson(MANAGEMENT))]));
    const inProcess = (options: object) =>
      rollout({ ...inProcessRollout(dir, () => undefined), command: "apply", concurrency: 2, maxFailures: 0, lockTimeout: "60s", retries: 0, retryDelayMs: 0, env, ...options } as never);

    // Two real applies: the management account and the member every other member is built from.
    const applied = await inProcess({ planAndApply: true, accounts: [MANAGEMENT, TEMPLATE] });
    if (applied.exitCode !== 0) throw new Error(`apply of ${MANAGEMENT} and ${TEMPLATE} exited ${applied.exitCode}`);
    const stacks = new Map(readStacks(outdir, "npm run synth").map((stack) => [stack.accountId, stack]));
    const stateDir = path.join(dir, ".rollout");
    const templateRecord = readSyncRecord(stateDir, stacks.get(TEMPLATE)!)!;
    const templateState = JSON.parse(fs.readFileSync(path.join(dir, `terraform.trelica-${TEMPLATE}.tfstate`), "utf8"));
    const started = Date.now();
    for (const account of members.slice(1)) {
      applyAsTerraform(fake, account, stackJson(account));
      const state = stateFor(fake, account, templateState);
      const text = JSON.stringify(state, null, 2) + "\n";
      fs.writeFileSync(path.join(dir, `terraform.trelica-${account}.tfstate`), text);
      fs.copyFileSync(path.join(stackDir(TEMPLATE), ".terraform.lock.hcl"), path.join(stackDir(account), ".terraform.lock.hcl"));
      const stack = stacks.get(account)!;
      writeSyncRecord(stateDir, stack, { ...templateRecord, stackHash: stackHash(stack), stateHash: crypto.createHash("sha256").update(text).digest("hex"), lockHash: lockHash(stack)! });
    }
    process.stderr.write(`  built the steady state of ${size - 2} more accounts in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

    const runPlan = async (label: string, extra: string[]) => {
      const report = path.join(dir, `${label}.json`);
      const cpuBefore = childrenCpuSeconds();
      const own = process.cpuUsage();
      const result = await measure(process.execPath, ["-r", require.resolve("sucrase/register"), path.join(ROOT, "rollout", "main.ts"), "plan", "--no-synth", "--progress", "plain", "--report", report, ...extra], {
        cwd: dir,
        env: { ...env, CI: "1" },
      });
      const cpu = childrenCpuSeconds() - cpuBefore;
      const fakeCpu = process.cpuUsage(own);
      if (result.exitCode !== 0 && result.exitCode !== 2) throw new Error(`rollout plan ${extra.join(" ")} exited ${result.exitCode}:\n${result.output.slice(-2000)}`);
      const accounts = JSON.parse(fs.readFileSync(report, "utf8")).accounts as { accountId: string; attempts: number; outcome?: string; notInSync?: string }[];
      return { seconds: result.seconds, cpu, fakeCpu: (fakeCpu.user + fakeCpu.system) / 1e6, accounts };
    };

    // --full on a sample, every member's state built: each must be an empty plan.
    const sampled = members.filter((_, i) => i % Math.floor(members.length / sample) === 1).slice(0, sample);
    const full = await runPlan("full-sample", ["--full", "--concurrency", "2", "--accounts", sampled.join(",")]);
    const notEmpty = full.accounts.filter((account) => account.outcome !== "no-changes");
    if (notEmpty.length > 0) throw new Error(`the built steady state is not terraform's: --full plans changes in ${notEmpty.map((a) => a.accountId).join(", ")}`);
    const fullPerAccount = full.cpu / sampled.length;

    const steady = await runPlan("steady", ["--concurrency", "8"]);
    const notInSync = steady.accounts.filter((account) => account.outcome !== "in-sync");
    if (notInSync.length > 0) throw new Error(`steady state: ${notInSync.length} accounts not proven in sync, such as ${notInSync[0].accountId}: ${notInSync[0].notInSync}`);

    const drifted = members.filter((_, i) => i % Math.floor(members.length / changed) === 2).slice(0, changed);
    for (const account of drifted) fake.call(account, "iam", "TagRole", { RoleName: "TrelicaIntegration", Tags: [{ Key: "edited", Value: "by-hand" }] });
    const tenChanged = await runPlan("changed", ["--concurrency", "8"]);
    const reached = tenChanged.accounts.filter((account) => account.attempts > 0).map((account) => account.accountId).sort();

    console.log(`\nrollout plan of ${size} accounts on the fake AWS in steady state (rollout in its own process; the fake's CPU in the bench's)`);
    console.log("| run | accounts | wall | rollout + terraform CPU | CPU per account | reached terraform | fake AWS CPU | load average |");
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    const row = (label: string, count: number, run: { seconds: number; cpu: number; fakeCpu: number }, reachedCount: number) =>
      console.log(`| ${label} | ${count} | ${run.seconds.toFixed(1)} s | ${run.cpu.toFixed(1)} s | ${((run.cpu / count) * 1000).toFixed(1)} ms | ${reachedCount} | ${run.fakeCpu.toFixed(1)} s | ${os.loadavg()[0].toFixed(1)} |`);
    row(`--full, a sample`, sampled.length, full, sampled.length);
    row("plan, steady state", size, steady, 0);
    row(`plan, ${changed} changed behind terraform's back`, size, tenChanged, reached.length);
    const fullAll = fullPerAccount * size;
    console.log(`--full at ${size} accounts, scaled from the sample: ${fullAll.toFixed(0)} CPU-s (${(fullAll / 2 / 60).toFixed(1)} min on 2 cores at best)`);
    console.log(`Steady state: ${(fullPerAccount / (steady.cpu / size)).toFixed(0)}x less CPU per account than --full (${(fullPerAccount * 1000).toFixed(0)} ms vs ${((steady.cpu / size) * 1000).toFixed(1)} ms)`);
    console.log(`${changed} changed: terraform reached exactly the changed accounts: ${JSON.stringify(reached) === JSON.stringify([...drifted].sort()) ? "yes" : `NO (${reached.join(", ")})`}`);
    console.log("Targets: steady-state plan of 1,000 accounts under 60 s wall on 2 cores, at least 50x less CPU per account than --full; with 10 changed, only those 10 reach terraform.");
  } finally {
    await fake.stop();
  }
}

/** The role, policy and attachment as terraform's apply makes them from the stack's resource bodies. */
function applyAsTerraform(fake: FakeAws, account: string, json: any): void {
  const [role] = Object.values<any>(json.resource.aws_iam_role);
  const [policy] = Object.values<any>(json.resource.aws_iam_policy);
  const tags = (record: Record<string, string> = {}) => Object.entries(record).map(([Key, Value]) => ({ Key, Value }));
  fake.call(account, "iam", "CreateRole", { RoleName: role.name, Path: role.path, AssumeRolePolicyDocument: role.assume_role_policy, Description: role.description, MaxSessionDuration: role.max_session_duration, Tags: tags(role.tags) });
  fake.call(account, "iam", "CreatePolicy", { PolicyName: policy.name, Path: policy.path, PolicyDocument: policy.policy, Description: policy.description, Tags: tags(policy.tags) });
  fake.call(account, "iam", "AttachRolePolicy", { RoleName: role.name, PolicyArn: `arn:aws:iam::${account}:policy/${policy.name}` });
}

/**
 * The template member's state for `account`: each account-specific attribute set from the fake's objects
 * (never by rewriting text). Fails if any value still names the template's account.
 */
function stateFor(fake: FakeAws, account: string, template: any): any {
  const state = structuredClone(template);
  const role = fake.account(account).roles.TrelicaIntegration;
  const policyArn = role.attachedPolicies[0];
  const policy = fake.account(account).policies[policyArn];
  state.lineage = crypto.randomUUID();
  for (const resource of state.resources) {
    const attributes = resource.instances[0].attributes;
    switch (resource.type) {
      case "aws_iam_role":
        Object.assign(attributes, { arn: role.arn, unique_id: role.id, create_date: role.createDate });
        break;
      case "aws_iam_policy":
        Object.assign(attributes, { arn: policyArn, id: policyArn, policy_id: policy.id });
        break;
      case "aws_iam_role_policy_attachment":
        // The provider's ID for it is `<role>-<unique suffix>` (kept) or `<role>/<policy ARN>` (this account's).
        Object.assign(attributes, { policy_arn: policyArn, id: String(attributes.id).startsWith(`${role.name}/`) ? `${role.name}/${policyArn}` : attributes.id });
        break;
      case "aws_iam_role_policy_attachments_exclusive":
        attributes.policy_arns = [policyArn];
        break;
    }
  }
  Object.assign(state.outputs, { role_arn: { ...state.outputs.role_arn, value: role.arn }, account_id: { ...state.outputs.account_id, value: account } });
  const text = JSON.stringify(state);
  if (text.includes(TEMPLATE)) throw new Error(`the state built for ${account} still names ${TEMPLATE}: ${text.slice(Math.max(0, text.indexOf(TEMPLATE) - 200), text.indexOf(TEMPLATE) + 50)}`);
  return state;
}
