/* What the run report keeps about an account's runs in Terraform Cloud (read from terraform's output by cloud.ts). */

/** Sentinel policy checks or policy evaluations (Sentinel/OPA), worst outcome of the run. */
export type PolicyOutcome = "passed" | "advisory-failed" | "soft-failed" | "hard-failed" | "errored";

/** Where a Terraform Cloud run stands, when that is worth telling the user. */
export type CloudState =
  /** Planned with changes; the run waits until `rollout apply` (or someone in the UI) confirms it. */
  | "awaiting-confirmation"
  | "applied"
  | "needs-override"
  | "policy-hard-failed"
  | "policy-errored"
  | "discarded"
  | "canceled"
  | "already-applied"
  | "already-confirmed"
  | "needs-confirmation"
  | "not-confirmable"
  | "plan-errored"
  | "vcs-driven";

export interface CloudReport {
  /** The run's URL, per rollout step that printed it (a saved plan is applied in the run that planned it). */
  runs: { plan?: string; apply?: string };
  state?: CloudState;
  policy?: PolicyOutcome;
  /** Terraform Cloud's cost estimate, as printed: "$0.00/mo +$0.00". */
  costEstimate?: string;
}
