/*
 * The plans the stand-in terraform (./terraform) and the in-memory double (test/helpers/terraform-double.ts)
 * make: `show -json` resource_changes, with before/after where the change is an update or no-op.
 * Behaviour.plan:
 *   "changes" (default)  every resource created (imports: imported)
 *   "none"               every resource unchanged
 *   "destroy-role"       the role deleted, the rest created
 *   "replace-role"       the role replaced, the rest created
 *   "trust-change"       the role's trust policy updated from Behaviour.trustBefore
 *                        ({ principal, externalId }, default another account and "old-external-id")
 *   "actions-removed"    the policy updated, dropping Behaviour.removedActions (default ["s3:ListAllMyBuckets"])
 *   "actions-added"      the policy updated, adding the synthesized actions to a smaller policy
 *   "replace-policy"     the policy replaced
 *   "delete-inline-guard" aws_iam_role_policies_exclusive deleted: destructive, but no change to Trelica's access
 * "-destroy" plans delete every resource.
 */
"use strict";

function attributes(resource) {
  const { "//": _metadata, lifecycle: _lifecycle, depends_on: _dependsOn, ...rest } = resource;
  return rest;
}

function policyWith(document, change) {
  const policy = JSON.parse(document);
  const statement = policy.Statement[0];
  statement.Action = change([].concat(statement.Action));
  return JSON.stringify(policy);
}

function resourceChanges(config, behaviour, destroyAll) {
  const kind = behaviour.plan || "changes";
  const imports = new Map((config.import || []).map((i) => [i.to, i.id]));
  const changes = [];
  for (const [type, resources] of Object.entries(config.resource || {})) {
    for (const [name, resource] of Object.entries(resources)) {
      const address = `${type}.${name}`;
      const current = attributes(resource);
      const unchanged = { actions: ["no-op"], before: current, after: current };
      const created = imports.has(address) ? { ...unchanged, importing: { id: imports.get(address) } } : { actions: ["create"], before: null, after: current };
      let change = kind === "none" ? unchanged : created;
      if (destroyAll) change = { actions: ["delete"], before: current, after: null };
      else if (["trust-change", "actions-removed", "actions-added", "replace-policy", "delete-inline-guard"].includes(kind)) change = unchanged;
      if (!destroyAll && type === "aws_iam_role") {
        if (kind === "destroy-role") change = { actions: ["delete"], before: current, after: null };
        if (kind === "replace-role") change = { actions: ["delete", "create"], before: current, after: current };
        if (kind === "trust-change") {
          const trust = { principal: "arn:aws:iam::111122223333:root", externalId: "old-external-id", ...behaviour.trustBefore };
          const document = JSON.parse(current.assume_role_policy);
          document.Statement[0].Principal.AWS = trust.principal;
          document.Statement[0].Condition.StringEquals["sts:ExternalId"] = trust.externalId;
          change = { actions: ["update"], before: { ...current, assume_role_policy: JSON.stringify(document) }, after: current };
        }
      }
      if (!destroyAll && type === "aws_iam_policy") {
        const removed = behaviour.removedActions || ["s3:ListAllMyBuckets"];
        if (kind === "actions-removed") change = { actions: ["update"], before: { ...current, policy: policyWith(current.policy, (actions) => [...actions, ...removed]) }, after: current };
        if (kind === "actions-added") change = { actions: ["update"], before: { ...current, policy: policyWith(current.policy, (actions) => actions.slice(0, 1)) }, after: current };
        if (kind === "replace-policy") change = { actions: ["create", "delete"], before: current, after: current };
      }
      if (!destroyAll && type === "aws_iam_role_policies_exclusive" && kind === "delete-inline-guard") change = { actions: ["delete"], before: current, after: null };
      changes.push({ address, mode: "managed", type, name, provider_name: "registry.terraform.io/hashicorp/aws", change });
    }
  }
  return changes;
}

/**
 * resource_drift: where the state holds the stack's objects (after an apply), a plan that creates one
 * means refresh found it deleted outside terraform, as real terraform reports it.
 */
function drift(changes, inState) {
  if (!inState) return [];
  return changes
    .filter((c) => c.change.actions.length === 1 && c.change.actions[0] === "create")
    .map(({ address, mode, type, name, provider_name, change }) => ({ address, mode, type, name, provider_name, change: { actions: ["delete"], before: change.after, after: null } }));
}

function hasChanges(changes) {
  return changes.some((c) => !c.change.actions.every((a) => a === "no-op") || c.change.importing);
}

/**
 * `terraform output -json` of a stack: {} before its first apply; after it, the config's outputs with
 * the role's ARN resolved (arn:aws:iam::<account_id>:role/<role name>), as terraform prints them.
 */
function outputs(config, applied) {
  if (!applied) return {};
  const declared = config.output || {};
  const accountId = (declared.account_id || {}).value;
  const role = Object.values((config.resource || {}).aws_iam_role || {})[0] || {};
  const result = {};
  for (const [name, output] of Object.entries(declared)) {
    const value = name === "role_arn" ? `arn:aws:iam::${accountId}:role/${role.name}` : output.value;
    result[name] = { sensitive: false, type: "string", value };
  }
  return result;
}

module.exports = { resourceChanges, drift, hasChanges, outputs };
