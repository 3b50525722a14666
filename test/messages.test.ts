/*
 * Every message the program can produce about a mistake in its input or its surroundings, word for
 * word, with the input that provokes it: config files (and their accounts files), the construct's props,
 * `npm run synth`'s flags, rollout's command line and the refusals of its runner, and synth's warnings.
 * A change of wording is a diff in this table. A test below reads the source for every place a message
 * is made (test/helpers/message-sites.ts) and fails naming any that no row here produces.
 *
 * Out of scope, on purpose: what a rollout reports per account once it runs (terraform's failures and
 * their hints, the lock-out guard's notes, Terraform Cloud's run states), progress lines and help texts.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Lazy, Testing } from "../modules/cdk-flavour";
import { synthesizeOrganization } from "../app/organization-app";
import { parseSynthCommand } from "../app/synth-command";
import { permissionPolicy, TrelicaIntegration, TrelicaIntegrationProps } from "../modules/trelica-integration";
import { checkOptions, RawOptions } from "../rollout/options";
import { RolloutOptions } from "../rollout/run";
import { PROJECT_ROOT, tempDir, writeFile } from "./helpers/files";
import { isGeneric, messageSites, siteKey as site, sitesIn, sitesOf, template, uncoveredSites } from "./helpers/message-sites";
import { listAccountsJson } from "./helpers/organization";
import { RolloutProject } from "./helpers/rollout";

const dir = tempDir("trelica-messages-");
let counter = 0;

/** A message about something absent names it by one of these words instead of a value. */
const ABSENCE = /required|nothing|none given|no value|missing|does not exist|no such file|neither|not found|no terraform|there is none/i;

interface Names {
  /** The field, option, prop or file the message is about. */
  readonly field: string;
  /** The value given, as the message shows it, or `{ absent: words }` where nothing was given. */
  readonly value: string | { readonly absent: string };
  /** What is allowed, or what to do instead. */
  readonly allowed: string;
}

interface Row {
  readonly given: string;
  readonly produce: () => string[] | Promise<string[]>;
  readonly message: string;
  readonly names: Names;
  /**
   * The generic sites this row exercises, by `site(file, text)`: templates such as `…: got …; expected …`
   * that other sites' messages match too, so matching proves nothing (test/helpers/message-sites.ts).
   */
  readonly sites?: readonly string[];
}

const names = (field: string, value: string | { absent: string }, allowed: string): Names => ({ field, value, allowed });
const absent = (words: string) => ({ absent: words });

// ---- how each kind of input is run -------------------------------------------------------------

/** A fresh folder per row; its path reads `<dir>` in the messages. */
function rowDir(): string {
  const folder = path.join(dir, `row-${counter++}`);
  fs.mkdirSync(folder, { recursive: true });
  return folder;
}

const inOurPaths = (text: string, folder: string) => text.split(folder).join("<dir>");

/** Runs synthesis as `npm run synth` does: the error it throws, else the warnings it prints. */
function synth(folder: string, configFile: string): string[] {
  const lines: string[] = [];
  try {
    synthesizeOrganization(configFile, { outdir: path.join(folder, "out"), log: (line) => lines.push(line) });
  } catch (error) {
    return [inOurPaths((error as Error).message, folder)];
  }
  return lines.filter((line) => line.startsWith("Warning: ")).map((line) => inOurPaths(line, folder));
}

/** A config file (YAML, or JSON by name) and the files beside it. */
const config =
  (text: string, files: Record<string, string> = {}, name = "trelica.yaml") =>
  () => {
    const folder = rowDir();
    for (const [file, content] of Object.entries(files)) writeFile(folder, file, content);
    return synth(folder, writeFile(folder, name, text));
  };

/** The construct, in a Terraform stack or as a CloudFormation template. */
const props =
  (given: Partial<TrelicaIntegrationProps>, target: "terraform" | "cloudformation" = "terraform") =>
  () => {
    try {
      const all = { externalId: "org-42", ...given } as TrelicaIntegrationProps;
      if (target === "terraform") Testing.synthScope((scope) => new TrelicaIntegration(scope, "trelica", all));
      else TrelicaIntegration.cloudFormationTemplate(all);
    } catch (error) {
      return [(error as Error).message];
    }
    return [];
  };

const synthFlags = (argv: string[]) => () => {
  try {
    parseSynthCommand(argv, {}, "trelica.config.yaml");
  } catch (error) {
    return [(error as Error).message];
  }
  return [];
};

const VALID_OPTIONS: RawOptions = { concurrency: "8", maxFailures: "0", accounts: [], exclude: [], lockTimeout: "60s", retries: "3", retryDelay: "5000", planAndApply: false, progress: "auto" };

const rolloutOptions = (command: string, raw: Partial<RawOptions>) => () => {
  try {
    checkOptions(command, { ...VALID_OPTIONS, ...raw });
  } catch (error) {
    return [(error as Error).message];
  }
  return [];
};

/** rollout's real command line, for what commander parses before our checks. */
const rolloutCommandLine = (args: string[]) => () => {
  const run = spawnSync(process.execPath, ["-r", "sucrase/register", path.join(PROJECT_ROOT, "rollout", "main.ts"), ...args], { cwd: PROJECT_ROOT, encoding: "utf8" });
  return [run.stderr.trim()];
};

const projects = new Map<number, RolloutProject>();
/** A project of synthesized accounts (three, unless a row needs more) for the runner's refusals; rows that change it put it back. */
function runs(accounts: number): RolloutProject {
  if (!projects.has(accounts)) projects.set(accounts, new RolloutProject(dir, `runs-${accounts}`, accounts));
  return projects.get(accounts)!;
}

/** A rollout in a shared project; what `arrange` changes (stack files, terraform's version) is put back after. */
const rollout =
  (options: Partial<RolloutOptions> & Pick<RolloutOptions, "command">, arrange: (project: RolloutProject) => void = () => undefined, accounts = 3) =>
  async () => {
    const project = runs(accounts);
    const stackFiles = project.stackNames().map((name) => path.join(project.dir, "cdktf.out", "stacks", name, "cdk.tf.json"));
    const saved = stackFiles.map((file) => fs.readFileSync(file, "utf8"));
    const cdktfJson = path.join(project.dir, "cdktf.json");
    arrange(project);
    try {
      await project.run(options);
      return [];
    } catch (error) {
      return [inOurPaths(inOurPaths((error as Error).message, project.dir), dir)];
    } finally {
      stackFiles.forEach((file, i) => fs.writeFileSync(file, saved[i]));
      project.double.versionString = "1.11.4";
      fs.rmSync(cdktfJson, { force: true });
    }
  };

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

/** An executable that answers `version -json` with words, not JSON. */
function notTerraform(): string {
  const file = writeFile(dir, "not-terraform", '#!/bin/sh\necho "this is not terraform"\n');
  fs.chmodSync(file, 0o755);
  return file;
}

// ---- config inputs --------------------------------------------------------------------------

const ORG = `trelicaOrganizationId: org-42\n`;
const ONE = `accounts: [{ id: "111111111111" }]\n`;
const VALID = `${ORG}${ONE}`;
/** How the one problem of a config, of rollout's options, of the construct's props is printed. */
const problem = (text: string) => `Config file <dir>/trelica.yaml has 1 problem; nothing was written:\n  - ${text}`;
const optionProblem = (text: string) => `Nothing was run; the command line has problems:\n  - ${text}`;
const propProblem = (text: string) => `Invalid TrelicaIntegration props:\n  - ${text}`;
const lines = (...text: string[]) => text.join("\n");
const STACKSET = `${ORG}mode: stackset\nmanagementAccountId: "111111111111"\n`;
const stackSet = (settings: string) => `${STACKSET}stackSet: { organizationalUnitIds: [r-abcd], ${settings} }\n`;
const CLOUD = `${VALID}backend: { type: cloud, organization: acme }\n`;
const terraformCloud = (settings: string) => `${CLOUD}terraformCloud: { project: identity, ${settings} }\n`;
const accountsFile = (accounts: unknown) => ({ "accounts.json": JSON.stringify({ Accounts: accounts }) });
const WITH_FILE = `${ORG}accountsFile: accounts.json\n`;
const listed = (overrides: Record<string, unknown> = {}) => [{ Id: "111111111111", State: "ACTIVE", ...overrides }];

const ROWS: Row[] = [
  // ---- the config file itself (app/config/source.ts, load.ts)
  {
    given: "a config file that does not exist",
    produce: () => {
      const folder = rowDir();
      return synth(folder, path.join(folder, "missing.yaml"));
    },
    message: "Config file <dir>/missing.yaml: the file does not exist; expected a YAML or JSON config file, named by --config or TRELICA_CONFIG",
    names: names("Config file <dir>/missing.yaml", absent("does not exist"), "a YAML or JSON config file"),
  },
  {
    given: "a config path that is a folder",
    produce: () => {
      const folder = rowDir();
      fs.mkdirSync(path.join(folder, "trelica.yaml"));
      return synth(folder, path.join(folder, "trelica.yaml"));
    },
    message: "Config file <dir>/trelica.yaml: it cannot be read (EISDIR); expected a YAML or JSON config file, named by --config or TRELICA_CONFIG",
    names: names("Config file <dir>/trelica.yaml", "cannot be read (EISDIR)", "a YAML or JSON config file"),
  },
  {
    given: "malformed JSON",
    produce: config(`{\n  "trelicaOrganizationId": "org-42",\n  "accounts": [}\n`, {}, "trelica.json"),
    message: "Config file <dir>/trelica.json is not valid JSON at line 3, column 16, in `\"accounts\": [}`",
    names: names("line 3, column 16", '`"accounts": [}`', "not valid JSON"),
  },
  {
    given: "malformed YAML",
    produce: config(`${ORG}accounts:\n  - id: "111111111111\n`),
    message: lines(
      "Config file <dir>/trelica.yaml is not valid YAML:",
      "  - line 4, column 1: Missing closing \"quote",
    ),
    names: names("line 4, column 1", "Missing closing", "not valid YAML"),
  },
  {
    given: "a YAML line the parser cannot read",
    produce: config(`${ORG}region: us-east-1: eu-west-1\n${ONE}`),
    message: lines(
      "Config file <dir>/trelica.yaml is not valid YAML:",
      "  - line 2, column 9: Nested mappings are not allowed in compact mappings, in `region: us-east-1: eu-west-1`",
    ),
    names: names("line 2, column 9", "`region: us-east-1: eu-west-1`", "not valid YAML"),
    sites: [site("app/config/source.ts", ", in `…`"), site("app/config/source.ts", "line …, column …: ……")],
  },
  {
    given: "a key twice in one map",
    produce: config(`trelicaOrganizationId: a1\ntrelicaOrganizationId: b2\n${ONE}`),
    message: lines(
      "Config file <dir>/trelica.yaml is not valid YAML:",
      "  - line 2, column 1: key trelicaOrganizationId appears a second time in the same map; expected each key once (one of the two would be ignored)",
    ),
    names: names("line 2, column 1", "key trelicaOrganizationId appears a second time", "each key once"),
  },
  {
    given: "an empty file",
    produce: config(""),
    message: problem("got an empty file; expected the settings as `key: value` lines, at least `trelicaOrganizationId` and one account (see README, \"Config reference\")"),
    names: names("Config file <dir>/trelica.yaml", "an empty file", "at least `trelicaOrganizationId` and one account"),
  },
  {
    given: "an empty JSON file",
    produce: config("", {}, "trelica.json"),
    message: lines(
      "Config file <dir>/trelica.json has 1 problem; nothing was written:",
      "  - got an empty file; expected the settings as `key: value` lines, at least `trelicaOrganizationId` and one account (see README, \"Config reference\")",
    ),
    names: names("Config file <dir>/trelica.json", "an empty file", "at least `trelicaOrganizationId` and one account"),
  },
  {
    given: "a list at the top level",
    produce: config("- a\n- b\n"),
    message: problem("got [\"a\",\"b\"] at the top level; expected the settings as `key: value` lines, at least `trelicaOrganizationId` and one account (see README, \"Config reference\")"),
    names: names("Config file <dir>/trelica.yaml", '["a","b"] at the top level', "the settings as `key: value` lines"),
  },

  // ---- keys and values (app/config/load.ts, issues.ts, schema.ts)
  {
    given: "a misspelt top-level key",
    produce: config(`${VALID}regoin: eu-west-1\n`),
    message: problem("regoin: unknown key. Did you mean `region`? Allowed here: mode, stackSet, trelicaOrganizationId, trelicaAccountId, region, services, role, deployment, accountsFile, include, exclude, managementAccountId, adoptExisting, backend, terraformCloud, accounts"),
    names: names("regoin", "regoin", "Did you mean `region`?"),
    sites: [site("app/config/load.ts", " Did you mean `…`?")],
  },
  {
    given: "a key that is close to none",
    produce: config(`${VALID}colour: red\n`),
    message: problem("colour: unknown key. Allowed here: mode, stackSet, trelicaOrganizationId, trelicaAccountId, region, services, role, deployment, accountsFile, include, exclude, managementAccountId, adoptExisting, backend, terraformCloud, accounts"),
    names: names("colour", "colour", "Allowed here: mode, stackSet"),
  },
  {
    given: "a misspelt key in a backend",
    produce: config(`${VALID}backend: { type: s3, bucket: b, buckt: c }\n`),
    message: problem("backend.buckt: unknown key. Did you mean `bucket`? Allowed here: type, bucket, region, key, encrypt, useLockfile, dynamodbTable, roleArn"),
    names: names("backend.buckt", "buckt", "Did you mean `bucket`?"),
  },
  {
    given: "a misspelt service",
    produce: config(`${ORG}services: { cognitio: true }\n${ONE}`),
    message: problem("services.cognitio: unknown key. Did you mean `cognito`? Allowed here: cognito, connect, iam, organizations"),
    names: names("services.cognitio", "cognitio", "Did you mean `cognito`?"),
  },
  {
    given: "no organization ID",
    produce: config(ONE),
    message: problem("trelicaOrganizationId: is required; expected your Trelica organization ID (2 to 1224 characters of letters, digits and _+=,.@:/-)"),
    names: names("trelicaOrganizationId", absent("is required"), "your Trelica organization ID (2 to 1224 characters"),
    sites: [site("app/config/load.ts", "Config file … has …; nothing was written:")],
  },
  {
    given: "an organization ID AWS refuses",
    produce: config(`trelicaOrganizationId: "org 42!"\n${ONE}`),
    message: problem("trelicaOrganizationId: got \"org 42!\"; expected your Trelica organization ID (2 to 1224 characters of letters, digits and _+=,.@:/-)"),
    names: names("trelicaOrganizationId", '"org 42!"', "2 to 1224 characters of letters, digits and _+=,.@:/-"),
  },
  {
    given: "an organization ID written as a number",
    produce: config(`trelicaOrganizationId: 12345\n${ONE}`),
    message: problem("trelicaOrganizationId: got the number 12345; expected text (YAML reads unquoted digits as a number). Quote it: \"12345\""),
    names: names("trelicaOrganizationId", "12345", 'Quote it: "12345"'),
  },
  {
    given: "an account ID written as a number with a leading zero",
    produce: config(`${ORG}accounts:\n  - id: 012345678901\n`),
    message: problem("accounts[0].id: got the number 012345678901; YAML reads unquoted digits as a number and drops leading zeros. Quote it: \"012345678901\""),
    names: names("accounts[0].id", "012345678901", 'Quote it: "012345678901"'),
  },
  {
    given: "an account ID written as a number without one",
    produce: config(`${ORG}accounts:\n  - id: 111111111111\n`),
    message: problem("accounts[0].id: got the number 111111111111; expected text (YAML reads unquoted digits as a number). Quote it: \"111111111111\""),
    names: names("accounts[0].id", "111111111111", 'Quote it: "111111111111"'),
  },
  {
    given: "an account ID written as a number that quoting would not mend",
    produce: config(`${ORG}accounts:\n  - id: 12345\n`),
    message: problem("accounts[0].id: got 12345; expected exactly 12 digits, as a string"),
    names: names("accounts[0].id", "12345", "exactly 12 digits, as a string"),
  },
  {
    given: "a short account ID",
    produce: config(`${ORG}accounts: [{ id: "0123" }]\n`),
    message: problem("accounts[0].id: got \"0123\"; expected exactly 12 digits, as a string"),
    names: names("accounts[0].id", '"0123"', "exactly 12 digits, as a string"),
    sites: [site("app/config/load.ts", "…: got …; expected ……")],
  },
  {
    given: "a region that does not exist, close to one",
    produce: config(`${VALID}region: us-east-7\n`),
    message: problem("region: got \"us-east-7\"; expected an AWS region name such as us-east-1. Did you mean `us-east-1`?"),
    names: names("region", '"us-east-7"', "Did you mean `us-east-1`?"),
    sites: [site("app/config/issues.ts", ". Did you mean `…`?")],
  },
  {
    given: "a region written as a number",
    produce: config(`${VALID}region: 5\n`),
    message: problem("region: got 5; expected an AWS region name such as us-east-1"),
    names: names("region", "5", "an AWS region name such as us-east-1"),
  },
  {
    given: "a mode close to one",
    produce: config(`${VALID}mode: stackst\n`),
    message: problem("mode: got \"stackst\"; expected accounts or stackset. Did you mean `stackset`?"),
    names: names("mode", '"stackst"', "Did you mean `stackset`?"),
  },
  {
    given: "a flag that is not true or false",
    produce: config(`${VALID}adoptExisting: "yes"\n`),
    message: problem("adoptExisting: got \"yes\"; expected true or false"),
    names: names("adoptExisting", '"yes"', "true or false"),
    sites: [site("app/config/schema.ts", "true or false")],
  },
  {
    given: "services that are not a map",
    produce: config(`${VALID}services: yes\n`),
    message: problem("services: got \"yes\"; expected a map with the keys cognito, connect, iam, organizations"),
    names: names("services", '"yes"', "a map with the keys cognito, connect, iam, organizations"),
  },
  {
    given: "accounts that are not a list",
    produce: config(`${ORG}accounts: 5\n`),
    message: problem("accounts: got 5; expected a list of accounts, each with a quoted 12-digit id"),
    names: names("accounts", "5", "a list of accounts, each with a quoted 12-digit id"),
  },
  {
    given: "an account that is not a map",
    produce: config(`${ORG}accounts: [5]\n`),
    message: problem("accounts[0]: got 5; expected a map with the keys id, name, services, region, assumeRoleName, adoptExisting, policyName"),
    names: names("accounts[0]", "5", "a map with the keys id, name"),
  },
  {
    given: "an account name that is a list",
    produce: config(`${ORG}accounts: [{ id: "111111111111", name: [a] }]\n`),
    message: problem("accounts[0].name: got [\"a\"]; expected a display name (string)"),
    names: names("accounts[0].name", '["a"]', "a display name (string)"),
  },
  {
    given: "an assumeRoleName of true",
    produce: config(`${ORG}accounts: [{ id: "111111111111", assumeRoleName: true }]\n`),
    message: problem("accounts[0].assumeRoleName: got true; expected an IAM role name, or false for the ambient credentials"),
    names: names("accounts[0].assumeRoleName", "true", "an IAM role name, or false for the ambient credentials"),
  },
  {
    given: "an include that is not a list",
    produce: config(`${VALID}include: "prod-*"\n`),
    message: problem("include: got \"prod-*\"; expected a list of account ID or name globs"),
    names: names("include", '"prod-*"', "a list of account ID or name globs"),
  },
  {
    given: "an empty include glob",
    produce: config(`${VALID}include: [""]\n`),
    message: problem("include[0]: got \"\"; expected an account ID or name glob such as \"1234*\" or \"prod-*\""),
    names: names("include[0]", '""', 'an account ID or name glob such as "1234*" or "prod-*"'),
  },
  {
    given: "an empty accountsFile",
    produce: config(`${VALID}accountsFile: ""\n`),
    message: problem("accountsFile: got \"\"; expected a path to the JSON that `aws organizations list-accounts` prints"),
    names: names("accountsFile", '""', "a path to the JSON that `aws organizations list-accounts` prints"),
  },
  {
    given: "a permissions boundary that is not a policy ARN",
    produce: config(`${VALID}role: { permissionsBoundaryArn: Boundary }\n`),
    message: problem("role.permissionsBoundaryArn: got \"Boundary\"; expected an IAM policy ARN: arn:aws:iam::{accountId}:policy/Boundary for the policy of that name in each account, an AWS-managed policy such as arn:aws:iam::aws:policy/ReadOnlyAccess, or one account's policy when only that account is deployed"),
    names: names("role.permissionsBoundaryArn", '"Boundary"', "an IAM policy ARN: arn:aws:iam::{accountId}:policy/Boundary"),
  },
  {
    given: "a session of a minute",
    produce: config(`${VALID}role: { maxSessionDuration: 60 }\n`),
    message: problem("role.maxSessionDuration: got 60; expected whole seconds from 3600 (1 hour) to 43200 (12 hours)"),
    names: names("role.maxSessionDuration", "60", "whole seconds from 3600 (1 hour) to 43200 (12 hours)"),
  },
  {
    given: "a policy name with a space",
    produce: config(`${VALID}role: { policyName: "has space" }\n`),
    message: problem("role.policyName: got \"has space\"; expected 1 to 128 characters of letters, digits and _+=,.@-"),
    names: names("role.policyName", '"has space"', "1 to 128 characters of letters, digits and _+=,.@-"),
  },
  {
    given: "a description with Terraform template syntax",
    produce: config(`${VALID}role: { description: "costs \${var.x}" }\n`),
    message: problem("role.description: got \"costs ${var.x}\"; expected up to 1000 printable characters, without \"${\" or \"%{\""),
    names: names("role.description", '"costs ${var.x}"', 'up to 1000 printable characters, without "${" or "%{"'),
  },
  {
    given: "tags that are not a map",
    produce: config(`${VALID}role: { tags: [a] }\n`),
    message: problem("role.tags: got [\"a\"]; expected a map of tag names to string values"),
    names: names("role.tags", '["a"]', "a map of tag names to string values"),
  },
  {
    given: "a tag value that is a list",
    produce: config(`${VALID}role: { tags: { team: [a] } }\n`),
    message: problem("role.tags.team: got [\"a\"]; expected a string tag value"),
    names: names("role.tags.team", '["a"]', "a string tag value"),
    sites: [site("app/config/schema.ts", "a string tag value")],
  },
  {
    given: "a tag value written as a number",
    produce: config(`${VALID}role: { tags: { cost: 5 } }\n`),
    message: problem("role.tags.cost: got the number 5; expected text (YAML reads unquoted digits as a number). Quote it: \"5\""),
    names: names("role.tags.cost", "5", 'Quote it: "5"'),
  },
  {
    given: "a tag key with AWS's prefix",
    produce: config(`${VALID}role: { tags: { "AWS:team": it } }\n`),
    message: problem("role.tags.AWS:team: got \"AWS:team\"; expected a tag key that does not start with \"aws:\" in any case (AWS reserves that prefix for its own tags)"),
    names: names("role.tags.AWS:team", '"AWS:team"', 'a tag key that does not start with "aws:" in any case'),
  },
  {
    given: "two tag keys equal but for case",
    produce: config(`${VALID}role: { tags: { Team: it, team: platform } }\n`),
    message: problem("role.tags.team: got \"team\"; expected a tag key that differs from \"Team\" by more than case (IAM treats \"Team\" and \"team\" as the same key)"),
    names: names("role.tags.team", '"team"', 'differs from "Team" by more than case'),
  },
  {
    given: "a tag key of 129 characters",
    produce: config(`${VALID}role: { tags: { ${"k".repeat(129)}: v } }\n`),
    message: problem("role.tags.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk: got \"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...; expected a tag key of 1 to 128 characters of letters, digits, spaces and _.:/=+-@"),
    names: names(`role.tags.${"k".repeat(129)}`, `"${"k".repeat(76)}...`, "a tag key of 1 to 128 characters"),
  },
  {
    given: "a tag value IAM refuses",
    produce: config(`${VALID}role: { tags: { owner: "a;b" } }\n`),
    message: problem("role.tags.owner: got \"a;b\"; expected a tag value of 0 to 256 characters of letters, digits, spaces and _.:/=+-@"),
    names: names("role.tags.owner", '"a;b"', "a tag value of 0 to 256 characters"),
  },
  {
    given: "51 tags",
    produce: config(`${VALID}role: { tags: ${JSON.stringify(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, "v"])))} }\n`),
    message: problem("role.tags: got {\"t0\":\"v\",\"t1\":\"v\",\"t2\":\"v\",\"t3\":\"v\",\"t4\":\"v\",\"t5\":\"v\",\"t6\":\"v\",\"t7\":\"v\",\"t8\"...; expected at most 50 tags (IAM's limit per role and per policy), not 51"),
    names: names("role.tags", '{"t0":"v"', "at most 50 tags (IAM's limit per role and per policy), not 51"),
    sites: [site("modules/trelica-integration/rules.ts", "…, not …")],
  },
  {
    given: "a role name with a space",
    produce: config(`${VALID}deployment: { assumeRoleName: "Org Access" }\n`),
    message: problem("deployment.assumeRoleName: got \"Org Access\"; expected an IAM role name (1 to 64 characters of letters, digits and _+=,.@-)"),
    names: names("deployment.assumeRoleName", '"Org Access"', "an IAM role name (1 to 64 characters"),
    sites: [site("app/config/schema.ts", "an IAM role name (1 to 64 characters of letters, digits and _+=,.@-)")],
  },
  {
    given: "a value that holds the program's reserved marker",
    produce: config(`${ORG}accounts: [{ id: "111111111111", name: "a-TRELICAACCOUNTIDSENTINEL" }]\n`),
    message: problem("accounts[0].name: got \"a-TRELICAACCOUNTIDSENTINEL\"; expected a value without \"TRELICAACCOUNTIDSENTINEL\", a marker this program reserves for itself"),
    names: names("accounts[0].name", '"a-TRELICAACCOUNTIDSENTINEL"', "a value without"),
  },

  // ---- backends
  {
    given: "a backend type close to one",
    produce: config(`${VALID}backend: { type: s4 }\n`),
    message: problem("backend.type: got \"s4\"; expected a backend with `type` one of local, s3, cloud. Did you mean `s3`?"),
    names: names("backend.type", '"s4"', "Did you mean `s3`?"),
  },
  {
    given: "an empty S3 bucket",
    produce: config(`${VALID}backend: { type: s3, bucket: "" }\n`),
    message: problem("backend.bucket: got \"\"; expected an S3 bucket name"),
    names: names("backend.bucket", '""', "an S3 bucket name"),
  },
  {
    given: "an S3 key without {accountId}",
    produce: config(`${VALID}backend: { type: s3, bucket: b, key: state.tfstate }\n`),
    message: problem("backend.key: got \"state.tfstate\"; expected an S3 key pattern containing {accountId}, so each account has its own state (without it all accounts would share one state file)"),
    names: names("backend.key", '"state.tfstate"', "an S3 key pattern containing {accountId}, so each account has its own state"),
  },
  {
    given: "an S3 key that is a number",
    produce: config(`${VALID}backend: { type: s3, bucket: b, key: 5 }\n`),
    message: problem("backend.key: got 5; expected an S3 key pattern containing {accountId}"),
    names: names("backend.key", "5", "an S3 key pattern containing {accountId}"),
    sites: [site("app/config/schema.ts", "an S3 key pattern containing …")],
  },
  {
    given: "an empty DynamoDB table",
    produce: config(`${VALID}backend: { type: s3, bucket: b, dynamodbTable: "" }\n`),
    message: problem("backend.dynamodbTable: got \"\"; expected a DynamoDB table name"),
    names: names("backend.dynamodbTable", '""', "a DynamoDB table name"),
  },
  {
    given: "a state role that is not a role ARN",
    produce: config(`${VALID}backend: { type: s3, bucket: b, roleArn: "arn:aws:iam::1:role/x" }\n`),
    message: problem("backend.roleArn: got \"arn:aws:iam::1:role/x\"; expected an IAM role ARN such as arn:aws:iam::123456789012:role/TerraformState"),
    names: names("backend.roleArn", '"arn:aws:iam::1:role/x"', "an IAM role ARN such as arn:aws:iam::123456789012:role/TerraformState"),
  },
  {
    given: "an empty Terraform Cloud organization",
    produce: config(`${VALID}backend: { type: cloud, organization: "" }\n`),
    message: problem("backend.organization: got \"\"; expected your Terraform Cloud organization name"),
    names: names("backend.organization", '""', "your Terraform Cloud organization name"),
  },
  {
    given: "an empty Terraform Cloud host",
    produce: config(`${VALID}backend: { type: cloud, organization: acme, hostname: "" }\n`),
    message: problem("backend.hostname: got \"\"; expected a Terraform Cloud or Enterprise host name"),
    names: names("backend.hostname", '""', "a Terraform Cloud or Enterprise host name"),
  },
  {
    given: "an empty Terraform Cloud project",
    produce: config(`${VALID}backend: { type: cloud, organization: acme, project: "" }\n`),
    message: problem("backend.project: got \"\"; expected a Terraform Cloud project name"),
    names: names("backend.project", '""', "a Terraform Cloud project name"),
    sites: [site("app/config/schema.ts", "a Terraform Cloud project name")],
  },
  {
    given: "a workspace name without {accountId}",
    produce: config(`${VALID}backend: { type: cloud, organization: acme, workspaceName: trelica }\n`),
    message: problem("backend.workspaceName: got \"trelica\"; expected a workspace name pattern containing {accountId}, so each account has its own workspace"),
    names: names("backend.workspaceName", '"trelica"', "a workspace name pattern containing {accountId}, so each account has its own workspace"),
  },
  {
    given: "a workspace name that is a list",
    produce: config(`${VALID}backend: { type: cloud, organization: acme, workspaceName: [a] }\n`),
    message: problem("backend.workspaceName: got [\"a\"]; expected a workspace name pattern containing {accountId}"),
    names: names("backend.workspaceName", '["a"]', "a workspace name pattern containing {accountId}"),
    sites: [site("app/config/schema.ts", "a workspace name pattern containing …")],
  },
  {
    given: "an empty workspace tag",
    produce: config(`${VALID}backend: { type: cloud, organization: acme, workspaceTags: [""] }\n`),
    message: problem("backend.workspaceTags[0]: got \"\"; expected a workspace tag"),
    names: names("backend.workspaceTags[0]", '""', "a workspace tag"),
  },
  {
    given: "workspace tags that are not a list",
    produce: config(`${VALID}backend: { type: cloud, organization: acme, workspaceTags: trelica }\n`),
    message: problem("backend.workspaceTags: got \"trelica\"; expected a list of workspace tags"),
    names: names("backend.workspaceTags", '"trelica"', "a list of workspace tags"),
  },
  {
    given: "no workspace tags",
    produce: config(`${VALID}backend: { type: cloud, organization: acme, workspaceTags: [] }\n`),
    message: problem("backend.workspaceTags: got []; expected at least one tag"),
    names: names("backend.workspaceTags", "[]", "at least one tag"),
    sites: [site("app/config/schema.ts", "at least one tag")],
  },
  {
    given: "workspace tags without {accountId}",
    produce: config(`${VALID}backend: { type: cloud, organization: acme, workspaceTags: [trelica] }\n`),
    message: problem("backend.workspaceTags: got [\"trelica\"]; expected at least one tag containing {accountId}, such as \"trelica-{accountId}\", so each account's stack selects only its own workspace (the same tags on every stack would put all accounts behind one workspace)"),
    names: names("backend.workspaceTags", '["trelica"]', "at least one tag containing {accountId}"),
  },
  {
    given: "a workspace name and tags together",
    produce: config(`${VALID}backend: { type: cloud, organization: acme, workspaceName: "t-{accountId}", workspaceTags: ["t-{accountId}"] }\n`),
    message: problem("backend.workspaceTags: given with backend.workspaceName; expected one of the two ways to choose workspaces"),
    names: names("backend.workspaceTags", "given with backend.workspaceName", "one of the two ways to choose workspaces"),
  },

  // ---- cross-field checks (app/config/semantics.ts)
  {
    given: "every default service off",
    produce: config(`${ORG}services: { cognito: false, connect: false, iam: false, organizations: false }\naccounts: [{ id: "111111111111", services: { iam: true } }]\n`),
    message: problem("services: got {\"cognito\":false,\"connect\":false,\"iam\":false,\"organizations\":false}; expected at least one of cognito, connect, iam, organizations set to true"),
    names: names("services", '{"cognito":false,"connect":false,"iam":false,"organizations":false}', "at least one of cognito, connect, iam, organizations set to true"),
  },
  {
    given: "no accounts and no accountsFile",
    produce: config(ORG),
    message: problem("accounts: got nothing; expected at least one account, or an accountsFile"),
    names: names("accounts", absent("got nothing"), "at least one account, or an accountsFile"),
  },
  {
    given: "an empty account list",
    produce: config(`${ORG}accounts: []\n`),
    message: problem("accounts: got []; expected at least one account, or an accountsFile"),
    names: names("accounts", "[]", "at least one account, or an accountsFile"),
  },
  {
    given: "an account listed twice",
    produce: config(`${ORG}accounts: [{ id: "111111111111" }, { id: "111111111111" }]\n`),
    message: problem("accounts[1].id: got \"111111111111\" again (first at accounts[0]); each account may appear once"),
    names: names("accounts[1].id", '"111111111111" again', "each account may appear once"),
  },
  {
    given: "a GovCloud region without Trelica's GovCloud account",
    produce: config(`${VALID}region: us-gov-west-1\n`),
    message: problem("region: got \"us-gov-west-1\", a region of the aws-us-gov partition, and no trelicaAccountId; Trelica's account 377450845233 is in the commercial aws partition and cannot assume a role in aws-us-gov (arn:aws-us-gov:iam::377450845233:root would be whoever holds that ID there). Set trelicaAccountId to the account Trelica gave you for aws-us-gov, or use a region of the aws partition"),
    names: names("region", '"us-gov-west-1"', "Set trelicaAccountId to the account Trelica gave you for aws-us-gov"),
  },
  {
    given: "a boundary of another partition than the region's",
    produce: config(`${VALID}role: { permissionsBoundaryArn: "arn:aws-cn:iam::aws:policy/ReadOnlyAccess" }\n`),
    message: problem("role.permissionsBoundaryArn: got \"arn:aws-cn:iam::aws:policy/ReadOnlyAccess\", an ARN of the aws-cn partition; expected one of the aws partition, where the role is (region us-east-1)"),
    names: names("role.permissionsBoundaryArn", '"arn:aws-cn:iam::aws:policy/ReadOnlyAccess"', "one of the aws partition"),
  },

  // ---- mode: stackset
  {
    given: "mode: stackset without stackSet",
    produce: config(`${ORG}mode: stackset\nmanagementAccountId: "111111111111"\n`),
    message: problem("stackSet: is required with mode: stackset; expected at least stackSet.organizationalUnitIds"),
    names: names("stackSet", absent("is required"), "at least stackSet.organizationalUnitIds"),
  },
  {
    given: "mode: stackset without the management account",
    produce: config(`${ORG}mode: stackset\nstackSet: { organizationalUnitIds: [r-abcd] }\n`),
    message: problem("managementAccountId: is required with mode: stackset; expected the 12-digit ID of the Organization's management account"),
    names: names("managementAccountId", absent("is required"), "the 12-digit ID of the Organization's management account"),
  },
  {
    given: "mode: stackset with accounts",
    produce: config(`${stackSet("")}${ONE}`),
    message: problem("accounts: only read in the default mode (one stack per account); with mode: stackset, target accounts with stackSet.organizationalUnitIds and stackSet.accountFilter"),
    names: names("accounts", "only read in the default mode", "target accounts with stackSet.organizationalUnitIds"),
  },
  {
    given: "stackSet without mode: stackset",
    produce: config(`${VALID}stackSet: { organizationalUnitIds: [r-abcd] }\n`),
    message: problem("stackSet: only read with mode: stackset; add `mode: stackset`, or remove stackSet"),
    names: names("stackSet", "only read with mode: stackset", "add `mode: stackset`, or remove stackSet"),
  },
  {
    given: "callAs DELEGATED_ADMIN without the administrator",
    produce: config(stackSet("callAs: DELEGATED_ADMIN")),
    message: problem("stackSet.delegatedAdminAccountId: is required with callAs: DELEGATED_ADMIN; expected the delegated administrator's 12-digit account ID"),
    names: names("stackSet.delegatedAdminAccountId", absent("is required"), "the delegated administrator's 12-digit account ID"),
  },
  {
    given: "a count and a percentage of concurrent accounts",
    produce: config(stackSet("maxConcurrentCount: 2, maxConcurrentPercentage: 10")),
    message: problem("stackSet.maxConcurrentPercentage: given with stackSet.maxConcurrentCount; expected one of the two"),
    names: names("stackSet.maxConcurrentPercentage", "given with stackSet.maxConcurrentCount", "one of the two"),
  },
  {
    given: "one account's boundary in stackset mode",
    produce: config(`${stackSet("")}role: { permissionsBoundaryArn: "arn:aws:iam::111111111111:policy/Boundary" }\n`),
    message: problem("role.permissionsBoundaryArn: got \"arn:aws:iam::111111111111:policy/Boundary\", a policy of account 111111111111; with mode: stackset the role is in every enrolled account, and IAM refuses a boundary the role's account does not own. Expected \"arn:aws:iam::{accountId}:policy/Boundary\" ({accountId} becomes each account's ID, so each account needs that policy), or an AWS-managed policy (arn:aws:iam::aws:policy/...)"),
    names: names("role.permissionsBoundaryArn", '"arn:aws:iam::111111111111:policy/Boundary"', 'Expected "arn:aws:iam::{accountId}:policy/Boundary"'),
  },
  {
    given: "an organizational unit ID of the wrong form",
    produce: config(`${STACKSET}stackSet: { organizationalUnitIds: [ou-bad] }\n`),
    message: problem("stackSet.organizationalUnitIds[0]: got \"ou-bad\"; expected an organizational unit ID (ou-xxxx-xxxxxxxx) or the root ID (r-xxxx)"),
    names: names("stackSet.organizationalUnitIds[0]", '"ou-bad"', "an organizational unit ID (ou-xxxx-xxxxxxxx) or the root ID (r-xxxx)"),
  },
  {
    given: "organizational units that are not a list",
    produce: config(`${STACKSET}stackSet: { organizationalUnitIds: r-abcd }\n`),
    message: problem("stackSet.organizationalUnitIds: got \"r-abcd\"; expected a list of organizational unit IDs to enrol"),
    names: names("stackSet.organizationalUnitIds", '"r-abcd"', "a list of organizational unit IDs to enrol"),
  },
  {
    given: "no organizational unit",
    produce: config(`${STACKSET}stackSet: { organizationalUnitIds: [] }\n`),
    message: problem("stackSet.organizationalUnitIds: got []; expected at least one organizational unit (or the root) to enrol"),
    names: names("stackSet.organizationalUnitIds", "[]", "at least one organizational unit (or the root) to enrol"),
  },
  {
    given: "a stack set name starting with a digit",
    produce: config(stackSet("name: 1trelica")),
    message: problem("stackSet.name: got \"1trelica\"; expected a stack set name: a letter, then letters, digits and hyphens, up to 128"),
    names: names("stackSet.name", '"1trelica"', "a stack set name: a letter, then letters, digits and hyphens, up to 128"),
  },
  {
    given: "an account filter type close to one",
    produce: config(stackSet('accountFilter: { type: INTERSECT, accounts: ["111111111111"] }')),
    message: problem("stackSet.accountFilter.type: got \"INTERSECT\"; expected INTERSECTION, DIFFERENCE or UNION. Did you mean `INTERSECTION`?"),
    names: names("stackSet.accountFilter.type", '"INTERSECT"', "Did you mean `INTERSECTION`?"),
  },
  {
    given: "an account filter whose accounts are not a list",
    produce: config(stackSet('accountFilter: { type: UNION, accounts: "111111111111" }')),
    message: problem("stackSet.accountFilter.accounts: got \"111111111111\"; expected a list of account IDs"),
    names: names("stackSet.accountFilter.accounts", '"111111111111"', "a list of account IDs"),
  },
  {
    given: "an account filter without accounts",
    produce: config(stackSet("accountFilter: { type: UNION, accounts: [] }")),
    message: problem("stackSet.accountFilter.accounts: got []; expected at least one account ID"),
    names: names("stackSet.accountFilter.accounts", "[]", "at least one account ID"),
  },
  {
    given: "an account filter that is not a map",
    produce: config(stackSet("accountFilter: UNION")),
    message: problem("stackSet.accountFilter: got \"UNION\"; expected a map with the keys type, accounts"),
    names: names("stackSet.accountFilter", '"UNION"', "a map with the keys type, accounts"),
  },
  {
    given: "a callAs close to one",
    produce: config(stackSet("callAs: SELF_")),
    message: problem("stackSet.callAs: got \"SELF_\"; expected SELF or DELEGATED_ADMIN. Did you mean `SELF`?"),
    names: names("stackSet.callAs", '"SELF_"', "Did you mean `SELF`?"),
  },
  {
    given: "no concurrent accounts",
    produce: config(stackSet("maxConcurrentCount: 0")),
    message: problem("stackSet.maxConcurrentCount: got 0; expected a whole number of accounts at once, 1 or more"),
    names: names("stackSet.maxConcurrentCount", "0", "a whole number of accounts at once, 1 or more"),
  },
  {
    given: "a concurrency percentage of 0",
    produce: config(stackSet("maxConcurrentPercentage: 0")),
    message: problem("stackSet.maxConcurrentPercentage: got 0; expected a whole percentage from 1 to 100"),
    names: names("stackSet.maxConcurrentPercentage", "0", "a whole percentage from 1 to 100"),
  },
  {
    given: "a negative failure tolerance",
    produce: config(stackSet("failureToleranceCount: -1")),
    message: problem("stackSet.failureToleranceCount: got -1; expected a whole number of failures, 0 or more"),
    names: names("stackSet.failureToleranceCount", "-1", "a whole number of failures, 0 or more"),
  },
  {
    given: "a failure tolerance over 100%",
    produce: config(stackSet("failureTolerancePercentage: 101")),
    message: problem("stackSet.failureTolerancePercentage: got 101; expected a whole percentage from 0 to 100"),
    names: names("stackSet.failureTolerancePercentage", "101", "a whole percentage from 0 to 100"),
  },
  {
    given: "a region concurrency close to one",
    produce: config(stackSet("regionConcurrencyType: PARALEL")),
    message: problem("stackSet.regionConcurrencyType: got \"PARALEL\"; expected SEQUENTIAL or PARALLEL. Did you mean `PARALLEL`?"),
    names: names("stackSet.regionConcurrencyType", '"PARALEL"', "Did you mean `PARALLEL`?"),
  },

  // ---- terraformCloud (app/config/terraform-cloud.ts)
  {
    given: "a Terraform Cloud organization name with a space",
    produce: config(terraformCloud('organization: "acme corp"')),
    message: problem("terraformCloud.organization: got \"acme corp\"; expected a Terraform Cloud organization name (letters, digits, _ and -)"),
    names: names("terraformCloud.organization", '"acme corp"', "a Terraform Cloud organization name (letters, digits, _ and -)"),
  },
  {
    given: "a Terraform Cloud project name of two letters",
    produce: config(`${CLOUD}terraformCloud: { project: ab }\n`),
    message: problem("terraformCloud.project: got \"ab\"; expected a Terraform Cloud project name (3 to 40 letters, digits, inner spaces, _ and -)"),
    names: names("terraformCloud.project", '"ab"', "a Terraform Cloud project name (3 to 40 letters"),
  },
  {
    given: "a createProject that is not true or false",
    produce: config(terraformCloud('createProject: "yes"')),
    message: problem("terraformCloud.createProject: got \"yes\"; expected true or false"),
    names: names("terraformCloud.createProject", '"yes"', "true or false"),
    sites: [site("app/config/terraform-cloud.ts", "true or false")],
  },
  {
    given: "a Terraform Cloud host given as a URL",
    produce: config(terraformCloud('hostname: "https://app.terraform.io"')),
    message: problem("terraformCloud.hostname: got \"https://app.terraform.io\"; expected a host name such as app.terraform.io or tfe.example.com (no https://, no path)"),
    names: names("terraformCloud.hostname", '"https://app.terraform.io"', "a host name such as app.terraform.io"),
  },
  {
    given: "an agent pool ID of the wrong form",
    produce: config(terraformCloud("workspace: { executionMode: agent, agentPoolId: pool-1 }")),
    message: problem("terraformCloud.workspace.agentPoolId: got \"pool-1\"; expected an agent pool ID such as apool-AbCd1234"),
    names: names("terraformCloud.workspace.agentPoolId", '"pool-1"', "an agent pool ID such as apool-AbCd1234"),
    sites: [site("app/config/terraform-cloud.ts", "an agent pool ID such as apool-AbCd1234")],
  },
  {
    given: "an execution mode that does not exist",
    produce: config(terraformCloud("workspace: { executionMode: local }")),
    message: problem("terraformCloud.workspace.executionMode: got \"local\"; expected remote or agent"),
    names: names("terraformCloud.workspace.executionMode", '"local"', "remote or agent"),
  },
  {
    given: "a Terraform version that is not one",
    produce: config(terraformCloud("workspace: { terraformVersion: newest }")),
    message: problem("terraformCloud.workspace.terraformVersion: got \"newest\"; expected a Terraform version or constraint such as \"1.9.8\", \"~> 1.9.0\" or \"latest\""),
    names: names("terraformCloud.workspace.terraformVersion", '"newest"', 'a Terraform version or constraint such as "1.9.8"'),
  },
  {
    given: "workspace tags that are not a map",
    produce: config(terraformCloud("workspace: { tags: [a] }")),
    message: problem("terraformCloud.workspace.tags: got [\"a\"]; expected a map of tag keys to string values"),
    names: names("terraformCloud.workspace.tags", '["a"]', "a map of tag keys to string values"),
  },
  {
    given: "a workspace tag value that is a list",
    produce: config(terraformCloud("workspace: { tags: { team: [a] } }")),
    message: problem("terraformCloud.workspace.tags.team: got [\"a\"]; expected a string tag value"),
    names: names("terraformCloud.workspace.tags.team", '["a"]', "a string tag value"),
    sites: [site("app/config/terraform-cloud.ts", "a string tag value")],
  },
  {
    given: "a run role name with a space",
    produce: config(terraformCloud('runRoleName: "Run Role"')),
    message: problem("terraformCloud.runRoleName: got \"Run Role\"; expected an IAM role name (1 to 64 characters of letters, digits and _+=,.@-)"),
    names: names("terraformCloud.runRoleName", '"Run Role"', "an IAM role name (1 to 64 characters of letters, digits and _+=,.@-)"),
    sites: [site("app/config/terraform-cloud.ts", "an IAM role name (1 to 64 characters of letters, digits and _+=,.@-)")],
  },
  {
    given: "an AWS Organization ID of the wrong form",
    produce: config(terraformCloud("awsOrganizationId: o-123")),
    message: problem("terraformCloud.awsOrganizationId: got \"o-123\"; expected an AWS Organization ID such as o-a1b2c3d4e5 (aws organizations describe-organization --query Organization.Id)"),
    names: names("terraformCloud.awsOrganizationId", '"o-123"', "an AWS Organization ID such as o-a1b2c3d4e5"),
  },
  {
    given: "a repository without its owner",
    produce: config(terraformCloud("vcs: { identifier: identity, oauthTokenId: ot-1 }")),
    message: problem("terraformCloud.vcs.identifier: got \"identity\"; expected a repository identifier such as acme/identity"),
    names: names("terraformCloud.vcs.identifier", '"identity"', "a repository identifier such as acme/identity"),
  },
  {
    given: "an empty branch",
    produce: config(terraformCloud('vcs: { identifier: acme/x, oauthTokenId: ot-1, branch: "" }')),
    message: problem("terraformCloud.vcs.branch: got \"\"; expected a branch name"),
    names: names("terraformCloud.vcs.branch", '""', "a branch name"),
  },
  {
    given: "an OAuth token ID of the wrong form",
    produce: config(terraformCloud("vcs: { identifier: acme/x, oauthTokenId: token }")),
    message: problem("terraformCloud.vcs.oauthTokenId: got \"token\"; expected an OAuth token ID such as ot-AbCd1234 (Organization settings > Providers)"),
    names: names("terraformCloud.vcs.oauthTokenId", '"token"', "an OAuth token ID such as ot-AbCd1234"),
  },
  {
    given: "a GitHub App installation given as a number",
    produce: config(terraformCloud("vcs: { identifier: acme/x, githubAppInstallationId: 123 }")),
    message: problem("terraformCloud.vcs.githubAppInstallationId: got 123; expected a GitHub App installation ID such as ghain-AbCd1234"),
    names: names("terraformCloud.vcs.githubAppInstallationId", "123", "a GitHub App installation ID such as ghain-AbCd1234"),
  },
  {
    given: "a working directory without {accountId}",
    produce: config(terraformCloud("vcs: { identifier: acme/x, oauthTokenId: ot-1, workingDirectory: stacks }")),
    message: problem("terraformCloud.vcs.workingDirectory: got \"stacks\"; expected a folder relative to the repository's root containing {accountId}, so each workspace runs its own account's stack"),
    names: names("terraformCloud.vcs.workingDirectory", '"stacks"', "a folder relative to the repository's root containing {accountId}"),
  },
  {
    given: "a working directory that is a list",
    produce: config(terraformCloud("vcs: { identifier: acme/x, oauthTokenId: ot-1, workingDirectory: [a] }")),
    message: problem("terraformCloud.vcs.workingDirectory: got [\"a\"]; expected a folder in the repository containing {accountId}"),
    names: names("terraformCloud.vcs.workingDirectory", '["a"]', "a folder in the repository containing {accountId}"),
  },
  {
    given: "an empty trigger pattern",
    produce: config(terraformCloud('vcs: { identifier: acme/x, oauthTokenId: ot-1, triggerPatterns: [""] }')),
    message: problem("terraformCloud.vcs.triggerPatterns[0]: got \"\"; expected a glob pattern such as /cdktf.out/stacks/trelica-{accountId}/**/*"),
    names: names("terraformCloud.vcs.triggerPatterns[0]", '""', "a glob pattern such as /cdktf.out/stacks/trelica-{accountId}/**/*"),
  },
  {
    given: "trigger patterns that are not a list",
    produce: config(terraformCloud("vcs: { identifier: acme/x, oauthTokenId: ot-1, triggerPatterns: all }")),
    message: problem("terraformCloud.vcs.triggerPatterns: got \"all\"; expected a list of glob patterns"),
    names: names("terraformCloud.vcs.triggerPatterns", '"all"', "a list of glob patterns"),
  },
  {
    given: "no trigger pattern",
    produce: config(terraformCloud("vcs: { identifier: acme/x, oauthTokenId: ot-1, triggerPatterns: [] }")),
    message: problem("terraformCloud.vcs.triggerPatterns: got []; expected at least one pattern"),
    names: names("terraformCloud.vcs.triggerPatterns", "[]", "at least one pattern"),
  },
  {
    given: "a VCS connection with neither ID",
    produce: config(terraformCloud("vcs: { identifier: acme/x }")),
    message: problem("terraformCloud.vcs: got neither oauthTokenId nor githubAppInstallationId; expected exactly one, the connection Terraform Cloud reads the repository through"),
    names: names("terraformCloud.vcs", absent("neither oauthTokenId nor githubAppInstallationId"), "exactly one"),
  },
  {
    given: "a VCS connection with both IDs",
    produce: config(terraformCloud("vcs: { identifier: acme/x, oauthTokenId: ot-1, githubAppInstallationId: ghain-1 }")),
    message: problem("terraformCloud.vcs: got both oauthTokenId and githubAppInstallationId; expected exactly one, the connection Terraform Cloud reads the repository through"),
    names: names("terraformCloud.vcs", "both oauthTokenId and githubAppInstallationId", "exactly one"),
  },
  {
    given: "terraformCloud without a cloud backend",
    produce: config(`${VALID}terraformCloud: { project: identity }\n`),
    message: problem("backend.type: got \"local\"; expected cloud with terraformCloud, so each account stack's cloud block names the workspace the bootstrap stack creates"),
    names: names("backend.type", '"local"', "cloud with terraformCloud"),
  },
  {
    given: "terraformCloud in stackset mode",
    produce: config(`${stackSet("")}backend: { type: cloud, organization: acme }\nterraformCloud: { project: identity }\n`),
    message: problem("terraformCloud: only read in the default mode (one stack per account); with mode: stackset there is one stack, trelica-organization: create its workspace by hand, or remove terraformCloud"),
    names: names("terraformCloud", "only read in the default mode", "create its workspace by hand, or remove terraformCloud"),
  },
  {
    given: "terraformCloud naming another organization than the backend",
    produce: config(terraformCloud("organization: other")),
    message: problem("terraformCloud.organization: got \"other\"; expected \"acme\" (backend.organization), where the account stacks' cloud blocks look for their workspaces, or leave it out"),
    names: names("terraformCloud.organization", '"other"', '"acme" (backend.organization)'),
  },
  {
    given: "terraformCloud with workspace tags",
    produce: config(`${VALID}backend: { type: cloud, organization: acme, workspaceTags: ["t-{accountId}"] }\nterraformCloud: { project: identity }\n`),
    message: problem("backend.workspaceTags: given with terraformCloud; expected backend.workspaceName (default trelica-{accountId}), since the bootstrap stack creates one named workspace per account and each account stack must name its own"),
    names: names("backend.workspaceTags", "given with terraformCloud", "expected backend.workspaceName"),
  },
  {
    given: "agent execution without a pool",
    produce: config(terraformCloud("workspace: { executionMode: agent }")),
    message: problem("terraformCloud.workspace.agentPoolId: is required with executionMode: agent; expected an agent pool ID such as apool-AbCd1234"),
    names: names("terraformCloud.workspace.agentPoolId", absent("is required"), "an agent pool ID such as apool-AbCd1234"),
  },
  {
    given: "an agent pool without agent execution",
    produce: config(terraformCloud("workspace: { agentPoolId: apool-1 }")),
    message: problem("terraformCloud.workspace.agentPoolId: got \"apool-1\" with executionMode \"remote\"; expected executionMode: agent, or no agentPoolId"),
    names: names("terraformCloud.workspace.agentPoolId", '"apool-1"', "executionMode: agent, or no agentPoolId"),
  },
  {
    given: "terraformCloud and no known management account",
    produce: config(terraformCloud("")),
    message: problem("managementAccountId: got nothing, and no accountsFile names it; expected the management account's 12-digit ID with terraformCloud, since the run role and Terraform Cloud's OIDC provider are created there"),
    names: names("managementAccountId", absent("got nothing"), "the management account's 12-digit ID"),
  },
  {
    given: "terraformCloud and an account on ambient credentials",
    produce: config(`${ORG}managementAccountId: "111111111111"\naccounts: [{ id: "111111111111" }, { id: "222222222222", assumeRoleName: false }]\nbackend: { type: cloud, organization: acme }\nterraformCloud: { project: identity }\n`),
    message: problem("accounts[1].assumeRoleName: got false with terraformCloud; expected a role name, since runs in Terraform Cloud start with the management account's run role (TrelicaTerraformCloudRun) and must assume a role to reach any other account"),
    names: names("accounts[1].assumeRoleName", "false", "a role name"),
  },
  {
    given: "terraformCloud naming another Organization than the accounts file",
    produce: config(`${WITH_FILE}backend: { type: cloud, organization: acme }\nterraformCloud: { project: identity, awsOrganizationId: o-aaaaaaaaaa }\n`, { "accounts.json": listAccountsJson([{ Id: "111111111111", State: "ACTIVE" }, { Id: "222222222222", State: "ACTIVE" }]) }),
    message: problem("terraformCloud.awsOrganizationId: got \"o-aaaaaaaaaa\"; expected \"o-abc123def4\", the Organization the accountsFile's account ARNs name, or leave it out to use that one"),
    names: names("terraformCloud.awsOrganizationId", '"o-aaaaaaaaaa"', '"o-abc123def4", the Organization the accountsFile\'s account ARNs name'),
  },
  {
    given: "terraformCloud for 300 accounts without the AWS Organization ID",
    produce: config(
      `${ORG}managementAccountId: "100000000000"\nbackend: { type: cloud, organization: acme }\nterraformCloud: { project: identity }\naccounts:\n${Array.from({ length: 301 }, (_, i) => `  - id: "${100000000000 + i}"\n`).join("")}`,
    ),
    message: problem("terraformCloud.awsOrganizationId: got nothing (and no accountsFile names the Organization), so the run role's policy lists the deployment role of each of 300 member accounts (20224 characters, over IAM's 10240 for a role's inline policies); expected the AWS Organization ID (o-..., aws organizations describe-organization --query Organization.Id), which lets the policy name the role once for the whole Organization"),
    names: names("terraformCloud.awsOrganizationId", absent("got nothing"), "the AWS Organization ID (o-..."),
    sites: [site("app/terraform-cloud-stack.ts", "member account")],
  },

  // ---- the accounts file (app/config/accounts-file.ts)
  {
    given: "an accounts file that does not exist",
    produce: config(`${WITH_FILE}`),
    message: problem("accountsFile (<dir>/accounts.json): the file does not exist; expected the output of `aws organizations list-accounts`"),
    names: names("accountsFile (<dir>/accounts.json)", absent("does not exist"), "the output of `aws organizations list-accounts`"),
    sites: [site("app/config/accounts-file.ts", "…: …; expected the output of `aws organizations list-accounts`")],
  },
  {
    given: "an accounts file that is not JSON",
    produce: config(WITH_FILE, { "accounts.json": '{"Accounts": [}' }),
    message: problem("accountsFile (<dir>/accounts.json): is not JSON at line 1, column 15, in `{\"Accounts\": [}`; expected the output of `aws organizations list-accounts`"),
    names: names("accountsFile (<dir>/accounts.json)", "is not JSON", "the output of `aws organizations list-accounts`"),
  },
  {
    given: "an accounts file holding a list",
    produce: config(WITH_FILE, { "accounts.json": "[]" }),
    message: problem("accountsFile (<dir>/accounts.json): got []; expected {\"Accounts\": [...]}, the output of `aws organizations list-accounts`"),
    names: names("accountsFile (<dir>/accounts.json)", "[]", '{"Accounts": [...]}'),
  },
  {
    given: "an accounts file whose Accounts are not a list",
    produce: config(WITH_FILE, { "accounts.json": '{"Accounts": 5}' }),
    message: problem("accountsFile (<dir>/accounts.json) Accounts: got 5; expected a list of accounts"),
    names: names("Accounts", "5", "a list of accounts"),
    sites: [site("app/config/accounts-file.ts", "a list of accounts")],
  },
  {
    given: "an account in the file that is not a map",
    produce: config(WITH_FILE, accountsFile([5])),
    message: problem("accountsFile (<dir>/accounts.json) Accounts[0]: got 5; expected a map with the keys Id, Arn, Name, Email, State, Status, JoinedMethod"),
    names: names("Accounts[0]", "5", "a map with the keys Id, Arn, Name, Email, State, Status, JoinedMethod"),
  },
  {
    given: "an account in the file without an Id",
    produce: config(WITH_FILE, accountsFile([{ State: "ACTIVE" }])),
    message: problem("accountsFile (<dir>/accounts.json) Accounts[0].Id: is missing; expected exactly 12 digits, as a string"),
    names: names("Accounts[0].Id", absent("is missing"), "exactly 12 digits, as a string"),
  },
  {
    given: "an account in the file with a state close to one",
    produce: config(WITH_FILE, accountsFile(listed({ State: "ACTIV" }))),
    message: problem("accountsFile (<dir>/accounts.json) Accounts[0].State: got \"ACTIV\"; expected one of ACTIVE, PENDING_ACTIVATION, SUSPENDED, PENDING_CLOSURE, CLOSED. Did you mean `ACTIVE`?"),
    names: names("Accounts[0].State", '"ACTIV"', "Did you mean `ACTIVE`?"),
    sites: [site("app/config/accounts-file.ts", "one of …")],
  },
  {
    given: "an account in the file with an old Status that does not exist",
    produce: config(WITH_FILE, accountsFile([{ Id: "111111111111", Status: "GONE" }])),
    message: problem("accountsFile (<dir>/accounts.json) Accounts[0].Status: got \"GONE\"; expected one of ACTIVE, PENDING_ACTIVATION, SUSPENDED, PENDING_CLOSURE, CLOSED"),
    names: names("Accounts[0].Status", '"GONE"', "one of ACTIVE, PENDING_ACTIVATION, SUSPENDED, PENDING_CLOSURE, CLOSED"),
  },
  {
    given: "an account in the file with an ARN that is a number",
    produce: config(WITH_FILE, accountsFile(listed({ Arn: 5 }))),
    message: problem("accountsFile (<dir>/accounts.json) Accounts[0].Arn: got 5; expected an account ARN"),
    names: names("Accounts[0].Arn", "5", "an account ARN"),
  },
  {
    given: "an account in the file with a name that is a number",
    produce: config(WITH_FILE, accountsFile(listed({ Name: 5 }))),
    message: problem("accountsFile (<dir>/accounts.json) Accounts[0].Name: got 5; expected a string"),
    names: names("Accounts[0].Name", "5", "a string"),
    sites: [site("app/config/accounts-file.ts", "a string"), site("app/config/accounts-file.ts", "got …"), site("app/config/accounts-file.ts", "…: …; expected ……")],
  },
  {
    given: "an account in the file with a joining method that is a number",
    produce: config(WITH_FILE, accountsFile(listed({ JoinedMethod: 5 }))),
    message: problem("accountsFile (<dir>/accounts.json) Accounts[0].JoinedMethod: got 5; expected INVITED or CREATED"),
    names: names("Accounts[0].JoinedMethod", "5", "INVITED or CREATED"),
  },
  {
    given: "an account in the file without State or Status",
    produce: config(WITH_FILE, accountsFile([{ Id: "111111111111" }])),
    message: problem("accountsFile (<dir>/accounts.json) Accounts[0]: got {\"Id\":\"111111111111\"}; expected a State (or, in exports before September 2026, a Status) field"),
    names: names("Accounts[0]", '{"Id":"111111111111"}', "a State (or, in exports before September 2026, a Status) field"),
  },
  {
    given: "20 accounts in the file without State or Status",
    produce: config(WITH_FILE, accountsFile(Array.from({ length: 20 }, (_, i) => ({ Id: String(111111111110 + i) })))),
    message: [
      "Config file <dir>/trelica.yaml has 20 problems; nothing was written:",
      "  - accountsFile (<dir>/accounts.json) Accounts[*]: got {\"Id\":\"111111111110\"} at [0], {\"Id\":\"111111111111\"} at [1], {\"Id\":\"111111111112\"} at [2] and 17 more (20 in all); expected a State (or, in exports before September 2026, a Status) field",
    ].join("\n"),
    names: names("Accounts[*]", '{"Id":"111111111110"} at [0]', "a State (or, in exports before September 2026, a Status) field"),
  },
  {
    given: "five accounts with short IDs",
    produce: config(`${ORG}accounts: [{ id: "1" }, { id: "2" }, { id: "3" }, { id: "4" }, { id: "5" }]\n`),
    message: lines(
      "Config file <dir>/trelica.yaml has 5 problems; nothing was written:",
      "  - accounts[*].id: got \"1\" at [0], \"2\" at [1], \"3\" at [2] and 2 more (5 in all); expected exactly 12 digits, as a string",
    ),
    names: names("accounts[*].id", '"1" at [0]', "exactly 12 digits, as a string"),
    sites: [site("app/config/load.ts", "… at …"), site("app/config/load.ts", "…: got …; …")],
  },
  {
    given: "four accounts without IDs",
    produce: config(`${ORG}accounts: [{ name: a }, { name: b }, { name: c }, { name: d }]\n`),
    message: lines(
      "Config file <dir>/trelica.yaml has 4 problems; nothing was written:",
      "  - accounts[*].id: is required at [0], [1], [2] and 1 more (4 in all); expected exactly 12 digits, as a string",
    ),
    names: names("accounts[*].id", absent("is required"), "exactly 12 digits, as a string"),
    sites: [site("app/config/load.ts", "…: … at …; …")],
  },

  // ---- the accounts, resolved (app/deployments.ts)
  {
    given: "an include that matches no account",
    produce: config(`${ORG}accounts: [{ id: "111111111111", name: prod }]\ninclude: ["staging-*"]\n`),
    message: problem("include[0]: got \"staging-*\", which matches no account ID or name among 1 account; expected a glob that matches one, such as \"111111111111\" or \"prod\""),
    names: names("include[0]", '"staging-*"', 'a glob that matches one, such as "111111111111" or "prod"'),
    sites: [site("app/deployments.ts", ", such as \"…\"…"), site("app/deployments.ts", " or \"…\"")],
  },
  {
    given: "an account region of another partition",
    produce: config(`${ORG}trelicaAccountId: "222233334444"\nregion: us-gov-west-1\naccounts: [{ id: "111111111111", region: us-east-1 }]\n`),
    message: problem("accounts[0].region: got \"us-east-1\"; expected a region of the aws-us-gov partition, like the top-level region us-gov-west-1"),
    names: names("accounts[0].region", '"us-east-1"', "a region of the aws-us-gov partition"),
  },
  {
    given: "an account with every service off",
    produce: config(`${ORG}managementAccountId: "111111111111"\naccounts: [{ id: "111111111111", services: { cognito: false, connect: false, iam: false, organizations: false } }]\n`),
    message: problem("accounts[0] (111111111111): no service enabled after merging the defaults; expected at least one of cognito, connect, iam, organizations on"),
    names: names("accounts[0] (111111111111)", "no service enabled", "at least one of cognito, connect, iam, organizations on"),
    sites: [site("app/deployments.ts", "accounts[…] (…)")],
  },
  {
    given: "a member account from the accounts file left with no service",
    produce: config(`${ORG}managementAccountId: "111111111111"\naccountsFile: accounts.json\nservices: { cognito: false, connect: false, iam: false }\n`, accountsFile([...listed(), { Id: "222222222222", State: "ACTIVE" }])),
    message: problem("account 222222222222: no service enabled after merging the defaults; expected at least one of cognito, connect, iam, organizations on"),
    names: names("account 222222222222", "no service enabled", "at least one of cognito, connect, iam, organizations on"),
    sites: [site("app/deployments.ts", "account …")],
  },
  {
    given: "only accounts that are not ACTIVE",
    produce: config(WITH_FILE, { "accounts.json": listAccountsJson([{ Id: "111111111111", State: "SUSPENDED" }, { Id: "222222222222", State: "SUSPENDED" }]) }),
    message: problem("accounts: none of 2 accounts is left to deploy (2 not ACTIVE, 0 filtered out); expected at least one"),
    names: names("accounts", "none of 2 accounts is left to deploy", "expected at least one"),
  },
  {
    given: "an accounts file of two Organizations",
    produce: config(WITH_FILE, {
      "accounts.json": JSON.stringify({
        Accounts: [...JSON.parse(listAccountsJson([{ Id: "111111111111", State: "ACTIVE" }], "111111111111")).Accounts, ...JSON.parse(listAccountsJson([{ Id: "222222222222", State: "ACTIVE" }], "999999999999")).Accounts],
      }),
    }),
    message: problem("accountsFile: got \"accounts.json\", whose account ARNs name 2 different management accounts, 111111111111 (1 account: 111111111111) and 999999999999 (1 account: 222222222222); expected the export of one Organization (`aws organizations list-accounts` run in its management account), since OrganizationAccountAccessRole in each account trusts only its own Organization's management account. Use one config per Organization"),
    names: names("accountsFile", '"accounts.json"', "the export of one Organization"),
  },
  {
    given: "a management account that is not listed",
    produce: config(`${VALID}managementAccountId: "999999999999"\n`),
    message: problem("managementAccountId: got \"999999999999\", which is not in accounts or accountsFile; expected one of the listed accounts"),
    names: names("managementAccountId", '"999999999999"', "one of the listed accounts"),
  },
  {
    given: "two accounts and no known management account",
    produce: config(`${ORG}accounts: [{ id: "111111111111" }, { id: "222222222222" }]\n`),
    message: problem("managementAccountId: got nothing, and there is no accountsFile; with 2 accounts to deploy, one may be the Organization's management account, where Terraform cannot assume OrganizationAccountAccessRole and organizations:ListAccounts belongs. Expected the management account's 12-digit ID (`aws organizations describe-organization --query Organization.MasterAccountId`), listed among the accounts (exclude it if it should get no stack), or an accountsFile from `aws organizations list-accounts`"),
    names: names("managementAccountId", absent("got nothing"), "the management account's 12-digit ID"),
  },
  {
    given: "one account's boundary for two accounts",
    produce: config(`${ORG}managementAccountId: "111111111111"\naccounts: [{ id: "111111111111" }, { id: "222222222222" }]\nrole: { permissionsBoundaryArn: "arn:aws:iam::111111111111:policy/Boundary" }\n`),
    message: problem("role.permissionsBoundaryArn: got \"arn:aws:iam::111111111111:policy/Boundary\", a policy of account 111111111111, for 2 accounts; IAM refuses a boundary the role's account does not own (here 222222222222). Expected \"arn:aws:iam::{accountId}:policy/Boundary\" ({accountId} becomes each account's ID, so each account needs that policy), or an AWS-managed policy (arn:aws:iam::aws:policy/...)"),
    names: names("role.permissionsBoundaryArn", '"arn:aws:iam::111111111111:policy/Boundary"', 'Expected "arn:aws:iam::{accountId}:policy/Boundary"'),
    sites: [site("app/deployments.ts", "role.permissionsBoundaryArn: got \"…\", a policy of account …, for …; "), site("app/config/boundary.ts", "\"…\" (… becomes each account's ID, so each account needs that policy), "), site("app/config/boundary.ts", "or an AWS-managed policy (arn:…:iam::aws:policy/...)")],
  },
  {
    given: "HCL output asked of synthesis",
    produce: () => {
      process.env.SYNTH_HCL_OUTPUT = "true";
      try {
        return config(VALID)();
      } finally {
        delete process.env.SYNTH_HCL_OUTPUT;
      }
    },
    message: "HCL output (cdktf synth --hcl, or SYNTH_HCL_OUTPUT=true) is not supported; nothing was written. This program writes Terraform JSON only (stacks/<stack>/cdk.tf.json), which terraform reads as it reads HCL: run cdktf synth without --hcl, and unset SYNTH_HCL_OUTPUT or set it to false.",
    names: names("SYNTH_HCL_OUTPUT", "SYNTH_HCL_OUTPUT=true", "run cdktf synth without --hcl"),
  },

  // ---- warnings, printed and then synthesized anyway
  {
    given: "one account, no management account and an assumed role",
    produce: config(VALID),
    message: "Warning: managementAccountId is not set and there is no accountsFile, so account 111111111111 is treated as a member account: Terraform assumes OrganizationAccountAccessRole there and organizations is off. If it is the Organization's management account, set managementAccountId: \"111111111111\" (the management account has no OrganizationAccountAccessRole, so apply would fail there); if it is a standalone account outside any Organization, set deployment.assumeRoleName: false to use your own credentials.",
    names: names("managementAccountId", "is not set", 'set managementAccountId: "111111111111"'),
  },
  {
    given: "one account from a file whose ARNs name no management account",
    produce: config(WITH_FILE, accountsFile(listed())),
    message: "Warning: managementAccountId is not set and the accountsFile's account ARNs do not name it, so account 111111111111 is treated as a member account: Terraform assumes OrganizationAccountAccessRole there and organizations is off. If it is the Organization's management account, set managementAccountId: \"111111111111\" (the management account has no OrganizationAccountAccessRole, so apply would fail there); if it is a standalone account outside any Organization, set deployment.assumeRoleName: false to use your own credentials.",
    names: names("managementAccountId", "is not set", "set deployment.assumeRoleName: false"),
  },
  {
    given: "organizations on in a member account",
    produce: config(`${ORG}managementAccountId: "111111111111"\naccounts: [{ id: "111111111111" }, { id: "222222222222", services: { organizations: true } }]\n`),
    message: "Warning: services.organizations is on in 1 account that is not the management account (222222222222): organizations:ListAccounts only answers in the management account or a delegated administrator.",
    names: names("services.organizations", "222222222222", "only answers in the management account"),
    sites: [site("app/deployments.ts", "organizations:ListAccounts only answers in the management account or a delegated administrator.")],
  },
  {
    given: "organizations on in more member accounts than the warning lists",
    produce: config(`${ORG}managementAccountId: "111111111111"\nservices: { organizations: true }\naccounts:\n${Array.from({ length: 7 }, (_, i) => `  - id: "${111111111111 * (i + 1)}"\n`).join("")}`),
    message:
      "Warning: services.organizations is on in 6 accounts that are not the management account (222222222222, 333333333333, 444444444444, 555555555555, 666666666666 and 1 more): organizations:ListAccounts only answers in the management account or a delegated administrator.",
    names: names("services.organizations", "222222222222, 333333333333, 444444444444, 555555555555, 666666666666 and 1 more", "only answers in the management account"),
    sites: [site("app/list.ts", "… and … more")],
  },
  {
    given: "an account that joined by invitation",
    produce: config(WITH_FILE, { "accounts.json": listAccountsJson([{ Id: "111111111111", State: "ACTIVE" }, { Id: "222222222222", State: "ACTIVE", JoinedMethod: "INVITED" }]) }),
    message: "Warning: 1 account joined by invitation (222222222222) may lack OrganizationAccountAccessRole, which Organizations creates only in accounts it created: create that role there, or set assumeRoleName on those accounts, before applying.",
    names: names("joined by invitation", "222222222222", "create that role there, or set assumeRoleName"),
  },
  {
    given: "organizations on for every account of a stack set",
    produce: config(`${stackSet("")}services: { organizations: true }\n`),
    message: "Warning: services.organizations is on for every enrolled account: organizations:ListAccounts only answers in the management account or a delegated administrator.",
    names: names("services.organizations", "on for every enrolled account", "only answers in the management account"),
  },

  // ---- the construct's props (modules/trelica-integration)
  {
    given: "a construct external ID AWS refuses",
    produce: props({ externalId: "org 1" }),
    message: propProblem("`externalId` must be 2 to 1224 characters of letters, digits and _+=,.@:/-, got \"org 1\""),
    names: names("`externalId`", '"org 1"', "2 to 1224 characters"),
  },
  {
    given: "a construct account ID of five digits",
    produce: props({ trelicaAccountId: "12345" }),
    message: propProblem("`trelicaAccountId` must be exactly 12 digits, as a string, got \"12345\""),
    names: names("`trelicaAccountId`", '"12345"', "exactly 12 digits, as a string"),
  },
  {
    given: "a construct partition that does not exist",
    produce: props({ partition: "aws-eu" as never }),
    message: propProblem("`partition` must be one of aws, aws-us-gov, aws-cn, got \"aws-eu\""),
    names: names("`partition`", '"aws-eu"', "one of aws, aws-us-gov, aws-cn"),
    sites: [site("modules/trelica-integration/private/validate.ts", "one of …")],
  },
  {
    given: "a construct service that does not exist",
    produce: props({ services: { iam: true, cognitio: true } as never }),
    message: propProblem("`services.cognitio` must be a service name, one of cognito, connect, iam, organizations, got \"cognitio\""),
    names: names("`services.cognitio`", '"cognitio"', "a service name, one of cognito, connect, iam, organizations"),
  },
  {
    given: "construct services all off",
    produce: props({ services: { iam: false } }),
    message: propProblem("`services` must be a set of flags with at least one service on, got {\"iam\":false}"),
    names: names("`services`", '{"iam":false}', "a set of flags with at least one service on"),
  },
  {
    given: "a construct session of a minute",
    produce: props({ maxSessionDuration: 60 }),
    message: propProblem("`maxSessionDuration` must be whole seconds from 3600 (1 hour) to 43200 (12 hours), got 60"),
    names: names("`maxSessionDuration`", "60", "whole seconds from 3600"),
  },
  {
    given: "a construct boundary that is not an ARN",
    produce: props({ permissionsBoundaryArn: "Boundary" }),
    message: propProblem("`permissionsBoundaryArn` must be an IAM policy ARN such as arn:aws:iam::123456789012:policy/Boundary, got \"Boundary\""),
    names: names("`permissionsBoundaryArn`", '"Boundary"', "an IAM policy ARN such as arn:aws:iam::123456789012:policy/Boundary"),
  },
  {
    given: "a construct boundary with a token inside text that is not an ARN",
    produce: props({ permissionsBoundaryArn: `not an arn ${Lazy.stringValue({ produce: () => "111111111111" })}` }),
    message: propProblem("`permissionsBoundaryArn` must be an IAM policy ARN such as arn:aws:iam::123456789012:policy/Boundary, got \"not an arn <token>\""),
    names: names("`permissionsBoundaryArn`", '"not an arn <token>"', "an IAM policy ARN such as arn:aws:iam::123456789012:policy/Boundary"),
  },
  {
    given: "a template boundary given as a token",
    produce: props({ permissionsBoundaryArn: Lazy.stringValue({ produce: () => "arn:aws:iam::aws:policy/ReadOnlyAccess" }) }, "cloudformation"),
    message: propProblem("`permissionsBoundaryArn` must be text known when the template is rendered (cloudFormationTemplate cannot resolve a token), got \"<token>\""),
    names: names("`permissionsBoundaryArn`", '"<token>"', "text known when the template is rendered"),
  },
  {
    given: "a boundary policy name on a Terraform construct",
    produce: props({ permissionsBoundaryPolicyName: "Boundary" }),
    message: propProblem("`permissionsBoundaryPolicyName` must be left out of a Terraform stack, which knows its account: give permissionsBoundaryArn with that account's ID (only cloudFormationTemplate resolves a policy name per account), got \"Boundary\""),
    names: names("`permissionsBoundaryPolicyName`", '"Boundary"', "give permissionsBoundaryArn with that account's ID"),
  },
  {
    given: "a boundary policy name and ARN in a template",
    produce: props({ permissionsBoundaryPolicyName: "Boundary", permissionsBoundaryArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }, "cloudformation"),
    message: propProblem("`permissionsBoundaryPolicyName` must be left out when permissionsBoundaryArn is given (one boundary per role), got \"Boundary\""),
    names: names("`permissionsBoundaryPolicyName`", '"Boundary"', "left out when permissionsBoundaryArn is given"),
  },
  {
    given: "a template boundary policy name with a space",
    produce: props({ permissionsBoundaryPolicyName: "team/My Boundary" }, "cloudformation"),
    message: propProblem("`permissionsBoundaryPolicyName` must be a policy name (1 to 128 characters of letters, digits and _+=,.@-), optionally after a path such as team/, got \"team/My Boundary\""),
    names: names("`permissionsBoundaryPolicyName`", '"team/My Boundary"', "a policy name (1 to 128 characters"),
  },
  {
    given: "a construct policy name with a space",
    produce: props({ policyName: "has space" }),
    message: propProblem("`policyName` must be 1 to 128 characters of letters, digits and _+=,.@-, got \"has space\""),
    names: names("`policyName`", '"has space"', "1 to 128 characters"),
    sites: [site("modules/trelica-integration/rules.ts", "1 to 128 characters of letters, digits and _+=,.@-")],
  },
  {
    given: "a construct description with template syntax",
    produce: props({ description: "costs ${var.x}" }),
    message: propProblem("`description` must be up to 1000 printable characters, without \"${\" or \"%{\", got \"costs ${var.x}\""),
    names: names("`description`", '"costs ${var.x}"', 'without "${" or "%{"'),
  },
  {
    given: "51 construct tags",
    produce: props({ tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, "v"])) }),
    message: propProblem("`tags` must be at most 50 tags (IAM's limit per role and per policy), not 51, got {\"t0\":\"v\",\"t1\":\"v\",\"t2\":\"v\",\"t3\":\"v\",\"t4\":\"v\",\"t5\":\"v\",\"t6\":\"v\",\"t7\":\"v\",\"t8\"..."),
    names: names("`tags`", '{"t0":"v"', "at most 50 tags"),
  },
  {
    given: "a construct tag key with AWS's prefix",
    produce: props({ tags: { "aws:team": "it" } }),
    message: propProblem("`tags.aws:team` must be a tag key that does not start with \"aws:\" in any case (AWS reserves that prefix for its own tags), got \"aws:team\""),
    names: names("`tags.aws:team`", '"aws:team"', 'does not start with "aws:"'),
  },
  {
    given: "permissionPolicy asked for no service",
    produce: () => {
      try {
        permissionPolicy({});
      } catch (error) {
        return [(error as Error).message];
      }
      return [];
    },
    message: "permissionPolicy: services got {}; expected at least one of cognito, connect, iam, organizations set to true",
    names: names("services", "{}", "at least one of cognito, connect, iam, organizations set to true"),
  },

  // ---- npm run synth's command line (app/synth-command.ts, app/command-line.ts)
  {
    given: "a misspelt synth flag",
    produce: synthFlags(["--confg", "x.yaml"]),
    message: "--confg: unknown option. Did you mean --config? Allowed: --config, --output, --version, --help; see npm run synth -- --help",
    names: names("--confg", "--confg", "Did you mean --config?"),
    sites: [site("app/command-line.ts", "…; see …"), site("app/command-line.ts", " Did you mean …?")],
  },
  {
    given: "a synth flag close to none",
    produce: synthFlags(["--verbose"]),
    message: "--verbose: unknown option. Allowed: --config, --output, --version, --help; see npm run synth -- --help",
    names: names("--verbose", "--verbose", "Allowed: --config, --output, --version, --help"),
  },
  {
    given: "--config without a file",
    produce: synthFlags(["--config"]),
    message: "--config: got no value; expected --config <file>; see npm run synth -- --help",
    names: names("--config", absent("got no value"), "--config <file>"),
  },
  {
    given: "a config file named without --config",
    produce: synthFlags(["trelica.yaml"]),
    message: "\"trelica.yaml\": unexpected argument; expected options only; see npm run synth -- --help",
    names: names('"trelica.yaml"', "trelica.yaml", "options only"),
  },

  // ---- npm run rollout's command line (rollout/main.ts, rollout/options.ts)
  {
    given: "no rollout command",
    produce: rolloutCommandLine([]),
    message: "command: none given; expected plan, apply, destroy or connections; see npm run rollout -- --help",
    names: names("command", absent("none given"), "plan, apply, destroy or connections"),
  },
  {
    given: "a misspelt rollout option",
    produce: rolloutCommandLine(["plan", "--concurency", "4"]),
    message: "--concurency: unknown option. Did you mean --concurrency? Allowed: --no-synth, --concurrency, --max-failures, --accounts, --exclude, --resume, --lock-timeout, --retries, --retry-delay, --plan-and-apply, --allow-access-change, --allow-destroy, --confirm-destroy, --report, --outdir, --progress, --help; see npm run rollout -- --help",
    names: names("--concurency", "--concurency", "Did you mean --concurrency?"),
  },
  {
    given: "a rollout option without its value",
    produce: rolloutCommandLine(["plan", "--concurrency"]),
    message: "--concurrency: got no value; expected --concurrency <n>; see npm run rollout -- --help",
    names: names("--concurrency", absent("got no value"), "--concurrency <n>"),
  },
  {
    given: "two rollout commands",
    produce: rolloutCommandLine(["plan", "apply"]),
    message: "\"apply\": unexpected argument; expected <command> once, then options; see npm run rollout -- --help",
    names: names('"apply"', "apply", "<command> once, then options"),
  },
  {
    given: "a misspelt rollout command",
    produce: rolloutOptions("aply", {}),
    message: optionProblem("command \"aply\": expected plan, apply, destroy, connections; did you mean \"apply\"?"),
    names: names("command", '"aply"', 'did you mean "apply"?'),
    sites: [site("rollout/options.ts", "command \"…\": expected ……")],
  },
  {
    given: "a concurrency of 0",
    produce: rolloutOptions("plan", { concurrency: "0" }),
    message: optionProblem("--concurrency \"0\": expected a whole number from 1 to 64"),
    names: names("--concurrency", '"0"', "a whole number from 1 to 64"),
  },
  {
    given: "a lock timeout without a unit",
    produce: rolloutOptions("plan", { lockTimeout: "60" }),
    message: optionProblem("--lock-timeout \"60\": expected a terraform duration such as 0s, 60s, 5m or 1m30s (units ms, s, m, h)"),
    names: names("--lock-timeout", '"60"', "a terraform duration such as 0s, 60s, 5m or 1m30s"),
  },
  {
    given: "an --accounts glob with a slash",
    produce: rolloutOptions("plan", { accounts: ["a/b"] }),
    message: optionProblem("--accounts \"a/b\": expected account IDs or stack names with * and ? as wildcards (letters, digits, _ . -)"),
    names: names("--accounts", '"a/b"', "account IDs or stack names with * and ? as wildcards"),
  },
  {
    given: "a progress mode that does not exist",
    produce: rolloutOptions("plan", { progress: "fancy" }),
    message: optionProblem("--progress \"fancy\": expected auto, live or plain"),
    names: names("--progress", '"fancy"', "auto, live or plain"),
  },
  {
    given: "--plan-and-apply with plan",
    produce: rolloutOptions("plan", { planAndApply: true }),
    message: optionProblem("--plan-and-apply with plan: it goes with apply only"),
    names: names("--plan-and-apply", "with plan", "it goes with apply only"),
  },

  // ---- rollout's runner (rollout/run.ts, stacks.ts, terraform.ts)
  {
    given: "destroy without --confirm-destroy",
    produce: rollout({ command: "destroy" }),
    message: "destroy removes the TrelicaIntegration role from every selected account and cuts Trelica off; rerun with --confirm-destroy to do it (narrow it first with --accounts).",
    names: names("--confirm-destroy", "destroy", "rerun with --confirm-destroy"),
  },
  {
    given: "--resume with a file that does not exist",
    produce: rollout({ command: "plan", resume: path.join(dir, "nope.json") }),
    message: "--resume <dir>/nope.json: no such file; expected the report.json of an earlier run (.rollout/<run-id>/report.json).",
    names: names("--resume", "<dir>/nope.json", "the report.json of an earlier run"),
  },
  {
    given: "--resume with a file that is not JSON",
    produce: rollout({ command: "plan", resume: writeFile(dir, "not.json", "nope") }),
    message: "--resume <dir>/not.json: not JSON; expected the report.json of an earlier run (.rollout/<run-id>/report.json).",
    names: names("--resume", "<dir>/not.json", "the report.json of an earlier run"),
  },
  {
    given: "--resume with JSON that is not a report",
    produce: rollout({ command: "plan", resume: writeFile(dir, "other.json", "{}") }),
    message: "--resume <dir>/other.json: not a rollout report (no command or accounts); expected the report.json of an earlier run.",
    names: names("--resume", "<dir>/other.json", "the report.json of an earlier run"),
  },
  {
    given: "--resume with the report of another command",
    produce: rollout({ command: "plan", resume: writeFile(dir, "apply-report.json", JSON.stringify({ command: "apply", accounts: [] })) }),
    message: "--resume <dir>/apply-report.json: that report is of `apply`, this run is `plan`; resume only a run of the same command.",
    names: names("--resume", "that report is of `apply`", "resume only a run of the same command"),
  },
  {
    given: "apply with no plan before it",
    produce: rollout({ command: "apply" }),
    message: "apply applies the plans of the last `plan` run, and there is none: run `npm run rollout -- plan` first, or use --plan-and-apply.",
    names: names("apply", absent("there is none"), "run `npm run rollout -- plan` first, or use --plan-and-apply"),
  },
  {
    given: "a synthesis that fails",
    produce: rollout({ command: "plan", synth: true }, (project) => fs.writeFileSync(path.join(project.dir, "cdktf.json"), JSON.stringify({ app: "false" }))),
    message: "Synthesis failed (false exited 1); nothing was run. Fix what it printed above, then run again.",
    names: names("Synthesis", "false exited 1", "Fix what it printed above"),
  },
  {
    given: "--no-synth and no synthesized stacks",
    produce: rollout({ command: "plan", outdir: "elsewhere" }),
    message: "<dir>/elsewhere/manifest.json does not exist: synthesize first (npm run synth), or drop --no-synth.",
    names: names("<dir>/elsewhere/manifest.json", absent("does not exist"), "synthesize first (npm run synth), or drop --no-synth"),
  },
  {
    given: "--accounts matching no stack",
    produce: rollout({ command: "plan", accounts: ["9999*"] }),
    message: lines(
      "Nothing was run:",
      "  - --accounts \"9999*\": matches no stack among 3; expected an account ID or stack name glob that matches one, such as trelica-100000000001 or 100000000001",
    ),
    names: names("--accounts", '"9999*"', "an account ID or stack name glob that matches one, such as trelica-100000000001"),
    sites: [site("rollout/stacks.ts", ", such as ……"), site("rollout/stacks.ts", " or …"), site("rollout/stacks.ts", "Nothing was run:")],
  },
  {
    given: "a stack whose terraform version requirement rollout cannot read",
    produce: rollout({ command: "plan" }, (project) => project.requireTerraform("~> 1.5", project.stackNames().slice(0, 1))),
    message: [
      "Nothing was run: rollout cannot read these stacks' terraform version requirement:",
      "  - trelica-100000000001: terraform.required_version \"~> 1.5\"; expected \">= X.Y.Z\" or \">= X.Y\" (<dir>/cdktf.out/stacks/trelica-100000000001/cdk.tf.json)",
    ].join("\n"),
    names: names("trelica-100000000001", '"~> 1.5"', '">= X.Y.Z" or ">= X.Y"'),
  },
  {
    given: "a terraform older than one stack asks for",
    produce: rollout({ command: "plan" }, (project) => {
      project.double.versionString = "1.9.8";
      project.requireTerraform(">= 1.5.0");
      project.requireTerraform(">= 1.10.0", project.stackNames().slice(0, 1));
    }),
    message: "terraform 1.9.8 (/in-memory/terraform) is too old for these stacks: 1 stack requires terraform >= 1.10.0 (its terraform.required_version): trelica-100000000001",
    names: names("terraform 1.9.8", "1.9.8", "1 stack requires terraform >= 1.10.0"),
  },
  {
    given: "a terraform older than several stacks ask for",
    produce: rollout({ command: "plan" }, (project) => {
      project.double.versionString = "1.9.8";
      project.requireTerraform(">= 1.10.0");
    }),
    message: "terraform 1.9.8 (/in-memory/terraform) is too old for these stacks: 3 stacks require terraform >= 1.10.0 (their terraform.required_version), e.g. trelica-100000000001",
    names: names("terraform 1.9.8", "1.9.8", "3 stacks require terraform >= 1.10.0"),
  },
  {
    given: "a terraform too old to save plans of runs in Terraform Cloud",
    produce: rollout({ command: "plan" }, (project) => {
      project.double.versionString = "1.5.7";
      project.requireTerraform(">= 1.5.0");
      runInTerraformCloud(project, project.stackNames().slice(0, 1));
    }),
    message: "terraform 1.5.7 (/in-memory/terraform) is too old for these stacks: 1 stack runs in Terraform Cloud (a cloud block), and rollout saves their plans there (plan -out of a remote run), which needs terraform >= 1.6.0: trelica-100000000001",
    names: names("terraform 1.5.7", "1.5.7", "which needs terraform >= 1.6.0"),
  },
  {
    given: "a terraform too old to save plans of several stacks run in Terraform Cloud",
    produce: rollout({ command: "plan" }, (project) => {
      project.double.versionString = "1.5.7";
      project.requireTerraform(">= 1.5.0");
      runInTerraformCloud(project, project.stackNames());
    }),
    message:
      "terraform 1.5.7 (/in-memory/terraform) is too old for these stacks: 3 stacks run in Terraform Cloud (a cloud block), and rollout saves their plans there (plan -out of a remote run), which needs terraform >= 1.6.0: trelica-100000000001, trelica-100000000002, trelica-100000000003",
    names: names("terraform 1.5.7", "1.5.7", "which needs terraform >= 1.6.0"),
  },
  {
    given: "a terraform too old to save plans of more stacks run in Terraform Cloud than it lists",
    produce: rollout(
      { command: "plan" },
      (project) => {
        project.double.versionString = "1.5.7";
        project.requireTerraform(">= 1.5.0");
        runInTerraformCloud(project, project.stackNames());
      },
      4,
    ),
    message:
      "terraform 1.5.7 (/in-memory/terraform) is too old for these stacks: 4 stacks run in Terraform Cloud (a cloud block), and rollout saves their plans there (plan -out of a remote run), which needs terraform >= 1.6.0: trelica-100000000001, trelica-100000000002, trelica-100000000003 and 1 more",
    names: names("terraform 1.5.7", "1.5.7", "which needs terraform >= 1.6.0"),
    sites: [site("app/list.ts", "… and … more")],
  },
  {
    given: "a TERRAFORM_BINARY_NAME that does not exist",
    produce: rollout({ command: "plan", terraform: undefined, env: terraformEnv({ TERRAFORM_BINARY_NAME: "/nonexistent/terraform" }) }),
    message: "No terraform executable found (TERRAFORM_BINARY_NAME=/nonexistent/terraform). Install terraform 1.5 or later, or set TERRAFORM_BINARY_NAME.",
    names: names("TERRAFORM_BINARY_NAME", "/nonexistent/terraform", "Install terraform 1.5 or later"),
  },
  {
    given: "no terraform on PATH",
    produce: rollout({ command: "plan", terraform: undefined, env: terraformEnv({ PATH: path.join(dir, "empty-path") }) }),
    message: "No terraform executable found (terraform on PATH). Install terraform 1.5 or later, or set TERRAFORM_BINARY_NAME.",
    names: names("terraform on PATH", absent("No terraform executable found"), "Install terraform 1.5 or later, or set TERRAFORM_BINARY_NAME"),
  },
  {
    given: "a TERRAFORM_BINARY_NAME that is not terraform",
    produce: rollout({ command: "plan", terraform: undefined, env: terraformEnv({ TERRAFORM_BINARY_NAME: notTerraform() }) }),
    message: "<dir>/not-terraform version -json did not answer with a version (exit 0); is it terraform 0.13 or later?",
    names: names("<dir>/not-terraform version -json", "did not answer with a version (exit 0)", "is it terraform 0.13 or later?"),
  },
];

// ---- the table ----------------------------------------------------------------------------------

const LIBRARY_WORDING = /Invalid input|received|expected (object|string|number|array|boolean)\b|Expected \d+ arguments?|^error: |too many arguments|argument missing|ZodError|invalid_type|unrecognized_keys|Invalid enum value/m;

describe("every message the program can produce, in our own words", () => {
  test.each(ROWS.map((row) => [row.given, row] as const))("GIVEN %s THEN the message is exactly the table's", async (_given, row) => {
    expect(await row.produce()).toEqual([row.message]);
  });

  test.each(ROWS.map((row) => [row.given, row] as const))("GIVEN %s THEN the message names the field, the value and what is allowed, in no library's words", (_given, row) => {
    const { field, value, allowed } = row.names;
    expect(row.message).toContain(field);
    if (typeof value === "string") expect(row.message).toContain(value);
    else {
      expect(value.absent).toMatch(ABSENCE);
      expect(row.message).toContain(value.absent);
    }
    expect(row.message).toContain(allowed);
    expect(row.message).not.toMatch(LIBRARY_WORDING);
  });

  test("GIVEN every row THEN YAML's number hint (leading zeros) appears only for an account ID", () => {
    const withHint = ROWS.filter((row) => row.message.includes("leading zeros"));
    expect(withHint.length).toBeGreaterThan(0);
    for (const row of withHint) expect(row.names.field).toMatch(/(^|\.)(id|\w*AccountId)$|accounts\[\d+\]\.id$/);
  });
});

// ---- the table is complete -------------------------------------------------------------------

/** Sites no input reaches, each with the reason. An entry that no longer names a site fails too. */
const UNREACHABLE: readonly { readonly site: string; readonly why: string }[] = [
  { site: site("app/config/issues.ts", "a value as the README describes it"), why: "issues.ts's safety net: every check in our schemas has its own text; only an object has none, and gets its keys" },
  { site: site("app/config/source.ts", "(top level)"), why: "formatPath's name for the config's root; load.ts words every message about the root without a path" },
];
const UNREACHABLE_KEYS = new Set(UNREACHABLE.map((entry) => entry.site));
const sites = messageSites();

describe("the table holds every message the source can make", () => {
  test("GIVEN every place in main.ts, app/, modules/ and rollout/ where message text is written THEN a row of the table produces it, by its whole template, and names it where the template is generic", () => {
    expect(uncoveredSites(sites, ROWS, UNREACHABLE_KEYS)).toEqual([]);
  });

  test("GIVEN the sites listed as unreachable THEN each is still in the source and no row produces it", () => {
    const findings = uncoveredSites(sites, ROWS);
    for (const entry of UNREACHABLE) {
      const matching = sites.filter((found) => found.key === entry.site);
      expect({ entry: entry.site, found: matching.length > 0 }).toEqual({ entry: entry.site, found: true });
      // Without its exemption, the check names it as uncovered.
      expect(findings.filter((finding) => finding.startsWith(`${matching.map((found) => found.where).join(", ")}: ${matching[0].text}`))).toHaveLength(1);
    }
  });
});

describe("the completeness check finds a new message site of every kind", () => {
  /** Its findings with `source` added to the program as `rollout/frob.ts` (and `others` beside it). */
  const withNewFile = (source: string, others: Record<string, string> = {}) => {
    const added = sitesOf({ ...others, "rollout/frob.ts": source });
    return { added, findings: uncoveredSites([...sites, ...added], ROWS, UNREACHABLE_KEYS) };
  };

  test.each([
    ["a UserError", "throw new UserError(`--frobnicate ${value}: not an option we know; expected --force`);", "--frobnicate …: not an option we know; expected --force"],
    ["a problem pushed", "problems.push(`${field}: got ${value}; expected a frobnicated value`);", "…: got …; expected a frobnicated value"],
    ["a warning pushed", 'warnings.push("frobnication is on in every account");', "frobnication is on in every account"],
    ["a problem returned by a ...Problems function", "function frobProblems() { return [`frob: got ${x}; expected no frob`]; }", "frob: got …; expected no frob"],
    ["a variable the message uses", 'function f() { const why = "it is frobnicated"; throw configError(file, [`frob: ${why}`]); }', "it is frobnicated"],
    ["a `problem:` property", "const unknown = { problem: `frob: got nothing; expected a frob` };", "frob: got nothing; expected a frob"],
    ["an Error subclass's summary", "class FrobError extends Error { constructor() { super(`Invalid frob props:`); } }", "Invalid frob props:"],
    ["a module-level constant passed to UserError", 'const REFUSED = "frob is refused by the frobnicator";\nexport function f() { throw new UserError(REFUSED); }', "frob is refused by the frobnicator"],
    ["problems pushed as a spread of a map", "export function f(xs: string[]) { const problems: string[] = []; problems.push(...xs.map((x) => `${x}: not a frob we know`)); return problems; }", "…: not a frob we know"],
    ["one word after a field's colon", "export function f(field: string) { const problems: string[] = []; problems.push(`${field}: frobbed`); return problems; }", "…: frobbed"],
    ["a list of another name passed to UserError", 'export function f(x: number) { const errors: string[] = []; if (x > 1) errors.push(`frob ${x}: too many frobs`); throw new UserError("Frobs are wrong:", errors); }', "frob …: too many frobs"],
    ["text a helper of another name returns", "function describe(x: string): string { return `frob ${x} is not frobnicated`; }\nexport function f(x: string) { throw new UserError(describe(x)); }", "frob … is not frobnicated"],
    ["an element written into a list passed to UserError", 'export function f(n: number) { const lines: string[] = []; lines[n] = "the frob is out of place"; throw new UserError("Frobs:", lines); }', "the frob is out of place"],
    ["a warning pushed onto a property", 'interface R { warnings: string[] }\nexport function f(r: R) { r.warnings.push("frobnication is on everywhere"); }', "frobnication is on everywhere"],
    ["what a wrapper's callers pass it", 'function fail(message: string): never { throw new UserError(message); }\nexport function f() { fail("the frob is gone"); }', "the frob is gone"],
    ["a property of a constant object", 'const RULE = { pattern: /x/, allowed: "a frob of four letters" };\nexport function f(x: string) { if (!RULE.pattern.test(x)) throw new UserError(`frob ${x}: expected ${RULE.allowed}`); }', "a frob of four letters"],
    ["what object literals give an interface's property", 'interface Words { readonly help: string }\nfunction parse(words: Words) { throw new UserError(`bad frob; see ${words.help}`); }\nexport function f() { parse({ help: "npm run frob -- --help" }); }', "npm run frob -- --help"],
  ])("GIVEN %s that no row produces THEN the check finds it and names it as uncovered", (_kind, source, text) => {
    const { added, findings } = withNewFile(source);
    const found = added.filter((candidate) => candidate.text === text);
    expect(found.map((candidate) => candidate.text)).toEqual([text]);
    // Its words are its own, so it is not generic: only a row its whole template matches would cover it.
    expect(findings).toContain(`${found[0].where}: ${text}`);
  });

  test("GIVEN message text in another file, imported (through an index's re-export) THEN it is a site of the file that writes it", () => {
    const others = { "rollout/words.ts": 'export const GONE = "the frob is gone for good";', "rollout/index.ts": 'export * from "./words";' };
    const { added, findings } = withNewFile('import { GONE } from ".";\nexport function f() { throw new UserError(GONE); }', others);
    expect(added.map((found) => `${found.where}: ${found.text}`)).toEqual(["rollout/words.ts:1: the frob is gone for good"]);
    expect(findings).toContain("rollout/words.ts:1: the frob is gone for good");
  });

  test("GIVEN a helper a message calls with one argument and a summary with another THEN only the message's argument is a site", () => {
    const source = 'function plural(n: number, noun: string) { return `${n} ${noun}s`; }\nexport function f(n: number) { console.log(plural(n, "summary line")); throw new UserError(`too many: ${plural(n, "frob thing")}`); }';
    expect(sitesIn("rollout/frob.ts", source).map((found) => found.text)).toEqual(["too many: …", "frob thing"]);
  });

  test("GIVEN the construct (a library) THEN its plain Errors count; elsewhere a plain Error is a bug, not a message", () => {
    const source = 'throw new Error("frob: got a frob; expected none");';
    expect(sitesIn("modules/frob.ts", source).map((found) => found.text)).toEqual(["frob: got a frob; expected none"]);
    expect(sitesIn("rollout/frob.ts", source)).toEqual([]);
  });

  test("GIVEN a new generic template (its words all other sites' too) THEN rows that match it do not cover it: a row must name it", () => {
    const { added, findings } = withNewFile("export function f(field: string, value: string, allowed: string) { throw new UserError(`${field}: got ${value}; expected ${allowed}`); }");
    const [generic] = added;
    expect(isGeneric(generic, [...sites, generic])).toBe(true);
    // Rows of other sites match it (that is why it is generic) ...
    expect(ROWS.filter((row) => template(generic).test(row.message)).length).toBeGreaterThan(10);
    // ... and yet it is reported, as generic.
    expect(findings).toContain(`${generic.where}: …: got …; expected … (generic: a row must name "${site("rollout/frob.ts", "…: got …; expected …")}")`);
    // Named by a row whose message it matches, it is covered.
    const naming = { given: "a frob", message: "frob: got 1; expected 2", sites: [generic.key] };
    expect(uncoveredSites([...sites, generic], [...ROWS, naming], UNREACHABLE_KEYS)).toEqual([]);
  });

  test("GIVEN a row naming a site its message does not match, or one not in the source THEN the check says so", () => {
    const rows = [...ROWS, { given: "a frob", message: "nothing alike", sites: [site("app/config/load.ts", "…: got …; expected ……"), site("rollout/frob.ts", "gone")] }];
    expect(uncoveredSites(sites, rows, UNREACHABLE_KEYS)).toEqual([
      `row "a frob" names "${site("app/config/load.ts", "…: got …; expected ……")}", whose template its message does not match`,
      `row "a frob" names "${site("rollout/frob.ts", "gone")}", which is not a site in the source`,
    ]);
  });

  test("GIVEN a site's pieces all in a row's message, but not as its template THEN that row does not cover it", () => {
    const [frob] = sitesIn("rollout/frob.ts", "throw new UserError(`frob ${x}: not frobbed here; expected ${y}`);");
    // The pieces, out of order; at the end with nothing after; inside a longer word.
    for (const message of ["not frobbed here; expected x, frob y:", "frob y: not frobbed here; expected ", "refrob y: not frobbed here; expected z"]) {
      expect({ message, covered: template(frob).test(message) }).toEqual({ message, covered: false });
    }
    expect(template(frob).test("frob y: not frobbed here; expected z")).toBe(true);
  });

  test("GIVEN a value that may be empty (a hint) THEN the template lets it be empty; any other must be filled", () => {
    const [withHint] = sitesIn("rollout/frob.ts", 'function f(x: string, guess?: string) { throw new UserError(`${x}: unknown frob.${guess ? ` Try ${guess}.` : ""} Allowed: a, b`); }');
    expect(withHint.optional).toEqual([false, true]);
    expect(template(withHint).test("--x: unknown frob. Allowed: a, b")).toBe(true);
    expect(template(withHint).test(": unknown frob. Allowed: a, b")).toBe(false);
  });
});

// ---- each error printed once ----------------------------------------------------------------

describe("each error printed once, whatever the entry point", () => {
  // The bad config of test/cdktf-synth.test.ts, which checks the same through the real cdktf CLI.
  const folder = rowDir();
  const bad = writeFile(folder, "bad.yaml", `trelicaOrganizationId: "org-e2e"\naccounts:\n  - id: "0123"\n`);
  const error = [`Config file ${bad} has 1 problem; nothing was written:`, '  - accounts[0].id: got "0123"; expected exactly 12 digits, as a string'];
  const timesIn = (output: string, line: string) => output.split(line).length - 1;

  const npmRun = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const environment: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const name of ["TRELICA_CONFIG", "CDKTF_OUTDIR"]) if (!(name in env)) delete environment[name];
    return spawnSync("npm", ["run", ...args], { cwd: PROJECT_ROOT, env: environment, encoding: "utf8" });
  };

  test("GIVEN a bad config WHEN npm run synth THEN its error is on stderr exactly once and nowhere else, exit 1, nothing written", () => {
    const output = path.join(folder, "synth-out");
    const run = npmRun(["synth", "--", "--config", bad, "--output", output]);
    expect(run.status).toBe(1);
    for (const line of error) expect({ line, stderr: timesIn(run.stderr, line), stdout: timesIn(run.stdout, line) }).toEqual({ line, stderr: 1, stdout: 0 });
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(output)).toBe(false);
  });

  test("GIVEN a bad config WHEN npm run rollout -- plan, which synthesizes first THEN the error is on stderr exactly once, then that nothing was run, exit 1", () => {
    const output = path.join(folder, "rollout-out");
    const run = npmRun(["rollout", "--", "plan", "--outdir", output, "--progress", "plain"], { TRELICA_CONFIG: bad, TERRAFORM_BINARY_NAME: path.join(PROJECT_ROOT, "test", "fake-terraform", "terraform") });
    expect(run.status).toBe(1);
    for (const line of error) expect({ line, stderr: timesIn(run.stderr, line), stdout: timesIn(run.stdout, line) }).toEqual({ line, stderr: 1, stdout: 0 });
    expect(run.stderr.trim().split("\n").at(-1)).toBe("Synthesis failed (node -r sucrase/register main.ts exited 1); nothing was run. Fix what it printed above, then run again.");
    expect(fs.existsSync(output)).toBe(false);
  });
});
