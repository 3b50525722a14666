import * as path from "node:path";
import { loadConfig } from "../app/config/load";
import { resolveDeployments } from "../app/organization/deployments";
import { PROJECT_ROOT, tempDir, writeFile } from "./helpers/files";
import { refusalOf } from "./helpers/refusal";

const dir = tempDir();
let counter = 0;

const VALID = `
trelicaOrganizationId: "org-42"
accounts:
  - id: "111111111111"
`;

function load(text: string, extension = ".yaml") {
  return loadConfig(writeFile(dir, `config-${counter++}${extension}`, text));
}

/** The listed problems of a config that must fail; fails the test if it loads. */
function problemsOf(text: string, extension = ".yaml"): string[] {
  const refusal = refusalOf(() => resolveDeployments(load(text, extension)), "expected the config to be rejected, but it loaded");
  return [refusal.summary, ...refusal.problems];
}

describe("config loading", () => {
  test("GIVEN the shipped example THEN it loads", () => {
    const { config } = loadConfig(path.join(PROJECT_ROOT, "trelica.config.yaml"));
    expect(config.accounts.length).toBeGreaterThan(0);
  });

  test("GIVEN only the required fields THEN documented defaults apply, Trelica's account as the role's default rather than the config's", () => {
    const loaded = load(VALID);
    expect(loaded.config).toEqual({
      mode: "accounts",
      trelicaOrganizationId: "org-42",
      region: "us-east-1",
      role: {},
      deployment: {},
      adoptExisting: false,
      backend: { type: "local" },
      accounts: [{ id: "111111111111" }],
    });
    expect(resolveDeployments(loaded).deployments[0].integration.trelicaAccountId).toBe("377450845233");
    expect(resolveDeployments(loaded).deployments[0].providerRoleName).toBe("OrganizationAccountAccessRole");
  });

  test("GIVEN JSON instead of YAML THEN it loads the same", () => {
    const json = JSON.stringify({ trelicaOrganizationId: "org-42", accounts: [{ id: "111111111111" }] });
    expect(load(json, ".json").config).toEqual(load(VALID).config);
  });
});

describe("config validation: each mistake named with its field, value and what is allowed", () => {
  test.each([
    ["a missing organization ID", `accounts: [{id: "111111111111"}]`, "trelicaOrganizationId: is required; expected your Trelica organization ID"],
    ["an empty organization ID", `trelicaOrganizationId: ""\naccounts: [{id: "111111111111"}]`, 'trelicaOrganizationId: got ""; expected your Trelica organization ID (2 to 1224 characters'],
    ["an organization ID AWS refuses", `trelicaOrganizationId: "org 42!"\naccounts: [{id: "111111111111"}]`, 'trelicaOrganizationId: got "org 42!"; expected'],
    ["a short account ID", `trelicaOrganizationId: org-42\naccounts: [{id: "12345"}]`, 'accounts[0].id: got "12345"; expected exactly 12 digits, as a string'],
    ["an account ID with letters", `trelicaOrganizationId: org-42\naccounts: [{id: "11111111111a"}]`, 'accounts[0].id: got "11111111111a"; expected exactly 12 digits'],
    [
      "an account ID as a YAML number",
      `trelicaOrganizationId: org-42\naccounts:\n  - id: 012345678901`,
      'accounts[0].id: got the number 012345678901; YAML reads unquoted digits as a number and drops leading zeros. Quote it: "012345678901"',
    ],
    [
      "duplicate account IDs",
      `trelicaOrganizationId: org-42\naccounts: [{id: "111111111111"}, {id: "222222222222"}, {id: "111111111111"}]`,
      'accounts[2].id: got "111111111111" again (first at accounts[0]); each account may appear once',
    ],
    [
      "an unknown service name",
      `trelicaOrganizationId: org-42\nservices: {cognitio: true}\naccounts: [{id: "111111111111"}]`,
      "services.cognitio: unknown key. Did you mean `cognito`? Allowed here: cognito, connect, iam, organizations",
    ],
    [
      "an unknown service name on an account",
      `trelicaOrganizationId: org-42\naccounts: [{id: "111111111111", services: {organisations: true}}]`,
      "accounts[0].services.organisations: unknown key. Did you mean `organizations`?",
    ],
    [
      "defaults with no service on",
      `trelicaOrganizationId: org-42\nservices: {cognito: false, connect: false, iam: false, organizations: false}\naccounts: [{id: "111111111111", services: {iam: true}}]`,
      'services: got {"cognito":false,"connect":false,"iam":false,"organizations":false}; expected at least one of cognito, connect, iam, organizations set to true',
    ],
    [
      "an account with no service on",
      `trelicaOrganizationId: org-42\nservices: {iam: true, cognito: false, connect: false, organizations: false}\naccounts: [{id: "111111111111", services: {iam: false}}]`,
      "accounts[0] (111111111111): no service enabled after merging the defaults; expected at least one of cognito, connect, iam, organizations on",
    ],
    ["an unknown top-level key", `trelicaOrganizationId: org-42\nregoin: us-east-1\naccounts: [{id: "111111111111"}]`, "regoin: unknown key. Did you mean `region`?"],
    ["an invalid region", `trelicaOrganizationId: org-42\nregion: us-east-7\naccounts: [{id: "111111111111"}]`, 'region: got "us-east-7"; expected an AWS region name such as us-east-1'],
    ["a service flag that is not a boolean", `trelicaOrganizationId: org-42\nservices: {iam: "yes"}\naccounts: [{id: "111111111111"}]`, 'services.iam: got "yes", which is text, not a boolean; expected true or false: write true without quotes'],
    ["no accounts", `trelicaOrganizationId: org-42\naccounts: []`, "accounts: got []; expected at least one account, or an accountsFile"],
  ])("GIVEN %s THEN the error says so", (_case, text, expected) => {
    expect(problemsOf(text)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  describe("IAM's own rules on tags, checked before any plan", () => {
    const withTags = (tags: string) => `trelicaOrganizationId: org-42\nrole:\n  tags: ${tags}\naccounts: [{id: "111111111111"}]`;
    test.each([
      ["a tag key with AWS's reserved prefix", withTags(`{"aws:team": it}`), 'role.tags.aws:team: got "aws:team"; expected a tag key that does not start with "aws:" in any case (AWS reserves that prefix for its own tags)'],
      ["the reserved prefix in another case", withTags(`{"AWS:Team": it}`), 'role.tags.AWS:Team: got "AWS:Team"; expected a tag key that does not start with "aws:"'],
      [
        "two tag keys equal but for case",
        withTags(`{Team: it, team: platform}`),
        'role.tags.team: got "team"; expected a tag key that differs from "Team" by more than case (IAM treats "Team" and "team" as the same key)',
      ],
      ["a tag value over 256 characters", withTags(`{owner: ${"x".repeat(257)}}`), `role.tags.owner: got "${"x".repeat(76)}...; expected a tag value of 0 to 256 characters`],
      [
        "a tag contradicting one the program sets",
        withTags(`{managed-by: me}`),
        'role.tags.managed-by: got "me"; expected "trelica-aws-role", or no managed-by tag: the program tags every role and policy managed-by: trelica-aws-role',
      ],
      ["a tag key over 128 characters", withTags(`{${"k".repeat(129)}: v}`), `role.tags.${"k".repeat(129)}: got "${"k".repeat(76)}...; expected a tag key of 1 to 128 characters`],
      [
        "51 tags",
        withTags(JSON.stringify(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, "v"])))),
        "expected at most 48 tags besides managed-by: trelica-aws-role and third-party: trelica, which every role and policy carries (IAM's limit is 50 per role and per policy), not 51",
      ],
    ])("GIVEN %s THEN the error names the tag, its value and IAM's rule", (_case, text, expected) => {
      expect(problemsOf(text)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
    });

    test("GIVEN several bad tags THEN each is reported on its own", () => {
      const problems = problemsOf(withTags(`{"aws:a": x, Env: prod, ENV: dev, ok: "bad!"}`));
      expect(problems.slice(1).map((problem) => problem.split(": got")[0])).toEqual(["role.tags.aws:a", "role.tags.ENV", "role.tags.ok"]);
    });
  });

  describe("partitions: Trelica's account is in the commercial aws partition", () => {
    test("GIVEN a GovCloud region and no trelicaAccountId THEN the config is refused, saying why and what to set", () => {
      expect(problemsOf(`trelicaOrganizationId: org-42\nregion: us-gov-west-1\naccounts: [{id: "111111111111"}]`)).toEqual([
        expect.stringMatching(/has 1 problem/),
        'region: got "us-gov-west-1", a region of the aws-us-gov partition, and no trelicaAccountId; ' +
          "Trelica's account 377450845233 is in the commercial aws partition and cannot assume a role in aws-us-gov " +
          "(arn:aws-us-gov:iam::377450845233:root would be whoever holds that ID there). " +
          "Set trelicaAccountId to the account Trelica gave you for aws-us-gov, or use a region of the aws partition",
      ]);
    });

    test("GIVEN China regions at the top and on an account and no trelicaAccountId THEN each field is named", () => {
      const problems = problemsOf(`trelicaOrganizationId: org-42\nregion: cn-north-1\naccounts: [{id: "111111111111", region: cn-northwest-1}]`);
      expect(problems.slice(1).map((problem) => problem.split(": got")[0])).toEqual(["region", "accounts[0].region"]);
      expect(problems[2]).toContain('accounts[0].region: got "cn-northwest-1", a region of the aws-cn partition, and no trelicaAccountId');
    });

    test("GIVEN an account in GovCloud under a commercial top-level region THEN the missing trelicaAccountId is named with the account's field", () => {
      expect(problemsOf(`trelicaOrganizationId: org-42\naccounts: [{id: "111111111111", region: us-gov-east-1}]`)).toEqual(
        expect.arrayContaining([expect.stringContaining('accounts[0].region: got "us-gov-east-1", a region of the aws-us-gov partition, and no trelicaAccountId')]),
      );
    });

    test("GIVEN a GovCloud region and Trelica's GovCloud account THEN the role trusts that account in that partition", () => {
      const loaded = load(`trelicaOrganizationId: org-42\ntrelicaAccountId: "222233334444"\nregion: us-gov-west-1\naccounts: [{id: "111111111111"}]`);
      const [deployment] = resolveDeployments(loaded).deployments;
      expect(deployment.integration).toMatchObject({ trelicaAccountId: "222233334444", partition: "aws-us-gov" });
    });
  });

  test("GIVEN several mistakes THEN all are reported at once", () => {
    const problems = problemsOf(`trelicaOrganizationId: x\nregion: mars-1\naccounts: [{id: 1}, {id: "111111111111", colour: red}]`);
    expect(problems[0]).toMatch(/has 4 problems; nothing was written:$/);
    expect(problems.slice(1).map((problem) => problem.split(":")[0])).toEqual([
      "trelicaOrganizationId",
      "region",
      "accounts[0].id",
      "accounts[1].colour",
    ]);
  });

  test("GIVEN malformed YAML THEN the error says where", () => {
    const problems = problemsOf(`trelicaOrganizationId: org-42\naccounts:\n  - id: "111111111111\n`);
    expect(problems[0]).toMatch(/is not valid YAML/);
    expect(problems[1]).toMatch(/^line \d+, column \d+: /);
  });

  test("GIVEN a duplicated YAML key THEN the error says where", () => {
    const problems = problemsOf(`trelicaOrganizationId: a1\ntrelicaOrganizationId: b2\naccounts: [{id: "111111111111"}]\n`);
    expect(problems[1]).toBe("line 2, column 1: key trelicaOrganizationId appears a second time in the same map; expected each key once (one of the two would be ignored)");
  });

  test("GIVEN malformed JSON THEN the error says where", () => {
    const [summary] = problemsOf(`{\n  "trelicaOrganizationId": "org-42",\n  "accounts": [}\n`, ".json");
    expect(summary).toMatch(/is not valid JSON at line 3, column \d+/);
  });

  test("GIVEN a config file that does not exist THEN the error names it", () => {
    expect(() => loadConfig(path.join(dir, "missing.yaml"))).toThrow(/missing\.yaml: the file does not exist/);
  });
});
