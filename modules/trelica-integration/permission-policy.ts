import { PolicyDocument } from "./policy-document";
import { actionsFor, SERVICE_NAMES, ServiceFlags } from "./services";

/**
 * The read-only permissions for the enabled services, on `Resource: "*"` as the vendor documents.
 * Actions are sorted so re-rendering never produces a diff.
 */
export function permissionPolicy(services: ServiceFlags): PolicyDocument {
  const actions = actionsFor(services);
  if (actions.length === 0) {
    throw new Error(`permissionPolicy: services got ${JSON.stringify(services)}; expected at least one of ${SERVICE_NAMES.join(", ")} set to true`);
  }
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }],
  };
}
