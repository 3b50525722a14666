import { SERVICE_NAMES, ServiceFlags, TRELICA_ACCOUNT_ID } from "../../modules/trelica-integration";
import { namesOneAccount, parseBoundaryArn, sharedBoundaryAllowed } from "./boundary";
import { ALL_REGIONS, partitionOf } from "./regions";
import { ACCOUNT_ID_PLACEHOLDER } from "./schema";
import { show } from "./parse/show";
import { formatPath } from "./parse/source";

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

  const stackSetMode = data.mode === "stackset";
  problems.push(...modeProblems(data, stackSetMode));
  if (!stackSetMode && data.accountsFile === undefined && (data.accounts === undefined || (Array.isArray(data.accounts) && data.accounts.length === 0))) {
    problems.push(`accounts: got ${data.accounts === undefined ? "nothing" : "[]"}; expected at least one account, or an accountsFile`);
  }
  const backend = data.backend;
  if (isObject(backend) && backend.workspaceName !== undefined && backend.workspaceTags !== undefined) {
    problems.push("backend.workspaceTags: given with backend.workspaceName; expected one of the two ways to choose workspaces");
  }
  // Tags alike on every stack match every account's workspace: each stack would use whichever one
  // TF_WORKSPACE or `terraform workspace select` names, and accounts could end up sharing one state.
  const tags = isObject(backend) && backend.type === "cloud" ? backend.workspaceTags : undefined;
  if (Array.isArray(tags) && tags.length > 0 && tags.every((tag) => typeof tag === "string" && tag !== "") && !tags.some((tag: string) => tag.includes(ACCOUNT_ID_PLACEHOLDER))) {
    problems.push(
      `backend.workspaceTags: got ${show(tags)}; expected at least one tag containing ${ACCOUNT_ID_PLACEHOLDER}, such as "trelica-${ACCOUNT_ID_PLACEHOLDER}", ` +
        "so each account's stack selects only its own workspace (the same tags on every stack would put all accounts behind one workspace)",
    );
  }

  problems.push(...partitionProblems(data), ...boundaryProblems(data, stackSetMode));

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

/** Keys that only one mode reads: giving them in the other would be silently ignored. */
const PER_ACCOUNT_ONLY = ["accountsFile", "accounts", "include", "exclude", "adoptExisting"];

function modeProblems(data: Raw, stackSetMode: boolean): string[] {
  const problems: string[] = [];
  if (stackSetMode) {
    for (const key of PER_ACCOUNT_ONLY.filter((k) => data[k] !== undefined)) {
      problems.push(`${key}: only read in the default mode (one stack per account); with mode: stackset, target accounts with stackSet.organizationalUnitIds and stackSet.accountFilter`);
    }
    if (data.stackSet === undefined) problems.push("stackSet: is required with mode: stackset; expected at least stackSet.organizationalUnitIds");
    if (data.managementAccountId === undefined) problems.push("managementAccountId: is required with mode: stackset; expected the 12-digit ID of the Organization's management account");
    const stackSet = isObject(data.stackSet) ? data.stackSet : {};
    if (stackSet.callAs === "DELEGATED_ADMIN" && stackSet.delegatedAdminAccountId === undefined) {
      problems.push("stackSet.delegatedAdminAccountId: is required with callAs: DELEGATED_ADMIN; expected the delegated administrator's 12-digit account ID");
    }
    for (const [a, b] of [["maxConcurrentCount", "maxConcurrentPercentage"], ["failureToleranceCount", "failureTolerancePercentage"]]) {
      if (stackSet[a] !== undefined && stackSet[b] !== undefined) problems.push(`stackSet.${b}: given with stackSet.${a}; expected one of the two`);
    }
  } else if (data.stackSet !== undefined) {
    problems.push("stackSet: only read with mode: stackset; add `mode: stackset`, or remove stackSet");
  }
  return problems;
}

/**
 * Trelica's account 377450845233 is in the commercial `aws` partition: it cannot assume a role in
 * aws-us-gov or aws-cn, and the same 12 digits there may be anybody's account. Outside `aws` the
 * trusted account must be the one Trelica gave for that partition, so no default may stand in for it.
 */
function partitionProblems(data: Raw): string[] {
  if (data.trelicaAccountId !== undefined) return [];
  const regions: [string, unknown][] = [["region", data.region]];
  if (Array.isArray(data.accounts)) {
    data.accounts.forEach((account: unknown, index: number) => {
      if (isObject(account)) regions.push([formatPath(["accounts", index, "region"]), account.region]);
    });
  }
  if (isObject(data.stackSet)) regions.push(["stackSet.region", data.stackSet.region]);
  return regions.flatMap(([field, region]) => {
    // Unknown regions are the schema's to report.
    if (typeof region !== "string" || !ALL_REGIONS.includes(region) || partitionOf(region) === "aws") return [];
    const partition = partitionOf(region);
    return [
      `${field}: got "${region}", a region of the ${partition} partition, and no trelicaAccountId; ` +
        `Trelica's account ${TRELICA_ACCOUNT_ID} is in the commercial aws partition and cannot assume a role in ${partition} ` +
        `(arn:${partition}:iam::${TRELICA_ACCOUNT_ID}:root would be whoever holds that ID there). ` +
        `Set trelicaAccountId to the account Trelica gave you for ${partition}, or use a region of the aws partition`,
    ];
  });
}

/** role.permissionsBoundaryArn against the region's partition, and in stackset mode (many accounts, by nature). */
function boundaryProblems(data: Raw, stackSetMode: boolean): string[] {
  const arn = isObject(data.role) ? data.role.permissionsBoundaryArn : undefined;
  const boundary = parseBoundaryArn(arn);
  if (boundary === undefined) return [];
  const problems: string[] = [];
  const region = data.region === undefined ? "us-east-1" : data.region;
  if (typeof region === "string" && ALL_REGIONS.includes(region) && partitionOf(region) !== boundary.partition) {
    problems.push(
      `role.permissionsBoundaryArn: got "${arn}", an ARN of the ${boundary.partition} partition; expected one of the ${partitionOf(region)} partition, ` +
        `where the role is (region ${region})`,
    );
  }
  // The per-account-mode check, which knows how many accounts are deployed, is in deployments.ts.
  if (stackSetMode && namesOneAccount(boundary)) {
    problems.push(
      `role.permissionsBoundaryArn: got "${arn}", a policy of account ${boundary.account}; with mode: stackset the role is in every enrolled account, ` +
        `and IAM refuses a boundary the role's account does not own. Expected ${sharedBoundaryAllowed(boundary)}`,
    );
  }
  return problems;
}
