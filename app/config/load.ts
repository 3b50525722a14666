import * as path from "node:path";
import type { core } from "zod";
import { OrganizationAccount, readAccountsFile } from "./accounts-file";
import { UserError } from "../errors";
import { AccountConfig, Config, configSchema } from "./schema";
import { ConfigSource, formatPath, readConfigSource } from "./source";
import { nearest } from "./suggest";
import { show } from "./show";
import { reservedMarkerProblems } from "./reserved";
import { semanticProblems } from "./semantics";
import { terraformCloudProblems } from "./terraform-cloud";

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

export function validateConfig(source: ConfigSource): LoadedConfig {
  if (source.data === null || source.data === undefined || typeof source.data !== "object" || Array.isArray(source.data)) {
    const got = source.data === null || source.data === undefined ? "an empty file" : `${show(source.data)} at the top level`;
    throw configError(source.file, [
      `got ${got}; expected the settings as \`key: value\` lines, at least \`trelicaOrganizationId\` and one account (see README, "Config reference")`,
    ]);
  }
  const result = configSchema.safeParse(source.data, { reportInput: true });
  const problems = result.success ? [] : result.error.issues.flatMap((issue) => describeIssue(issue, source));
  problems.push(...semanticProblems(source.data), ...reservedMarkerProblems(source.data));
  problems.push(...terraformCloudProblems(source.data));

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
 * reads as one line: where it happens, how often, a few of the places, and what is expected.
 */
function groupRepeated(problems: readonly string[]): string[] {
  const groups = new Map<string, { places: string[]; first: string }>();
  for (const problem of problems) {
    const match = /^(.*?\[\d+\][^:]*): (?:got .*?; )?(expected .*)$/s.exec(problem);
    const key = match ? `${match[1].replace(/\[\d+\]/g, "[*]")}\u0000${match[2]}` : problem;
    const group = groups.get(key) ?? { places: [], first: problem };
    group.places.push(match ? match[1] : problem);
    groups.set(key, group);
  }
  return [...groups.entries()].map(([key, group]) => {
    if (group.places.length <= REPEATS_SHOWN) return group.places.length === 1 ? group.first : problems.filter((p) => group.places.some((place) => p.startsWith(`${place}: `)));
    const [pattern, expected] = key.split("\u0000");
    const indices = (place: string) => (place.match(/\[\d+\]/g) ?? []).join("");
    const shown = group.places.slice(0, REPEATS_SHOWN).map(indices).join(", ");
    return `${pattern.slice(0, pattern.indexOf("[*]"))}${shown} and ${group.places.length - REPEATS_SHOWN} more (${group.places.length} in all): ${expected}`;
  }).flat();
}

function describeIssue(issue: core.$ZodIssue, source: ConfigSource): string[] {
  const where = formatPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeysAt(issue.path, source.data);
    return issue.keys.map((key) => {
      const field = formatPath([...issue.path, key]);
      const guess = nearest(key, allowed);
      const hint = guess ? ` Did you mean \`${guess}\`?` : "";
      return `${field}: unknown key.${hint} Allowed here: ${allowed.join(", ")}`;
    });
  }
  if (issue.input === undefined) return [`${where}: is required; expected ${issue.message}`];
  const numberText = source.numberText.get(where);
  if (numberText !== undefined && issue.code === "invalid_type" && issue.expected === "string") {
    const quoted = JSON.stringify(/^\d+$/.test(numberText) ? numberText : String(issue.input));
    // Only an account ID loses something: its leading zeros.
    const why = isAccountIdField(issue.path)
      ? "YAML reads unquoted digits as a number and drops leading zeros"
      : "expected text (YAML reads unquoted digits as a number)";
    return [`${where}: got the number ${numberText}; ${why}. Quote it: ${quoted}`];
  }
  // A discriminated union reports the whole object; the user wants to see the discriminator's value.
  const input = issue.code === "invalid_union" && issue.discriminator ? (issue.input as Record<string, unknown>)[issue.discriminator] : issue.input;
  // A value close to an allowed one (a mode, a choice): say which.
  const choices = issue.code === "invalid_value" ? issue.values.filter((value): value is string => typeof value === "string") : [];
  const guess = typeof input === "string" ? nearest(input, choices) : undefined;
  return [`${where}: got ${show(input, numberText)}; expected ${issue.message}${guess ? `. Did you mean \`${guess}\`?` : ""}`];
}

/** Fields that hold a 12-digit AWS account ID: the ones where YAML's number reading loses leading zeros. */
function isAccountIdField(path: readonly PropertyKey[]): boolean {
  const last = path.at(-1);
  const parent = path.at(-2);
  if (typeof last === "string") return /AccountId$/.test(last) || (last === "id" && typeof parent === "number" && path.at(-3) === "accounts");
  return typeof last === "number" && parent === "accounts";
}

/**
 * The keys an object in the config may have at `path`, read from the schema itself. In a union
 * (`backend`), the keys of the option the user chose with its discriminator (`type`).
 */
function allowedKeysAt(path: readonly PropertyKey[], data: unknown): string[] {
  let schema: core.$ZodType | undefined = configSchema as unknown as core.$ZodType;
  let value: unknown = data;
  for (const segment of [...path, undefined]) {
    schema = pickUnionOption(unwrap(schema), value);
    if (segment === undefined) break;
    const def = schema?._zod.def as { type: string; shape?: Record<string, core.$ZodType>; element?: core.$ZodType };
    schema = typeof segment === "number" ? def.element : def.shape?.[String(segment)];
    value = (value as Record<PropertyKey, unknown> | undefined)?.[segment];
  }
  const def = schema?._zod.def as { shape?: Record<string, unknown> } | undefined;
  return def?.shape ? Object.keys(def.shape) : [];
}

function pickUnionOption(schema: core.$ZodType | undefined, value: unknown): core.$ZodType | undefined {
  const def = schema?._zod.def as { type: string; discriminator?: string; options?: core.$ZodType[] } | undefined;
  if (def?.type !== "union" || !def.discriminator || !def.options) return schema;
  const chosen = (value as Record<string, unknown> | undefined)?.[def.discriminator];
  return (
    def.options.find((option) => {
      const shape = (option._zod.def as { shape?: Record<string, core.$ZodType> }).shape;
      const literal = shape?.[def.discriminator!]?._zod.def as { values?: unknown[] } | undefined;
      return literal?.values?.includes(chosen);
    }) ?? schema
  );
}

function unwrap(schema: core.$ZodType | undefined): core.$ZodType | undefined {
  let current = schema;
  while (current) {
    const def = current._zod.def as { type: string; innerType?: core.$ZodType };
    if (!def.innerType || !["optional", "default", "nullable", "pipe"].includes(def.type)) return current;
    current = def.innerType;
  }
  return current;
}

export type { AccountConfig, Config };
