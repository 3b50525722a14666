/*
 * Every key the config file accepts, read from its zod schema (app/config/schema.ts), with the default
 * the schema gives it, if any: what docs/configuration.md's key table is checked against.
 */
import { configSchema } from "../../app/config/schema";

export interface ConfigKey {
  /** `backend.bucket`, `accounts[].id`. */
  readonly path: string;
  /** The schema's default, when it has one of its own. */
  readonly default?: unknown;
}

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** Keys below `schema`, depth first, in the schema's order; a key whose value holds keys is listed too. */
export function configKeys(schema: unknown = configSchema, prefix = ""): ConfigKey[] {
  const keys: ConfigKey[] = [];
  const walk = (node: unknown, path: string, found: { default?: unknown }): void => {
    const def = defOf(node);
    switch (def.type) {
      case "optional":
      case "nullable":
        return walk(def.innerType, path, found);
      case "default":
      case "prefault":
        return walk(def.innerType, path, { default: def.defaultValue });
      case "pipe":
        return walk(def.in, path, found);
      case "object":
        if (path) keys.push({ path, ...found });
        for (const [name, child] of Object.entries(def.shape as Record<string, unknown>)) walk(child, path ? `${path}.${name}` : name, {});
        return;
      case "union": {
        // A discriminated union of objects (backend): one key per field of any option, each once.
        const options = (def.options as unknown[]).filter((option) => defOf(option).type === "object");
        if (options.length === 0) {
          keys.push({ path, ...found });
          return;
        }
        if (path) keys.push({ path, ...found });
        const seen = new Set(keys.map((key) => key.path));
        for (const option of options) {
          for (const [name, child] of Object.entries(defOf(option).shape as Record<string, unknown>)) {
            const childPath = `${path}.${name}`;
            if (seen.has(childPath)) continue;
            seen.add(childPath);
            walk(child, childPath, {});
          }
        }
        return;
      }
      case "array": {
        const element = defOf(def.element);
        if (element.type === "object") {
          keys.push({ path, ...found });
          walk(def.element, `${path}[]`, {});
          // The element itself is not a key of its own.
          const index = keys.findIndex((key) => key.path === `${path}[]`);
          if (index >= 0) keys.splice(index, 1);
          return;
        }
        keys.push({ path, ...found });
        return;
      }
      default:
        keys.push({ path, ...found });
    }
  };
  walk(schema, prefix, {});
  return keys;
}
