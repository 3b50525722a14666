import * as path from "node:path";
import type { core } from "zod";
import { OrganizationAccount, readAccountsFile } from "./accounts-file";
import { UserError } from "../common/errors";
import { AccountConfig, BOOLEAN_WORDS, Config, configSchema } from "./schema";
import { ConfigSource, formatPath, readConfigSource } from "./parse/source";
import { accepts, allowedKeysAt, allowedText, didYouMean, UNWORDED } from "./parse/issues";
import { nearest } from "./parse/suggest";
import { show } from "./parse/show";
import { reservedMarkerProblems } from "./reserved";
import { semanticProblems } from "./semantics";
import { terraformCloudProblems } from "./terraform-cloud";
import { deployerProblems } from "./deployer";

export interface LoadedConfig {
  readonly file: string;
  readonly config: Config;
  /** Accounts read from `accountsFile`, in file order; empty without one. */
  readonly organizationAccounts: readonly OrganizationAccount[];
}

/** Reads, parses and validates a config file and its accounts file; throws one UserError listing every problem. */
export function loadConfig(file: string): LoadedConfig {
  return validateConfig(readConfigSource(file));
}

// The schema as zod's core type, for the helpers that read it (issues.ts).
const CONFIG_SCHEMA = configSchema as unknown as core.$ZodType;

export function validateConfig(source: ConfigSource): LoadedConfig {
  if (source.data === null || source.data === undefined || typeof source.data !== "object" || Array.isArray(source.data)) {
    const got = source.data === null || source.data === undefined ? "an empty file" : `${show(source.data)} at the top level`;
    throw configError(source.file, [
      `got ${got}; expected the settings as \`key: value\` lines, at least \`trelicaOrganizationId\` and one account (see docs/configuration.md)`,
    ]);
  }
  const result = configSchema.safeParse(source.data, { reportInput: true, error: () => UNWORDED });
  const problems = result.success ? [] : result.error.issues.flatMap((issue) => describeIssue(issue, source));
  problems.push(...semanticProblems(source.data), ...reservedMarkerProblems(source.data));
  problems.push(...terraformCloudProblems(source.data), ...deployerProblems(source.data));

  // The accounts file is read even when the config has other problems, so all are reported together.
  const accountsFile = (source.data as { accountsFile?: unknown } | null)?.accountsFile;
  const fromFile =
    typeof accountsFile === "string" && accountsFile !== ""
      ? readAccountsFile(path.resolve(path.dirname(source.file), accountsFile))
      : { accounts: [], problems: [] };
  problems.push(...fromFile.problems);

  if (!result.success || problems.length > 0) throw configError(source.file, problems);
  return { file: source.file, config: result.data, organizationAccounts: fromFile.accounts };
}

export function configError(file: string, problems: readonly string[]): UserError {
  const grouped = groupRepeated(problems);
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return new UserError(`Config file ${file} has ${count}; nothing was written:`, grouped);
}

/** Past this many alike, problems are shown as one line with a count and the first few places. */
const REPEATS_SHOWN = 3;

/**
 * The same problem in many list entries (an accounts file without `State` in each of 300 accounts)
 * reads as one line: the field with [*] for the index, the first few values and where they are, how
 * many in all, and what is expected.
 */
function groupRepeated(problems: readonly string[]): string[] {
  const groups = new Map<string, { field: string; status: string; expected: string; members: { problem: string; indices: string; got?: string }[] }>();
  for (const problem of problems) {
    const match = /^(.*?\[\d+\][^:]*): (?:got (.*?)|(is required|is missing)); (expected .*)$/s.exec(problem);
    if (!match) {
      groups.set(problem, { field: "", status: "", expected: "", members: [{ problem, indices: "" }] });
      continue;
    }
    const [, place, got, status = "got", expected] = match;
    const field = place.replace(/\[\d+\]/g, "[*]");
    const key = `${field}\u0000${status}\u0000${expected}`;
    const group = groups.get(key) ?? { field, status, expected, members: [] };
    group.members.push({ problem, indices: (place.match(/\[\d+\]/g) ?? []).join(""), got });
    groups.set(key, group);
  }
  return [...groups.values()].flatMap(({ field, status, expected, members }) => {
    if (members.length <= REPEATS_SHOWN) return members.map((member) => member.problem);
    const shown = members.slice(0, REPEATS_SHOWN);
    const places = status === "got" ? shown.map((member) => `${member.got} at ${member.indices}`) : shown.map((member) => member.indices);
    const count = `${places.join(", ")} and ${members.length - REPEATS_SHOWN} more (${members.length} in all)`;
    return [status === "got" ? `${field}: got ${count}; ${expected}` : `${field}: ${status} at ${count}; ${expected}`];
  });
}

function describeIssue(issue: core.$ZodIssue, source: ConfigSource): string[] {
  const where = formatPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeysAt(CONFIG_SCHEMA, issue.path, source.data);
    return issue.keys.map((key) => {
      const field = formatPath([...issue.path, key]);
      const guess = nearest(key, allowed);
      const hint = guess ? ` Did you mean \`${guess}\`?` : "";
      return `${field}: unknown key.${hint} Allowed here: ${allowed.join(", ")}`;
    });
  }
  const expected = allowedText(issue, CONFIG_SCHEMA, source.data);
  if (issue.input === undefined) return [`${where}: is required; expected ${expected}`];
  const numberText = source.numberText.get(where);
  // A number where text belongs: quoting it helps only if the quoted text is a good value.
  if (numberText !== undefined && issue.code === "invalid_type" && issue.expected === "string" && accepts(CONFIG_SCHEMA, issue.path, source.data, numberText)) {
    // Only an account ID loses something that matters: its leading zeros.
    const why = isAccountIdField(issue.path) && numberText.startsWith("0")
      ? "YAML reads unquoted digits as a number and drops leading zeros"
      : "expected text (YAML reads unquoted digits as a number)";
    return [`${where}: got the number ${numberText}; ${why}. Quote it: ${JSON.stringify(numberText)}`];
  }
  const asBoolean = typeof issue.input === "string" ? BOOLEAN_WORDS[issue.input.toLowerCase()] : undefined;
  if (asBoolean !== undefined && accepts(CONFIG_SCHEMA, issue.path, source.data, asBoolean)) {
    return [`${where}: got ${show(issue.input)}, which is text, not a boolean; expected ${expected}: write ${asBoolean} without quotes`];
  }
  // A discriminated union reports the whole object; the user wants to see the discriminator's value.
  const input = issue.code === "invalid_union" && issue.discriminator ? (issue.input as Record<string, unknown>)[issue.discriminator] : issue.input;
  return [`${where}: got ${show(input, numberText)}; expected ${expected}${didYouMean(issue, input)}`];
}

/** Fields that hold a 12-digit AWS account ID: the ones where YAML's number reading loses leading zeros. */
function isAccountIdField(path: readonly PropertyKey[]): boolean {
  const last = path.at(-1);
  const parent = path.at(-2);
  if (typeof last === "string") return /AccountId$/.test(last) || (last === "id" && typeof parent === "number" && path.at(-3) === "accounts");
  return typeof last === "number" && parent === "accounts";
}

export type { AccountConfig, Config };
