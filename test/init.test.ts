/* npm run init: a user's own config from flags, validated before it is written, never over a file unasked. */
import * as fs from "node:fs";
import * as path from "node:path";
import { initCommand } from "../app/commands/init-command";
import { loadConfig } from "../app/config/load";
import { synthesizeOrganization } from "../app/commands/organization-app";
import { tempDir, writeFile } from "./helpers/files";
import { listAccountsJson } from "./helpers/organization";

const dir = tempDir("trelica-init-");
const CI = "arn:aws:iam::111111111111:role/platform-ci";

describe("npm run init", () => {
  test("GIVEN an organization ID, an accounts file and the deployer's flags THEN it writes a config with the deployer that loads and synthesizes with no warning, and says what to run next", () => {
    const folder = path.join(dir, "ok");
    writeFile(folder, "accounts.json", listAccountsJson([{ Id: "111111111111", State: "ACTIVE" }, { Id: "022222222222", State: "ACTIVE" }]));
    const said = initCommand(
      ["--organization-id", "org-7f3a", "--accounts-file", "accounts.json", "--management-account", "111111111111", "--deployer-principal", CI, "--deployer-ou", "r-ab12"],
      folder,
    );
    expect(said).toBe(
      "Wrote ./trelica.local.yaml. Next: npm run synth -- --config ./trelica.local.yaml (or export TRELICA_CONFIG=./trelica.local.yaml), then npm run rollout -- plan --config ./trelica.local.yaml",
    );
    const file = path.join(folder, "trelica.local.yaml");
    expect(loadConfig(file).config).toMatchObject({
      trelicaOrganizationId: "org-7f3a",
      accountsFile: "accounts.json",
      managementAccountId: "111111111111",
      deployment: { deployer: { roleName: "TrelicaDeployer", trustedPrincipalArns: [CI], organizationalUnitIds: ["r-ab12"] } },
    });
    expect(loadConfig(file).config.deployment.assumeRoleName).toBeUndefined();
    const lines: string[] = [];
    synthesizeOrganization(file, { outdir: path.join(folder, "out"), log: (line) => lines.push(line) });
    expect(lines[0]).toMatch(/^trelica: 2 account stacks from /);
    expect(lines[1]).toMatch(/^trelica: 1 deployer stack \(trelica-deployer\)/);
    expect(lines.filter((line) => line.startsWith("Warning:"))).toEqual([]);
  });

  test("GIVEN --accounts-file typed from the current folder and --output in another folder THEN the config names the same file relative to itself", () => {
    const folder = path.join(dir, "elsewhere");
    writeFile(folder, "org/accounts.json", listAccountsJson([{ Id: "111111111111", State: "ACTIVE" }, { Id: "022222222222", State: "ACTIVE" }]));
    initCommand(
      ["--organization-id", "org-7f3a", "--accounts-file", "org/accounts.json", "--management-account", "111111111111", "--deployer-principal", CI, "--deployer-ou", "r-ab12", "--output", "deploy/trelica.yaml"],
      folder,
    );
    const file = path.join(folder, "deploy", "trelica.yaml");
    expect(fs.readFileSync(file, "utf8")).toContain('accountsFile: "../org/accounts.json"');
    expect(loadConfig(file).config.accountsFile).toBe("../org/accounts.json");
    const lines: string[] = [];
    synthesizeOrganization(file, { outdir: path.join(folder, "out"), log: (line) => lines.push(line) });
    expect(lines[0]).toMatch(/^trelica: 2 account stacks from /);
  });

  test("GIVEN --administrator-access THEN the config says so, and synth reaches members through OrganizationAccountAccessRole with no warning", () => {
    const folder = path.join(dir, "administrator");
    initCommand(["--organization-id", "org-7f3a", "--management-account", "111111111111", "--account", "111111111111,022222222222", "--administrator-access"], folder);
    const file = path.join(folder, "trelica.local.yaml");
    expect(loadConfig(file).config.deployment).toEqual({ administratorAccess: true });
    const lines: string[] = [];
    synthesizeOrganization(file, { outdir: path.join(folder, "out"), log: (line) => lines.push(line) });
    expect(lines.filter((line) => line.startsWith("Warning:"))).toEqual([]);
  });

  test("GIVEN only the management account THEN no deployer is needed nor written (no member is reached)", () => {
    const folder = path.join(dir, "management-only");
    initCommand(["--organization-id", "org-7f3a", "--management-account", "111111111111", "--account", "111111111111"], folder);
    expect(fs.readFileSync(path.join(folder, "trelica.local.yaml"), "utf8")).not.toContain("deployment");
  });

  test("GIVEN the help THEN it says how to find the root ID", () => {
    let help = "";
    const write = jest.spyOn(process.stdout, "write").mockImplementation((text) => ((help += String(text)), true));
    const exit = jest.spyOn(process, "exit").mockImplementation(() => undefined as never);
    try {
      initCommand(["--help"], dir);
    } catch {
      // commander may throw after --help once exit is stubbed
    } finally {
      write.mockRestore();
      exit.mockRestore();
    }
    expect(help.replace(/\s+/g, " ")).toContain("aws organizations list-roots --query 'Roots[0].Id' --output text");
  });

  test("GIVEN account IDs with leading zeros THEN they are written quoted, and survive a YAML read", () => {
    const folder = path.join(dir, "quoted");
    initCommand(["--organization-id", "org-7f3a", "--account", "011111111111,022222222222", "--administrator-access"], folder);
    const text = fs.readFileSync(path.join(folder, "trelica.local.yaml"), "utf8");
    expect(text).toContain('- id: "011111111111"');
    expect(loadConfig(path.join(folder, "trelica.local.yaml")).config.accounts.map((account) => account.id)).toEqual(["011111111111", "022222222222"]);
  });

  test("GIVEN bad flags and an existing file THEN every problem in the flags' words at once, and nothing is written", () => {
    const folder = path.join(dir, "bad");
    const existing = writeFile(folder, "trelica.local.yaml", "mine\n");
    expect(() => initCommand(["--organization-id", "x", "--account", "12", "--region", "mars", "--administrator-access"], folder)).toThrow(
      [
        "npm run init: 4 problems; nothing was written:",
        "  - --output ./trelica.local.yaml: the file exists; expected a new file, or --force to replace it",
        '  - --organization-id (trelicaOrganizationId): got "x"; expected your Trelica organization ID (2 to 1224 characters of letters, digits and _+=,.@:/-)',
        '  - --region (region): got "mars"; expected an AWS region name such as us-east-1',
        '  - --account (accounts[0].id): got "12"; expected exactly 12 digits, as a string',
      ].join("\n"),
    );
    expect(fs.readFileSync(existing, "utf8")).toBe("mine\n");
  });

  test("GIVEN --force THEN an existing file is replaced", () => {
    const folder = path.join(dir, "force");
    writeFile(folder, "org.yaml", "old\n");
    initCommand(["--organization-id", "org-7f3a", "--management-account", "111111111111", "--account", "111111111111", "--output", "org.yaml", "--force"], folder);
    expect(loadConfig(path.join(folder, "org.yaml")).config.trelicaOrganizationId).toBe("org-7f3a");
  });
});
