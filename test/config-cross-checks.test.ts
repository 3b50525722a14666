/*
 * The config's cross-field checks (deployer, terraformCloud, semantics) and its small readers as units, on
 * raw input as loadConfig hands it over: the input that must be reported, the one next to it that must
 * not, and input whose own shape is wrong (left to the schema, never a crash). The synthesizing suites
 * (deployer, terraform-cloud) prove the same checks through whole apps; these are cheap enough for every
 * mutant of `npm run test:mutation`.
 */
import { boundaryProps } from "../app/config/boundary";
import { deployerProblems, readOnlyDeployerName } from "../app/config/deployer";
import { readAccountsFile } from "../app/config/accounts-file";
import { loadConfig, validateConfig } from "../app/config/load";
import { semanticProblems } from "../app/config/semantics";
import { accepts, allowedKeysAt, allowedText, didYouMean, UNWORDED } from "../app/config/parse/issues";
import { ownsItsWorkspaces, planRoleName, terraformCloudProblems } from "../app/config/terraform-cloud";
import { z, type core } from "zod";
import { tempDir, writeFile } from "./helpers/files";
import { refusalOf } from "./helpers/refusal";

const dir = tempDir("trelica-config-cross-");
let counter = 0;
const MANAGEMENT = "111111111111";

/** The problems of a config given as an object (written as JSON, which YAML reads alike). */
function problemsOf(config: object): readonly string[] {
  const file = writeFile(dir, `config-${counter++}.json`, JSON.stringify(config));
  return refusalOf(() => loadConfig(file), "expected the config to be refused, but it loaded").problems;
}

const deployerConfig = (deployer: Record<string, unknown>, rest: Record<string, unknown> = {}) => ({
  managementAccountId: MANAGEMENT,
  deployment: { deployer: { organizationalUnitIds: ["r-ab12"], trustedPrincipalArns: ["arn:aws:iam::111111111111:user/terraform"], ...deployer } },
  ...rest,
});

describe("deployment.deployer against the rest", () => {
  test("GIVEN a deployer that is not a map THEN nothing of this check (the schema reports it)", () => {
    for (const deployer of ["TrelicaDeployer", ["TrelicaDeployer"], null]) {
      expect(deployerProblems({ mode: "stackset", deployment: { deployer, assumeRoleName: "X" } })).toEqual([]);
    }
  });

  test("GIVEN assumeRoleName beside the deployer THEN the problem names the deployer's role, its own or the default", () => {
    const withAssumeRole = (roleName: unknown) =>
      deployerProblems({ managementAccountId: MANAGEMENT, deployment: { assumeRoleName: "Admin", deployer: { roleName, trustedPrincipalArns: ["arn:aws:iam::111111111111:user/t"] } } });
    expect(withAssumeRole("OurDeployer")).toEqual([expect.stringContaining("through deployment.deployer.roleName (OurDeployer). Remove deployment.assumeRoleName")]);
    // A role name the schema refuses is not repeated back as if it were the deployer's.
    expect(withAssumeRole(7)).toEqual([expect.stringContaining("through deployment.deployer.roleName (TrelicaDeployer). Remove deployment.assumeRoleName")]);
  });

  test("GIVEN no region THEN principals are checked against us-east-1's partition", () => {
    expect(deployerProblems(deployerConfig({ trustedPrincipalArns: ["arn:aws-cn:iam::111111111111:user/terraform"] }))).toEqual([
      'deployment.deployer.trustedPrincipalArns[0]: got "arn:aws-cn:iam::111111111111:user/terraform", an ARN of the aws-cn partition; expected one of the aws partition, where the Organization is (region us-east-1)',
    ]);
  });

  test("GIVEN a region THEN principals are checked against its partition, and it is named", () => {
    expect(deployerProblems(deployerConfig({ trustedPrincipalArns: ["arn:aws:iam::111111111111:user/terraform"] }, { region: "cn-north-1" }))).toEqual([
      'deployment.deployer.trustedPrincipalArns[0]: got "arn:aws:iam::111111111111:user/terraform", an ARN of the aws partition; expected one of the aws-cn partition, where the Organization is (region cn-north-1)',
    ]);
    expect(deployerProblems(deployerConfig({ trustedPrincipalArns: ["arn:aws-cn:iam::111111111111:user/terraform"] }, { region: "cn-north-1" }))).toEqual([]);
  });

  test("GIVEN a region that is not one, or not text THEN no partition is guessed (the schema reports the region)", () => {
    for (const region of ["us-gov-nowhere-1", "cn-nowhere-1", 5]) {
      expect(deployerProblems(deployerConfig({ trustedPrincipalArns: ["arn:aws:iam::111111111111:user/terraform"] }, { region }))).toEqual([]);
    }
  });

  test("GIVEN principals that are not ARNs, or not text THEN neither a partition problem nor a repeat (the schema reports them)", () => {
    expect(deployerProblems(deployerConfig({ trustedPrincipalArns: [5, 5, "not:an-arn", null] }))).toEqual([]);
  });

  test("GIVEN the same principal twice THEN the second is named", () => {
    const arn = "arn:aws:iam::111111111111:user/terraform";
    expect(deployerProblems(deployerConfig({ trustedPrincipalArns: [arn, arn] }))).toEqual([
      `deployment.deployer.trustedPrincipalArns[1]: got "${arn}" again; each principal may appear once`,
    ]);
  });

  test("GIVEN a role name whose read-only role is exactly 64 characters THEN it passes; one more THEN refused", () => {
    const longest = "D".repeat(64 - readOnlyDeployerName("").length);
    expect(readOnlyDeployerName(longest)).toHaveLength(64);
    expect(deployerProblems(deployerConfig({ roleName: longest }))).toEqual([]);
    const [problem, ...rest] = deployerProblems(deployerConfig({ roleName: `${longest}D` }));
    expect(rest).toEqual([]);
    expect(problem).toMatch(new RegExp(`^deployment\\.deployer\\.roleName: got "D{${longest.length + 1}}" \\(${longest.length + 1} characters\\); expected at most ${longest.length},`));
  });
});

const cloud = (overrides: Record<string, unknown> = {}, terraformCloud: Record<string, unknown> = {}) => ({
  trelicaOrganizationId: "trelica-org-42",
  managementAccountId: MANAGEMENT,
  deployment: { deployer: { organizationalUnitIds: ["r-ab12"] } },
  backend: { type: "cloud", organization: "acme", project: "identity" },
  terraformCloud: { project: "identity", ...terraformCloud },
  accounts: [{ id: MANAGEMENT }],
  ...overrides,
});

describe("terraformCloud against the rest", () => {
  test("GIVEN the whole block valid THEN no problem; GIVEN terraformCloud that is not a map THEN nothing of this check", () => {
    expect(terraformCloudProblems(cloud())).toEqual([]);
    for (const terraformCloud of ["acme", ["acme"], null]) {
      expect(terraformCloudProblems({ mode: "stackset", terraformCloud })).toEqual([]);
    }
  });

  test("GIVEN no deployer THEN the deployer is required; GIVEN deployment without one THEN too", () => {
    for (const deployment of [undefined, {}, "deployer"]) {
      const problems = terraformCloudProblems(cloud({ deployment }));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^deployment\.deployer: got nothing with terraformCloud; expected a deployer/);
    }
  });

  test("GIVEN a run role name of 60 characters THEN its plan role fits; 61 THEN refused", () => {
    const sixty = "R".repeat(60);
    expect(planRoleName(sixty)).toBe(`${sixty}Plan`);
    expect(planRoleName(sixty)).toHaveLength(64);
    expect(terraformCloudProblems(cloud({}, { runRoleName: sixty }))).toEqual([]);
    expect(terraformCloudProblems(cloud({}, { runRoleName: `${sixty}R` }))).toEqual([
      `terraformCloud.runRoleName: got "${sixty}R" (61 characters); expected at most 60, since the plan role beside it is named ${sixty}RPlan and IAM role names stop at 64`,
    ]);
  });

  test.each([
    ["trelica-{accountId}", true],
    ["{accountId}-trelica", true],
    ["abc{accountId}", true],
    ["a1_{accountId}", true],
    ["12a{accountId}", true],
    ["ab{accountId}", false],
    ["{accountId}", false],
    ["123{accountId}", false],
    ["-_-{accountId}", false],
    ["trelica*{accountId}", false],
    ["trelica:{accountId}", false],
    ["!trelica-{accountId}", false],
    ["trelica-{accountId}!", false],
    ["trelica-{accountId}-{accountId}", false],
    ["trelica", false],
  ])("GIVEN the workspace name pattern %s THEN owning only its own workspaces is %s", (pattern, owns) => {
    expect(ownsItsWorkspaces(pattern)).toBe(owns);
  });

  test("GIVEN workspace tags with a bad key and too many THEN each is named, the key's under its own path", () => {
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`t${index}`, "v"]));
    const problems = problemsOf(cloud({}, { workspace: { tags: { ...tags, "aws:bad": "v" } } }));
    expect(problems.some((problem) => problem.startsWith("terraformCloud.workspace.tags.aws:bad: "))).toBe(true);
    expect(problems.some((problem) => problem.startsWith("terraformCloud.workspace.tags: "))).toBe(true);
  });

  test("GIVEN a VCS working directory THEN it must hold {accountId} and be relative", () => {
    const vcs = (workingDirectory: string) => cloud({}, { vcs: { identifier: "acme/stacks", githubAppInstallationId: "ghain-Xyz789", workingDirectory } });
    const refused = "a folder relative to the repository's root containing {accountId}, so each workspace runs its own account's stack";
    expect(problemsOf(vcs("/cdktf.out/stacks/trelica-{accountId}"))).toEqual([`terraformCloud.vcs.workingDirectory: got "/cdktf.out/stacks/trelica-{accountId}"; expected ${refused}`]);
    expect(problemsOf(vcs("cdktf.out/stacks"))).toEqual([`terraformCloud.vcs.workingDirectory: got "cdktf.out/stacks"; expected ${refused}`]);
    const file = writeFile(dir, `config-${counter++}.json`, JSON.stringify(vcs("stacks/trelica-{accountId}/")));
    expect(loadConfig(file).config.terraformCloud?.vcs?.workingDirectory).toBe("stacks/trelica-{accountId}/");
  });
});

describe("semantics on input of the wrong shape", () => {
  test("GIVEN accounts that are not maps THEN no crash and nothing of these checks", () => {
    expect(semanticProblems({ accounts: [null, "111111111111", 5], region: "us-east-1" })).toEqual([]);
  });

  test("GIVEN workspace tags on a backend that is not cloud THEN the tag check is left to the backend's own", () => {
    expect(semanticProblems({ accounts: [{ id: MANAGEMENT }], backend: { type: "s3", workspaceTags: ["trelica"] } })).toEqual([]);
    expect(semanticProblems({ accounts: [{ id: MANAGEMENT }], backend: { type: "cloud", workspaceTags: ["trelica"] } })).toEqual([
      expect.stringMatching(/^backend\.workspaceTags: got \["trelica"\]; expected at least one tag containing \{accountId\}/),
    ]);
  });

  test("GIVEN regions that look like GovCloud's or China's but are none THEN no partition problem (the schema reports them)", () => {
    const boundary = { permissionsBoundaryArn: "arn:aws:iam::111111111111:policy/Ceiling" };
    for (const region of ["us-gov-nowhere-1", "cn-nowhere-1"]) {
      expect(semanticProblems({ region, accounts: [{ id: MANAGEMENT, region }], role: boundary })).toEqual([]);
    }
    expect(semanticProblems({ region: "us-gov-west-1", accounts: [{ id: MANAGEMENT }], role: boundary })).toEqual([
      expect.stringMatching(/^region: got "us-gov-west-1", a region of the aws-us-gov partition, and no trelicaAccountId/),
      'role.permissionsBoundaryArn: got "arn:aws:iam::111111111111:policy/Ceiling", an ARN of the aws partition; expected one of the aws-us-gov partition, where the role is (region us-gov-west-1)',
    ]);
  });
});

describe("the small readers", () => {
  test("GIVEN an accounts file that cannot be read, is not JSON, or has the wrong shape THEN no accounts, and the problem", () => {
    const missing = readAccountsFile(`${dir}/none.json`);
    expect(missing.accounts).toEqual([]);
    expect(missing.problems).toHaveLength(1);
    for (const text of ["{", '{"Accounts": 5}']) {
      const read = readAccountsFile(writeFile(dir, `accounts-${counter++}.json`, text));
      expect(read.accounts).toEqual([]);
      expect(read.problems).toHaveLength(1);
    }
  });

  test("GIVEN an account without State or Status THEN the field is asked for; with either THEN read", () => {
    const file = writeFile(dir, `accounts-${counter++}.json`, JSON.stringify({ Accounts: [{ Id: MANAGEMENT }, { Id: "222222222222", Status: "ACTIVE" }] }));
    expect(readAccountsFile(file).problems).toEqual([
      `accountsFile (${file}) Accounts[0]: got {"Id":"111111111111"}; expected a State (or, in exports before September 2026, a Status) field`,
    ]);
    const good = writeFile(dir, `accounts-${counter++}.json`, JSON.stringify({ Accounts: [{ Id: "222222222222", Status: "ACTIVE" }] }));
    expect(readAccountsFile(good)).toEqual({ accounts: [{ id: "222222222222", state: "ACTIVE" }], problems: [] });
  });

  test("GIVEN a boundary the parser does not read, or one of AWS's THEN it passes through as given", () => {
    expect(boundaryProps("not-an-arn", MANAGEMENT)).toEqual({ permissionsBoundaryArn: "not-an-arn" });
    expect(boundaryProps("arn:aws:iam::aws:policy/ReadOnlyAccess", MANAGEMENT)).toEqual({ permissionsBoundaryArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" });
    expect(boundaryProps(undefined, MANAGEMENT)).toStrictEqual({});
  });

  test("GIVEN a source with no data or none that is a map THEN the refusal says what the file holds", () => {
    const problemsFor = (data: unknown) => refusalOf(() => validateConfig({ file: "c.yaml", data, numberText: new Map() }), "expected a refusal").problems;
    const expected = "expected the settings as `key: value` lines, at least `trelicaOrganizationId` and one account (see docs/configuration.md)";
    expect(problemsFor(undefined)).toEqual([`got an empty file; ${expected}`]);
    expect(problemsFor(null)).toEqual([`got an empty file; ${expected}`]);
    expect(problemsFor("word")).toEqual([`got "word" at the top level; ${expected}`]);
  });
});

describe("config files the YAML and JSON readers refuse, in the user's words", () => {
  const summaryAndProblems = (name: string, text: string) => {
    const file = writeFile(dir, name, text);
    const error = refusalOf(() => loadConfig(file), "expected the config to be refused, but it loaded");
    return [error.summary.replace(file, "<file>"), ...error.problems];
  };

  test("GIVEN a JSON file of only blank lines THEN it is empty, as in YAML", () => {
    expect(summaryAndProblems(`blank-${counter++}.json`, "\n  \n\t\n")).toEqual([
      "Config file <file> has 1 problem; nothing was written:",
      "got an empty file; expected the settings as `key: value` lines, at least `trelicaOrganizationId` and one account (see docs/configuration.md)",
    ]);
  });

  test("GIVEN JSON nested deeper than the scan can follow THEN not valid JSON, without a place", () => {
    expect(summaryAndProblems(`deep-${counter++}.json`, "[".repeat(200_000))).toEqual(["Config file <file> is not valid JSON"]);
  });

  test("GIVEN a JSON config on one long line THEN the part around the mistake is quoted, cut where marked", () => {
    const accounts = Array.from({ length: 30 }, (_, index) => `{"id": "${String(100000000000 + index)}"}`).join(", ");
    const text = `{"trelicaOrganizationId": "org-42", "accounts": [${accounts}, {"id": "999999999999",}, ${accounts}]}`;
    const [summary] = summaryAndProblems(`long-${counter++}.json`, text);
    const column = text.indexOf(",}") + 2;
    expect(summary).toBe(`Config file <file> is not valid JSON at line 1, column ${column}, in \`...${text.slice(column - 61, column + 59)}...\`: a comma before }; JSON allows none after the last entry`);
  });

  test("GIVEN YAML nested deeper than the parser can follow, on one line THEN the message stays short", () => {
    const [summary, problem, ...rest] = summaryAndProblems(`deep-${counter++}.yaml`, `a: ${"[".repeat(200_000)}`);
    expect([summary, rest]).toEqual(["Config file <file> is not valid YAML:", []]);
    expect(problem).toMatch(/^line 1, column \d+: .*, in `\.\.\.\[{120}\.\.\.`$/);
    expect(problem.length).toBeLessThan(300);
  });

  test("GIVEN two YAML mistakes on one line THEN only the first; an indented line THEN quoted without its indent", () => {
    expect(summaryAndProblems(`twice-${counter++}.yaml`, "x: [ } ]\n")).toEqual(["Config file <file> is not valid YAML:", expect.stringMatching(/^line 1, column \d+: /)]);
    const [, ...problems] = summaryAndProblems(`indented-${counter++}.yaml`, "a: 1\n  b: 2: 3\n");
    expect(problems).toHaveLength(2);
    expect(problems[1]).toMatch(/^line 2, column \d+: .*, in `b: 2: 3`$/);
  });

  test.each([
    ["a key followed by spaces", 'trelicaOrganizationId: "a"\nname : x\nname : y\n', "line 3, column 1: key name appears"],
    ["a double-quoted key holding a colon", 'x: 1\n"a:b": 1\n"a:b": 2\n', 'line 3, column 1: key "a:b" appears'],
    ["a single-quoted key holding a comma", "x: 1\n'a,b': 1\n'a,b': 2\n", "line 3, column 1: key 'a,b' appears"],
  ])("GIVEN a duplicated YAML key, %s THEN the key is named as written", (_given, text, start) => {
    const [, problem] = summaryAndProblems(`duplicate-${counter++}.yaml`, text);
    expect(problem).toBe(`${start} a second time in the same map; expected each key once (one of the two would be ignored)`);
  });
});

describe("zod's issues in our words, on a schema of the test's own", () => {
  const root = z.strictObject({
    list: z.array(z.strictObject({ name: z.string() })).optional(),
    map: z.record(z.string(), z.number()).optional(),
    wrapped: z.strictObject({ inner: z.string() }).readonly().optional(),
    backend: z.discriminatedUnion("type", [z.strictObject({ type: z.literal("a"), onlyA: z.string() }), z.strictObject({ type: z.literal("b") })]).optional(),
    byEnum: z.discriminatedUnion("kind", [z.strictObject({ kind: z.enum(["x"]), x: z.string() })]).optional(),
  }) as unknown as core.$ZodType;
  const issue = (fields: Record<string, unknown>) => ({ path: [], input: undefined, message: UNWORDED, ...fields }) as unknown as core.$ZodIssue;

  test("GIVEN a path the schema has THEN what it accepts and the keys there, through lists, maps, wrappers and the chosen option", () => {
    expect(accepts(root, ["list", 3, "name"], {}, "x")).toBe(true);
    expect(accepts(root, ["list", 3, "name"], {}, 5)).toBe(false);
    expect(accepts(root, ["map", "any"], { map: {} }, 5)).toBe(true);
    expect(allowedKeysAt(root, ["list", 0], {})).toEqual(["name"]);
    expect(allowedKeysAt(root, ["wrapped"], {})).toEqual(["inner"]);
    expect(allowedKeysAt(root, ["backend"], { backend: { type: "a" } })).toEqual(["type", "onlyA"]);
    expect(accepts(root, ["backend", "onlyA"], { backend: { type: "a" } }, "x")).toBe(true);
  });

  test("GIVEN a path the schema lacks, or an option nobody chose THEN nothing is accepted, no keys, and nothing thrown", () => {
    for (const [path, data] of [[["nope"], {}], [["nope", 0], {}], [["nope", "deeper"], {}], [["backend", "onlyA"], {}], [["backend", "onlyA"], { backend: { type: "c" } }], [["byEnum", "x"], { byEnum: { kind: "x" } }]] as const) {
      expect(accepts(root, path, data, "x")).toBe(false);
      expect(allowedKeysAt(root, path, data)).toEqual([]);
    }
  });

  test("GIVEN an issue without words of its own THEN a map's keys, else the safety net", () => {
    expect(allowedText(issue({ code: "invalid_type", expected: "object", path: ["list", 0] }), root, {})).toBe("a map with the keys name");
    for (const other of [issue({ code: "invalid_type", expected: "string" }), issue({ code: "too_small", origin: "array", minimum: 1 })]) {
      expect(allowedText(other, root, {})).toBe("a value as docs/configuration.md describes it");
    }
    expect(allowedText(issue({ code: "invalid_type", expected: "object", message: "a map of tags" }), root, {})).toBe("a map of tags");
  });

  test("GIVEN a value near one choice THEN it is suggested; the value itself, one far away or choices that are not text THEN nothing", () => {
    expect(didYouMean(issue({ code: "invalid_value", values: [1, "stackset", true] }), "stackst")).toBe(". Did you mean `stackset`?");
    expect(didYouMean(issue({ code: "custom", params: { choices: ["us-east-1"] } }), "us-east-1")).toBe("");
    expect(didYouMean(issue({ code: "invalid_union", options: ["stackset"] }), "stackst")).toBe(". Did you mean `stackset`?");
    expect(didYouMean(issue({ code: "invalid_type", params: { choices: ["stackset"] } }), "stackst")).toBe("");
    expect(didYouMean(issue({ code: "invalid_value", values: ["stackset"] }), "zzzzzzzzzz")).toBe("");
  });
});
