import type { core } from "zod";
import { UserError } from "../errors";
import { AccountConfig, Config, configSchema } from "./schema";
import { ConfigSource, formatPath, readConfigSource } from "./source";
import { nearest } from "./suggest";
import { semanticProblems } from "./semantics";

/** Reads, parses and validates a config file; throws one UserError listing every problem. */
export function loadConfig(file: string): Config {
  return validateConfig(readConfigSource(file));
}

export function validateConfig(source: ConfigSource): Config {
  const result = configSchema.safeParse(source.data, { reportInput: true });
  const problems = result.success ? [] : result.error.issues.flatMap((issue) => describeIssue(issue, source));
  problems.push(...semanticProblems(source.data));
  if (!result.success || problems.length > 0) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    throw new UserError(`Config file ${source.file} has ${count}; nothing was written:`, problems);
  }
  return result.data;
}

/** Shows a value the way the user wrote it, so they can find it in their file. */
export function show(value: unknown, sourceText?: string): string {
  if (sourceText !== undefined) return sourceText;
  if (value === undefined) return "nothing";
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
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
  return [`${where}: got ${show(issue.input, numberText)}; expected ${issue.message}`];
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
