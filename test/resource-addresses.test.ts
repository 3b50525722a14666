import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "../modules/cdk-flavour";
import { TrelicaIntegration } from "../modules/trelica-integration";
import contract from "./fixtures/construct-contract.json";

/*
 * What an existing deployment depends on, per release line (docs/construct.md#versioning): the resource
 * addresses of one construct instance, the attributes Terraform replaces a resource for, the trust, and
 * the actions Trelica has. Changing any of these is a breaking change: it needs a new release line
 * (major; 0.x: minor) with its own entry in test/fixtures/construct-contract.json. Adding an action is not
 * breaking (the recorded actions must all still be there), but it widens Trelica's access: say so in the
 * changelog.
 */

interface Contract {
  readonly addresses: readonly string[];
  readonly replacedFor: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly trust: unknown;
  readonly actions: readonly string[];
}

/** Attributes whose change makes the AWS provider replace the resource (ForceNew), per resource type. */
const FORCE_NEW: Record<string, readonly string[]> = {
  aws_iam_role: ["name", "path"],
  aws_iam_policy: ["name", "path", "description"],
  aws_iam_role_policy_attachment: ["role", "policy_arn"],
  aws_iam_role_policy_attachments_exclusive: ["role_name"],
  aws_iam_role_policies_exclusive: ["role_name"],
};

/** The release line a version belongs to: its major, or under 1.0 its minor (npm's ^0.1.0 allows only 0.1.x). */
function releaseLine(version: string): string {
  const [major, minor] = version.split(".");
  return major === "0" ? `0.${minor}` : major;
}

/** The contract of the construct as it is now: one instance with id "trelica" and only an external ID. */
function currentContract(): Contract {
  const stack = JSON.parse(Testing.synthScope((scope) => void new TrelicaIntegration(scope, "trelica", { externalId: "org-1" })));
  const resources = stack.resource as Record<string, Record<string, Record<string, unknown>>>;
  const addresses = Object.entries(resources).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
  const replacedFor = Object.fromEntries(
    Object.entries(resources).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, body]) => [`${type}.${name}`, Object.fromEntries((FORCE_NEW[type] ?? []).map((key) => [key, body[key]]))]),
    ),
  );
  const [role] = Object.values(resources.aws_iam_role);
  const [policy] = Object.values(resources.aws_iam_policy);
  return {
    addresses: addresses.sort(),
    replacedFor,
    trust: JSON.parse(role.assume_role_policy as string),
    actions: JSON.parse(policy.policy as string).Statement.flatMap((s: { Action: string[] }) => s.Action),
  };
}

describe("the construct's contract with existing deployments", () => {
  const version: string = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")).version;
  const line = releaseLine(version);
  const recorded = (contract as Record<string, Contract>)[line];
  const now = currentContract();

  test("GIVEN the package's version THEN its release line has a recorded contract", () => {
    if (recorded === undefined) {
      throw new Error(
        `test/fixtures/construct-contract.json has no entry for release line "${line}" (version ${version}); ` +
          `add one, as this test computes it, when the new line starts:\n${JSON.stringify({ [line]: now }, null, 2)}`,
      );
    }
  });

  test("GIVEN one construct instance THEN its resource addresses are the release line's", () => {
    expect(now.addresses).toEqual(recorded?.addresses);
  });

  test("GIVEN one construct instance THEN the attributes Terraform replaces resources for are the release line's", () => {
    expect(now.replacedFor).toEqual(recorded?.replacedFor);
  });

  test("GIVEN one construct instance THEN the trust is the release line's", () => {
    expect(now.trust).toEqual(recorded?.trust);
  });

  test("GIVEN one construct instance THEN every action the release line grants is still granted", () => {
    expect(recorded?.actions.length).toBeGreaterThan(0);
    expect(recorded?.actions.filter((action) => !now.actions.includes(action))).toEqual([]);
  });

  test("GIVEN versions THEN a release line is the major, or the minor below 1.0", () => {
    expect([releaseLine("0.1.0"), releaseLine("0.1.7"), releaseLine("0.2.0"), releaseLine("1.4.2"), releaseLine("2.0.0")]).toEqual(["0.1", "0.1", "0.2", "1", "2"]);
  });
});
