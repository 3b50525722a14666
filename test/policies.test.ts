import {
  ALL_SERVICES,
  actionsFor,
  permissionPolicy,
  SERVICE_NAMES,
  TRELICA_SERVICES,
  trustPolicy,
} from "../modules/trelica-integration";
import vendorPolicy from "./fixtures/vendor-policy.json";

describe("permissionPolicy", () => {
  test("GIVEN every service on THEN it is exactly the vendor's documented policy", () => {
    expect(permissionPolicy(ALL_SERVICES)).toEqual(vendorPolicy);
  });

  test("GIVEN one service THEN it grants only that service's actions, on Resource *", () => {
    expect(permissionPolicy({ iam: true })).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["iam:ListUsers"], Resource: "*" }],
    });
  });

  test("GIVEN Amazon Connect THEN ds:DescribeDirectories comes with it", () => {
    expect(actionsFor({ connect: true })).toEqual([
      "connect:DescribeUser",
      "connect:ListInstances",
      "connect:ListSecurityProfiles",
      "connect:ListUsers",
      "ds:DescribeDirectories",
    ]);
  });

  test.each(SERVICE_NAMES)("GIVEN only %s on THEN no other service's action is granted", (service) => {
    const granted = permissionPolicy({ [service]: true }).Statement[0].Action;
    const others = SERVICE_NAMES.filter((name) => name !== service).flatMap((name) => TRELICA_SERVICES[name].actions);
    expect(granted).toEqual([...TRELICA_SERVICES[service].actions].sort());
    for (const action of others) expect(granted).not.toContain(action);
  });

  test("GIVEN flags in any order THEN the rendered JSON is byte-identical", () => {
    const a = JSON.stringify(permissionPolicy({ organizations: true, cognito: true, iam: true }));
    const b = JSON.stringify(permissionPolicy({ iam: true, cognito: true, organizations: true, connect: false }));
    expect(a).toBe(b);
  });

  test("GIVEN no service on THEN it refuses to render an empty policy", () => {
    expect(() => permissionPolicy({ iam: false })).toThrow(/services got \{"iam":false\}; expected at least one of cognito, connect, iam, organizations set to true/);
  });
});

describe("trustPolicy", () => {
  test("GIVEN an external ID THEN only Trelica's account may assume the role, and only with that ID", () => {
    expect(trustPolicy({ externalId: "org-123" })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::377450845233:root" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "sts:ExternalId": "org-123" } },
        },
      ],
    });
  });

  test("GIVEN another partition and account THEN the principal ARN follows them", () => {
    const policy = trustPolicy({ externalId: "org-123", partition: "aws-us-gov", trelicaAccountId: "123456789012" });
    expect(policy.Statement[0].Principal).toEqual({ AWS: "arn:aws-us-gov:iam::123456789012:root" });
  });
});
