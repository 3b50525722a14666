import { CloudProblem } from "../terraform-cloud/cloud";
import { emptyCounts } from "../terraform/plan-summary";
import { AccountReport, changeText, statusLabel } from "./report";

/* What becomes of an account: the status a step gives it, and the one line progress shows when it is done. */

export function skip(account: AccountReport, reason: string): false {
  account.status = "skipped";
  account.reason = reason;
  return false;
}

export function refuse(account: AccountReport, reason: string): false {
  account.status = "refused";
  account.reason = reason;
  return false;
}

/** A run Terraform Cloud holds for a person or refused: a status of its own, the reason and the run to open. */
export function hold(account: AccountReport, problem: CloudProblem): void {
  const cloud = (account.cloud ??= { runs: {} });
  cloud.state = problem.state;
  const url = cloud.runs.apply ?? cloud.runs.plan;
  account.status = problem.status;
  account.reason = url ? `${problem.says}: ${url}` : problem.says;
}

export function progressLine(account: AccountReport): string {
  const time = `(${account.durationSeconds}s)`;
  const url = account.cloud?.runs.apply ?? account.cloud?.runs.plan;
  const reason = (account.reason ?? "").split("\n")[0];
  if (account.status !== "succeeded") return `${statusLabel(account)}: ${reason}${url && !reason.includes(url) ? ` ${url}` : ""} ${time}`;
  if (account.outcome === "in-sync") return "in sync (live and state)";
  if (account.outcome === "read") return `${account.outputs?.role_arn ? "applied" : "planned only"} ${time}`;
  const warning = account.cutsTrelicaOff ? " [DESTROYS the TrelicaIntegration role]" : account.accessChanges?.length ? " [CHANGES Trelica's access]" : "";
  const unchecked = account.accessUnchecked ? " [NOT CHECKED for changes to Trelica's access]" : "";
  const policy = account.cloud?.policy && account.cloud.policy !== "passed" ? ` [policy ${account.cloud.policy}]` : "";
  const run = url ? `; ${account.cloud?.state === "awaiting-confirmation" ? "run awaits confirmation" : "run"}: ${url}` : "";
  return `${account.outcome}: ${changeText(account.counts ?? emptyCounts())}${warning}${unchecked}${policy}${run} ${time}`;
}
