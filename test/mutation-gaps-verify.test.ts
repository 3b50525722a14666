/*
 * verify's comparison as units: a steady-state rollout skips terraform for an account verify finds in
 * sync, so every difference compareRole misses is a change that never happens. Each finding is pinned
 * by its exact words; each policy-equivalence rule both ways (what is the same policy, what is not).
 */
import { permissionPolicy, trustPolicy } from "../modules/trelica-integration";
import { compareRole, Finding } from "../verify/compare";
import { expectedFromProps } from "../verify/expected";
import { accountStatus } from "../verify/in-sync";
import type { LegacyUser } from "../verify/legacy-keys";
import { allowedActions, externalIds, grantsOnly, normalizePolicy, parsePolicyDocument, policyText, samePolicy, trustedPrincipals } from "../verify/read/policy";
import type { LiveAccount, LiveRole } from "../verify/read/read-account";

const ACCOUNT = "200000000001";
const expected = expectedFromProps({ externalId: "org-1", permissionsBoundaryArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }, ACCOUNT);
const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/TrelicaIntegrationReadOnly`;

/** The account as applying `expected` leaves it, with `change` made behind terraform's back. */
function live(change: Partial<LiveRole> = {}, policies: ReadonlyMap<string, unknown> = new Map([[POLICY_ARN, permissionPolicy({ cognito: true, connect: true, iam: true, organizations: true })]])): LiveAccount {
  const role: LiveRole = {
    path: "/",
    trustPolicy: trustPolicy({ externalId: "org-1" }),
    maxSessionDuration: 3600,
    permissionsBoundaryArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
    description: "Read-only access for the Trelica SaaS management platform",
    tags: { "managed-by": "trelica-aws-role", "third-party": "trelica" },
    attachedPolicyArns: [POLICY_ARN],
    inlinePolicyNames: [],
    ...change,
  };
  return { role, localPolicies: policies, users: [], groups: new Map() };
}
const findings = (change: Partial<LiveRole> = {}, policies?: ReadonlyMap<string, unknown>): Finding[] => compareRole(expected, live(change, policies));

describe("compareRole", () => {
  test("GIVEN the account as applied THEN there is no finding", () => {
    expect(expected.policyArn).toBe(POLICY_ARN);
    expect(findings()).toEqual([]);
  });

  test("GIVEN no role THEN one finding says so, and nothing else is compared", () => {
    expect(compareRole(expected, { localPolicies: new Map(), users: [], groups: new Map() })).toEqual([{ what: "role TrelicaIntegration", expected: "exists at path /", live: "does not exist" }]);
  });

  test.each<[string, Partial<LiveRole>, Finding[]]>([
    ["another path", { path: "/team/" }, [{ what: "role path", expected: "/", live: "/team/" }]],
    ["another session length", { maxSessionDuration: 7200 }, [{ what: "max session duration", expected: "3600 s", live: "7200 s" }]],
    ["another description", { description: "mine" }, [{ what: "description", expected: "Read-only access for the Trelica SaaS management platform", live: "mine" }]],
    ["no boundary", { permissionsBoundaryArn: undefined }, [{ what: "permissions boundary", expected: "arn:aws:iam::aws:policy/ReadOnlyAccess", live: "none" }]],
    [
      "a tag changed and one added",
      { tags: { "managed-by": "someone", "third-party": "trelica", extra: "x" } },
      [{ what: "tags", expected: "managed-by=trelica-aws-role, third-party=trelica", live: "extra=x, managed-by=someone, third-party=trelica" }],
    ],
    ["no tags", { tags: {} }, [{ what: "tags", expected: "managed-by=trelica-aws-role, third-party=trelica", live: "none" }]],
    ["an inline policy", { inlinePolicyNames: ["Extra", "More"] }, [{ what: "inline policies", expected: "none", live: "Extra, More" }]],
    [
      "another managed policy attached beside ours",
      { attachedPolicyArns: [POLICY_ARN, "arn:aws:iam::aws:policy/AdministratorAccess"] },
      [{ what: "attached managed policies", expected: POLICY_ARN, live: `${POLICY_ARN}, arn:aws:iam::aws:policy/AdministratorAccess` }],
    ],
    ["ours detached", { attachedPolicyArns: [] }, [{ what: "attached managed policies", expected: POLICY_ARN, live: "none" }]],
    [
      "another account trusted",
      { trustPolicy: trustPolicy({ externalId: "org-1", trelicaAccountId: "999999999999" }) },
      [{ what: "trust policy principal", expected: "arn:aws:iam::377450845233:root", live: "arn:aws:iam::999999999999:root" }],
    ],
    ["another external ID", { trustPolicy: trustPolicy({ externalId: "org-2" }) }, [{ what: "trust policy external ID", expected: "org-1", live: "org-2" }]],
  ])("GIVEN %s THEN exactly that finding", (_given, change, want) => {
    expect(findings(change)).toEqual(want);
  });

  test("GIVEN a trust policy that differs in neither principal nor external ID THEN the whole policy is shown, canonical", () => {
    const trust = trustPolicy({ externalId: "org-1" });
    const widened = { ...trust, Statement: [{ ...trust.Statement[0], Action: ["sts:AssumeRole", "sts:TagSession"] }] };
    expect(findings({ trustPolicy: widened })).toEqual([{ what: "trust policy", expected: policyText(trust), live: policyText(widened) }]);
    expect(policyText(widened)).toContain('"Action":["sts:AssumeRole","sts:TagSession"]');
  });

  test("GIVEN the trust policy written another way (account ID as principal, one-element lists) THEN no finding", () => {
    const asWritten = {
      Version: "2012-10-17",
      Statement: [{ Sid: "Trelica", Effect: "Allow", Principal: { AWS: ["377450845233"] }, Action: ["sts:AssumeRole"], Condition: { StringEquals: { "STS:ExternalId": ["org-1"] } } }],
    };
    expect(findings({ trustPolicy: asWritten })).toEqual([]);
  });

  test("GIVEN our policy not among the account's policies THEN that is the finding", () => {
    expect(findings({}, new Map())).toEqual([{ what: "policy TrelicaIntegrationReadOnly", expected: "a customer-managed policy of this account", live: "not found among the account's policies" }]);
  });

  test("GIVEN our policy granting one action more and lacking one THEN both, by action", () => {
    const document = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: [...allowedActions(expected.permissionPolicy).filter((a) => a !== "iam:ListUsers"), "s3:GetObject"], Resource: "*" }],
    };
    expect(findings({}, new Map([[POLICY_ARN, document]]))).toEqual([
      { what: "policy TrelicaIntegrationReadOnly grants actions not configured", expected: "none", live: "s3:GetObject" },
      { what: "policy TrelicaIntegrationReadOnly lacks configured actions", expected: "iam:ListUsers", live: "missing" },
    ]);
  });

  test("GIVEN our policy with the same actions but another resource THEN the whole default version is shown", () => {
    const document = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: allowedActions(expected.permissionPolicy), Resource: "arn:aws:iam::*:role/*" }] };
    expect(findings({}, new Map([[POLICY_ARN, document]]))).toEqual([
      { what: "policy TrelicaIntegrationReadOnly (default version)", expected: policyText(expected.permissionPolicy), live: policyText(document) },
    ]);
  });

  test("GIVEN a policy only granting one more action THEN only the extra is reported", () => {
    const document = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [...allowedActions(expected.permissionPolicy), "s3:GetObject"], Resource: "*" }] };
    expect(findings({}, new Map([[POLICY_ARN, document]]))).toEqual([{ what: "policy TrelicaIntegrationReadOnly grants actions not configured", expected: "none", live: "s3:GetObject" }]);
  });
});

describe("compareRole, strict (rollout's proof that terraform has nothing to do)", () => {
  const strict = (change: Partial<LiveRole> = {}, policies?: ReadonlyMap<string, unknown>, policy?: LiveAccount["policy"]) =>
    compareRole(expected, { ...live(change, policies), policy }, { strict: true });
  const permissions = permissionPolicy({ cognito: true, connect: true, iam: true, organizations: true });
  const ours = { arn: POLICY_ARN, path: "/", description: "whatever it was adopted with", tags: { "managed-by": "trelica-aws-role", "third-party": "trelica" } };

  test("GIVEN the account as applied, its keys in another order THEN no finding: keys are compared in any order", () => {
    const [statement] = trustPolicy({ externalId: "org-1" }).Statement;
    const reordered = { Statement: [{ Condition: statement.Condition, Action: statement.Action, Principal: statement.Principal, Effect: statement.Effect }], Version: "2012-10-17" };
    expect(strict({ trustPolicy: reordered }, undefined, ours)).toEqual([]);
  });

  test("GIVEN the trust policy as the same policy written another way THEN strict finds it, as written; not strict THEN nothing", () => {
    const asWritten = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "377450845233" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "org-1" } } }] };
    expect(findings({ trustPolicy: asWritten })).toEqual([]);
    expect(strict({ trustPolicy: asWritten })).toEqual([
      { what: "trust policy (as written)", expected: JSON.stringify(sortedKeys(trustPolicy({ externalId: "org-1" }))), live: JSON.stringify(sortedKeys(asWritten)) },
    ]);
  });

  test("GIVEN our policy's actions in another order, or with a Sid THEN strict finds the default version as written; lists keep their order", () => {
    const [statement] = permissions.Statement;
    const reversed = { ...permissions, Statement: [{ ...statement, Action: [...(statement.Action as string[])].reverse() }] };
    expect(findings({}, new Map([[POLICY_ARN, reversed]]))).toEqual([]);
    expect(strict({}, new Map([[POLICY_ARN, reversed]]))).toEqual([
      { what: "policy TrelicaIntegrationReadOnly (default version, as written)", expected: JSON.stringify(sortedKeys(permissions)), live: JSON.stringify(sortedKeys(reversed)) },
    ]);
    const withSid = { ...permissions, Statement: [{ Sid: "Trelica", ...statement }] };
    expect(strict({}, new Map([[POLICY_ARN, withSid]]))[0].what).toBe("policy TrelicaIntegrationReadOnly (default version, as written)");
  });

  test("GIVEN the policy as read (GetPolicy) THEN its path and tags are compared, its description is not (an adopted policy keeps its own)", () => {
    expect(strict({}, undefined, { ...ours, path: "/team/", description: "another", tags: { ...ours.tags, extra: "x" } })).toEqual([
      { what: "policy TrelicaIntegrationReadOnly path", expected: "/", live: "/team/" },
      { what: "policy TrelicaIntegrationReadOnly tags", expected: "managed-by=trelica-aws-role, third-party=trelica", live: "extra=x, managed-by=trelica-aws-role, third-party=trelica" },
    ]);
    expect(expected.policyDescription).toBeUndefined();
  });

  test("GIVEN a managed policy description expected THEN it is compared; GIVEN no policy path or tags expected THEN they are not", () => {
    const withDescription = { ...expected, policyPath: undefined, policyTags: undefined, policyDescription: "Read-only access" };
    const account = { ...live(), policy: { ...ours, path: "/team/", description: "another", tags: {} } };
    expect(compareRole(withDescription, account)).toEqual([{ what: "policy TrelicaIntegrationReadOnly description", expected: "Read-only access", live: "another" }]);
  });

  test("GIVEN tags that read the same as text but are not the same tags THEN they are shown as JSON", () => {
    const tags = { "managed-by": "trelica-aws-role", "third-party": "trelica" };
    // One tag whose value holds ", third-party=trelica" reads like the two.
    const lookalike = { "managed-by": "trelica-aws-role, third-party=trelica" };
    expect(findings({ tags: lookalike })).toEqual([{ what: "tags", expected: JSON.stringify(tags), live: JSON.stringify(lookalike) }]);
    expect(findings({ tags: { "third-party": "trelica", "managed-by": "trelica-aws-role" } })).toEqual([]);
  });

  test("GIVEN a role trusting another account with another external ID THEN both findings, and not the whole policy", () => {
    expect(findings({ trustPolicy: trustPolicy({ externalId: "org-2", trelicaAccountId: "999999999999" }) })).toEqual([
      { what: "trust policy principal", expected: "arn:aws:iam::377450845233:root", live: "arn:aws:iam::999999999999:root" },
      { what: "trust policy external ID", expected: "org-1", live: "org-2" },
    ]);
    expect(findings({ trustPolicy: { Version: "2012-10-17", Statement: [] } })).toEqual([
      { what: "trust policy principal", expected: "arn:aws:iam::377450845233:root", live: "none" },
      { what: "trust policy external ID", expected: "org-1", live: "none" },
    ]);
  });

  test("GIVEN our policy detached and another attached THEN one finding, and our policy's document is not compared", () => {
    expect(findings({ attachedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }, new Map())).toEqual([
      { what: "attached managed policies", expected: POLICY_ARN, live: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
    ]);
  });
});

describe("compareRole, the remaining findings' words", () => {
  test("GIVEN several actions added and removed THEN each list joined with commas", () => {
    const actions = allowedActions(expected.permissionPolicy).filter((a) => a !== "iam:ListUsers" && a !== "organizations:ListAccounts");
    const document = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [...actions, "s3:GetObject", "s3:PutObject"], Resource: "*" }] };
    expect(findings({}, new Map([[POLICY_ARN, document]]))).toEqual([
      { what: "policy TrelicaIntegrationReadOnly grants actions not configured", expected: "none", live: "s3:GetObject, s3:PutObject" },
      { what: "policy TrelicaIntegrationReadOnly lacks configured actions", expected: "iam:ListUsers, organizations:ListAccounts", live: "missing" },
    ]);
  });

  test("GIVEN a policy only lacking an action THEN only the missing one is reported", () => {
    const document = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: allowedActions(expected.permissionPolicy).filter((a) => a !== "iam:ListUsers"), Resource: "*" }] };
    expect(findings({}, new Map([[POLICY_ARN, document]]))).toEqual([{ what: "policy TrelicaIntegrationReadOnly lacks configured actions", expected: "iam:ListUsers", live: "missing" }]);
  });

  test("GIVEN no boundary configured and one on the role THEN the finding says none was configured", () => {
    const unbounded = expectedFromProps({ externalId: "org-1" }, ACCOUNT);
    expect(compareRole(unbounded, live())).toEqual([{ what: "permissions boundary", expected: "none", live: "arn:aws:iam::aws:policy/ReadOnlyAccess" }]);
  });

  test("GIVEN a document holding null and lists of objects THEN strict compares them as values", () => {
    const trust = trustPolicy({ externalId: "org-1" });
    const withNull = { ...trust, Statement: [{ ...trust.Statement[0], Sid: null }] };
    expect(compareRole({ ...expected, trustPolicy: withNull }, live({ trustPolicy: withNull }), { strict: true })).toEqual([]);
    const [finding] = compareRole(expected, live({ trustPolicy: withNull }), { strict: true });
    expect(finding).toEqual({ what: "trust policy (as written)", expected: JSON.stringify(sortedKeys(trust)), live: JSON.stringify(sortedKeys(withNull)) });
    expect(finding.live).toContain('"Sid":null');
  });
});

describe("policies compared as policy, the edges", () => {
  test("GIVEN JSON after spaces holding a percent sign THEN it is not URL-decoded", () => {
    expect(parsePolicyDocument('  {"Version":"%41"}')).toEqual({ Version: "%41" });
  });

  test("GIVEN an AWS principal that only ends or starts with 12 digits THEN it is not taken for an account", () => {
    const principals = (aws: string) => normalizePolicy({ Statement: [{ Principal: { AWS: aws } }] });
    expect(principals("x123456789012")).toEqual({ Statement: [{ Principal: { AWS: ["x123456789012"] } }], Version: null });
    expect(principals("1234567890123")).toEqual({ Statement: [{ Principal: { AWS: ["1234567890123"] } }], Version: null });
  });

  test("GIVEN a condition key in capitals THEN the canonical form holds it in lower case", () => {
    expect(normalizePolicy({ Statement: [{ Condition: { StringEquals: { "STS:ExternalId": "org-1" } } }] })).toEqual({
      Statement: [{ Condition: { StringEquals: { "sts:externalid": ["org-1"] } } }],
      Version: null,
    });
  });
});

/** A JSON value with its object keys sorted, lists in order: how strict mode writes a document. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]));
}

describe("the in-sync decision", () => {
  const key = (verdict: LegacyUser["keys"][number]["verdict"]) => ({ keyId: "****ABCD", status: verdict === "inactive" || verdict === "deactivated" ? ("Inactive" as const) : ("Active" as const), verdict, reason: "a reason" });
  const user = (...verdicts: LegacyUser["keys"][number]["verdict"][]): LegacyUser => ({ userName: "trelica", why: "a policy granting only Trelica's actions", keys: verdicts.map(key) });
  const finding: Finding = { what: "description", expected: "a", live: "b" };

  test.each<[string, boolean, Finding[], LegacyUser[], string]>([
    ["no role", false, [], [], "missing-role"],
    ["no role, with findings", false, [finding], [], "missing-role"],
    ["a finding", true, [finding], [], "drift"],
    ["a finding and an active legacy key", true, [finding], [user("safe to deactivate")], "drift"],
    ["a legacy key safe to deactivate", true, [], [user("inactive", "safe to deactivate")], "legacy-keys"],
    ["a legacy key kept", true, [], [user("keep")], "legacy-keys"],
    ["only inactive or deactivated legacy keys", true, [], [user("inactive"), user("deactivated")], "ok"],
    ["nothing", true, [], [], "ok"],
  ])("GIVEN %s THEN %s", (_given, roleExists, found, users, status) => {
    expect(accountStatus(roleExists, found, users)).toBe(status);
  });
});

describe("policies compared as policy", () => {
  const POLICY = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["b:Get", "a:List"], Resource: "*" }] };

  test("GIVEN a document as JSON, with leading spaces, or URL-encoded THEN the same object", () => {
    const text = JSON.stringify(POLICY);
    expect(parsePolicyDocument(text)).toEqual(POLICY);
    expect(parsePolicyDocument(`  \n${text}`)).toEqual(POLICY);
    expect(parsePolicyDocument(encodeURIComponent(text))).toEqual(POLICY);
    // Decoded only when it does not start with "{": a "%41" in a JSON document is text.
    expect(parsePolicyDocument('{"Version":"%41"}')).toEqual({ Version: "%41" });
  });

  test("GIVEN order, Sid, a lone value and repeats changed THEN the same policy", () => {
    const other = { Statement: { Sid: "X", Resource: ["*"], Action: ["a:List", "b:Get", "a:List"], Effect: "Allow" }, Version: "2012-10-17" };
    expect(samePolicy(POLICY, other)).toBe(true);
    expect(normalizePolicy(other)).toEqual({ Statement: [{ Action: ["a:List", "b:Get"], Effect: "Allow", Resource: ["*"] }], Version: "2012-10-17" });
    expect(Object.keys(normalizePolicy(other) as object)).toEqual(["Statement", "Version"]);
  });

  test.each([
    ["another effect", { ...POLICY, Statement: [{ ...POLICY.Statement[0], Effect: "Deny" }] }],
    ["another action", { ...POLICY, Statement: [{ ...POLICY.Statement[0], Action: ["a:List"] }] }],
    ["NotAction for Action", { ...POLICY, Statement: [{ Effect: "Allow", NotAction: ["b:Get", "a:List"], Resource: "*" }] }],
    ["another resource", { ...POLICY, Statement: [{ ...POLICY.Statement[0], Resource: "arn:aws:s3:::b" }] }],
    ["another version", { ...POLICY, Version: "2008-10-17" }],
    ["no version", { Statement: POLICY.Statement }],
    ["a second statement", { ...POLICY, Statement: [...POLICY.Statement, { Effect: "Deny", Action: "a:List", Resource: "*" }] }],
  ])("GIVEN %s THEN not the same policy", (_given, other) => {
    expect(samePolicy(POLICY, other)).toBe(false);
  });

  test("GIVEN nothing or a statement-less document THEN a canonical empty policy", () => {
    expect(normalizePolicy(undefined)).toEqual({ Statement: [], Version: null });
    expect(normalizePolicy({ Version: "2012-10-17" })).toEqual({ Statement: [], Version: "2012-10-17" });
    expect(normalizePolicy({ Statement: [null] })).toEqual({ Statement: [{}], Version: null });
  });

  test("GIVEN principals and conditions written differently THEN compared as IAM reads them", () => {
    const trust = (principal: unknown, condition: unknown) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: principal, Condition: condition }] });
    const canonical = trust({ AWS: "arn:aws:iam::377450845233:root" }, { StringEquals: { "sts:ExternalId": "org-1" } });
    expect(samePolicy(canonical, trust({ AWS: ["377450845233"] }, { StringEquals: { "STS:EXTERNALID": ["org-1"] } }))).toBe(true);
    expect(samePolicy(canonical, trust({ AWS: "arn:aws:iam::377450845233:user/x" }, { StringEquals: { "sts:ExternalId": "org-1" } }))).toBe(false);
    expect(samePolicy(canonical, trust({ AWS: "arn:aws:iam::377450845233:root" }, { StringLike: { "sts:ExternalId": "org-1" } }))).toBe(false);
    expect(samePolicy(canonical, trust({ AWS: "arn:aws:iam::377450845233:root" }, { StringEquals: { "sts:ExternalId": "org-2" } }))).toBe(false);
    // Only an AWS principal's bare 12 digits are an account; a service's are not rewritten.
    expect(normalizePolicy(trust({ Service: "377450845233", AWS: "12345" }, undefined))).toEqual({
      Statement: [{ Action: ["sts:AssumeRole"], Condition: {}, Effect: "Allow", Principal: { AWS: ["12345"], Service: ["377450845233"] } }],
      Version: "2012-10-17",
    });
    expect(normalizePolicy(trust("*", { Bool: null }))).toEqual({ Statement: [{ Action: ["sts:AssumeRole"], Condition: { Bool: {} }, Effect: "Allow", Principal: "*" }], Version: "2012-10-17" });
    expect(samePolicy(trust({ AWS: "*" }, undefined), trust("*", undefined))).toBe(false);
    const notPrincipal = { Statement: [{ Effect: "Deny", NotPrincipal: { AWS: "377450845233" } }] };
    expect(normalizePolicy(notPrincipal)).toEqual({ Statement: [{ Effect: "Deny", NotPrincipal: { AWS: ["arn:aws:iam::377450845233:root"] } }], Version: null });
  });

  test("GIVEN a trust policy THEN its Allow statements' principals and external IDs, normalized and sorted; Deny statements' are not trust", () => {
    const document = {
      Statement: [
        { Effect: "Allow", Principal: { AWS: ["999999999999", "arn:aws:iam::377450845233:root"] }, Condition: { StringEquals: { "sts:ExternalId": ["org-2", "org-1"], "aws:PrincipalTag/x": "y" } } },
        { Effect: "Allow", Principal: "*", Condition: { StringEquals: { "STS:ExternalID": "org-1" } } },
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" } },
        { Effect: "Allow", Action: "sts:AssumeRole" },
        { Effect: "Deny", Principal: { AWS: "111111111111" }, Condition: { StringEquals: { "sts:ExternalId": "org-9" } } },
      ],
    };
    expect(trustedPrincipals(document)).toEqual(["*", "arn:aws:iam::377450845233:root", "arn:aws:iam::999999999999:root"]);
    expect(externalIds(document)).toEqual(["org-1", "org-2"]);
    expect(trustedPrincipals(undefined)).toEqual([]);
    expect(externalIds({ Statement: { Effect: "Allow", Condition: { StringLike: { "sts:ExternalId": "org-*" } } } })).toEqual([]);
  });

  test("GIVEN a policy THEN its Allow statements' actions, sorted and unique; whether it grants only named allowed actions", () => {
    const document = { Statement: [{ Effect: "Allow", Action: ["b:Get", "a:List"] }, { Effect: "Allow", Action: "a:List" }, { Effect: "Deny", Action: "c:Delete" }, { Effect: "Allow" }] };
    expect(allowedActions(document)).toEqual(["a:List", "b:Get"]);
    expect(allowedActions({})).toEqual([]);
    const allowed = new Set(["a:List", "b:Get"]);
    expect(grantsOnly(document, allowed)).toBe(true);
    expect(grantsOnly(document, new Set(["a:List"]))).toBe(false);
    expect(grantsOnly({ Statement: [{ Effect: "Allow", NotAction: "c:Delete" }, { Effect: "Allow", Action: "a:List" }] }, allowed)).toBe(false);
    expect(grantsOnly({ Statement: [{ Effect: "Deny", Action: "a:List" }] }, allowed)).toBe(false);
    expect(grantsOnly({ Statement: [{ Effect: "Allow" }] }, allowed)).toBe(false);
    expect(grantsOnly(undefined, allowed)).toBe(false);
  });
});
