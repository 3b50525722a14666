import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PlainProgress } from "../../runner/progress";
import { rollout, RolloutControl, RolloutOptions, RolloutResult } from "../../rollout/run";
import { runApp } from "./app";
import { PROJECT_ROOT, writeFile } from "./files";
import { writeAccountsFile } from "./organization";
import { TerraformDouble } from "./terraform-double";

export const FAKE_TERRAFORM = path.join(PROJECT_ROOT, "test", "fake-terraform", "terraform");

/** Per stack, for the stand-in (test/fake-terraform/terraform) and the in-memory double alike; plan kinds in test/fake-terraform/plans.js. */
export interface Behaviour {
  plan?: "changes" | "none" | "destroy-role" | "replace-role" | "trust-change" | "actions-removed" | "actions-added" | "replace-policy" | "delete-inline-guard" | "fail";
  /** trust-change: the trust policy before the change. */
  trustBefore?: { principal?: string; externalId?: string };
  /** actions-removed: the actions the policy had that the plan drops. */
  removedActions?: string[];
  /** plan fails with this text on stderr. */
  planError?: string;
  apply?: "ok" | "fail";
  sleepMs?: number;
  throttled?: number;
  lockHeld?: number;
  initFail?: boolean;
  /** output -json fails (in-memory double only). */
  outputFail?: boolean;
  /** output -json is throttled this many times first (in-memory double only). */
  outputThrottled?: number;
  /** Stacks with a cloud block, the stand-in only (test/fake-terraform/cloud.js): the workspace's execution mode. */
  executionMode?: "remote" | "local";
  /** The workspace has a VCS connection: terraform refuses saved plans and CLI applies. */
  vcs?: boolean;
  /** The run's policy result; sentinel: policy checks, opa: policy evaluations. */
  policy?: "passed" | "advisory-failed" | "soft-failed" | "hard-failed";
  policyFramework?: "sentinel" | "opa";
  costEstimate?: boolean;
  /** `show -json` of the saved cloud plan is refused: the token is not workspace admin. */
  jsonPlanDenied?: boolean;
  /** What happened to the run in Terraform Cloud between plan and apply. */
  runState?: "discarded" | "canceled" | "applied" | "confirmed" | "policy_override" | "pending";
  /** init finds no Terraform Cloud token for the host. */
  tokenMissing?: boolean;
}

export interface Event {
  stack: string;
  command: string;
  args: string[];
  pid: number;
  start: number;
  end: number;
  exit: number;
  cacheWarm?: boolean;
  downloaded?: boolean;
  /** SIGINTs the call received. */
  interrupts?: number;
}

/**
 * A project folder with `count` synthesized account stacks, ready for rollout: with the in-memory
 * terraform double (`terraform: "in-memory"`, the default: fast, for behaviour) or the stand-in
 * terraform as real processes (`"process"`: signals, files, the CLI).
 */
export class RolloutProject {
  readonly dir: string;
  readonly lines: string[] = [];
  readonly double: TerraformDouble;
  private readonly scenarioFile: string;
  private readonly eventsFile: string;
  private behaviours: { default: Behaviour; stacks: Record<string, Behaviour> } = { default: {}, stacks: {} };

  constructor(
    parent: string,
    name: string,
    count: number,
    configExtra = "",
    readonly terraform: "in-memory" | "process" = "in-memory",
  ) {
    this.double = new TerraformDouble(() => this.behaviours);
    this.dir = path.join(parent, name);
    const ids = Array.from({ length: count }, (_, i) => String(100000000001 + i));
    writeAccountsFile(this.dir, "accounts.json", ids.map((Id) => ({ Id, Name: `acct-${Id}`, State: "ACTIVE" })));
    // The config a run that synthesizes (synth: true) reads with TRELICA_CONFIG.
    writeFile(this.dir, "trelica.config.yaml", `trelicaOrganizationId: org-42\naccountsFile: accounts.json\n${configExtra}`);
    copySynthesized(configExtra, ids, path.join(this.dir, "cdktf.out"));
    this.scenarioFile = path.join(this.dir, "scenario.json");
    this.eventsFile = path.join(this.dir, "events.jsonl");
    this.scenario({});
  }

  stackNames(): string[] {
    return fs.readdirSync(path.join(this.dir, "cdktf.out", "stacks")).sort();
  }

  /**
   * Sets (or, with undefined, removes) `terraform.required_version` in these stacks' synthesized
   * cdk.tf.json, whatever the app wrote.
   */
  requireTerraform(constraint: string | undefined, stacks: readonly string[] = this.stackNames()): void {
    for (const name of stacks) {
      const file = path.join(this.dir, "cdktf.out", "stacks", name, "cdk.tf.json");
      const json = JSON.parse(fs.readFileSync(file, "utf8"));
      json.terraform ??= {};
      if (constraint === undefined) delete json.terraform.required_version;
      else json.terraform.required_version = constraint;
      fs.writeFileSync(file, JSON.stringify(json, null, 2));
    }
  }

  scenario(stacks: Record<string, Behaviour>, fallback: Behaviour = {}): void {
    this.behaviours = { default: fallback, stacks };
    fs.writeFileSync(this.scenarioFile, JSON.stringify({ default: fallback, stacks }));
  }

  events(): Event[] {
    if (this.terraform === "in-memory") return [...this.double.events];
    if (!fs.existsSync(this.eventsFile)) return [];
    return fs.readFileSync(this.eventsFile, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));
  }

  clearEvents(): void {
    this.double.events.length = 0;
    fs.rmSync(this.eventsFile, { force: true });
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      TERRAFORM_BINARY_NAME: FAKE_TERRAFORM,
      FAKE_TERRAFORM_SCENARIO: this.scenarioFile,
      FAKE_TERRAFORM_EVENTS: this.eventsFile,
      ...extra,
    };
  }

  run(options: Partial<RolloutOptions> & Pick<RolloutOptions, "command">, control?: RolloutControl): Promise<RolloutResult> {
    return rollout(
      {
        ...inProcessRollout(this.dir, (text) => this.lines.push(text)),
        concurrency: 4,
        maxFailures: 0,
        lockTimeout: "1s",
        retries: 3,
        retryDelayMs: 10,
        env: this.env(),
        ...(this.terraform === "in-memory" ? { terraform: this.double } : {}),
        ...options,
      },
      control,
    );
  }
}

const MOST_ACCOUNTS = 12;

/**
 * Synthesis costs a process and most of a second; every project with the same extra config has the
 * same stacks for the same account IDs. So the app runs once per extra config and app source (for up
 * to MOST_ACCOUNTS accounts, shared by the test files through the temp folder) and each project
 * gets a copy of its own accounts' stacks.
 */
function copySynthesized(configExtra: string, ids: readonly string[], outdir: string): void {
  if (ids.length > MOST_ACCOUNTS) throw new Error(`RolloutProject: at most ${MOST_ACCOUNTS} accounts`);
  const cached = synthesizedOnce(configExtra);
  const manifest = JSON.parse(fs.readFileSync(path.join(cached, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
  const names = ids.map((id) => `trelica-${id}`);
  fs.mkdirSync(path.join(outdir, "stacks"), { recursive: true });
  for (const name of names) fs.cpSync(path.join(cached, "stacks", name), path.join(outdir, "stacks", name), { recursive: true });
  manifest.stacks = Object.fromEntries(names.map((name) => [name, manifest.stacks[name]]));
  fs.writeFileSync(path.join(outdir, "manifest.json"), JSON.stringify(manifest, null, 2));
  // Synth's (planned) connections table, as synth leaves it beside the stacks: rollout takes the names from it.
  const table = path.join(cached, "trelica-connections.csv");
  if (fs.existsSync(table)) fs.copyFileSync(table, path.join(outdir, "trelica-connections.csv"));
}

function synthesizedOnce(configExtra: string): string {
  const sources = [path.join(PROJECT_ROOT, "main.ts"), ...["app", "modules"].flatMap((dir) => filesBelow(path.join(PROJECT_ROOT, dir)))];
  const hash = crypto.createHash("sha256").update(configExtra);
  for (const file of sources.sort()) hash.update(file).update(fs.readFileSync(file));
  const cached = path.join(os.tmpdir(), "trelica-rollout-synth-cache", hash.digest("hex").slice(0, 16));
  if (fs.existsSync(path.join(cached, "manifest.json"))) return cached;
  // Built aside and renamed into place: test files running in parallel never see half a cache.
  const building = `${cached}.${process.pid}`;
  const ids = Array.from({ length: MOST_ACCOUNTS }, (_, i) => String(100000000001 + i));
  writeAccountsFile(building, "accounts.json", ids.map((Id) => ({ Id, Name: `acct-${Id}`, State: "ACTIVE" })));
  const config = writeFile(building, "trelica.config.yaml", `trelicaOrganizationId: org-42\naccountsFile: accounts.json\n${configExtra}`);
  const run = runApp(config, path.join(building, "out"));
  if (run.status !== 0) throw new Error(run.stderr);
  try {
    fs.renameSync(path.join(building, "out"), cached);
  } catch {
    // Another test file got there first: its copy is the same.
  }
  fs.rmSync(building, { recursive: true, force: true });
  return cached;
}

function filesBelow(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The most processes of `command` that ever ran at once. */
export function maxOverlap(events: readonly Event[], command: string): number {
  const edges = events
    .filter((event) => event.command === command)
    .flatMap((event) => [
      [event.start, 1],
      [event.end, -1],
    ])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let most = 0;
  for (const [, delta] of edges) {
    running += delta;
    most = Math.max(most, running);
  }
  return most;
}

/**
 * What every in-process rollout of the tests and the benchmark shares: the stacks as synthesized, all
 * of them, nothing that needs consent, and progress and the final table sent to `record`.
 */
export function inProcessRollout(projectDir: string, record: (text: string) => void) {
  return {
    projectDir,
    synth: false,
    accounts: [],
    exclude: [],
    planAndApply: false,
    allowDestroy: false,
    confirmDestroy: false,
    progress: new PlainProgress(record),
    output: record,
  };
}
