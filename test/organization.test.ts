import { listAccountsJson, resolve, resolveProblems, writeAccountsFile } from "./helpers/organization";
import { tempDir, writeFile } from "./helpers/files";

const dir = tempDir();
const base = { trelicaOrganizationId: "org-42" };

const ORG = [
  { Id: "111111111111", Name: "management", State: "ACTIVE" },
  { Id: "333333333333", Name: "prod-web", State: "ACTIVE" },
  { Id: "222222222222", Name: "prod-data", State: "ACTIVE", JoinedMethod: "INVITED" },
  { Id: "444444444444", Name: "old", State: "SUSPENDED" },
  { Id: "555555555555", Name: "closing", State: "PENDING_CLOSURE" },
  { Id: "666666666666", Name: "gone", State: "CLOSED" },
  { Id: "777777777777", Name: "new", State: "PENDING_ACTIVATION" },
];
const accountsFile = writeAccountsFile(dir, "accounts.json", ORG);

describe("accounts from an AWS Organizations export", () => {
  test("GIVEN an export with every state THEN only ACTIVE accounts get stacks, sorted by ID, and the rest are counted", () => {
    const resolution = resolve(dir, { ...base, accountsFile });
    expect(resolution.deployments.map((d) => d.accountId)).toEqual(["111111111111", "222222222222", "333333333333"]);
    expect(resolution.skipped.map((s) => [s.accountId, s.state])).toEqual([
      ["444444444444", "SUSPENDED"],
      ["555555555555", "PENDING_CLOSURE"],
      ["666666666666", "CLOSED"],
      ["777777777777", "PENDING_ACTIVATION"],
    ]);
  });

  test("GIVEN an export from before September 2026 with Status only THEN it reads Status as the state", () => {
    const file = writeFile(
      dir,
      "old-export.json",
      JSON.stringify({ Accounts: [{ Id: "111111111111", Name: "a", Status: "ACTIVE" }, { Id: "222222222222", Name: "b", Status: "SUSPENDED" }] }),
    );
    const resolution = resolve(dir, { ...base, accountsFile: file });
    expect(resolution.deployments.map((d) => d.accountId)).toEqual(["111111111111"]);
    expect(resolution.skipped).toEqual([{ accountId: "222222222222", name: "b", state: "SUSPENDED" }]);
  });

  test("GIVEN both State and Status THEN State wins", () => {
    const file = writeFile(dir, "both.json", JSON.stringify({ Accounts: [{ Id: "111111111111", State: "SUSPENDED", Status: "ACTIVE" }] }));
    expect(resolveProblems(dir, { ...base, accountsFile: file })[0]).toMatch(/none of 1 account is left to deploy \(1 not ACTIVE/);
  });

  test("GIVEN the export's ARNs THEN the management account is found, and only it gets organizations and ambient credentials", () => {
    const { deployments, managementAccountId } = resolve(dir, { ...base, accountsFile });
    expect(managementAccountId).toBe("111111111111");
    const byId = Object.fromEntries(deployments.map((d) => [d.accountId, d]));
    expect(byId["111111111111"].services.organizations).toBe(true);
    expect(byId["111111111111"].providerRoleName).toBeUndefined();
    expect(byId["333333333333"].services.organizations).toBe(false);
    expect(byId["333333333333"].providerRoleName).toBe("OrganizationAccountAccessRole");
  });

  test("GIVEN explicit entries THEN they override the export's accounts and add accounts outside it marked notInAccountsFile", () => {
    const { deployments } = resolve(dir, {
      ...base,
      accountsFile,
      accounts: [
        { id: "333333333333", name: "web", region: "eu-west-2", services: { connect: false } },
        { id: "999999999999", name: "outside", notInAccountsFile: true },
      ],
    });
    const web = deployments.find((d) => d.accountId === "333333333333")!;
    expect([web.name, web.region, web.services.connect]).toEqual(["web", "eu-west-2", false]);
    expect(deployments.map((d) => d.accountId)).toContain("999999999999");
  });

  test("GIVEN an accounts[] override whose ID is one digit off an ID of the file THEN it is refused with the closest IDs, not added as an account", () => {
    const problems = resolveProblems(dir, { ...base, accountsFile, accounts: [{ id: "333333333334", region: "eu-west-2", services: { connect: true } }] });
    expect(problems).toEqual([
      'accounts[0].id: got "333333333334", which is not in the accountsFile (7 accounts); the closest there: 333333333333; ' +
        "expected an ID from the file, or notInAccountsFile: true on this entry to add an account the file lacks on purpose",
    ]);
    // Without a file the entries are the accounts: as before.
    expect(resolve(dir, { ...base, managementAccountId: "111111111111", accounts: [{ id: "111111111111" }, { id: "333333333334" }] }).deployments.map((d) => d.accountId)).toEqual(["111111111111", "333333333334"]);
  });

  test("GIVEN include and exclude globs THEN they filter by account ID or name", () => {
    const resolution = resolve(dir, { ...base, accountsFile, include: ["prod-*", "1111*"], exclude: ["*-data"] });
    expect(resolution.deployments.map((d) => d.accountId)).toEqual(["111111111111", "333333333333"]);
    expect(resolution.filteredOut).toBe(5);
  });

  test("GIVEN organizations on for every account THEN it is allowed, with a warning naming the other accounts", () => {
    const resolution = resolve(dir, { ...base, accountsFile, services: { organizations: true } });
    expect(resolution.deployments.every((d) => d.services.organizations)).toBe(true);
    expect(resolution.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining("services.organizations is on in 2 accounts that are not the management account (222222222222, 333333333333)"),
      ]),
    );
  });

  test("GIVEN an invited account reached through the default role THEN a warning says it may lack that role", () => {
    const resolution = resolve(dir, { ...base, accountsFile });
    expect(resolution.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/^1 account joined by invitation \(222222222222\) may lack OrganizationAccountAccessRole/)]),
    );
  });

  test("GIVEN an invited account with its own assumeRoleName THEN no warning", () => {
    const resolution = resolve(dir, { ...base, accountsFile, accounts: [{ id: "222222222222", assumeRoleName: "Deployer" }] });
    expect(resolution.warnings.join("\n")).not.toMatch(/invitation/);
  });

  test("GIVEN managementAccountId THEN it wins over the ARNs", () => {
    const resolution = resolve(dir, { ...base, accountsFile, managementAccountId: "333333333333" });
    expect(resolution.deployments.filter((d) => d.isManagementAccount).map((d) => d.accountId)).toEqual(["333333333333"]);
  });
});

describe("organization-scale bad input", () => {
  test.each([
    ["an accounts file that does not exist", { accountsFile: "nope.json" }, /^accountsFile \(.*nope\.json\): the file does not exist; expected the output of `aws organizations list-accounts`$/],
    ["an accounts file that is not JSON", { accountsFile: writeFile(dir, "bad.json", "Accounts: [") }, /^accountsFile \(.*bad\.json\): is not JSON/],
    [
      "an accounts file of another shape",
      { accountsFile: writeFile(dir, "shape.json", JSON.stringify([{ Id: "111111111111" }])) },
      /^accountsFile \(.*shape\.json\): got \[\{"Id":"111111111111"\}\]; expected \{"Accounts": \[\.\.\.\]\}, the output of `aws organizations list-accounts`$/,
    ],
    [
      "an account ID in the file that is not 12 digits",
      { accountsFile: writeFile(dir, "short.json", JSON.stringify({ Accounts: [{ Id: "12345", State: "ACTIVE" }] })) },
      /^accountsFile \(.*short\.json\) Accounts\[0\]\.Id: got "12345"; expected exactly 12 digits, as a string$/,
    ],
    [
      "an account in the file without State or Status",
      { accountsFile: writeFile(dir, "nostate.json", JSON.stringify({ Accounts: [{ Id: "111111111111" }] })) },
      /^accountsFile \(.*nostate\.json\) Accounts\[0\]: got \{"Id":"111111111111"\}; expected a State \(or, in exports before September 2026, a Status\) field$/,
    ],
    ["an include that matches no account", { accountsFile, include: ["staging-*"] }, /^include\[0\]: got "staging-\*", which matches no account ID or name among 7 accounts; expected a glob that matches one, such as "111111111111" or "management"$/],
    ["an exclude that matches no account", { accountsFile, exclude: ["9999*"] }, /^exclude\[0\]: got "9999\*", which matches no account ID or name/],
    [
      "a management account not in the list",
      { accountsFile, managementAccountId: "888888888888" },
      /^managementAccountId: got "888888888888", which is not in accounts or accountsFile; expected one of the listed accounts$/,
    ],
    [
      "an account region in another partition",
      { accountsFile, trelicaAccountId: "222233334444", accounts: [{ id: "333333333333", region: "cn-north-1" }] },
      /^accounts\[0\]\.region: got "cn-north-1"; expected a region of the aws partition, like the top-level region us-east-1$/,
    ],
    [
      "a member account left with no service",
      { accountsFile, services: { cognito: false, connect: false, iam: false } },
      /^account 222222222222, account 333333333333: no service enabled/,
    ],
  ])("GIVEN %s THEN the error names the field and the value", (_case, config, expected) => {
    expect(resolveProblems(dir, { ...base, ...config })).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  test("GIVEN a bad accounts file and a bad config field THEN both are reported at once", () => {
    const problems = resolveProblems(dir, { ...base, region: "mars-1", accountsFile: "nope.json" });
    expect(problems.map((p) => p.split(":")[0])).toEqual(["region", expect.stringMatching(/^accountsFile/)]);
  });
});

describe("finding the management account", () => {
  const members = [{ Id: "222222222222", State: "ACTIVE" }, { Id: "333333333333", State: "ACTIVE" }];

  test("GIVEN several accounts, no managementAccountId and no accountsFile THEN the config is refused, naming what to set", () => {
    expect(resolveProblems(dir, { ...base, accounts: [{ id: "111111111111" }, { id: "222222222222" }] })).toEqual([
      "managementAccountId: got nothing, and there is no accountsFile; with 2 accounts to deploy, one may be the Organization's management account, " +
        "where Terraform cannot assume OrganizationAccountAccessRole and organizations:ListAccounts belongs. " +
        "Expected the management account's 12-digit ID (`aws organizations describe-organization --query Organization.MasterAccountId`), " +
        "listed among the accounts (exclude it if it should get no stack), or an accountsFile from `aws organizations list-accounts`",
    ]);
  });

  test("GIVEN an accounts file without ARNs and several accounts THEN the config is refused, saying the file does not name it", () => {
    const file = writeFile(dir, "no-arns.json", JSON.stringify({ Accounts: members }));
    expect(resolveProblems(dir, { ...base, accountsFile: file })).toEqual([
      expect.stringMatching(/^managementAccountId: got nothing, and the accountsFile's account ARNs do not name it; with 2 accounts to deploy/),
    ]);
  });

  test("GIVEN account ARNs naming two management accounts THEN the config is refused, naming both and the field, even with managementAccountId", () => {
    const first = JSON.parse(listAccountsJson([{ Id: "111111111111", State: "ACTIVE" }, ...members], "111111111111")).Accounts;
    const second = JSON.parse(listAccountsJson([{ Id: "999999999999", State: "ACTIVE" }], "999999999999")).Accounts;
    const file = writeFile(dir, "two-orgs.json", JSON.stringify({ Accounts: [...first, ...second] }));
    const expected =
      `accountsFile: got "${file}", whose account ARNs name 2 different management accounts, ` +
      "111111111111 (3 accounts: 111111111111, 222222222222, 333333333333) and 999999999999 (1 account: 999999999999); " +
      "expected the export of one Organization (`aws organizations list-accounts` run in its management account), " +
      "since OrganizationAccountAccessRole in each account trusts only its own Organization's management account. Use one config per Organization";
    expect(resolveProblems(dir, { ...base, accountsFile: file })).toEqual(expect.arrayContaining([expected]));
    expect(resolveProblems(dir, { ...base, accountsFile: file, managementAccountId: "111111111111" })).toEqual([expected]);
  });

  test("GIVEN one account and no management account known THEN it is deployed as a member, with a warning naming both ways out", () => {
    const resolution = resolve(dir, { ...base, accounts: [{ id: "222222222222" }] });
    expect(resolution.deployments.map((d) => [d.accountId, d.isManagementAccount, d.providerRoleName])).toEqual([
      ["222222222222", false, "OrganizationAccountAccessRole"],
    ]);
    // Treated as a member, it is also reached as administrator: the warning of test/administrator.test.ts follows.
    expect(resolution.warnings.slice(0, 1)).toEqual([
      "managementAccountId is not set and there is no accountsFile, so account 222222222222 is treated as a member account: " +
        "Terraform assumes OrganizationAccountAccessRole there and organizations is off. If it is the Organization's management account, " +
        'set managementAccountId: "222222222222" (the management account has no OrganizationAccountAccessRole, so apply would fail there); ' +
        "if it is a standalone account outside any Organization, set deployment.assumeRoleName: false to use your own credentials.",
    ]);
  });

  test("GIVEN one standalone account reached with the ambient credentials THEN no warning", () => {
    expect(resolve(dir, { ...base, deployment: { assumeRoleName: false }, accounts: [{ id: "222222222222" }] }).warnings).toEqual([]);
  });

  test("GIVEN an export whose ARNs name a management account it leaves out THEN none of its accounts is the management account, and no refusal", () => {
    const file = writeAccountsFile(dir, "members-only.json", members, "111111111111");
    const resolution = resolve(dir, { ...base, accountsFile: file });
    expect(resolution.managementAccountId).toBe("111111111111");
    expect(resolution.deployments.map((d) => [d.accountId, d.isManagementAccount])).toEqual([
      ["222222222222", false],
      ["333333333333", false],
    ]);
  });
});
