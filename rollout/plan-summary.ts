/** Per-account change counts from `terraform show -json <planfile>` (its resource_changes). */
export interface ChangeCounts {
  create: number;
  update: number;
  delete: number;
  replace: number;
  import: number;
}

export interface PlanSummary {
  readonly counts: ChangeCounts;
  /** Addresses deleted or replaced. */
  readonly destructive: string[];
  /** Deletes or replaces of the IAM role itself: Trelica is cut off until a new one exists. */
  readonly cutsTrelicaOff: boolean;
}

interface ResourceChange {
  address: string;
  type: string;
  change: { actions: string[]; importing?: unknown };
}

export function emptyCounts(): ChangeCounts {
  return { create: 0, update: 0, delete: 0, replace: 0, import: 0 };
}

export function summarizePlan(showJson: string): PlanSummary {
  const plan = JSON.parse(showJson) as { resource_changes?: ResourceChange[] };
  const counts = emptyCounts();
  const destructive: string[] = [];
  let cutsTrelicaOff = false;
  for (const resource of plan.resource_changes ?? []) {
    const actions = resource.change.actions;
    if (resource.change.importing) counts.import++;
    const isReplace = actions.includes("delete") && actions.includes("create");
    if (isReplace) counts.replace++;
    else if (actions.includes("create")) counts.create++;
    else if (actions.includes("update")) counts.update++;
    else if (actions.includes("delete")) counts.delete++;
    if (actions.includes("delete")) {
      destructive.push(resource.address);
      if (resource.type === "aws_iam_role") cutsTrelicaOff = true;
    }
  }
  return { counts, destructive, cutsTrelicaOff };
}

export function hasChanges(counts: ChangeCounts): boolean {
  return Object.values(counts).some((count) => count > 0);
}
