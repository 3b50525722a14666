import { ALL_SERVICES, enabledServices, SERVICE_NAMES, ServiceFlags } from "../../modules/trelica-integration";
import { formatPath } from "./source";

/*
 * Checks across fields, run on the raw input even when its shape has errors, so the user sees
 * every problem in one go. Each check skips values whose own shape is wrong (the schema reports those).
 */

type Raw = Record<string, unknown>;
const isObject = (value: unknown): value is Raw => typeof value === "object" && value !== null && !Array.isArray(value);

export function semanticProblems(data: unknown): string[] {
  if (!isObject(data)) return [];
  const problems: string[] = [];
  const defaults = isObject(data.services) ? (data.services as ServiceFlags) : undefined;
  if (defaults && noServiceOn(defaults)) {
    problems.push(`services: got ${JSON.stringify(data.services)}; expected at least one of ${SERVICE_NAMES.join(", ")} set to true`);
  }

  const accounts = Array.isArray(data.accounts) ? data.accounts : [];
  const firstIndexOf = new Map<string, number>();
  accounts.forEach((account: unknown, index: number) => {
    if (!isObject(account)) return;
    if (typeof account.id === "string") {
      const first = firstIndexOf.get(account.id);
      if (first === undefined) firstIndexOf.set(account.id, index);
      else problems.push(`${formatPath(["accounts", index, "id"])}: got "${account.id}" again (first at accounts[${first}]); each account may appear once`);
    }
    if (isObject(account.services)) {
      const merged = { ...(defaults ?? ALL_SERVICES), ...(account.services as ServiceFlags) };
      if (noServiceOn(merged)) {
        problems.push(
          `${formatPath(["accounts", index, "services"])}: leaves no service enabled; expected at least one of ${SERVICE_NAMES.join(", ")} on`,
        );
      }
    }
  });
  return problems;
}

function noServiceOn(flags: ServiceFlags): boolean {
  return enabledServices(flags).length === 0;
}
