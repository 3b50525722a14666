/*
 * The message table's rows (test/fixtures/messages.yaml) and how each kind of input is run to get the
 * messages it produces. The file's header says what a row holds; a row with an unknown key or kind, or
 * not exactly one input, fails as it is read.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Lazy, Testing } from "../../modules/cdk-flavour";
import { parse as parseYaml } from "yaml";
import { managementPolicyOf } from "../../app/commands/management-policy";
import { synthesizeOrganization } from "../../app/commands/organization-app";
import { parseSynthCommand } from "../../app/commands/synth-command";
import { initCommand } from "../../app/commands/init-command";
import { permissionPolicy, ServiceFlags, TrelicaIntegration, TrelicaIntegrationProps } from "../../modules/trelica-integration";
import { checkOptions, RawOptions } from "../../rollout/options";
import { checkVerifyOptions } from "../../verify/options";
import { RolloutOptions } from "../../rollout/run";
import { PROJECT_ROOT, writeFile } from "./files";
import { RolloutProject } from "./rollout";

export const MESSAGES_FILE = path.join(PROJECT_ROOT, "test", "fixtures", "messages.yaml");

export interface Names {
  /** The field, option, prop or file the message is about. */
  readonly field: string;
  /** The value given, as the message shows it ... */
  readonly value?: string;
  /** ... or, where nothing was given, the words that say so. */
  readonly absent?: string;
  /** What is allowed, or what to do instead. */
  readonly allowed: string;
}

interface ConfigInput {
  readonly text?: string;
  readonly name?: string;
  readonly files?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly folder?: boolean;
  /** The output folder, relative to the row's folder. @default out */
  readonly output?: string;
  /** Run `npm run synth -- --print-management-policy` on it instead of synthesizing. */
  readonly printManagementPolicy?: boolean;
}

interface InitInput {
  readonly args: readonly string[];
  readonly files?: Readonly<Record<string, string>>;
}

type Arrangement =
  | { readonly terraformVersion: string }
  | { readonly requireTerraform: string; readonly stacks?: number }
  | { readonly runInTerraformCloud: number | "all" }
  | { readonly cdktfApp: string }
  | { readonly notTerraform: string }
  /** Every stack's trust policy requires this external ID (as a config with it would synthesize). */
  | { readonly externalId: string };

interface RolloutInput {
  readonly options: Partial<RolloutOptions> & Pick<RolloutOptions, "command">;
  readonly files?: Readonly<Record<string, string>>;
  readonly arrange?: readonly Arrangement[];
  readonly accounts?: number;
  readonly terraform?: "processes";
  readonly env?: Readonly<Record<string, string>>;
}

/** The inputs a row may give, one per row, by its key. */
export interface Inputs {
  readonly config: string | ConfigInput;
  readonly props: Record<string, unknown>;
  readonly template: Record<string, unknown>;
  readonly permissionPolicy: ServiceFlags;
  readonly synthFlags: readonly string[];
  readonly rolloutOptions: { readonly command: string } & Partial<RawOptions>;
  readonly rolloutCommandLine: readonly string[];
  readonly verifyOptions: Record<string, unknown>;
  readonly verifyCommandLine: readonly string[];
  readonly rollout: RolloutInput;
  readonly init: InitInput;
}

export const INPUT_KINDS = ["config", "props", "template", "permissionPolicy", "synthFlags", "rolloutOptions", "rolloutCommandLine", "verifyOptions", "verifyCommandLine", "rollout", "init"] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

export interface MessageRow {
  readonly given: string;
  readonly kind: InputKind;
  readonly input: Inputs[InputKind];
  readonly message: string;
  readonly names: Names;
  /** The generic sites this row exercises, as `file: text` (test/helpers/message-sites.ts). */
  readonly sites?: readonly string[];
}

const ROW_KEYS = new Set(["given", "message", "names", "sites", ...INPUT_KINDS]);

/** The rows of the table; each malformed row is named, all at once. */
export function readMessageRows(file = MESSAGES_FILE): MessageRow[] {
  const data = parseYaml(fs.readFileSync(file, "utf8")) as Record<string, unknown>[];
  const problems: string[] = [];
  const rows = data.map((raw, index) => {
    const where = `row ${index + 1} (${String(raw.given ?? "no given")})`;
    const kinds = INPUT_KINDS.filter((kind) => kind in raw);
    const unknown = Object.keys(raw).filter((key) => !ROW_KEYS.has(key));
    if (kinds.length !== 1) problems.push(`${where}: has ${kinds.length} inputs (${kinds.join(", ")}); expected exactly one of ${INPUT_KINDS.join(", ")}`);
    if (unknown.length > 0) problems.push(`${where}: unknown keys ${unknown.join(", ")}; expected ${[...ROW_KEYS].join(", ")}`);
    for (const key of ["given", "message"]) if (typeof raw[key] !== "string") problems.push(`${where}: ${key} must be text`);
    const names = raw.names as Partial<Names> | undefined;
    if (!names || typeof names.field !== "string" || typeof names.allowed !== "string" || (typeof names.value === "string") === (typeof names.absent === "string")) {
      problems.push(`${where}: names must be { field, value or absent, allowed }`);
    }
    return { ...raw, kind: kinds[0], input: raw[kinds[0]] } as unknown as MessageRow;
  });
  if (problems.length > 0) throw new Error(`${file}:\n${problems.join("\n")}`);
  return rows;
}

const inOurPaths = (text: string, folder: string) => text.split(folder).join("<dir>");
const ourPathsIn = (text: string, folder: string) => text.split("<dir>").join(folder);
const messageOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    return [(error as Error).message];
  }
  return [];
};

const VALID_OPTIONS: RawOptions = { concurrency: "8", maxFailures: "0", accounts: [], exclude: [], lockTimeout: "60s", retries: "3", retryDelay: "5000", planAndApply: false, progress: "auto" };

/** Runs rows' inputs in `dir` (a fresh folder per config row; one shared project per account count for rollouts). */
export class MessageInputs {
  private counter = 0;
  private readonly projects = new Map<number, RolloutProject>();

  constructor(private readonly dir: string) {}

  produce(row: MessageRow): string[] | Promise<string[]> {
    const input = row.input as never;
    switch (row.kind) {
      case "config":
        return this.config(typeof row.input === "string" ? { text: row.input } : (row.input as ConfigInput));
      case "props":
        return messageOf(() => Testing.synthScope((scope) => new TrelicaIntegration(scope, "trelica", this.props(input))));
      case "template":
        return messageOf(() => TrelicaIntegration.cloudFormationTemplate(this.props(input)));
      case "permissionPolicy":
        return messageOf(() => permissionPolicy(input));
      case "synthFlags":
        return messageOf(() => parseSynthCommand([...(input as string[])], {}, "trelica.config.yaml"));
      case "rolloutOptions": {
        const { command, ...raw } = row.input as Inputs["rolloutOptions"];
        return messageOf(() => checkOptions(command, { ...VALID_OPTIONS, ...raw }));
      }
      case "rolloutCommandLine": {
        const run = spawnSync(process.execPath, ["-r", "sucrase/register", path.join(PROJECT_ROOT, "rollout", "main.ts"), ...(input as string[])], { cwd: PROJECT_ROOT, encoding: "utf8" });
        return [run.stderr.trim()];
      }
      case "verifyOptions":
        return messageOf(() => checkVerifyOptions({ accounts: [], exclude: [], concurrency: "16", progress: "auto", ...(input as Inputs["verifyOptions"]) }));
      case "verifyCommandLine": {
        const run = spawnSync(process.execPath, ["-r", "sucrase/register", path.join(PROJECT_ROOT, "verify", "main.ts"), ...(input as string[])], { cwd: PROJECT_ROOT, encoding: "utf8" });
        return [run.stderr.trim()];
      }
      case "rollout":
        return this.rollout(input);
      case "init": {
        const { args, files } = row.input as InitInput;
        const folder = this.rowDir();
        for (const [file, content] of Object.entries(files ?? {})) writeFile(folder, file, content);
        return messageOf(() => initCommand(args, folder)).map((message) => inOurPaths(message, folder));
      }
    }
  }

  /** A fresh folder per row; its path reads `<dir>` in the messages. */
  private rowDir(): string {
    const folder = path.join(this.dir, `row-${this.counter++}`);
    fs.mkdirSync(folder, { recursive: true });
    return folder;
  }

  /** Runs synthesis as `npm run synth` does: the error it throws, else the warnings it prints. */
  private config(input: ConfigInput): string[] {
    const folder = this.rowDir();
    for (const [file, content] of Object.entries(input.files ?? {})) writeFile(folder, file, content);
    const configFile = path.join(folder, input.name ?? "trelica.yaml");
    if (input.folder) fs.mkdirSync(configFile);
    else if (input.text !== undefined) fs.writeFileSync(configFile, input.text);
    const saved = Object.fromEntries(Object.keys(input.env ?? {}).map((name) => [name, process.env[name]]));
    Object.assign(process.env, input.env);
    const lines: string[] = [];
    try {
      if (input.printManagementPolicy) managementPolicyOf(configFile);
      else synthesizeOrganization(configFile, { outdir: path.join(folder, input.output ?? "out"), log: (line) => lines.push(line) });
    } catch (error) {
      return [inOurPaths((error as Error).message, folder)];
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    return lines.filter((line) => line.startsWith("Warning: ")).map((line) => inOurPaths(line, folder));
  }

  /** The construct's props: externalId org-42 unless given; `{ token }` (text or a number) and `{ join }` values, also inside a map, become tokens. */
  private props(given: Record<string, unknown>): TrelicaIntegrationProps {
    const tokens = (value: unknown): unknown => {
      if (value && typeof value === "object" && "token" in value) {
        const token = (value as { token: string | number }).token;
        return typeof token === "number" ? Lazy.numberValue({ produce: () => token }) : Lazy.stringValue({ produce: () => token });
      }
      if (value && typeof value === "object" && "join" in value) return (value as { join: unknown[] }).join.map(tokens).join("");
      // A map (tags) may hold tokens too.
      if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, tokens(inner)]));
      return value;
    };
    return { externalId: "org-42", ...Object.fromEntries(Object.entries(given).map(([key, value]) => [key, tokens(value)])) } as unknown as TrelicaIntegrationProps;
  }

  private project(accounts: number): RolloutProject {
    if (!this.projects.has(accounts)) this.projects.set(accounts, new RolloutProject(this.dir, `runs-${accounts}`, accounts));
    return this.projects.get(accounts)!;
  }

  /** A rollout in a shared project; what the arrangements change (stack files, terraform's version) is put back after. */
  private async rollout(input: RolloutInput): Promise<string[]> {
    const project = this.project(input.accounts ?? 3);
    const stackFiles = project.stackNames().map((name) => path.join(project.dir, "cdktf.out", "stacks", name, "cdk.tf.json"));
    const saved = stackFiles.map((file) => fs.readFileSync(file, "utf8"));
    const cdktfJson = path.join(project.dir, "cdktf.json");
    for (const [file, content] of Object.entries(input.files ?? {})) writeFile(this.dir, file, content);
    for (const step of input.arrange ?? []) this.arrange(project, step);
    const options: Partial<RolloutOptions> & Pick<RolloutOptions, "command"> = { ...input.options };
    if (options.resume) Object.assign(options, { resume: ourPathsIn(options.resume, this.dir) });
    if (input.terraform === "processes") {
      const extra = Object.fromEntries(Object.entries(input.env ?? {}).map(([name, value]) => [name, ourPathsIn(value, this.dir)]));
      Object.assign(options, { terraform: undefined, env: terraformEnv(extra) });
    }
    try {
      await project.run(options);
      return [];
    } catch (error) {
      return [inOurPaths(inOurPaths((error as Error).message, project.dir), this.dir)];
    } finally {
      stackFiles.forEach((file, i) => fs.writeFileSync(file, saved[i]));
      project.double.versionString = "1.11.4";
      fs.rmSync(cdktfJson, { force: true });
    }
  }

  private arrange(project: RolloutProject, step: Arrangement): void {
    const first = (n: number | "all" | undefined) => (n === undefined || n === "all" ? project.stackNames() : project.stackNames().slice(0, n));
    if ("terraformVersion" in step) project.double.versionString = step.terraformVersion;
    else if ("requireTerraform" in step) project.requireTerraform(step.requireTerraform, first(step.stacks));
    else if ("runInTerraformCloud" in step) runInTerraformCloud(project, first(step.runInTerraformCloud));
    else if ("cdktfApp" in step) fs.writeFileSync(path.join(project.dir, "cdktf.json"), JSON.stringify({ app: step.cdktfApp }));
    else if ("notTerraform" in step) {
      // An executable that answers `version -json` with words, not JSON.
      fs.chmodSync(writeFile(this.dir, step.notTerraform, '#!/bin/sh\necho "this is not terraform"\n'), 0o755);
    } else if ("externalId" in step) {
      for (const name of project.stackNames()) {
        const file = path.join(project.dir, "cdktf.out", "stacks", name, "cdk.tf.json");
        const json = JSON.parse(fs.readFileSync(file, "utf8"));
        for (const role of Object.values<{ assume_role_policy: string }>(json.resource.aws_iam_role)) {
          const trust = JSON.parse(role.assume_role_policy);
          trust.Statement[0].Condition.StringEquals["sts:ExternalId"] = step.externalId;
          role.assume_role_policy = JSON.stringify(trust);
        }
        fs.writeFileSync(file, JSON.stringify(json));
      }
    } else throw new Error(`unknown arrangement ${JSON.stringify(step)}`);
  }
}

/** A `cloud` block instead of the local backend: terraform runs these stacks' plans in Terraform Cloud. */
function runInTerraformCloud(project: RolloutProject, stacks: readonly string[]): void {
  for (const name of stacks) {
    const file = path.join(project.dir, "cdktf.out", "stacks", name, "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    delete json.terraform.backend;
    json.terraform.cloud = { organization: "acme", workspaces: { name } };
    fs.writeFileSync(file, JSON.stringify(json));
  }
}

/** Environment for the real process runner, without whatever terraform this machine names. */
function terraformEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  if (!("TERRAFORM_BINARY_NAME" in extra)) delete env.TERRAFORM_BINARY_NAME;
  return env;
}
