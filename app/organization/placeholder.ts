import { CFN_EXTERNAL_ID_PARAMETER } from "../../modules/trelica-integration";
import { EXAMPLE_ORGANIZATION_ID } from "./defaults";
import { Config } from "../config/schema";

/*
 * The shipped example is an example: its organization ID is a placeholder nobody's Trelica has. Synth
 * says so; rollout refuses to apply or destroy stacks that carry it (rollout/plans/placeholder-guard.ts).
 */

export const PLACEHOLDER_FIX =
  "put the organization ID from Trelica (user menu > Profile, bottom of the page) in trelicaOrganizationId, " +
  "or start your own config with npm run init";

export function placeholderWarnings(config: Pick<Config, "trelicaOrganizationId">): string[] {
  if (config.trelicaOrganizationId !== EXAMPLE_ORGANIZATION_ID) return [];
  return [
    `trelicaOrganizationId is the shipped example's placeholder ${JSON.stringify(EXAMPLE_ORGANIZATION_ID)}: Trelica could never assume a role ` +
      `that requires it, and rollout apply refuses it. Expected your own ID: ${PLACEHOLDER_FIX}.`,
  ];
}

/** The external IDs a synthesized stack's trust policies and stack sets require, read from its JSON. */
export function externalIdsIn(stack: { resource?: Record<string, Record<string, Record<string, unknown>>> }): string[] {
  const ids: string[] = [];
  for (const role of Object.values(stack.resource?.aws_iam_role ?? {})) {
    const policy = typeof role.assume_role_policy === "string" ? safeJson(role.assume_role_policy) : undefined;
    for (const statement of [policy?.Statement ?? []].flat()) {
      const value = statement?.Condition?.StringEquals?.["sts:ExternalId"];
      if (value !== undefined) ids.push(...[value].flat().map(String));
    }
  }
  // A stack set's template takes the ID as a parameter whose default is the configured one.
  for (const stackSet of Object.values(stack.resource?.aws_cloudformation_stack_set ?? {})) {
    const template = typeof stackSet.template_body === "string" ? safeJson(stackSet.template_body) : undefined;
    const parameter = template?.Parameters?.[CFN_EXTERNAL_ID_PARAMETER]?.Default;
    const given = (stackSet.parameters as Record<string, unknown> | undefined)?.[CFN_EXTERNAL_ID_PARAMETER];
    for (const value of [parameter, given]) if (typeof value === "string") ids.push(value);
  }
  return ids;
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
