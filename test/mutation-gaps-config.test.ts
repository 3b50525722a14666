/*
 * Config behaviour a mutation run (npm run test:mutation) showed no test pinned down: how a number
 * where text belongs is worded, a config that is not a mapping, where alike problems start to be
 * grouped, and cross-field checks on both sides (the input that must fail, the one that must not).
 */
import { boundaryArnIn, boundaryProps, EACH_ACCOUNT, namesOneAccount, parseBoundaryArn, sharedBoundaryAllowed } from "../app/config/boundary";
import { sameIamName } from "../app/config/iam-names";
import { loadConfig } from "../app/config/load";
import { show } from "../app/config/parse/show";
import { editDistance, nearest } from "../app/config/parse/suggest";
import { ALL_REGIONS, partitionOf } from "../app/config/regions";
import { ACCOUNT_ID_SENTINEL, reservedMarkerProblems } from "../app/config/reserved";
import { tempDir, writeFile } from "./helpers/files";
import { refusalOf } from "./helpers/refusal";

const dir = tempDir("trelica-mutation-config-");
let counter = 0;
const fileOf = (text: string) => writeFile(dir, `config-${counter++}.yaml`, text);

/** The summary and problems of a config that must be refused. */
function refusal(text: string): string[] {
  const file = fileOf(text);
  const error = refusalOf(() => loadConfig(file), "expected the config to be refused, but it loaded");
  return [error.summary.replace(file, "<file>"), ...error.problems];
}
const loads = (text: string) => loadConfig(fileOf(text)).config;

const ORG = 'trelicaOrganizationId: "org-1"\n';
const ONE_ACCOUNT = 'accounts:\n  - id: "111111111111"\n';
const STACKSET = `${ORG}mode: stackset\nmanagementAccountId: "111111111111"\n`;

describe("numbers where text belongs", () => {
  test("GIVEN an account ID as a bare number without leading zeros THEN quoting is asked for, without the leading-zeros reason", () => {
    expect(refusal(`${ORG}accounts:\n  - id: 123456789012\n`)).toEqual([
      "Config file <file> has 1 problem; nothing was written:",
      'accounts[0].id: got the number 123456789012; expected text (YAML reads unquoted digits as a number). Quote it: "123456789012"',
    ]);
  });

  test("GIVEN an account ID with a leading zero THEN the leading zeros are the reason", () => {
    expect(refusal(`${ORG}accounts:\n  - id: 012345678901\n`)).toEqual([
      "Config file <file> has 1 problem; nothing was written:",
      'accounts[0].id: got the number 012345678901; YAML reads unquoted digits as a number and drops leading zeros. Quote it: "012345678901"',
    ]);
  });

  test("GIVEN a leading-zero number in a field that is not an account ID THEN the plain wording", () => {
    expect(refusal(`trelicaOrganizationId: 0123\n${ONE_ACCOUNT}`)).toEqual([
      "Config file <file> has 1 problem; nothing was written:",
      'trelicaOrganizationId: got the number 0123; expected text (YAML reads unquoted digits as a number). Quote it: "0123"',
    ]);
  });

  test("GIVEN an account-ID field by name (managementAccountId) with a leading zero THEN the leading-zeros reason", () => {
    expect(refusal(`${ORG}managementAccountId: 012345678901\n${ONE_ACCOUNT}`)).toEqual([
      "Config file <file> has 1 problem; nothing was written:",
      'managementAccountId: got the number 012345678901; YAML reads unquoted digits as a number and drops leading zeros. Quote it: "012345678901"',
    ]);
  });
});

describe("which fields hold an account ID, for the leading-zeros reason", () => {
  const reason = (field: string, digits: string, account: boolean) =>
    `${field}: got the number ${digits}; ${account ? "YAML reads unquoted digits as a number and drops leading zeros" : "expected text (YAML reads unquoted digits as a number)"}. Quote it: "${digits}"`;

  test("GIVEN a leading-zero number in a stack set's account filter THEN an account ID's reason", () => {
    const config = `${STACKSET}stackSet:\n  organizationalUnitIds: [r-ab12]\n  accountFilter:\n    type: DIFFERENCE\n    accounts: [012345678901]\n`;
    expect(refusal(config).slice(1)).toEqual([reason("stackSet.accountFilter.accounts[0]", "012345678901", true)]);
  });

  test("GIVEN leading-zero numbers in text fields near account IDs THEN the plain wording", () => {
    const config =
      `${ORG}accounts:\n  - id: "111111111111"\n    policyName: 0123\n` +
      "role:\n  tags:\n    AccountIdOwner: 0123\n    id: 0456\n" +
      "backend:\n  type: cloud\n  organization: acme\n  workspaceTags: [0789, \"trelica-{accountId}\"]\n";
    expect(refusal(config).slice(1)).toEqual([
      reason("role.tags.AccountIdOwner", "0123", false),
      reason("role.tags.id", "0456", false),
      reason("backend.workspaceTags[0]", "0789", false),
      reason("accounts[0].policyName", "0123", false),
    ]);
  });
});

describe("a config that is not a mapping", () => {
  test.each([
    ["a single word", "hello\n", 'got "hello" at the top level'],
    ["a list", "- a\n- b\n", 'got ["a","b"] at the top level'],
    ["nothing", "", "got an empty file"],
    ["null", "null\n", "got an empty file"],
  ])("GIVEN %s THEN one problem naming what it is", (_given, text, got) => {
    expect(refusal(text)).toEqual([
      "Config file <file> has 1 problem; nothing was written:",
      `${got}; expected the settings as \`key: value\` lines, at least \`trelicaOrganizationId\` and one account (see docs/configuration.md)`,
    ]);
  });
});

describe("alike problems", () => {
  const accounts = (count: number) => `${ORG}accounts:\n${Array.from({ length: count }, (_, i) => `  - id: "${i + 1}"\n`).join("")}`;

  test("GIVEN exactly three alike problems THEN each on its own line", () => {
    expect(refusal(accounts(3))).toEqual([
      "Config file <file> has 3 problems; nothing was written:",
      'accounts[0].id: got "1"; expected exactly 12 digits, as a string',
      'accounts[1].id: got "2"; expected exactly 12 digits, as a string',
      'accounts[2].id: got "3"; expected exactly 12 digits, as a string',
    ]);
  });

  test("GIVEN four alike THEN one line with the first three, the rest counted; the summary still counts each", () => {
    expect(refusal(accounts(4))).toEqual([
      "Config file <file> has 4 problems; nothing was written:",
      'accounts[*].id: got "1" at [0], "2" at [1], "3" at [2] and 1 more (4 in all); expected exactly 12 digits, as a string',
    ]);
  });

  test("GIVEN two kinds of alike problems, four of each THEN one line for each kind", () => {
    const entries = Array.from({ length: 4 }, (_, i) => `  - id: "${i + 1}"\n    region: mars-${i}\n`).join("");
    const problems = refusal(`${ORG}accounts:\n${entries}`);
    expect(problems[0]).toBe("Config file <file> has 8 problems; nothing was written:");
    expect(problems.slice(1)).toEqual([
      'accounts[*].id: got "1" at [0], "2" at [1], "3" at [2] and 1 more (4 in all); expected exactly 12 digits, as a string',
      expect.stringMatching(/^accounts\[\*\]\.region: got "mars-0" at \[0\], "mars-1" at \[1\], "mars-2" at \[2\] and 1 more \(4 in all\); expected /),
    ]);
  });

  test("GIVEN alike problems past the tenth entry THEN their places keep every digit", () => {
    const entries = Array.from({ length: 14 }, (_, i) => (i < 10 ? `  - id: "${String(i).padStart(12, "0")}"\n` : `  - id: "${i}"\n`)).join("");
    expect(refusal(`${ORG}accounts:\n${entries}`)).toEqual([
      "Config file <file> has 4 problems; nothing was written:",
      'accounts[*].id: got "10" at [10], "11" at [11], "12" at [12] and 1 more (4 in all); expected exactly 12 digits, as a string',
    ]);
  });

  test("GIVEN four accounts each missing its ID THEN one line of places", () => {
    expect(refusal(`${ORG}accounts:\n${"  - region: us-east-1\n".repeat(4)}`)).toEqual([
      "Config file <file> has 4 problems; nothing was written:",
      "accounts[*].id: is required at [0], [1], [2] and 1 more (4 in all); expected exactly 12 digits, as a string",
    ]);
  });
});

describe("cross-field checks, both sides", () => {
  test.each([
    ["failureToleranceCount", "failureTolerancePercentage"],
    ["maxConcurrentCount", "maxConcurrentPercentage"],
  ])("GIVEN stackSet.%s with stackSet.%s THEN one of the two is asked for; GIVEN either alone THEN it loads", (count, percentage) => {
    const stackSet = (fields: string) => `${STACKSET}stackSet: { organizationalUnitIds: ["ou-abcd-12345678"]${fields} }\n`;
    expect(refusal(stackSet(`, ${count}: 1, ${percentage}: 10`))).toEqual([
      "Config file <file> has 1 problem; nothing was written:",
      `stackSet.${percentage}: given with stackSet.${count}; expected one of the two`,
    ]);
    expect(loads(stackSet(`, ${count}: 1`)).mode).toBe("stackset");
    expect(loads(stackSet(`, ${percentage}: 10`)).mode).toBe("stackset");
  });

  test("GIVEN a GovCloud region, Trelica's GovCloud account and a GovCloud boundary THEN it loads; GIVEN an aws boundary there THEN refused", () => {
    const gov = (arn: string) => `${ORG}region: us-gov-west-1\ntrelicaAccountId: "123456789012"\nrole: { permissionsBoundaryArn: "${arn}" }\n${ONE_ACCOUNT}`;
    expect(loads(gov("arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess")).role).toEqual({ permissionsBoundaryArn: "arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess" });
    expect(refusal(gov("arn:aws:iam::aws:policy/ReadOnlyAccess"))).toEqual([
      "Config file <file> has 1 problem; nothing was written:",
      'role.permissionsBoundaryArn: got "arn:aws:iam::aws:policy/ReadOnlyAccess", an ARN of the aws partition; expected one of the aws-us-gov partition, where the role is (region us-gov-west-1)',
    ]);
  });

  test("GIVEN no region and a GovCloud boundary THEN refused against us-east-1's partition", () => {
    expect(refusal(`${ORG}role: { permissionsBoundaryArn: "arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess" }\n${ONE_ACCOUNT}`)).toEqual([
      "Config file <file> has 1 problem; nothing was written:",
      'role.permissionsBoundaryArn: got "arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess", an ARN of the aws-us-gov partition; expected one of the aws partition, where the role is (region us-east-1)',
    ]);
  });

  const cloud = (tags: string) => `${ORG}backend: { type: cloud, organization: acme, workspaceTags: ${tags} }\n${ONE_ACCOUNT}`;

  test("GIVEN workspace tags none of which names the account THEN refused; GIVEN one that does THEN it loads", () => {
    expect(refusal(cloud('["trelica", "all"]'))).toEqual([
      "Config file <file> has 1 problem; nothing was written:",
      'backend.workspaceTags: got ["trelica","all"]; expected at least one tag containing {accountId}, such as "trelica-{accountId}", so each account\'s stack selects only its own workspace (the same tags on every stack would put all accounts behind one workspace)',
    ]);
    expect(loads(cloud('["trelica", "trelica-{accountId}"]')).backend).toMatchObject({ workspaceTags: ["trelica", "trelica-{accountId}"] });
  });

  test.each([
    ["empty", "[]", "backend.workspaceTags: got []; expected at least one tag"],
    ["mixed with a number", '["trelica", 5]', 'backend.workspaceTags[1]: got the number 5; expected text (YAML reads unquoted digits as a number). Quote it: "5"'],
    ["mixed with an empty tag", '["trelica", ""]', 'backend.workspaceTags[1]: got ""; expected a workspace tag'],
  ])("GIVEN workspace tags %s THEN only the shape's problem, not also the per-account one", (_given, tags, problem) => {
    expect(refusal(cloud(tags))).toEqual(["Config file <file> has 1 problem; nothing was written:", problem]);
  });
});

describe("the config's small parts, as units", () => {
  test("GIVEN words THEN the edit distance counts insertions, deletions and substitutions", () => {
    expect(editDistance("", "")).toBe(0);
    expect(editDistance("abc", "")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("stackset", "stackset")).toBe(0);
    expect(editDistance("ab", "ba")).toBe(2);
  });

  test("GIVEN a typo THEN the nearest allowed word, without case; too far (over a third of the word, at least 2) THEN none", () => {
    expect(nearest("STACKSTE", ["accounts", "stackset"])).toBe("stackset");
    // "accountx" is 1 from "accounts" and 2 from "acount": the nearer wins, in any order.
    expect(nearest("accountx", ["acount", "accounts"])).toBe("accounts");
    expect(nearest("accountx", ["accounts", "acount"])).toBe("accounts");
    // 6 letters: up to 2 changes help.
    expect(nearest("abcdef", ["abcdxy"])).toBe("abcdxy");
    expect(nearest("abcdef", ["abcxyz"])).toBeUndefined();
    // 9 letters: up to 3.
    expect(nearest("abcdefghi", ["abcdefxyz"])).toBe("abcdefxyz");
    expect(nearest("abcdefghi", ["abcdewxyz"])).toBeUndefined();
    expect(nearest("x", [])).toBeUndefined();
  });

  test("GIVEN values THEN shown as the user wrote them, as JSON, nothing for none, cut past 80 characters", () => {
    expect(show(5, "05")).toBe("05");
    expect(show(undefined)).toBe("nothing");
    expect(show("a")).toBe('"a"');
    expect(show("x".repeat(78))).toBe(`"${"x".repeat(78)}"`);
    expect(show("x".repeat(79))).toBe(`"${"x".repeat(76)}...`);
  });

  test("GIVEN boundary ARNs THEN parsed only as the schema accepts them", () => {
    expect(parseBoundaryArn("arn:aws-cn:iam::123456789012:policy/team/B")).toEqual({ partition: "aws-cn", account: "123456789012", policy: "team/B" });
    expect(parseBoundaryArn("arn:aws:iam::{accountId}:policy/B")).toEqual({ partition: "aws", account: "{accountId}", policy: "B" });
    expect(parseBoundaryArn("arn:aws:iam::aws:policy/ReadOnlyAccess")).toEqual({ partition: "aws", account: "aws", policy: "ReadOnlyAccess" });
    for (const arn of [
      5,
      "arm:aws:iam::aws:policy/B",
      "arn:aws:s3::aws:policy/B",
      "arn:aws:iam:us-east-1:aws:policy/B",
      "arn:aws:iam::aws:policy/B:x",
      "arn:aws:iam::12345:policy/B",
      "arn:aws:iam::x123456789012:policy/B",
      "arn:aws:iam::1234567890123:policy/B",
      "arn:aws-xx:iam::aws:policy/B",
      "arn:aws:iam::aws:role/B",
      "arn:aws:iam::aws",
    ]) {
      expect(parseBoundaryArn(arn)).toBeUndefined();
    }
  });

  test("GIVEN a boundary THEN whether it names one account, its ARN in an account, and what a shared one may be", () => {
    const of = (arn: string) => parseBoundaryArn(arn)!;
    expect(namesOneAccount(of("arn:aws:iam::123456789012:policy/B"))).toBe(true);
    expect(namesOneAccount(of("arn:aws:iam::aws:policy/B"))).toBe(false);
    expect(namesOneAccount(of("arn:aws:iam::{accountId}:policy/B"))).toBe(false);
    expect(boundaryArnIn(of("arn:aws-us-gov:iam::{accountId}:policy/t/B"), "222222222222")).toBe("arn:aws-us-gov:iam::222222222222:policy/t/B");
    expect(sharedBoundaryAllowed(of("arn:aws-cn:iam::123456789012:policy/B"))).toBe(
      '"arn:aws-cn:iam::{accountId}:policy/B" ({accountId} becomes each account\'s ID, so each account needs that policy), or an AWS-managed policy (arn:aws-cn:iam::aws:policy/...)',
    );
  });

  test("GIVEN a boundary for an account THEN the placeholder becomes its ID; for every account of a stack set THEN the policy name; anything else as given", () => {
    expect(boundaryProps("arn:aws:iam::{accountId}:policy/t/B", "222222222222")).toEqual({ permissionsBoundaryArn: "arn:aws:iam::222222222222:policy/t/B" });
    expect(boundaryProps("arn:aws:iam::{accountId}:policy/t/B", EACH_ACCOUNT)).toEqual({ permissionsBoundaryPolicyName: "t/B" });
    expect(boundaryProps("arn:aws:iam::123456789012:policy/B", EACH_ACCOUNT)).toEqual({ permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/B" });
    expect(boundaryProps("not an arn", "222222222222")).toEqual({ permissionsBoundaryArn: "not an arn" });
    expect(boundaryProps(undefined, "222222222222")).toEqual({});
  });

  test("GIVEN regions THEN each partition's; GIVEN IAM names THEN compared without case", () => {
    expect(partitionOf("us-gov-west-1")).toBe("aws-us-gov");
    expect(partitionOf("cn-north-1")).toBe("aws-cn");
    expect(partitionOf("us-east-1")).toBe("aws");
    expect(ALL_REGIONS).toEqual(expect.arrayContaining(["us-east-1", "us-gov-east-1", "cn-northwest-1"]));
    expect(sameIamName("TrelicaIntegration", "TRELICAINTEGRATION")).toBe(true);
    expect(sameIamName("TrelicaIntegration", "TrelicaIntegration2")).toBe(false);
  });

  test("GIVEN the reserved marker in a key, a value or a list THEN each place is named; elsewhere THEN nothing", () => {
    expect(reservedMarkerProblems({ a: [`x${ACCOUNT_ID_SENTINEL}`], [ACCOUNT_ID_SENTINEL]: 1, b: { c: "fine" }, d: 5 })).toEqual([
      `a[0]: got "x${ACCOUNT_ID_SENTINEL}"; expected a value without "${ACCOUNT_ID_SENTINEL}", a marker this program reserves for itself`,
      `${ACCOUNT_ID_SENTINEL}: got "${ACCOUNT_ID_SENTINEL}"; expected a value without "${ACCOUNT_ID_SENTINEL}", a marker this program reserves for itself`,
    ]);
    expect(reservedMarkerProblems(null)).toEqual([]);
  });
});

describe("config checks, each problem word for word", () => {
  test.each<[string, string, string[]]>([
    [
      "an empty accountsFile",
      ORG + 'accountsFile: ""\n',
      ["accountsFile: got \"\"; expected a path to the JSON that `aws organizations list-accounts` prints"],
    ],
    [
      "a number where a region belongs, which quoted is no region either",
      ORG + 'region: 123\n' + ONE_ACCOUNT,
      ["region: got 123; expected an AWS region name such as us-east-1"],
    ],
    [
      "a boolean word in capitals, quoted",
      ORG + 'adoptExisting: "YES"\n' + ONE_ACCOUNT,
      ["adoptExisting: got \"YES\", which is text, not a boolean; expected true or false: write true without quotes"],
    ],
    [
      "a boolean word where no boolean belongs",
      ORG + 'region: "yes"\n' + ONE_ACCOUNT,
      ["region: got \"yes\"; expected an AWS region name such as us-east-1"],
    ],
    [
      "a backend type with a typo",
      ORG + 'backend: { type: clod }\n' + ONE_ACCOUNT,
      ["backend.type: got \"clod\"; expected a backend with `type` one of local, s3, cloud. Did you mean `cloud`?"],
    ],
    [
      "an account as a bare number in the list",
      ORG + 'accounts:\n  - 012345678901\n',
      ["accounts[0]: got 012345678901; expected a map with the keys id, name, services, region, assumeRoleName, adoptExisting, notInAccountsFile, policyName"],
    ],
    [
      "trelicaAccountId with a leading zero",
      ORG + 'trelicaAccountId: 012345678901\n' + ONE_ACCOUNT,
      ["trelicaAccountId: got the number 012345678901; YAML reads unquoted digits as a number and drops leading zeros. Quote it: \"012345678901\""],
    ],
    [
      "all four services off",
      ORG + 'services: { cognito: false, connect: false, iam: false, organizations: false }\n' + ONE_ACCOUNT,
      ["services: got {\"cognito\":false,\"connect\":false,\"iam\":false,\"organizations\":false}; expected at least one of cognito, connect, iam, organizations set to true"],
    ],
    [
      "no accounts at all",
      ORG,
      ["accounts: got nothing; expected at least one account, or an accountsFile"],
    ],
    [
      "an empty account list",
      ORG + 'accounts: []\n',
      ["accounts: got []; expected at least one account, or an accountsFile"],
    ],
    [
      "an account in GovCloud without Trelica's GovCloud account",
      ORG + 'accounts:\n  - id: "111111111111"\n    region: us-gov-west-1\n',
      ["accounts[0].region: got \"us-gov-west-1\", a region of the aws-us-gov partition, and no trelicaAccountId; Trelica's account 377450845233 is in the commercial aws partition and cannot assume a role in aws-us-gov (arn:aws-us-gov:iam::377450845233:root would be whoever holds that ID there). Set trelicaAccountId to the account Trelica gave you for aws-us-gov, or use a region of the aws partition"],
    ],
    [
      "a stack set in China without Trelica's account there",
      STACKSET + 'stackSet: { organizationalUnitIds: ["ou-abcd-12345678"], region: cn-north-1 }\n',
      ["stackSet.region: got \"cn-north-1\", a region of the aws-cn partition, and no trelicaAccountId; Trelica's account 377450845233 is in the commercial aws partition and cannot assume a role in aws-cn (arn:aws-cn:iam::377450845233:root would be whoever holds that ID there). Set trelicaAccountId to the account Trelica gave you for aws-cn, or use a region of the aws partition"],
    ],
    [
      "an account twice",
      ORG + 'accounts:\n  - id: "111111111111"\n  - id: "111111111111"\n',
      ["accounts[1].id: got \"111111111111\" again (first at accounts[0]); each account may appear once"],
    ],
    [
      "per-account keys in stackset mode, without its stackSet and management account",
      ORG + 'mode: stackset\n' + ONE_ACCOUNT + 'adoptExisting: true\n',
      ["accounts: only read in the default mode (one stack per account); with mode: stackset, target accounts with stackSet.organizationalUnitIds and stackSet.accountFilter", "adoptExisting: only read in the default mode (one stack per account); with mode: stackset, target accounts with stackSet.organizationalUnitIds and stackSet.accountFilter", "stackSet: is required with mode: stackset; expected at least stackSet.organizationalUnitIds", "managementAccountId: is required with mode: stackset; expected the 12-digit ID of the Organization's management account"],
    ],
    [
      "callAs DELEGATED_ADMIN without the delegated admin",
      STACKSET + 'stackSet: { organizationalUnitIds: ["ou-abcd-12345678"], callAs: DELEGATED_ADMIN }\n',
      ["stackSet.delegatedAdminAccountId: is required with callAs: DELEGATED_ADMIN; expected the delegated administrator's 12-digit account ID"],
    ],
    [
      "a stackSet in the default mode",
      ORG + 'stackSet: { organizationalUnitIds: ["ou-abcd-12345678"] }\n' + ONE_ACCOUNT,
      ["stackSet: only read with mode: stackset; add `mode: stackset`, or remove stackSet"],
    ],
    [
      "one account's boundary in stackset mode",
      STACKSET + 'stackSet: { organizationalUnitIds: ["ou-abcd-12345678"] }\nrole: { permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/B" }\n',
      ["role.permissionsBoundaryArn: got \"arn:aws:iam::123456789012:policy/B\", a policy of account 123456789012; with mode: stackset the role is in every enrolled account, and IAM refuses a boundary the role's account does not own. Expected \"arn:aws:iam::{accountId}:policy/B\" ({accountId} becomes each account's ID, so each account needs that policy), or an AWS-managed policy (arn:aws:iam::aws:policy/...)"],
    ],
    [
      "workspaceName and workspaceTags together",
      ORG + 'backend: { type: cloud, organization: acme, workspaceName: w, workspaceTags: ["t-{accountId}"] }\n' + ONE_ACCOUNT,
      ["backend.workspaceName: got \"w\"; expected a workspace name pattern containing {accountId}, so each account has its own workspace", "backend.workspaceTags: given with backend.workspaceName; expected one of the two ways to choose workspaces"],
    ],
    [
      "an unknown key close to one",
      ORG + 'regoin: us-east-1\n' + ONE_ACCOUNT,
      ["regoin: unknown key. Did you mean `region`? Allowed here: mode, stackSet, trelicaOrganizationId, trelicaAccountId, region, services, role, deployment, accountsFile, include, exclude, managementAccountId, adoptExisting, backend, terraformCloud, accounts"],
    ],
    [
      "an unknown key close to none",
      ORG + 'zzzzzzzz: 1\n' + ONE_ACCOUNT,
      ["zzzzzzzz: unknown key. Allowed here: mode, stackSet, trelicaOrganizationId, trelicaAccountId, region, services, role, deployment, accountsFile, include, exclude, managementAccountId, adoptExisting, backend, terraformCloud, accounts"],
    ],
  ])("GIVEN %s THEN exactly its problems", (_given, text, problems) => {
    expect(refusal(text)).toEqual([`Config file <file> has ${problems.length === 1 ? "1 problem" : `${problems.length} problems`}; nothing was written:`, ...problems]);
  });

  test.each([
    ["three of four services off", `${ORG}services: { cognito: false, connect: false, iam: false }\n${ONE_ACCOUNT}`],
    ["a stack set boundary for each account", `${STACKSET}stackSet: { organizationalUnitIds: ["ou-abcd-12345678"] }\nrole: { permissionsBoundaryArn: "arn:aws:iam::{accountId}:policy/B" }\n`],
    ["a stack set boundary managed by AWS", `${STACKSET}stackSet: { organizationalUnitIds: ["ou-abcd-12345678"] }\nrole: { permissionsBoundaryArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }\n`],
    ["a GovCloud account with Trelica's account there", `${ORG}trelicaAccountId: "123456789012"\naccounts:\n  - id: "111111111111"\n    region: us-gov-west-1\n`],
    ["callAs DELEGATED_ADMIN with the delegated admin", `${STACKSET}stackSet: { organizationalUnitIds: ["ou-abcd-12345678"], callAs: DELEGATED_ADMIN, delegatedAdminAccountId: "222222222222" }\n`],
  ])("GIVEN %s THEN it loads", (_given, text) => {
    expect(() => loads(text)).not.toThrow();
  });
});
