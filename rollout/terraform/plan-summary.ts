import { BOUNDARY_POLICY_NAME } from "../../app/config/deployer";
import { listSome, plural } from "../../app/common/list";
import { TrelicaIntegration } from "../../modules/trelica-integration";

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
  /** Creates (not imports) Trelica's role, which state did not track: terraform found no state of it. */
  readonly createsRole?: boolean;
  /** Changes to what Trelica may do or whether it can get in: apply refuses them without --allow-access-change. */
  readonly accessChanges: AccessChange[];
}

export interface AccessChange {
  readonly address: string;
  readonly reason: string;
}

interface ResourceChange {
  address: string;
  type: string;
  change: { actions: string[]; importing?: unknown; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null };
}

export function emptyCounts(): ChangeCounts {
  return { create: 0, update: 0, delete: 0, replace: 0, import: 0 };
}

export function summarizePlan(showJson: string): PlanSummary {
  const plan = JSON.parse(showJson) as { resource_changes?: ResourceChange[]; resource_drift?: ResourceChange[] };
  // A role state tracked and refresh found deleted is drift; a role state never tracked is not.
  const deletedOutside = new Set((plan.resource_drift ?? []).filter((drift) => drift.change.actions.includes("delete")).map((drift) => drift.address));
  const counts = emptyCounts();
  const destructive: string[] = [];
  let cutsTrelicaOff = false;
  let createsRole = false;
  for (const resource of plan.resource_changes ?? []) {
    const actions = resource.change.actions;
    if (resource.change.importing) counts.import++;
    const isReplace = actions.includes("delete") && actions.includes("create");
    if (isReplace) counts.replace++;
    else if (actions.includes("create")) {
      counts.create++;
      if (resource.type === "aws_iam_role" && resource.change.after?.name === TrelicaIntegration.ROLE_NAME && !deletedOutside.has(resource.address)) createsRole = true;
    }
    else if (actions.includes("update")) counts.update++;
    else if (actions.includes("delete")) counts.delete++;
    if (actions.includes("delete")) {
      destructive.push(resource.address);
      if (resource.type === "aws_iam_role") cutsTrelicaOff = true;
    }
  }
  const accessChanges = (plan.resource_changes ?? []).flatMap((resource) => accessChangeOf(resource) ?? []);
  return { counts, destructive, cutsTrelicaOff, accessChanges, ...(createsRole ? { createsRole } : {}) };
}

/** The resources through which Trelica gets in and what it may do there. */
const ACCESS_RESOURCES: Record<string, string> = {
  aws_iam_role: "the TrelicaIntegration role",
  aws_iam_policy: "Trelica's policy",
  aws_iam_role_policy_attachment: "the policy attachment",
  aws_iam_role_policy_attachments_exclusive: "the role's exclusive policy attachments",
  aws_cloudformation_stack_set: "the stack set",
  aws_cloudformation_stack_set_instance: "a stack set instance",
};

function accessChangeOf(resource: ResourceChange): AccessChange | undefined {
  const what = ACCESS_RESOURCES[resource.type];
  if (!what) return undefined;
  const { actions, before, after } = resource.change;
  const at = (reason: string) => ({ address: resource.address, reason });
  if (actions.includes("delete")) return at(`${actions.includes("create") ? "replaces" : "deletes"} ${what}`);
  if (!actions.includes("update") || !before || !after) return undefined;
  if (resource.type === "aws_iam_role") {
    const reasons: string[] = [];
    if (before.assume_role_policy !== after.assume_role_policy) {
      const [old, now] = [trustOf(before.assume_role_policy), trustOf(after.assume_role_policy)];
      reasons.push(`changes the role's trust policy: principal ${old.principal} -> ${now.principal}, external ID ${old.externalId} -> ${now.externalId}`);
    }
    const boundary = boundaryChange(before.permissions_boundary, after.permissions_boundary, "the role's");
    if (boundary) reasons.push(boundary);
    if (reasons.length > 0) return at(reasons.join("; "));
  }
  if (resource.type === "aws_iam_policy" && before.policy !== after.policy) {
    if (after.policy === undefined || after.policy === null) return at("changes Trelica's policy to one known only after apply");
    const removed = removedActions(allowedActions(before.policy), allowedActions(after.policy));
    if (removed.length > 0) return at(removalText(removed, "Trelica's policy"));
  }
  if (resource.type === "aws_cloudformation_stack_set" && before.template_body !== after.template_body) {
    // A template update reaches every enrolled account's role: the same checks as for one account's role and policy.
    const [old, now] = [templateAccess(before.template_body), templateAccess(after.template_body)];
    if (!old || !now) return at("changes the stack set's template to one that cannot be read before apply");
    const reasons: string[] = [];
    if (old.roleName !== now.roleName) reasons.push(`renames the role in every enrolled account (${old.roleName} -> ${now.roleName}), which replaces it`);
    if (old.trust.principal !== now.trust.principal || old.trust.externalId !== now.trust.externalId) {
      reasons.push(`changes every enrolled role's trust policy: principal ${old.trust.principal} -> ${now.trust.principal}, external ID ${old.trust.externalId} -> ${now.trust.externalId}`);
    }
    const removed = removedActions(old.actions, now.actions);
    if (removed.length > 0) reasons.push(removalText(removed, "every enrolled account's policy"));
    const boundary = boundaryChange(old.boundary, now.boundary, "every enrolled role's");
    if (boundary) reasons.push(boundary);
    if (reasons.length > 0) return at(reasons.join("; "));
  }
  return undefined;
}

/**
 * A permissions boundary set or changed caps what Trelica may do, whatever its policy says: flagged unless
 * the new one is TrelicaIntegrationBoundary (the deployer's, which allows every action of every service).
 * Removing a boundary cannot take anything away: the role's policy is still exactly ours.
 */
function boundaryChange(before: unknown, after: unknown, whose: string): string | undefined {
  const [old, now] = [boundaryText(before), boundaryText(after)];
  if (old === now || now === undefined) return undefined;
  if (isDeployerBoundary(after)) return undefined;
  return `${old === undefined ? "sets" : "changes"} ${whose} permissions boundary (${old ?? "none"} -> ${now}), which caps what Trelica may do`;
}

/** TrelicaIntegrationBoundary at the root path: an ARN, or a template's `Fn::Sub` of one (any account). */
function isDeployerBoundary(value: unknown): boolean {
  const arn = typeof value === "object" && value !== null ? (value as Record<string, unknown>)["Fn::Sub"] : value;
  return typeof arn === "string" && new RegExp(`^arn:[\\w-]+:iam::(\\d{12}|\\$\\{AWS::AccountId\\}):policy/${BOUNDARY_POLICY_NAME}$`).test(arn);
}

/** A boundary as plan JSON or a template holds it: an ARN, a CloudFormation function, or nothing. */
function boundaryText(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

function removedActions(before: Set<string>, after: Set<string>): string[] {
  return [...before].filter((action) => !after.has(action));
}

function removalText(actions: readonly string[], from: string): string {
  return `removes ${plural(actions.length, "action")} from ${from}: ${listSome(actions)}`;
}

/**
 * What a stack set's CloudFormation template gives Trelica: the role's name and trust (a `Ref` to a
 * parameter read as that parameter's default, as the stack set deploys it) and every action its
 * policies allow. Undefined when the template cannot be read.
 */
function templateAccess(body: unknown): { roleName: string; trust: ReturnType<typeof trustOf>; actions: Set<string>; boundary: unknown } | undefined {
  if (typeof body !== "string") return undefined;
  try {
    const template = JSON.parse(body) as {
      Parameters?: Record<string, { Default?: unknown }>;
      Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }>;
    };
    const resolve = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(resolve);
      if (!value || typeof value !== "object") return value;
      const record = value as Record<string, unknown>;
      if (typeof record.Ref === "string" && template.Parameters?.[record.Ref]) return template.Parameters[record.Ref].Default ?? `(parameter ${record.Ref})`;
      return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, resolve(item)]));
    };
    const resources = Object.values(template.Resources ?? {});
    const role = resources.find((resource) => resource.Type === "AWS::IAM::Role")?.Properties ?? {};
    const documents = [
      ...resources.filter((resource) => resource.Type === "AWS::IAM::ManagedPolicy").map((resource) => resource.Properties?.PolicyDocument),
      ...asArray(role.Policies).map((policy) => (policy as { PolicyDocument?: unknown }).PolicyDocument),
    ];
    return {
      roleName: String(role.RoleName ?? "(generated)"),
      trust: trustOf(JSON.stringify(resolve(role.AssumeRolePolicyDocument))),
      actions: new Set(documents.flatMap((document) => [...allowedActions(JSON.stringify(resolve(document)))])),
      boundary: resolve(role.PermissionsBoundary),
    };
  } catch {
    return undefined;
  }
}

/**
 * Only who is trusted and with which external ID: enough to review a trust change, never the rest of
 * the policy document.
 */
function trustOf(document: unknown): { principal: string; externalId: string } {
  if (typeof document !== "string") return { principal: "(known after apply)", externalId: "(known after apply)" };
  try {
    const statements = asArray((JSON.parse(document) as { Statement?: unknown }).Statement) as {
      Principal?: { AWS?: unknown };
      Condition?: { StringEquals?: Record<string, unknown> };
    }[];
    const principals = statements.flatMap((statement) => asArray(statement.Principal?.AWS).map(String));
    const externalIds = statements.flatMap((statement) => asArray(statement.Condition?.StringEquals?.["sts:ExternalId"]).map(String));
    return { principal: principals.join(",") || "(none)", externalId: externalIds.join(",") || "(none)" };
  } catch {
    return { principal: "(unreadable)", externalId: "(unreadable)" };
  }
}

function allowedActions(document: unknown): Set<string> {
  if (typeof document !== "string") return new Set();
  try {
    const statements = asArray((JSON.parse(document) as { Statement?: unknown }).Statement) as { Effect?: string; Action?: unknown }[];
    return new Set(statements.filter((statement) => statement.Effect === "Allow").flatMap((statement) => asArray(statement.Action).map(String)));
  } catch {
    return new Set();
  }
}

function asArray(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

export function hasChanges(counts: ChangeCounts): boolean {
  return Object.values(counts).some((count) => count > 0);
}
