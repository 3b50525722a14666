import * as fs from "node:fs";
import { npmCommand, shellQuote } from "../common/commands";
import * as path from "node:path";
import { Command, Option } from "commander";
import { Document } from "yaml";
import { parseCommandLine } from "./command-line";
import { validateConfig } from "../config/load";
import { UserError } from "../common/errors";
import { shownPath } from "./project-options";

/*
 * `npm run init`: a user's own config from a few flags, instead of editing the shipped example (whose
 * placeholder organization ID rollout refuses). Written only once the config it makes validates, and
 * never over an existing file unless --force. Flags, not questions: it runs the same in CI.
 */

export const DEFAULT_INIT_OUTPUT = "trelica.local.yaml";

interface InitOptions {
  readonly organizationId?: string;
  readonly managementAccount?: string;
  readonly accountsFile?: string;
  readonly account: string[];
  readonly region?: string;
  readonly deployerPrincipal: string[];
  readonly deployerOu: string[];
  readonly administratorAccess: boolean;
  readonly output: string;
  readonly force: boolean;
}

/** The flag that set each config field: problems are told in the words the user typed. */
const FLAG_OF: Readonly<Record<string, string>> = {
  trelicaOrganizationId: "--organization-id",
  managementAccountId: "--management-account",
  accountsFile: "--accounts-file",
  accounts: "--account",
  region: "--region",
  "deployment.deployer.trustedPrincipalArns": "--deployer-principal",
  "deployment.deployer.organizationalUnitIds": "--deployer-ou",
};

const OR_ADMINISTRATOR = "or --administrator-access to reach members through OrganizationAccountAccessRole knowingly";

/** How a user finds the Organization's root ID: printed in the help, a problem and docs/configuration.md. */
export const ROOT_ID_COMMAND = "aws organizations list-roots --query 'Roots[0].Id' --output text";

const list = (value: string, previous: string[] = []) => [...previous, ...value.split(",").map((item) => item.trim()).filter(Boolean)];

export function initCommand(argv: readonly string[], cwd: string): string {
  const command = new Command("npm run init --")
    .description("Write your own trelica-aws-role config from a few flags (validated before it is written).")
    .addOption(new Option("--organization-id <id>", "your Trelica organization ID (Trelica: user menu > Profile, bottom of the page); becomes the sts:ExternalId"))
    .addOption(new Option("--management-account <id>", "the Organization's management account ID (found from --accounts-file when its ARNs name it)"))
    .addOption(new Option("--accounts-file <file>", "the JSON of `aws organizations list-accounts` (a path from the current folder; the config names it relative to itself)"))
    .addOption(new Option("--account <ids>", "an account ID to deploy to (comma-separated, repeatable)").argParser(list).default([]))
    .addOption(new Option("--region <region>", "the region you type into Trelica (default us-east-1)"))
    .addOption(
      new Option("--deployer-principal <arns>", "who runs rollout: the IAM role or user ARNs the least-privilege deployer trusts in member accounts (comma-separated, repeatable)")
        .argParser(list)
        .default([]),
    )
    .addOption(
      new Option("--deployer-ou <ids>", `the Organization's root ID (${ROOT_ID_COMMAND}) or the OU IDs whose accounts get the deployer (comma-separated, repeatable)`)
        .argParser(list)
        .default([]),
    )
    .addOption(new Option("--administrator-access", "reach member accounts through OrganizationAccountAccessRole (an administrator) instead of the deployer, knowingly").default(false))
    .addOption(new Option("--output <file>", `where to write the config`).default(DEFAULT_INIT_OUTPUT))
    .addOption(new Option("--force", "replace an existing file").default(false))
    .helpOption("--help", "print this help")
    .allowExcessArguments(false);
  parseCommandLine(command, argv, { help: "npm run init -- --help" });
  const options = command.opts<InitOptions>();
  const file = path.resolve(cwd, options.output);
  const problems: string[] = [];
  if (fs.existsSync(file) && !options.force) problems.push(`--output ${shownPath(file, cwd)}: the file exists; expected a new file, or --force to replace it`);
  const data = configOf(options, file, cwd);
  problems.push(...deploymentOf(options, data));
  try {
    validateConfig({ file, data, numberText: new Map() });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    problems.push(...error.problems.map(inFlagWords));
  }
  if (problems.length > 0) throw new UserError(`npm run init: ${problems.length === 1 ? "1 problem" : `${problems.length} problems`}; nothing was written:`, problems);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, render(data));
  const shown = shownPath(file, cwd);
  // No full stop after the last command: pasted with it, the config would be another file.
  return `Wrote ${shown}. Next: ${npmCommand("synth", [], { config: shown })} (or export TRELICA_CONFIG=${shellQuote(shown)}), then ${npmCommand("rollout", ["plan"], { config: shown })}`;
}

function configOf(options: InitOptions, file: string, cwd: string): Record<string, unknown> {
  // Typed from here, read by the config from its own folder: the same file whatever --output.
  const accountsFile = options.accountsFile && path.relative(path.dirname(file), path.resolve(cwd, options.accountsFile)).split(path.sep).join("/");
  return {
    trelicaOrganizationId: options.organizationId,
    ...(options.region ? { region: options.region } : {}),
    ...(options.managementAccount ? { managementAccountId: options.managementAccount } : {}),
    ...(accountsFile ? { accountsFile } : {}),
    ...(options.account.length > 0 ? { accounts: options.account.map((id) => ({ id })) } : {}),
  };
}

/**
 * Least privilege is the default: a config that reaches member accounts gets deployment.deployer (its two
 * flags are then required), unless --administrator-access says otherwise. Members are known from the flags
 * alone (an accounts file, or accounts besides the management account), so every problem shows at once.
 */
function deploymentOf(options: InitOptions, data: Record<string, unknown>): string[] {
  const hasMembers = options.accountsFile !== undefined || options.account.some((id) => id !== options.managementAccount);
  const deployerFlags = options.deployerPrincipal.length > 0 || options.deployerOu.length > 0;
  if (options.administratorAccess) {
    if (deployerFlags) return ["--administrator-access: given with --deployer-principal or --deployer-ou; expected one of the two: the deployer, or administrator access"];
    data.deployment = { administratorAccess: true };
    return [];
  }
  if (!hasMembers && !deployerFlags) return [];
  const problems: string[] = [];
  const why = (other: string) => (hasMembers ? "the config reaches member accounts, where the least-privilege deployer replaces OrganizationAccountAccessRole (an administrator)" : `${other} is given`);
  if (options.deployerPrincipal.length === 0) {
    problems.push(
      `--deployer-principal: none given, and ${why("--deployer-ou")}; expected the ARN of each IAM role or user that runs rollout ` +
        `(such as arn:aws:iam::111111111111:role/platform-ci), ${OR_ADMINISTRATOR}`,
    );
  }
  if (options.deployerOu.length === 0) {
    problems.push(
      `--deployer-ou: none given, and ${why("--deployer-principal")}; expected the Organization's root ID (${ROOT_ID_COMMAND}) ` +
        `or the OU IDs whose accounts get the deployer, ${OR_ADMINISTRATOR}`,
    );
  }
  if (problems.length === 0) data.deployment = { deployer: { trustedPrincipalArns: options.deployerPrincipal, organizationalUnitIds: options.deployerOu } };
  return problems;
}

/** YAML with the few comments a newcomer needs; account IDs quoted (YAML would read them as numbers). */
function render(data: Record<string, unknown>): string {
  const doc = new Document(data);
  doc.commentBefore = " Made by npm run init. Every key, its default and what is allowed: docs/configuration.md.";
  return doc.toString({ defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" });
}

/** "trelicaOrganizationId: got ..." → "--organization-id (trelicaOrganizationId): got ..."; a nested field by its longest flagged prefix. */
function inFlagWords(problem: string): string {
  const field = /^([A-Za-z.]+)/.exec(problem)?.[1] ?? "";
  const key = Object.keys(FLAG_OF).find((candidate) => field === candidate || field.startsWith(`${candidate}.`));
  const flag = key ? FLAG_OF[key] : undefined;
  return flag ? `${flag} (${problem.slice(0, problem.indexOf(":"))})${problem.slice(problem.indexOf(":"))}` : problem;
}
