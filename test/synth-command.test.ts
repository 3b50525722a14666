/* `npm run synth`: our app run directly, without the cdktf CLI, writing exactly what `cdktf synth` writes. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { cdktfSynth, testWithCdktfCli } from "./helpers/cdktf-cli";
import { filesUnder, PROJECT_ROOT, tempDir, writeFile } from "./helpers/files";
import { writeAccountsFile } from "./helpers/organization";

const dir = tempDir("trelica-synth-command-");

function synth(args: string[], env: NodeJS.ProcessEnv = {}) {
  const environment = { ...process.env, ...env };
  delete environment.TRELICA_CONFIG;
  delete environment.CDKTF_OUTDIR;
  return spawnSync(process.execPath, ["-r", "sucrase/register", path.join(PROJECT_ROOT, "main.ts"), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...environment, ...env },
    encoding: "utf8",
  });
}

writeAccountsFile(dir, "accounts.json", [
  { Id: "111111111111", Name: "management", State: "ACTIVE" },
  ...Array.from({ length: 6 }, (_, i) => ({ Id: String(200000000001 + i), Name: `member-${i}`, State: i === 5 ? "SUSPENDED" : "ACTIVE" })),
]);
const overrides = writeFile(
  dir,
  "org.yaml",
  `trelicaOrganizationId: "org-direct"
accountsFile: accounts.json
role: { tags: { team: it } }
accounts:
  - id: "200000000001"
    region: eu-west-2
    services: { connect: true }
  - id: "200000000002"
    adoptExisting: true
    policyName: HandMade
`,
);

describe("npm run synth (no cdktf CLI)", () => {
  testWithCdktfCli.each([
    ["the shipped example", path.join(PROJECT_ROOT, "trelica.config.yaml")],
    ["an Organization with per-account overrides", overrides],
  ])("GIVEN %s THEN it writes byte for byte what `cdktf synth` writes", (_name, config) => {
    const direct = path.join(dir, `direct-${path.basename(config)}`);
    const viaCli = path.join(dir, `cli-${path.basename(config)}`);
    const run = synth(["--config", config, "--output", direct]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const cli = cdktfSynth(config, viaCli);
    expect(cli.status).toBe(0);
    const expected = filesUnder(viaCli);
    expect(Object.keys(expected).length).toBeGreaterThan(3);
    expect(filesUnder(direct)).toEqual(expected);
  });

  test("GIVEN --help THEN it names every flag and the environment variables it reads, with an example", () => {
    const help = synth(["--help"]);
    expect(help.status).toBe(0);
    for (const text of ["--config <file>", "--output <dir>", "--version", "TRELICA_CONFIG", "CDKTF_OUTDIR", "--print-management-policy", "Examples:"]) expect(help.stdout).toContain(text);
  });

  test("GIVEN TRELICA_CONFIG and CDKTF_OUTDIR THEN they stand in for --config and --output", () => {
    const out = path.join(dir, "from-env");
    const run = synth([], { TRELICA_CONFIG: overrides, CDKTF_OUTDIR: out });
    expect(run.status).toBe(0);
    expect(fs.existsSync(path.join(out, "stacks", "trelica-200000000001", "cdk.tf.json"))).toBe(true);
  });

  test("GIVEN a mistyped flag THEN one line names it, suggests the flag and points to --help, exit 1, no stack trace", () => {
    const run = synth(["--confg", overrides]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe("--confg: unknown option. Did you mean --config? Allowed: --config, --output, --print-management-policy, --version, --help; see npm run synth -- --help");
  });
});
