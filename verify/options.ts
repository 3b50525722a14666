/*
 * verify's command line in one place: `--config`/`--output` from the parser every command shares
 * (app/commands/project-options.ts), then verify's own options, their checks (every bad value at once, naming the
 * option, the value and what is allowed), and the help text.
 */
import * as path from "node:path";
import { Command, Option } from "commander";
import { UserError } from "../app/common/errors";
import { ROLE_NAME_RULE } from "../app/config/iam-names";
import { addProjectOptions, DEFAULT_CONFIG_FILE, PROJECT_ENVIRONMENT, ProjectPaths, projectPaths } from "../app/commands/project-options";
import { MAX_CONCURRENCY, selectionProblems, wholeNumber } from "../runner/options";
import { DEFAULT_IDLE_DAYS } from "./legacy-keys";

/** The longest idle period --legacy-key-idle-days accepts: IAM keeps a key's last use for 400 days. */
const MAX_IDLE_DAYS = 400;

const list = (value: string, previous: string[] = []) => [...previous, ...value.split(",").map((item) => item.trim()).filter(Boolean)];

export function verifyCommand(): Command {
  return addProjectOptions(new Command("npm run verify --"))
    .description("Audit every selected account's live TrelicaIntegration role against this config, read-only: drift, Trelica's use, legacy access keys.")
    .option("--accounts <globs>", "only these account IDs or stack names (globs, comma-separated, repeatable)", list, [])
    .option("--exclude <globs>", "leave out these account IDs or stack names (globs)", list, [])
    .option("--concurrency <n>", `accounts at once (1-${MAX_CONCURRENCY})`, "16")
    .option("--role-name <name>", "assume this role (a read-only audit role) in every account other than the credentials' own, instead of the deployment role")
    .option("--deactivate-legacy-keys", "set legacy Trelica access keys judged safe to Inactive (never deletes); the only write verify makes", false)
    .option("--legacy-key-idle-days <n>", `a legacy key is safe to deactivate only after this many days unused (1-${MAX_IDLE_DAYS})`, String(DEFAULT_IDLE_DAYS))
    .option("--report <file.json>", "write the JSON report here")
    .addOption(new Option("--progress <mode>", "live view or one line per account (auto, live, plain)").default("auto"))
    .addHelpText("after", HELP_AFTER);
}

export interface VerifyCommandLine {
  /** Absolute path of the config file. */
  readonly config: string;
  readonly accounts: string[];
  readonly exclude: string[];
  readonly concurrency: number;
  readonly roleName?: string;
  readonly deactivateLegacyKeys: boolean;
  readonly legacyKeyIdleDays: number;
  readonly report?: string;
  /** The output folder (--output): its connections table gets the trelica_last_used column. */
  readonly outdir: string;
  readonly progress: "auto" | "live" | "plain";
  /** --config and --output as given, for the commands verify prints. */
  readonly given: ProjectPaths["given"];
}

/** commander's values, checked together; the config and output folder as every command finds them (`cwd`: where npm runs it). */
export function checkVerifyOptions(raw: Record<string, any>, env: NodeJS.ProcessEnv = {}, cwd = process.cwd()): VerifyCommandLine {
  const paths = projectPaths(raw, env, path.join(cwd, DEFAULT_CONFIG_FILE));
  const problems: string[] = [];
  const concurrency = wholeNumber(problems, "--concurrency", String(raw.concurrency), 1, MAX_CONCURRENCY);
  const legacyKeyIdleDays = wholeNumber(problems, "--legacy-key-idle-days", String(raw.legacyKeyIdleDays ?? DEFAULT_IDLE_DAYS), 1, MAX_IDLE_DAYS);
  problems.push(...selectionProblems(raw as never));
  if (raw.roleName !== undefined && !ROLE_NAME_RULE.pattern.test(raw.roleName)) problems.push(`--role-name ${JSON.stringify(raw.roleName)}: expected ${ROLE_NAME_RULE.allowed}`);
  if (problems.length > 0) throw new UserError("Nothing was verified; the command line has problems:", problems);
  return {
    config: paths.configFile,
    accounts: raw.accounts,
    exclude: raw.exclude,
    concurrency,
    roleName: raw.roleName,
    deactivateLegacyKeys: raw.deactivateLegacyKeys === true,
    legacyKeyIdleDays,
    report: raw.report,
    outdir: paths.outdir,
    progress: raw.progress,
    given: paths.given,
  };
}

export const EXIT_USAGE = 2;

export const HELP_AFTER = `
Environment variables read:
${PROJECT_ENVIRONMENT}
  AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION ...
                         the AWS SDK's standard credential chain (environment, SSO, profiles, instance roles)
  AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_CLOUDFORMATION
                         endpoints, read by the AWS SDK itself
  CI                     when set, --progress auto prints one line per account

Credentials per account: the role the account's stack assumes (deployment.assumeRoleName or the
account's assumeRoleName; default OrganizationAccountAccessRole), or with deployment.deployer its
read-only verify role (TrelicaDeployerVerify, which may not deactivate keys: give --role-name with
--deactivate-legacy-keys); the management account and assumeRoleName: false use the standard
credentials, which must act in that account. --role-name replaces the role in every account but the
credentials' own.

API calls, per account (read-only):
  sts:AssumeRole                          once, unless the account uses the standard credentials
  iam:GetRole                             the role, its trust policy, boundary, tags, RoleLastUsed
  iam:ListAttachedRolePolicies            its managed policies
  iam:ListRolePolicies                    its inline policies (expected: none)
  iam:GetAccountAuthorizationDetails      Filter User + Group + LocalManagedPolicy, one call per 1,000
                                          entries: every user's and group's policies, users' tags, and
                                          the account's own policy documents
  iam:GetLoginProfile                     per user named or tagged Trelica whose permissions are Trelica's
  iam:ListAccessKeys                      per legacy user
  iam:GetAccessKeyLastUsed                per access key of those users (at most 2 each)
  iam:UpdateAccessKey                     only with --deactivate-legacy-keys, per key judged safe
Once per run: sts:GetCallerIdentity (when an account uses the standard credentials or --role-name is
given); StackSets mode: cloudformation:ListStackInstances where the stack set is administered.

Exit codes:
  0    every selected account as configured (inactive legacy keys allowed)
  1    any drift, missing role, unreadable account, or active legacy access key
  2    a mistake on the command line or in the config
`;
