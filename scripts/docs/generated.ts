/*
 * The parts of the documentation that restate code, rendered from it (as terraform-docs keeps module
 * READMEs true). Each lives in its file between `<!-- generated: NAME (npm run docs) -->` and
 * `<!-- end generated: NAME -->`; `npm run docs` rewrites them and test/docs.test.ts fails when one is stale.
 * To add one: a renderer below and the two marker lines in the file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { TRELICA_SERVICES } from "../../modules/trelica-integration/services";
import { EXIT_CODES } from "../../rollout/report/exit-codes";
import { FAILURE_KINDS } from "../../rollout/terraform/transient";
import { verifyPolicy } from "../../app/deployer/verify-role";
import { committedReports, describe as describeSurvivor, explained, survivorsOf } from "../../test/mutation/survivors";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

export interface GeneratedBlock {
  /** Relative to the project root. */
  readonly file: string;
  readonly name: string;
  readonly render: () => string;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (text: string) => (text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``);

function servicesTable(): string {
  const rows = Object.entries(TRELICA_SERVICES).map(([flag, service]) => `| \`${flag}\` | ${service.title} | ${service.actions.map((action) => `\`${action}\``).join(", ")} |`);
  return ["| flag | service | actions |", "| --- | --- | --- |", ...rows].join("\n");
}

function exitCodesTable(): string {
  const rows = Object.values(EXIT_CODES)
    .sort((a, b) => a.code - b.code)
    .map(({ code: exit, meaning }) => `| ${exit} | ${cell(meaning)} |`);
  return ["| exit code | meaning |", "| --- | --- |", ...rows].join("\n");
}

function failureHints(): string {
  const rows = FAILURE_KINDS.map((kind) => `| ${cell(code(kind.pattern.source))} | ${kind.transient ? "yes" : "no"} | ${cell(kind.hint ?? "")} |`);
  return ["| terraform's output matches | retried | what to do |", "| --- | --- | --- |", ...rows].join("\n");
}

interface MessageRowData {
  readonly given: string;
  readonly message: string;
}

/** Every message of the message table (test/fixtures/messages.yaml), grouped by its sections. */
function everyMessage(): string {
  const file = path.join(PROJECT_ROOT, "test", "fixtures", "messages.yaml");
  const text = fs.readFileSync(file, "utf8");
  const rows = parseYaml(text) as MessageRowData[];
  // The file's `# ---- section` comments, in order, each before the first row of its section.
  const sectionAt = new Map<number, string>();
  let index = -1;
  for (const line of text.split("\n")) {
    const section = /^# ---- (.*)$/.exec(line);
    if (section) sectionAt.set(index + 1, section[1]);
    if (line.startsWith("- given:")) index++;
  }
  const out: string[] = [];
  rows.forEach((row, i) => {
    const section = sectionAt.get(i);
    if (section) out.push(`${out.length > 0 ? "\n" : ""}### ${section.replace(/ \(.*\)$/, "")}\n`);
    // One problem under the line that says what it is about (a config file, props, a command line): the problem is what to search for.
    const [head, only, ...more] = row.message.split("\n");
    if (only?.startsWith("  - ") && more.length === 0 && /:$/.test(head)) out.push(`- ${row.given}: ${code(only.slice(4))}`);
    else if (!row.message.includes("\n")) out.push(`- ${row.given}: ${code(row.message)}`);
    else out.push(`- ${row.given}:`, "", "  ```", ...row.message.split("\n").map((line) => `  ${line}`), "  ```", "");
  });
  return out.join("\n");
}

/**
 * Every mutant `npm run test:mutation` leaves alive, from the committed incremental results, with why it
 * is accepted (test/mutation/accepted.js). A survivor without a reason, or a reason without a survivor,
 * is an error: the list cannot fall behind a run.
 */
function mutationSurvivors(): string {
  const { listed, unexplained, unused } = explained(survivorsOf(committedReports()));
  if (unexplained.length > 0 || unused.length > 0) {
    throw new Error(
      [
        ...unexplained.map((survivor) => `no reason in test/mutation/accepted.js for ${describeSurvivor(survivor)}`),
        ...unused.map((entry) => `test/mutation/accepted.js: no survivor is ${entry.file} ${entry.mutator} \`${entry.code}\``),
      ].join("\n"),
    );
  }
  const short = (text: string) => (text.length > 90 ? `${text.slice(0, 89)}…` : text);
  const rows = listed.map(
    (survivor) => `| ${survivor.file}:${survivor.line} | ${survivor.mutator}${survivor.status === "NoCoverage" ? " (no test runs it)" : ""}: ${cell(code(short(survivor.original)))} → ${cell(code(short(survivor.replacement)))} | ${cell(survivor.reason)} |`,
  );
  return [`${listed.length} survivors, each accepted:`, "", "| where | mutant | why it is accepted |", "| --- | --- | --- |", ...rows].join("\n");
}

export const GENERATED_BLOCKS: readonly GeneratedBlock[] = [
  { file: "README.md", name: "services", render: servicesTable },
  { file: "docs/rollout.md", name: "exit-codes", render: exitCodesTable },
  { file: "docs/troubleshooting.md", name: "failure-hints", render: failureHints },
  { file: "docs/troubleshooting.md", name: "messages", render: everyMessage },
  { file: "docs/development.md", name: "mutation-survivors", render: mutationSurvivors },
  { file: "docs/verify.md", name: "verify-policy", render: () => ["```json", JSON.stringify(verifyPolicy("aws", "<account-id>"), null, 2), "```"].join("\n") },
];

const START = (name: string) => `<!-- generated: ${name} (npm run docs) -->`;
const END = (name: string) => `<!-- end generated: ${name} -->`;

/** The file's text with the block rendered anew; an error when its markers are missing. */
export function withBlock(text: string, block: GeneratedBlock): string {
  const start = text.indexOf(START(block.name));
  const end = text.indexOf(END(block.name));
  if (start < 0 || end < start) throw new Error(`${block.file}: no "${START(block.name)}" ... "${END(block.name)}" markers`);
  return `${text.slice(0, start)}${START(block.name)}\n${block.render()}\n${text.slice(end)}`;
}

/** Blocks whose text differs from what the code renders now. */
export function staleBlocks(blocks: readonly GeneratedBlock[] = GENERATED_BLOCKS): string[] {
  return blocks.filter((block) => {
    const text = fs.readFileSync(path.join(PROJECT_ROOT, block.file), "utf8");
    return withBlock(text, block) !== text;
  }).map((block) => `${block.file}: ${block.name}`);
}

export function updateDocs(blocks: readonly GeneratedBlock[] = GENERATED_BLOCKS): string[] {
  const updated: string[] = [];
  for (const block of blocks) {
    const file = path.join(PROJECT_ROOT, block.file);
    const text = fs.readFileSync(file, "utf8");
    const next = withBlock(text, block);
    if (next !== text) {
      fs.writeFileSync(file, next);
      updated.push(`${block.file}: ${block.name}`);
    }
  }
  return updated;
}
