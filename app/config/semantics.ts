import { SERVICE_NAMES, ServiceFlags } from "../../modules/trelica-integration";
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
  // All four explicitly off leaves nothing on anywhere; accounts with nothing on are found at resolution.
  if (defaults && SERVICE_NAMES.every((name) => defaults[name] === false)) {
    problems.push(`services: got ${JSON.stringify(data.services)}; expected at least one of ${SERVICE_NAMES.join(", ")} set to true`);
  }

  if (data.accountsFile === undefined && (data.accounts === undefined || (Array.isArray(data.accounts) && data.accounts.length === 0))) {
    problems.push(`accounts: got ${data.accounts === undefined ? "nothing" : "[]"}; expected at least one account, or an accountsFile`);
  }
  const backend = data.backend;
  if (isObject(backend) && backend.workspaceName !== undefined && backend.workspaceTags !== undefined) {
    problems.push("backend.workspaceTags: given with backend.workspaceName; expected one of the two ways to choose workspaces");
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
  });
  return problems;
}
