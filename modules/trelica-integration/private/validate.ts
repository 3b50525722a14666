import { Token, Tokenization } from "./cdk";
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

  check(
    typeof props.externalId === "string" && EXTERNAL_ID_RULE.pattern.test(props.externalId),
    "externalId",
    props.externalId,
    EXTERNAL_ID_RULE.allowed,
  );
  if (props.trelicaAccountId !== undefined) {
    check(ACCOUNT_ID_RULE.pattern.test(props.trelicaAccountId), "trelicaAccountId", props.trelicaAccountId, ACCOUNT_ID_RULE.allowed);
  }
  if (props.partition !== undefined) {
    check(PARTITIONS.includes(props.partition), "partition", props.partition, `one of ${PARTITIONS.join(", ")}`);
  }
  if (props.services !== undefined) {
    const unknown = Object.keys(props.services).filter((name) => !(SERVICE_NAMES as readonly string[]).includes(name));
    for (const name of unknown) check(false, `services.${name}`, name, `a service name, one of ${SERVICE_NAMES.join(", ")}`);
    check(enabledServices(props.services).length > 0, "services", props.services, "a set of flags with at least one service on");
  }
  if (props.maxSessionDuration !== undefined) {
    const { min, max, allowed } = MAX_SESSION_DURATION_RULE;
    const value = props.maxSessionDuration;
    check(Number.isInteger(value) && value >= min && value <= max, "maxSessionDuration", value, allowed);
  }
  if (props.permissionsBoundaryArn !== undefined) {
    const arn = props.permissionsBoundaryArn;
    const tokens = Token.isUnresolved(arn) ? Tokenization.reverseString(arn) : undefined;
    if (tokens && target === "cloudformation") {
      // A template is plain JSON written now: nothing would ever resolve the token.
      check(false, "permissionsBoundaryArn", arn, "text known when the template is rendered (cloudFormationTemplate cannot resolve a token)");
    } else if (!(tokens?.length === 1 && tokens.firstToken)) {
      // Known only at synthesis when wholly a token (validation lets it pass, as in aws-cdk-lib); text around
      // tokens is checked with each token standing for an account ID.
      const checkable = replaceTokens(arn, "123456789012");
      check(PERMISSIONS_BOUNDARY_RULE.pattern.test(checkable), "permissionsBoundaryArn", arn, PERMISSIONS_BOUNDARY_RULE.allowed);
    }
  }
  if (props.permissionsBoundaryPolicyName !== undefined) {
    if (target === "terraform") {
      check(false, "permissionsBoundaryPolicyName", props.permissionsBoundaryPolicyName, "left out of a Terraform stack, which knows its account: give permissionsBoundaryArn with that account's ID (only cloudFormationTemplate resolves a policy name per account)");
    } else if (props.permissionsBoundaryArn !== undefined) {
      check(false, "permissionsBoundaryPolicyName", props.permissionsBoundaryPolicyName, "left out when permissionsBoundaryArn is given (one boundary per role)");
    } else {
      check(
        POLICY_PATH_AND_NAME_RULE.pattern.test(props.permissionsBoundaryPolicyName),
        "permissionsBoundaryPolicyName",
        props.permissionsBoundaryPolicyName,
        POLICY_PATH_AND_NAME_RULE.allowed,
      );
    }
  }
  if (props.policyName !== undefined) {
    check(POLICY_NAME_RULE.pattern.test(props.policyName), "policyName", props.policyName, POLICY_NAME_RULE.allowed);
  }
  if (props.description !== undefined) {
    check(DESCRIPTION_RULE.pattern.test(props.description), "description", props.description, DESCRIPTION_RULE.allowed);
  }
  if (props.tags !== undefined) {
    for (const problem of tagProblems(props.tags, DEFAULT_TAGS)) {
      check(false, problem.key === undefined ? "tags" : `tags.${problem.key}`, problem.got, problem.expected);
    }
  }
  return problems;
}

/** The value as JSON, cut short: 51 tags need not be printed whole to be recognized. */
function shown(value: unknown): string {
  // A token's encoding means nothing to a reader (and differs from run to run): show where it stands.
  const json = JSON.stringify(typeof value === "string" ? replaceTokens(value, "<token>") : value);
  return json !== undefined && json.length > 80 ? `${json.slice(0, 77)}...` : String(json);
}

/** The text with every token in it (by its encoding) replaced by `by`. */
function replaceTokens(text: string, by: string): string {
  if (!Token.isUnresolved(text)) return text;
  return Tokenization.reverseString(text).tokens.reduce((replaced, token) => replaced.split(token.toString()).join(by), text);
}
