/*
 * Soundness of rollout plan's in-sync proof, with the real terraform: an Organization of 20 accounts,
 * applied, then seeded rounds of random changes (behind terraform's back, to the state, to the config, a
 * new account, an account leaving). After each round's `rollout plan`, the real `terraform plan
 * -refresh=true` runs in every account rollout did not plan: each must be empty. Every changed account
 * must have been planned. Then a repair (`apply --plan-and-apply`), after which no terraform plan runs at
 * all. TRELICA_SOUNDNESS_SEED=<n> replays a seed; a failure names its seed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../helpers/files";
import { describeWithRealTerraform } from "../helpers/real-terraform";
import { inOrder } from "../helpers/steps";
import { TerraformProject } from "../helpers/terraform-project";
import type { RolloutResult } from "../../rollout/run";

const SEED = Number(process.env.TRELICA_SOUNDNESS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = 3;
const MANAGEMENT = "111111111111";
const MEMBERS = Array.from({ length: 19 }, (_, i) => String(400000000001 + i));
const NEWCOMER = "499999999999";
const ROLE = "TrelicaIntegration";
const policyArn = (account: string) => `arn:aws:iam::${account}:policy/TrelicaIntegrationReadOnly`;

/** mulberry32: a small seeded generator, so a failing round can be replayed exactly. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describeWithRealTerraform("rollout plan plans exactly what it cannot prove in sync, with the real terraform (seeded)", (real) => {
  const dir = tempDir("trelica-e2e-in-sync-");
  const random = generator(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  let project: TerraformProject;
  /** The config's accounts and each one's services override. */
  let accounts = [MANAGEMENT, ...MEMBERS];
  const cognitoOff = new Set<string>();
  const step = inOrder();

  const config = () =>
    `trelicaOrganizationId: "org-in-sync-e2e"\nmanagementAccountId: "${MANAGEMENT}"\nservices: { connect: false }\naccounts:\n` +
    accounts.map((id) => `  - id: "${id}"${cognitoOff.has(id) ? "\n    services: { cognito: false }" : ""}`).join("\n") +
    "\n";
  const call = (account: string, action: string, input: Record<string, unknown>) => project.fake.call(account, "iam", action, input);
  const trustOf = (account: string) => JSON.parse(project.fake.account(account).roles[ROLE].assumeRolePolicyDocument);
  const documentOf = (account: string) => {
    const policy = project.fake.account(account).policies[policyArn(account)];
    return JSON.parse(policy.versions.find((version) => version.versionId === policy.defaultVersionId)!.document);
  };
  const stateFile = (account: string) => path.join(dir, `terraform.trelica-${account}.tfstate`);
  const withSeed = async (body: () => Promise<void>) => {
    try {
      await body();
    } catch (error) {
      (error as Error).message = `seed ${SEED} (replay: TRELICA_SOUNDNESS_SEED=${SEED} npm run test:e2e -- test/e2e/in-sync.e2e.ts): ${(error as Error).message}`;
      throw error;
    }
  };

  /** Changes behind terraform's back, each a different managed attribute. */
  const LIVE_CHANGES: Record<string, (account: string) => void> = {
    trust: (a) => call(a, "UpdateAssumeRolePolicy", { RoleName: ROLE, PolicyDocument: JSON.stringify({ ...trustOf(a), Statement: [{ ...trustOf(a).Statement[0], Condition: { StringEquals: { "sts:ExternalId": "stolen" } } }] }) }),
    "policy document": (a) => {
      const document = documentOf(a);
      document.Statement[0].Action = [...[].concat(document.Statement[0].Action), "s3:GetObject"];
      call(a, "CreatePolicyVersion", { PolicyArn: policyArn(a), PolicyDocument: JSON.stringify(document), SetAsDefault: true });
    },
    "policy tags": (a) => call(a, "TagPolicy", { PolicyArn: policyArn(a), Tags: [{ Key: "edited", Value: "by-hand" }] }),
    "role tags": (a) => call(a, "TagRole", { RoleName: ROLE, Tags: [{ Key: "edited", Value: "by-hand" }] }),
    description: (a) => call(a, "UpdateRoleDescription", { RoleName: ROLE, Description: "edited by hand" }),
    "max session": (a) => call(a, "UpdateRole", { RoleName: ROLE, MaxSessionDuration: 7200 }),
    "extra attachment": (a) => {
      const name = `Extra${Math.floor(random() * 1e6)}`;
      const created = call(a, "CreatePolicy", { PolicyName: name, PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }] }) });
      call(a, "AttachRolePolicy", { RoleName: ROLE, PolicyArn: (created.Policy as { Arn: string }).Arn });
    },
    "inline policy": (a) => call(a, "PutRolePolicy", { RoleName: ROLE, PolicyName: "by-hand", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }] }) }),
    boundary: (a) => call(a, "PutRolePermissionsBoundary", { RoleName: ROLE, PermissionsBoundary: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
    "role deleted": (a) => {
      for (const arn of [...project.fake.account(a).roles[ROLE].attachedPolicies]) call(a, "DetachRolePolicy", { RoleName: ROLE, PolicyArn: arn });
      for (const name of Object.keys(project.fake.account(a).roles[ROLE].inlinePolicies)) call(a, "DeleteRolePolicy", { RoleName: ROLE, PolicyName: name });
      call(a, "DeleteRole", { RoleName: ROLE });
    },
  };

  const planned = (result: RolloutResult) => result.report.accounts.filter((account) => account.attempts > 0).map((account) => account.accountId!);
  const inSync = (result: RolloutResult) => result.report.accounts.filter((account) => account.outcome === "in-sync").map((account) => account.accountId!);

  /** The real terraform plan (refresh on) in each account, two at a time: the ones that are not empty. */
  async function nonEmptyPlans(accountIds: readonly string[]): Promise<string[]> {
    const notEmpty: string[] = [];
    const queue = [...accountIds];
    const lane = async () => {
      for (let account = queue.shift(); account !== undefined; account = queue.shift()) {
        const result = await project.terraform(`trelica-${account}`, ["plan", "-input=false", "-no-color", "-refresh=true", "-detailed-exitcode", "-lock=false"]);
        if (result.code !== 0) notEmpty.push(`${account} (exit ${result.code}): ${result.stdout.split("\n").filter((line) => /#|Error|will be|must be/.test(line)).slice(0, 6).join(" | ")}`);
      }
    };
    await Promise.all([lane(), lane()]);
    return notEmpty.sort();
  }

  beforeAll(async () => {
    process.stdout.write(`in-sync soundness seed: ${SEED}\n`);
    project = await TerraformProject.create(real, dir, { "trelica.config.yaml": config() }, { managementAccountId: MANAGEMENT });
  });
  afterAll(() => project?.close());
  afterEach(() => expect(project.fake.unimplemented).toEqual([]));

  step("GIVEN 20 accounts WHEN rollout applies them THEN each succeeds, and the next plan proves all 20 in sync without running terraform", async () => {
    const applied = await project.rollout({ command: "apply", planAndApply: true, allowAccessChange: true });
    expect(applied.report.accounts.filter((account) => account.status !== "succeeded").map((account) => `${account.stack}: ${account.reason}`)).toEqual([]);
    const plan = await project.rollout({ command: "plan" });
    expect(planned(plan)).toEqual([]);
    expect(inSync(plan)).toHaveLength(20);
  });

  for (let round = 1; round <= ROUNDS; round++) {
    step(`GIVEN seeded round ${round} of changes WHEN rollout plans THEN every changed account is planned and every account it skipped has an empty real terraform plan; after a repair no plan runs`, () =>
      withSeed(async () => {
        const members = accounts.filter((id) => id !== MANAGEMENT);
        const shuffled = [...members].sort(() => random() - 0.5);
        const changed = new Map<string, string>();
        // Changes behind terraform's back: four accounts, each a random kind.
        for (const account of shuffled.slice(0, 4)) {
          const kind = pick(Object.keys(LIVE_CHANGES));
          LIVE_CHANGES[kind](account);
          changed.set(account, kind);
        }
        // A state file removed while the role exists (kept aside, put back for the repair).
        const stateless = shuffled[4];
        const kept = fs.readFileSync(stateFile(stateless), "utf8");
        fs.rmSync(stateFile(stateless));
        changed.set(stateless, "state file removed");
        // A config change for one account: its cognito service toggled.
        const reconfigured = shuffled[5];
        if (cognitoOff.has(reconfigured)) cognitoOff.delete(reconfigured);
        else cognitoOff.add(reconfigured);
        changed.set(reconfigured, "config change");
        if (round === 2) {
          accounts = [...accounts, NEWCOMER];
          changed.set(NEWCOMER, "new account");
        }
        if (round === 3) {
          const leaving = shuffled[6];
          accounts = accounts.filter((id) => id !== leaving);
          changed.set(leaving, "leaving");
        }
        project.synth(config());

        const plan = await project.rollout({ command: "plan" });
        const context = `changes: ${JSON.stringify(Object.fromEntries(changed))}`;
        expect([context, [...changed.keys()].filter((account) => !planned(plan).includes(account))]).toEqual([context, []]);
        // The account whose state was lost is planned and refused: its plan would create a role rollout applied, and the refusal says where state was looked for.
        expect([context, plan.report.accounts.filter((a) => a.status !== "succeeded").map((a) => [a.stack, a.status, a.reason?.includes(`found no state for it at ${stateFile(stateless)}`)])]).toEqual([
          context,
          [[`trelica-${stateless}`, "refused", true]],
        ]);
        const skipped = inSync(plan);
        expect(skipped.length + planned(plan).length).toBe(plan.report.accounts.length);
        expect([context, await nonEmptyPlans(skipped)]).toEqual([context, []]);

        // The repair: the state put back, then plan-and-apply of what is not in sync.
        fs.writeFileSync(stateFile(stateless), kept);
        const repaired = await project.rollout({ command: "apply", planAndApply: true, allowAccessChange: true, allowDestroy: true, confirmDestroy: true });
        expect([context, repaired.report.accounts.filter((a) => a.status !== "succeeded").map((a) => `${a.stack}: ${a.reason}`)]).toEqual([context, []]);
        if (round === 3) project.synth(config()); // the destroyed leaving stack's folder goes
        const after = await project.rollout({ command: "plan" });
        expect([context, after.report.accounts.filter((a) => a.outcome !== "in-sync").map((a) => `${a.stack}: ${a.notInSync}`)]).toEqual([context, []]);
        expect(planned(after)).toEqual([]);
      }),
    );
  }

  step("GIVEN the Organization repaired WHEN rollout plans with --full THEN terraform plans every account and finds nothing to do", async () => {
    const full = await project.rollout({ command: "plan", full: true });
    expect(full.report.accounts.map((account) => [account.accountId, account.outcome])).toEqual(accounts.sort().map((id) => [id, "no-changes"]));
    expect(full.exitCode).toBe(0);
  });
});
