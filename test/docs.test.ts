/*
 * The documentation cannot drift from the code: tables that restate code are generated from it
 * (npm run docs) or checked against it here, and every relative link resolves. To check a new table
 * (a new command's options, say), add a row to OPTION_TABLES or a block to scripts/docs/generated.ts.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { deployerSchema } from "../app/config/deployer";
import { configSchema } from "../app/config/schema";
import { EXIT_CODES } from "../rollout/report/exit-codes";
import { GENERATED_BLOCKS, staleBlocks, withBlock } from "../scripts/docs/generated";
import { explained, type Survivor } from "./mutation/survivors";
import { configKeys } from "./helpers/config-keys";
import { brokenLinks, configDocProblems, docFiles, optionsInDoc, optionsInHelp, readDoc, tablesIn } from "./helpers/docs";
import { PROJECT_ROOT } from "./helpers/files";

const CONFIG_DOC = "docs/configuration.md";

/** Each command whose --help lists options, and the doc whose `option` tables must list the same. */
const OPTION_TABLES = [
  { command: "npm run rollout", entry: "rollout/main.ts", doc: "docs/rollout.md" },
  { command: "npm run synth", entry: "main.ts", doc: "README.md" },
];

const helpOf = (entry: string) => {
  const run = spawnSync(process.execPath, ["-r", "sucrase/register", path.join(PROJECT_ROOT, entry), "--help"], { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, TRELICA_CONFIG: "" } });
  return `${run.stdout}${run.stderr}`;
};

describe("the docs restate the code exactly", () => {
  test("GIVEN the generated blocks (services, exit codes, failure hints, every message) THEN each is what the code renders now (else: npm run docs)", () => {
    expect(staleBlocks()).toEqual([]);
  });

  test("GIVEN the config schema THEN docs/configuration.md has a row for every key and none for a key that does not exist, with the schema's defaults", () => {
    expect(configDocProblems(configKeys(), CONFIG_DOC)).toEqual([]);
  });

  test.each(OPTION_TABLES)("GIVEN $command -- --help THEN $doc's option table lists exactly its options", ({ entry, doc }) => {
    const help = optionsInHelp(helpOf(entry));
    expect(help.length).toBeGreaterThan(1);
    expect([...new Set(optionsInDoc(readDoc(doc)))].sort()).toEqual([...new Set(help)].sort());
  });

  test("GIVEN rollout's exit codes THEN --help lists the same codes as the code and docs/rollout.md", () => {
    const help = helpOf("rollout/main.ts");
    const listed = [...help.slice(help.indexOf("Exit codes:")).matchAll(/^\s+(\d+)\s/gm)].map((match) => Number(match[1]));
    const codes = Object.values(EXIT_CODES).map((exit) => exit.code);
    expect([...listed].sort((a, b) => a - b)).toEqual([...codes].sort((a, b) => a - b));
    const table = tablesIn(readDoc("docs/rollout.md")).find((found) => found.header[0] === "exit code");
    expect(table?.rows.map((row) => Number(row[0]))).toEqual([...codes].sort((a, b) => a - b));
  });
});

describe("the docs hold together", () => {
  test.each(docFiles())("GIVEN %s THEN every relative link and #anchor resolves", (file) => {
    expect(brokenLinks(file)).toEqual([]);
  });

  test("GIVEN the example config's header THEN it points at the config reference, which exists", () => {
    const header = fs.readFileSync(path.join(PROJECT_ROOT, "trelica.config.yaml"), "utf8").split("\n")[0];
    expect(header).toContain(CONFIG_DOC);
    expect(fs.existsSync(path.join(PROJECT_ROOT, CONFIG_DOC))).toBe(true);
  });

  test("GIVEN the example config's comments THEN every page and section they point at exists", () => {
    const text = fs.readFileSync(path.join(PROJECT_ROOT, "trelica.config.yaml"), "utf8");
    const pointers = [...text.matchAll(/See ([\w./-]+\.md|README)(?:, "([^"]+)")?/g)].map(([, page, section]) => ({ page: page === "README" ? "README.md" : page, section }));
    expect(pointers.length).toBeGreaterThan(1);
    const missing = pointers.filter(({ page, section }) => {
      if (!fs.existsSync(path.join(PROJECT_ROOT, page))) return true;
      const headings = readDoc(page).split("\n").filter((line) => line.startsWith("#")).map((line) => line.replace(/^#+\s*/, "").replace(/`/g, ""));
      return section !== undefined && !headings.some((heading) => heading.startsWith(section));
    });
    expect(missing).toEqual([]);
  });

  test("GIVEN the README THEN it is a front page: at most 250 lines, with the set-up commands and a link to every page of docs/", () => {
    const readme = readDoc("README.md");
    expect(readme.split("\n").length).toBeLessThanOrEqual(250);
    for (const command of ["npm ci", "npm run synth", "npm test"]) expect(readme).toContain(command);
    const pages = docFiles().filter((file) => file.startsWith("docs/"));
    expect(pages.filter((page) => !readme.includes(`](${page})`))).toEqual([]);
  });

  test.each(docFiles().filter((file) => file.startsWith("docs/")))("GIVEN %s THEN it starts with who it is for", (file) => {
    expect(readDoc(file).split("\n").slice(0, 4).join("\n")).toMatch(/^# .+\n\n\*For [^*]+\*/);
  });
});

describe("the drift checks can fail", () => {
  test("GIVEN a config key added to the schema without its row THEN the check names it", () => {
    const extended = configSchema.extend({
      deployment: z.strictObject({
        assumeRoleName: z.string().optional(),
        deployer: deployerSchema.optional(),
        administratorAccess: z.boolean().optional(),
        canary: z.strictObject({ roleName: z.string().optional() }).optional(),
      }),
    });
    expect(configDocProblems(configKeys(extended), CONFIG_DOC)).toEqual([
      `${CONFIG_DOC}: no row for \`deployment.canary\` (a key of the config schema): add one to its table`,
      `${CONFIG_DOC}: no row for \`deployment.canary.roleName\` (a key of the config schema): add one to its table`,
    ]);
  });

  test("GIVEN a row for a key that is gone, and a default that differs THEN the check names both", () => {
    const doc = `| key | default | meaning |\n| --- | --- | --- |\n| \`region\` | \`eu-west-1\` | x |\n| \`regionn\` | none | x |\n`;
    expect(configDocProblems([{ path: "region", default: "us-east-1" }], "x.md", doc)).toEqual([
      'x.md: `region`\'s default is `us-east-1` in the schema, the row says "`eu-west-1`"',
      "x.md: a row for `regionn`, which is no key of the config schema",
    ]);
  });

  test("GIVEN a generated block edited by hand THEN it is stale; markers missing THEN rendering says so", () => {
    const [block] = GENERATED_BLOCKS;
    const text = readDoc(block.file);
    const edited = text.replace(block.render(), `${block.render()}\n| \`extra\` | hand-made | row |`);
    expect(edited).not.toEqual(text);
    expect(withBlock(edited, block)).toEqual(text);
    expect(() => withBlock("no markers", block)).toThrow(`${block.file}: no "<!-- generated: ${block.name} (npm run docs) -->"`);
  });

  test("GIVEN a mutation survivor without a reason, or a reason without a survivor THEN both are named; alike survivors share one reason", () => {
    const survivor = (line: number, original: string, lineText: string): Survivor => ({
      file: "app/config/load.ts", line, column: 5, status: "Survived", mutator: "StringLiteral", original, replacement: '"Stryker was here!"', lineText,
    });
    const reasons = [
      { file: "app/config/load.ts", mutator: "StringLiteral", code: '""', in: "groups.set", reason: "a group of one" },
      { file: "app/config/load.ts", mutator: "StringLiteral", code: '"x"', reason: "stale" },
    ];
    const { listed, unexplained, unused } = explained([survivor(73, '""', 'groups.set(problem, { field: "" })'), survivor(74, '""', 'groups.set(problem, { status: "" })'), survivor(80, '""', '.join("")')], reasons);
    expect(listed.map(({ line, reason }) => [line, reason])).toEqual([[73, "a group of one"], [74, "a group of one"]]);
    expect(unexplained.map(({ line }) => line)).toEqual([80]);
    expect(unused).toEqual([reasons[1]]);
  });

  test("GIVEN a link to a missing file or anchor THEN it is reported", () => {
    expect(brokenLinks("docs/rollout.md", "[a](nowhere.md) [b](configuration.md#no-such-heading) [c](configuration.md#top-level) [d](https://example.com)")).toEqual([
      "docs/rollout.md: nowhere.md (no such file)",
      "docs/rollout.md: configuration.md#no-such-heading (no heading makes #no-such-heading)",
    ]);
  });
});
