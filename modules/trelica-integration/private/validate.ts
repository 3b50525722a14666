import { knownOf, replaceTokens } from "./tokens";
import { DEFAULT_TAGS } from "../default-tags";
import { PARTITIONS } from "../policy-document";
import {
  ACCOUNT_ID_RULE,
  DESCRIPTION_RULE,
  EXTERNAL_ID_RULE,
  MAX_SESSION_DURATION_RULE,
  PERMISSIONS_BOUNDARY_RULE,
  POLICY_NAME_RULE,
  POLICY_PATH_AND_NAME_RULE,
  tagProblems,
  TAGS_RULE,
} from "../rules";
import { enabledServices, SERVICE_NAMES } from "../services";
import type { TrelicaIntegrationProps } from "../trelica-integration-props";

/**
 * Every problem with the props at once, each naming the prop, the value and what is allowed. `target`:
 * only a CloudFormation template can name a boundary by policy name, resolved in each account it runs in.
 */
export function validateTrelicaIntegrationProps(props: TrelicaIntegrationProps, target: "terraform" | "cloudformation"): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, prop: string, value: unknown, allowed: string) => {
    if (!ok) problems.push(`\`${prop}\` must be ${allowed}, got ${shown(value)}`);
  };
  // Text, whatever JavaScript or a jsii language passes at run time: a pattern alone would read a number
  // or undefined as its text ("undefined" is a good policy name).
  const matches = (rule: { readonly pattern: RegExp }, value: unknown) => typeof value === "string" && rule.pattern.test(value);
  /**
   * Whether a value is to be checked as a literal: a token passes (its value is known only at plan or
   * apply time) in a Terraform stack, and is refused by a template, which is plain JSON written now.
   */
  const literal = (prop: string, value: unknown, rule?: { readonly partial: RegExp; readonly allowed: string }): boolean => {
    const known = knownOf(value);
    if (known !== "literal" && target === "cloudformation") {
      const allowed =
        typeof value === "number"
          ? "a number known when the template is rendered (cloudFormationTemplate cannot resolve a token)"
          : "text known when the template is rendered (cloudFormationTemplate cannot resolve a token)";
      check(false, prop, value, allowed);
    } else if (known === "partly" && rule) {
      // Text around tokens is checked, the tokens taken out.
      check(rule.partial.test(replaceTokens(value as string, "")), prop, value, rule.allowed);
    }
    return known === "literal";
  };

  if (literal("externalId", props.externalId, EXTERNAL_ID_RULE)) {
    check(
      matches(EXTERNAL_ID_RULE, props.externalId),
      "externalId",
      props.externalId,
      EXTERNAL_ID_RULE.allowed,
    );
  }
  if (props.trelicaAccountId !== undefined && literal("trelicaAccountId", props.trelicaAccountId, ACCOUNT_ID_RULE)) {
    check(matches(ACCOUNT_ID_RULE, props.trelicaAccountId), "trelicaAccountId", props.trelicaAccountId, ACCOUNT_ID_RULE.allowed);
  }
  if (props.partition !== undefined && literal("partition", props.partition, PARTITION_PARTIAL)) {
    check((PARTITIONS as readonly string[]).includes(props.partition), "partition", props.partition, `one of ${PARTITIONS.join(", ")}`);
  }
  if (props.services !== undefined) {
    const unknown = Object.keys(props.services).filter((name) => !(SERVICE_NAMES as readonly string[]).includes(name));
    for (const name of unknown) check(false, `services.${name}`, name, `a service name, one of ${SERVICE_NAMES.join(", ")}`);
    check(enabledServices(props.services).length > 0, "services", props.services, "a set of flags with at least one service on");
  }
  if (props.maxSessionDuration !== undefined && literal("maxSessionDuration", props.maxSessionDuration)) {
    const { min, max, allowed } = MAX_SESSION_DURATION_RULE;
    const value = props.maxSessionDuration;
    check(Number.isInteger(value) && value >= min && value <= max, "maxSessionDuration", value, allowed);
  }
  if (props.permissionsBoundaryArn !== undefined && literal("permissionsBoundaryArn", props.permissionsBoundaryArn, PERMISSIONS_BOUNDARY_RULE)) {
    check(matches(PERMISSIONS_BOUNDARY_RULE, props.permissionsBoundaryArn), "permissionsBoundaryArn", props.permissionsBoundaryArn, PERMISSIONS_BOUNDARY_RULE.allowed);
  }
  if (props.permissionsBoundaryPolicyName !== undefined) {
    if (target === "terraform") {
      check(false, "permissionsBoundaryPolicyName", props.permissionsBoundaryPolicyName, "left out of a Terraform stack, which knows its account: give permissionsBoundaryArn with that account's ID (only cloudFormationTemplate resolves a policy name per account)");
    } else if (props.permissionsBoundaryArn !== undefined) {
      check(false, "permissionsBoundaryPolicyName", props.permissionsBoundaryPolicyName, "left out when permissionsBoundaryArn is given (one boundary per role)");
    } else {
      check(
        matches(POLICY_PATH_AND_NAME_RULE, props.permissionsBoundaryPolicyName),
        "permissionsBoundaryPolicyName",
        props.permissionsBoundaryPolicyName,
        POLICY_PATH_AND_NAME_RULE.allowed,
      );
    }
  }
  if (props.policyName !== undefined && literal("policyName", props.policyName, POLICY_NAME_RULE)) {
    check(matches(POLICY_NAME_RULE, props.policyName), "policyName", props.policyName, POLICY_NAME_RULE.allowed);
  }
  if (props.description !== undefined && literal("description", props.description, DESCRIPTION_RULE)) {
    check(matches(DESCRIPTION_RULE, props.description), "description", props.description, DESCRIPTION_RULE.allowed);
  }
  if (props.tags !== undefined && literal("tags", props.tags)) {
    for (const problem of tagProblems(checkableTags(props.tags, literal), DEFAULT_TAGS)) {
      check(false, problem.key === undefined ? "tags" : `tags.${problem.key}`, problem.got, problem.expected);
    }
  }
  return problems;
}

/** What text around tokens in a partition may hold: pieces of the partitions' names. */
const PARTITION_PARTIAL = { partial: /^[a-z-]*$/, allowed: `one of ${PARTITIONS.join(", ")}` };

/**
 * The tags as `tagProblems` checks them: a key or value with tokens has its text around them checked
 * here, and stands there as a placeholder that passes, but a token for the value of one of our own tags,
 * which might contradict it, stays "<token>" and is refused.
 */
function checkableTags(tags: Readonly<Record<string, string>>, literal: (prop: string, value: unknown, rule?: { partial: RegExp; allowed: string }) => boolean): Record<string, string> {
  const ours = new Set(Object.keys(DEFAULT_TAGS).map((key) => key.toLowerCase()));
  return Object.fromEntries(
    Object.entries(tags).map(([key, value], index) => {
      const shownKey = replaceTokens(key, "<token>");
      const checkedKey = literal(`tags.${shownKey}`, key, { partial: TAGS_RULE.keyPartial, allowed: TAGS_RULE.key }) ? key : `token-key-${index}`;
      if (literal(`tags.${shownKey}`, value, { partial: TAGS_RULE.valuePattern, allowed: TAGS_RULE.value })) return [checkedKey, value];
      return [checkedKey, ours.has(checkedKey.toLowerCase()) ? "<token>" : ""];
    }),
  );
}

/** The value as JSON, cut short: 51 tags need not be printed whole to be recognized. */
function shown(value: unknown): string {
  // A token's encoding means nothing to a reader (and differs from run to run): show where it stands.
  if (typeof value !== "string" && knownOf(value) !== "literal") return '"<token>"';
  const json = JSON.stringify(typeof value === "string" ? replaceTokens(value, "<token>") : value);
  return json !== undefined && json.length > 80 ? `${json.slice(0, 77)}...` : String(json);
}
