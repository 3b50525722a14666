import { UserError } from "../../app/common/errors";
import { EXAMPLE_ORGANIZATION_ID } from "../../app/organization/defaults";
import { plural, listSome } from "../../app/common/list";
import { externalIdsIn, PLACEHOLDER_FIX } from "../../app/organization/placeholder";
import { Stack, stackJson } from "../../runner/stacks";

/**
 * apply and destroy refuse stacks synthesized from the shipped example's placeholder organization ID:
 * a role that requires it is one Trelica can never assume, and an example's accounts are nobody's.
 */
export function refusePlaceholder(command: string, stacks: readonly Stack[]): void {
  const holding = stacks.filter((stack) => externalIdsIn(stackJson(stack)).includes(EXAMPLE_ORGANIZATION_ID));
  if (holding.length === 0) return;
  throw new UserError(
    `Nothing was run: ${plural(holding.length, "stack")} (${listSome(holding.map((stack) => stack.name))}) ${holding.length === 1 ? "requires" : "require"} the shipped example's ` +
      `placeholder organization ID ${JSON.stringify(EXAMPLE_ORGANIZATION_ID)} as the external ID, and ${command} refuses it. ` +
      `Expected your own ID: ${PLACEHOLDER_FIX}; then run ${command} again (plan shows what it would do).`,
  );
}
