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
  const result = configSchema.safeParse(source.data, { reportInput: true });
  const problems = result.success ? [] : result.error.issues.flatMap((issue) => describeIssue(issue, source));
  problems.push(...semanticProblems(source.data), ...reservedMarkerProblems(source.data));

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
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return new UserError(`Config file ${file} has ${count}; nothing was written:`, problems);
}

function describeIssue(issue: core.$ZodIssue, source: ConfigSource): string[] {
  const where = formatPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeysAt(issue.path);
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
    return [
      `${where}: got the number ${numberText}; YAML reads unquoted digits as a number and drops leading zeros. ` +
        `Quote it: ${quoted}`,
    ];
  }
  // A discriminated union reports the whole object; the user wants to see the discriminator's value.
  const input = issue.code === "invalid_union" && issue.discriminator ? (issue.input as Record<string, unknown>)[issue.discriminator] : issue.input;
  return [`${where}: got ${show(input, numberText)}; expected ${issue.message}`];
}

/** The keys an object in the config may have at `path`, read from the schema itself. */
function allowedKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: core.$ZodType | undefined = configSchema as unknown as core.$ZodType;
  for (const segment of [...path, undefined]) {
    schema = unwrap(schema);
    if (segment === undefined) break;
    const def = schema?._zod.def as { type: string; shape?: Record<string, core.$ZodType>; element?: core.$ZodType };
    schema = typeof segment === "number" ? def.element : def.shape?.[String(segment)];
  }
  const def = schema?._zod.def as { shape?: Record<string, unknown> } | undefined;
  return def?.shape ? Object.keys(def.shape) : [];
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
