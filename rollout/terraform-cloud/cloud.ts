/*
 * Runs in Terraform Cloud (HCP Terraform / Terraform Enterprise), as terraform >= 1.6 reports them when a
 * stack's `cloud` block sends its plan and apply there (CLI-driven runs, saved cloud plans):
 * - `plan -out=F` writes a bookmark, {"remote_plan_format":1,"run_id":"run-…","hostname":"…"}, not a
 *   plan (internal/cloud/cloudplan/saved_plan.go); `apply F` confirms that run (backend_apply.go);
 * - each run prints "To view this run in a browser, visit:" and its URL;
 * - policy results, refusals and waits are lines of output, not exit codes (all of them exit 1).
 * What rollout reads from that output lives here, so the wording terraform uses is in one place.
 */
import * as fs from "node:fs";
import { ChangeCounts, emptyCounts } from "../terraform/plan-summary";
import { CloudState, PolicyOutcome } from "./cloud-report";

export type { CloudReport, CloudState, PolicyOutcome } from "./cloud-report";

/** A saved cloud plan: what terraform >= 1.6 writes for `plan -out` when the run is in Terraform Cloud. */
export interface SavedCloudPlan {
  readonly runId: string;
  readonly hostname: string;
}

/** The bookmark in a plan file, if it is one (a local plan is a zip archive). */
export function readSavedCloudPlan(file: string): SavedCloudPlan | undefined {
  try {
    const bookmark = JSON.parse(fs.readFileSync(file, "utf8")) as { remote_plan_format?: unknown; run_id?: unknown; hostname?: unknown };
    if (bookmark.remote_plan_format !== 1 || typeof bookmark.run_id !== "string" || typeof bookmark.hostname !== "string") return undefined;
    return { runId: bookmark.run_id, hostname: bookmark.hostname };
  } catch {
    return undefined;
  }
}

/** Every run URL terraform prints has this shape (runHeader, runHeaderErr, unusableSavedPlanError). */
const RUN_URL = /https:\/\/[^\s/]+\/app\/[^\s/]+\/[^\s/]+\/runs\/run-[A-Za-z0-9]+/;

export function runUrlIn(output: string): string | undefined {
  return RUN_URL.exec(output)?.[0];
}

/** Policy failures as terraform words them: the outcome below and the holds further down read the same lines. */
const HARD_FAILED_CHECK = /Policy Check hard failed\./;
const SOFT_FAILED = /Policy Check soft failed\.|Cannot override soft failed policy checks|Failed to override:|needs to be manually overridden/;
const SAVED_PLAN_NEEDS_OVERRIDE = /Saved plan requires policy override/;

/** The worst policy outcome the output shows, from legacy Sentinel checks and from policy evaluations. */
export function policyOutcomeIn(output: string): PolicyOutcome | undefined {
  if (HARD_FAILED_CHECK.test(output)) return "hard-failed";
  // Policy evaluations: a failed mandatory policy fails the task stage.
  if (/Overall Result: FAILED/.test(output) && /Task Stage failed\./.test(output)) return "hard-failed";
  if (SOFT_FAILED.test(output) || SAVED_PLAN_NEEDS_OVERRIDE.test(output)) return "soft-failed";
  if (/Policy Check errored\./.test(output)) return "errored";
  const advisory = /\(advisory\)\s*Result: false/.test(output) || /Overall Result: PASSED \(with advisory\)/.test(output) || /\u24be Advisory/.test(output);
  if (advisory) return "advisory-failed";
  if (/Sentinel Result: true|Overall Result: PASSED/.test(output)) return "passed";
  return undefined;
}

/** "Resources: 1 of 1 estimated" then "$X/mo +$Y" (backend_common.go costEstimate). */
export function costEstimateIn(output: string): string | undefined {
  return /Resources: \d+ of \d+ estimated\s*\n\s*(\$\S+\/mo [+-]\$\S+)/.exec(output)?.[1];
}

/**
 * A remote plan whose JSON could not be read: `show -json` of a saved cloud plan fetches the unredacted
 * JSON plan, which needs workspace admin permission (backend_show.go ShowPlanForRun).
 */
export function isJsonPlanDenied(output: string): boolean {
  return /couldn't read unredacted JSON plan data|admin permissions on the workspace/.test(output);
}

/** The change counts of the plan's own summary line, for a plan whose JSON could not be read. */
export function countsFromPlanLine(output: string): ChangeCounts | undefined {
  const match = /Plan: (?:(\d+) to import, )?(\d+) to add, (\d+) to change, (\d+) to destroy/.exec(output);
  if (!match) return undefined;
  return { ...emptyCounts(), import: Number(match[1] ?? 0), create: Number(match[2]), update: Number(match[3]), delete: Number(match[4]) };
}

/** A run Terraform Cloud holds or refused: what the account's status becomes and what to tell the user. */
export interface CloudProblem {
  readonly state: CloudState;
  /** What the account's status becomes (a subset of the report's AccountStatus, which hold() accepts). */
  readonly status: "failed" | "needs-action" | "skipped";
  readonly says: string;
}

// Ordered: the first pattern found wins (a hard policy failure says more than the generic errors around it).
const CLOUD_PROBLEMS: readonly { readonly pattern: RegExp; readonly problem: CloudProblem }[] = [
  {
    pattern: /(?:Saved plans|Apply) not allowed for workspaces with a VCS connection/,
    problem: {
      state: "vcs-driven",
      status: "failed",
      says: "the workspace is VCS-driven: its runs come from pushes, and terraform refuses saved plans and CLI applies there; leave it out (--exclude) or remove its VCS connection",
    },
  },
  {
    pattern: new RegExp(`${HARD_FAILED_CHECK.source}|Overall Result: FAILED[\\s\\S]*Task Stage failed\\.`),
    problem: { state: "policy-hard-failed", status: "failed", says: "a mandatory policy failed in Terraform Cloud: this change cannot be applied; change the configuration or the policy" },
  },
  {
    pattern: SAVED_PLAN_NEEDS_OVERRIDE,
    problem: { state: "needs-override", status: "needs-action", says: "a soft-mandatory policy failed: someone allowed to override policies must override it in Terraform Cloud, then rerun apply" },
  },
  {
    pattern: SOFT_FAILED,
    problem: {
      state: "needs-override",
      status: "needs-action",
      says: "a soft-mandatory policy failed: someone allowed to override policies must override it in Terraform Cloud and confirm the run there (terraform saved no plan of it for rollout to apply)",
    },
  },
  { pattern: /Policy Check errored\./, problem: { state: "policy-errored", status: "failed", says: "the policy check errored in Terraform Cloud" } },
  {
    pattern: /Saved plan is discarded|Apply discarded\.|Destroy discarded\./,
    problem: {
      state: "discarded",
      status: "needs-action",
      says: "Terraform Cloud discarded this run (another run was applied first, someone discarded it, or it waited unconfirmed too long): plan again",
    },
  },
  { pattern: /Saved plan is canceled/, problem: { state: "canceled", status: "needs-action", says: "the run was canceled in Terraform Cloud: plan again" } },
  { pattern: /Saved plan is already applied/, problem: { state: "already-applied", status: "skipped", says: "its run was already applied in Terraform Cloud (confirmed there)" } },
  {
    pattern: /Saved plan is already confirmed/,
    problem: { state: "already-confirmed", status: "needs-action", says: "someone confirmed this run in Terraform Cloud and it is being applied there: check how it ends" },
  },
  {
    pattern: /Cannot confirm apply due to -input=false/,
    problem: { state: "needs-confirmation", status: "needs-action", says: "the run waits for confirmation in Terraform Cloud: confirm it there" },
  },
  {
    pattern: /Saved plan cannot be applied/,
    problem: { state: "not-confirmable", status: "needs-action", says: "Terraform Cloud cannot apply this run now (its plan or checks have not finished, or it waits for a decision): look at the run" },
  },
  { pattern: /Saved plan is errored/, problem: { state: "plan-errored", status: "failed", says: "the run's plan errored in Terraform Cloud: plan again after fixing it" } },
];

/** What a failed terraform call (exit 1) in Terraform Cloud means, when it is one of the known holds or refusals. */
export function cloudProblemIn(output: string): CloudProblem | undefined {
  return CLOUD_PROBLEMS.find((entry) => entry.pattern.test(output))?.problem;
}
