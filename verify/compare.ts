import type { ExpectedRole } from "./expected";
import { allowedActions, externalIds, policyText, samePolicy, trustedPrincipals } from "./read/policy";
import type { LiveAccount } from "./read/read-account";

/*
 * The live role against the expected one, as findings: each names what differs, what this config
 * makes and what is there. Policies are compared as parsed policy.
 */

export interface Finding {
  /** What differs, such as "trust policy principal" or "attached managed policies". */
  readonly what: string;
  readonly expected: string;
  readonly live: string;
}

const listText = (items: readonly string[]) => (items.length === 0 ? "none" : items.join(", "));
const missing = (from: readonly string[], of: readonly string[]) => from.filter((item) => !of.includes(item));

/**
 * `strict` (rollout's proof that terraform has nothing to do): policy documents must also be the same
 * JSON value (keys in any order, lists in order, Sid kept), stricter than terraform's own policy
 * equivalence, so a document terraform would rewrite never passes as equal.
 */
export function compareRole(expected: ExpectedRole, live: LiveAccount, { strict = false } = {}): Finding[] {
  const role = live.role;
  if (!role) return [{ what: `role ${expected.roleName}`, expected: `exists at path ${expected.path}`, live: "does not exist" }];
  const findings: Finding[] = [];
  const differ = (what: string, want: string, got: string) => {
    if (want !== got) findings.push({ what, expected: want, live: got });
  };
  // Compared as values: "a=b, c=d" as text could be one tag or two.
  const differTags = (what: string, want: Readonly<Record<string, string>>, got: Readonly<Record<string, string>>) => {
    if (jsonText(want) === jsonText(got)) return;
    const [wantText, gotText] = [tagsText(want), tagsText(got)];
    findings.push({ what, ...(wantText === gotText ? { expected: jsonText(want), live: jsonText(got) } : { expected: wantText, live: gotText }) });
  };

  differ("role path", expected.path, role.path);
  if (!samePolicy(expected.trustPolicy, role.trustPolicy)) {
    const principals = [trustedPrincipals(expected.trustPolicy), trustedPrincipals(role.trustPolicy)].map(listText);
    const ids = [externalIds(expected.trustPolicy), externalIds(role.trustPolicy)].map(listText);
    differ("trust policy principal", principals[0], principals[1]);
    differ("trust policy external ID", ids[0], ids[1]);
    // Anything else (actions, conditions, a second statement): the whole policy, canonical.
    if (principals[0] === principals[1] && ids[0] === ids[1]) differ("trust policy", policyText(expected.trustPolicy), policyText(role.trustPolicy));
  } else if (strict) {
    differ("trust policy (as written)", jsonText(expected.trustPolicy), jsonText(role.trustPolicy));
  }

  const extra = missing(role.attachedPolicyArns, [expected.policyArn]);
  if (extra.length > 0 || !role.attachedPolicyArns.includes(expected.policyArn)) {
    findings.push({ what: "attached managed policies", expected: expected.policyArn, live: listText(role.attachedPolicyArns) });
  }
  if (role.attachedPolicyArns.includes(expected.policyArn)) {
    const document = live.localPolicies.get(expected.policyArn);
    if (document === undefined) {
      findings.push({ what: `policy ${expected.policyName}`, expected: "a customer-managed policy of this account", live: "not found among the account's policies" });
    } else if (!samePolicy(expected.permissionPolicy, document)) {
      const want = allowedActions(expected.permissionPolicy);
      const got = allowedActions(document);
      const added = missing(got, want);
      const removed = missing(want, got);
      if (added.length > 0) findings.push({ what: `policy ${expected.policyName} grants actions not configured`, expected: "none", live: added.join(", ") });
      if (removed.length > 0) findings.push({ what: `policy ${expected.policyName} lacks configured actions`, expected: removed.join(", "), live: "missing" });
      if (added.length === 0 && removed.length === 0) differ(`policy ${expected.policyName} (default version)`, policyText(expected.permissionPolicy), policyText(document));
    } else if (strict) {
      differ(`policy ${expected.policyName} (default version, as written)`, jsonText(expected.permissionPolicy), jsonText(document));
    }
  }
  // The policy's own attributes, where they were read (GetPolicy) and are managed.
  if (live.policy) {
    if (expected.policyPath !== undefined) differ(`policy ${expected.policyName} path`, expected.policyPath, live.policy.path);
    if (expected.policyDescription !== undefined) differ(`policy ${expected.policyName} description`, expected.policyDescription, live.policy.description);
    if (expected.policyTags !== undefined) differTags(`policy ${expected.policyName} tags`, expected.policyTags, live.policy.tags);
  }
  if (role.inlinePolicyNames.length > 0) findings.push({ what: "inline policies", expected: "none", live: listText(role.inlinePolicyNames) });
  differ("permissions boundary", expected.permissionsBoundaryArn ?? "none", role.permissionsBoundaryArn ?? "none");
  differ("max session duration", `${expected.maxSessionDuration} s`, `${role.maxSessionDuration} s`);
  differ("description", expected.description, role.description);
  differTags("tags", expected.tags, role.tags);
  return findings;
}

/** A JSON value as text with object keys sorted and lists kept in order. */
function jsonText(value: unknown): string {
  const sorted = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(sorted);
    if (item === null || typeof item !== "object") return item;
    return Object.fromEntries(Object.keys(item as object).sort().map((key) => [key, sorted((item as Record<string, unknown>)[key])]));
  };
  return JSON.stringify(sorted(value));
}

function tagsText(tags: Readonly<Record<string, string>>): string {
  const keys = Object.keys(tags).sort();
  return keys.length === 0 ? "none" : keys.map((key) => `${key}=${tags[key]}`).join(", ");
}
