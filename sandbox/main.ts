/*
 * npm run sandbox -- <start|env|trelica|drift|status|stop> [options]: a local AWS Organization served by
 * the fake AWS the tests use (sandbox/fake-aws/), to try rollout and verify without an AWS account.
 * A development tool of this repository (its packages are devDependencies), not part of the npm package.
 */
import * as path from "node:path";
import { Command, Option } from "commander";
import { parseCommandLine } from "../app/commands/command-line";
import { UserError } from "../app/common/errors";
import { nearest } from "../app/config/parse/suggest";
import { EXTERNAL_ID_RULE } from "../modules/trelica-integration/rules";
import { envLines, start, StartOptions, status, stop } from "./lifecycle";
import { DEFAULT_MEMBERS, DEFAULT_TRELICA_ORGANIZATION_ID, MOST_MEMBERS } from "./organization";
import { DEFAULT_FOLDER, StateFolder } from "./state-folder";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const PROJECT_ROOT = path.resolve(__dirname, "..");

/** The options' values checked, every problem at once: each names the option, the value and what is allowed. */
function checkedOptions(name: string, raw: Record<string, string | boolean | undefined>): Record<string, string | number | boolean | undefined> {
  const problems: string[] = [];
  const checked: Record<string, string | number | boolean | undefined> = { ...raw };
  const wholeNumber = (key: string, flag: string, low: number, high: number, allowed: string) => {
    const value = raw[key];
    if (typeof value !== "string") return;
    if (/^\d+$/.test(value) && Number(value) >= low && Number(value) <= high) checked[key] = Number(value);
    else problems.push(`${flag} ${value}: expected ${allowed}`);
  };
  const externalId = (key: string, flag: string) => {
    const value = raw[key];
    if (typeof value === "string" && !EXTERNAL_ID_RULE.pattern.test(value)) problems.push(`${flag} ${value}: expected ${EXTERNAL_ID_RULE.allowed} (AWS's rule for an external ID)`);
  };
  wholeNumber("accounts", "--accounts", 0, MOST_MEMBERS, `a whole number of member accounts from 0 to ${MOST_MEMBERS}`);
  wholeNumber("port", "--port", 1, 65535, "a port number from 1 to 65535");
  externalId("trelicaOrg", "--trelica-org");
  externalId("externalId", "--external-id");
  if (problems.length > 0) throw new UserError(`npm run sandbox -- ${name} has ${problems.length === 1 ? "1 problem" : `${problems.length} problems`}; nothing was done:`, problems);
  return checked;
}

const dirOption = () => new Option("--dir <folder>", `where the sandbox keeps its state (default: ${DEFAULT_FOLDER} in the project, gitignored)`);

function commands(): Command[] {
  const command = (name: string, summary: string) => new Command(name).description(summary).addOption(dirOption()).helpOption("--help", "print this help").allowExcessArguments(false);
  return [
    command("start", "Serve the sandbox on 127.0.0.1 in the background: a simulated AWS Organization (a management account and member accounts, OrganizationAccountAccessRole in each member as AWS Organizations makes it), IAM, STS and CloudFormation StackSets, every request signed and authorized by IAM. The first start makes the Organization and writes its accounts file (the JSON of `aws organizations list-accounts`); later starts bring back the saved state, on the same port, so the lines env printed stay right.")
      .addOption(new Option("--accounts <n>", `member accounts of a new Organization (default ${DEFAULT_MEMBERS})`))
      .addOption(new Option("--port <port>", "the port to listen on (default: the one used before, else a free one)"))
      .addOption(new Option("--scenario", "seed what real Organizations hold: a TrelicaIntegration role made by hand from Trelica's setup page in one member, and a legacy IAM user with an access key (Trelica's old setup) in another"))
      .addOption(new Option("--trelica-org <id>", `the Trelica organization ID: the external ID the simulated Trelica presents, and the hand-made role of --scenario trusts (default ${DEFAULT_TRELICA_ORGANIZATION_ID}; give init the same --organization-id)`)),
    command("env", "Print the shell lines that point the AWS SDKs, the AWS CLI and terraform's AWS provider at the running sandbox, as the administrator of its management account: AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION and AWS_DEFAULT_REGION, AWS_EC2_METADATA_DISABLED, and unset AWS_PROFILE and session tokens. Use: eval \"$(npm run -s sandbox -- env)\". Your terraform installs its providers as it always does."),
    command("trelica", "Act as Trelica reading an account: sts:AssumeRole from Trelica's account (377450845233) into TrelicaIntegration with the external ID, as the real integration does. The role records its last use, which npm run verify reports as \"used by Trelica\"; a role that does not trust Trelica with that ID refuses, as AWS would.")
      .addOption(new Option("--account <id>", "the account (default: the first member account)"))
      .addOption(new Option("--external-id <id>", "the external ID to present (default: the sandbox's --trelica-org)"))
      .addOption(new Option("--region <region>", "the region Trelica calls from, recorded as the role's last-used region").default("us-east-1")),
    command("drift", `Change TrelicaIntegration behind terraform's back, as someone in the console would: attach arn:aws:iam::aws:policy/AdministratorAccess to it (through OrganizationAccountAccessRole in a member). npm run verify flags it; npm run rollout -- plan, then apply, detaches it.`)
      .addOption(new Option("--account <id>", "the account (default: the first member account)")),
    command("status", "Say whether the sandbox runs, where, and its Organization. Exits 0 when it runs, 1 when not."),
    command("stop", "Stop the sandbox. Its state stays in the folder, and the next start brings it back, until stop --reset.")
      .addOption(new Option("--reset", "also delete the folder: the Organization, every role in it, the accounts file (terraform's own state files, in the project, are not the sandbox's: delete them yourself for a fresh start)")),
  ];
}

function manual(subcommands: readonly Command[]): string {
  const indent = (text: string) => text.trim().split("\n").map((line) => (line ? `    ${line}` : line)).join("\n");
  return [
    "Usage: npm run sandbox -- <command> [options]",
    "",
    "A local AWS Organization to try this project in without an AWS account. It serves the fake AWS the tests",
    "use (sandbox/fake-aws/: IAM, STS, CloudFormation StackSets; IAM policies enforced) on 127.0.0.1 in the",
    "background; the real terraform, the AWS CLI and the AWS SDKs reach it through AWS_ENDPOINT_URL. A development",
    "tool of this repository (its packages are devDependencies), not part of the npm package. What it does not",
    "model (Organizations' own API, SCPs, eventual consistency, pagination...): sandbox/fake-aws/README.md.",
    "",
    "Commands:",
    ...subcommands.flatMap((sub) => ["", `  ${sub.name()}`, indent(sub.helpInformation().replace(/^Usage: /, "usage: npm run sandbox -- "))]),
    "",
    "Files (in --dir, default .sandbox/ in the project): organization.json (what start decided), state.json (every",
    "account's IAM and StackSets state, saved after requests and on stop), accounts.json (the accounts file),",
    "server.json (pid and URL while it runs), server.log (the server's log: what the fake was asked for and does",
    "not model is written there).",
    "",
    "Exit codes: 0 done; 1 a mistake on the command line, or the sandbox cannot do it (each message says why);",
    "status: 0 running, 1 not.",
    "",
    "Example:",
    "  npm run sandbox -- start --accounts 3",
    "  eval \"$(npm run -s sandbox -- env)\"",
    "  npm run init -- --organization-id my-trelica-org --accounts-file .sandbox/accounts.json",
    "  aws sts get-caller-identity              # the sandbox's administrator (if the AWS CLI is installed)",
    "  npm run sandbox -- status",
    "  npm run sandbox -- stop --reset",
    "",
  ].join("\n");
}

async function main(argv: readonly string[]): Promise<number> {
  const subcommands = commands();
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(manual(subcommands));
    return 0;
  }
  const sub = subcommands.find((candidate) => candidate.name() === name);
  if (!sub) {
    const names = subcommands.map((candidate) => candidate.name());
    const guess = nearest(name, names);
    throw new UserError(`${name}: unknown command.${guess ? ` Did you mean ${guess}?` : ""} Allowed: ${names.join(", ")}; see npm run sandbox -- --help`);
  }
  parseCommandLine(sub, rest, { help: `npm run sandbox -- ${name} --help` });
  const options = checkedOptions(name, sub.opts());
  const folder = new StateFolder(path.resolve((options.dir as string | undefined) ?? path.join(PROJECT_ROOT, DEFAULT_FOLDER)));
  const print = (lines: string[]) => process.stdout.write(`${lines.join("\n")}\n`);
  switch (name) {
    case "start":
      print(await start(folder, options as StartOptions, { members: DEFAULT_MEMBERS, trelicaOrg: DEFAULT_TRELICA_ORGANIZATION_ID }));
      return 0;
    case "env":
      print(envLines(folder));
      return 0;
    // The AWS SDK loads only for the commands that call AWS: the others answer at once.
    case "trelica":
      print(await (await import("./aws-calls")).actAsTrelica(folder, options as { account?: string; externalId?: string; region: string }));
      return 0;
    case "drift":
      print(await (await import("./aws-calls")).makeDrift(folder, options as { account?: string }));
      return 0;
    case "status": {
      const result = status(folder);
      print(result.lines);
      return result.running ? 0 : 1;
    }
    default:
      print(await stop(folder, options.reset === true));
      return 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`${error instanceof UserError ? error.message : String((error as Error)?.stack ?? error)}\n`);
    process.exitCode = 1;
  },
);
