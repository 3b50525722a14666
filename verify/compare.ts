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

export function compareRole(expected: ExpectedRole, live: LiveAccount): Finding[] {
  const role = live.role;
  if (!role) return [{ what: `role ${expected.roleName}`, expected: `exists at path ${expected.path}`, live: "does not exist" }];
  const findings: Finding[] = [];
  const differ = (what: string, want: string, got: string) => {
    if (want !== got) findings.push({ what, expected: want, live: got });
  };

  differ("role path", expected.path, role.path);
  if (!samePolicy(expected.trustPolicy, role.trustPolicy)) {
    const principals = [trustedPrincipals(expected.trustPolicy), trustedPrincipals(role.trustPolicy)].map(listText);
    const ids = [externalIds(expected.trustPolicy), externalIds(role.trustPolicy)].map(listText);
    differ("trust policy principal", principals[0], principals[1]);
    differ("trust policy external ID", ids[0], ids[1]);
    // Anything else (actions, conditions, a second statement): the whole policy, canonical.
    if (principals[0] === principals[1] && ids[0] === ids[1]) differ("trust policy", policyText(expected.trustPolicy), policyText(role.trustPolicy));
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
    }
  }
  if (role.inlinePolicyNames.length > 0) findings.push({ what: "inline policies", expected: "none", live: listText(role.inlinePolicyNames) });
  differ("permissions boundary", expected.permissionsBoundaryArn ?? "none", role.permissionsBoundaryArn ?? "none");
  differ("max session duration", `${expected.maxSessionDuration} s`, `${role.maxSessionDuration} s`);
  differ("description", expected.description, role.description);
  differ("tags", tagsText(expected.tags), tagsText(role.tags));
  return findings;
}

function tagsText(tags: Readonly<Record<string, string>>): string {
  const keys = Object.keys(tags).sort();
  return keys.length === 0 ? "none" : keys.map((key) => `${key}=${tags[key]}`).join(", ");
}
