import type { core } from "zod";
import { nearest } from "./suggest";

/*
 * zod's issues in our words: what is allowed where an issue is, read from the schema when the schema
 * gave no text of its own, and the allowed value nearest to a typo.
 */

/** Stands for "this schema gave no text of its own": zod's default wording never reaches the user. */
export const UNWORDED = "\u0000unworded";

/** What is allowed where the issue is: the schema's own text, or, for an object (which has none of its own), the keys it takes. */
export function allowedText(issue: core.$ZodIssue, root: core.$ZodType, data: unknown): string {
  if (issue.message !== UNWORDED) return issue.message;
  if (issue.code === "invalid_type" && issue.expected === "object") return `a map with the keys ${allowedKeysAt(root, issue.path, data).join(", ")}`;
  // A safety net: every other check in our schemas says what it allows itself.
  return "a value as docs/configuration.md describes it";
}

/** ". Did you mean `x`?" when the value is close to one of the allowed ones (a mode, a backend type, a region, a state). */
export function didYouMean(issue: core.$ZodIssue, input: unknown): string {
  const choices =
    issue.code === "invalid_value" ? issue.values
    : issue.code === "invalid_union" ? ((issue as { options?: unknown[] }).options ?? [])
    : issue.code === "custom" ? ((issue.params as { choices?: unknown[] } | undefined)?.choices ?? [])
    : [];
  const guess = typeof input === "string" ? nearest(input, choices.filter((value): value is string => typeof value === "string")) : undefined;
  return guess && guess !== input ? `. Did you mean \`${guess}\`?` : "";
}

/** The schema that reads the value at `path`, following the user's choice in a union (`backend` by its `type`). */
function schemaAt(root: core.$ZodType, path: readonly PropertyKey[], data: unknown): core.$ZodType | undefined {
  let schema: core.$ZodType | undefined = root;
  let value: unknown = data;
  for (const segment of path) {
    schema = pickUnionOption(unwrap(schema), value);
    const def = schema?._zod.def as { shape?: Record<string, core.$ZodType>; element?: core.$ZodType; valueType?: core.$ZodType } | undefined;
    schema = typeof segment === "number" ? def?.element : (def?.shape?.[String(segment)] ?? def?.valueType);
    value = (value as Record<PropertyKey, unknown> | undefined)?.[segment];
  }
  return schema;
}

/** The keys an object may have at `path`, read from the schema itself. */
export function allowedKeysAt(root: core.$ZodType, path: readonly PropertyKey[], data: unknown): string[] {
  const value = path.reduce<unknown>((at, segment) => (at as Record<PropertyKey, unknown> | undefined)?.[segment], data);
  const def = pickUnionOption(unwrap(schemaAt(root, path, data)), value)?._zod.def as { shape?: Record<string, unknown> } | undefined;
  return def?.shape ? Object.keys(def.shape) : [];
}

/** Would `text` be a good value at `path`? */
export function accepts(root: core.$ZodType, path: readonly PropertyKey[], data: unknown, value: unknown): boolean {
  const schema = schemaAt(root, path, data) as { safeParse?: (value: unknown) => { success: boolean } } | undefined;
  return schema?.safeParse?.(value).success ?? false;
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
    // optional(), default() and the like wrap the schema that reads the value.
    const def = current._zod.def as { innerType?: core.$ZodType };
    if (!def.innerType) return current;
    current = def.innerType;
  }
  return current;
}
