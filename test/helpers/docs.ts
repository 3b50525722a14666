/*
 * Reading the Markdown documentation for the drift tests (test/docs.test.ts): its tables, its links and
 * the anchors its headings make, as GitHub renders them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigKey } from "./config-keys";
import { PROJECT_ROOT } from "./files";

/** README.md and every page under docs/, relative to the project root. */
export function docFiles(): string[] {
  return ["README.md", ...fs.readdirSync(path.join(PROJECT_ROOT, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)].sort();
}

export const readDoc = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");

/** The text without fenced code blocks, whose brackets and pipes are not Markdown. */
const withoutCode = (text: string) => text.replace(/^```[\s\S]*?^```/gm, "");

export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

const cellsOf = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, "")
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());

export function tablesIn(text: string): Table[] {
  const tables: Table[] = [];
  const lines = withoutCode(text).split("\n");
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].startsWith("|") || !/^\|\s*:?-{3}/.test(lines[i + 1])) continue;
    const header = cellsOf(lines[i]);
    const rows: string[][] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j].startsWith("|"); j++) rows.push(cellsOf(lines[j]));
    tables.push({ header, rows });
    i = j;
  }
  return tables;
}

/** The backticked names in a cell: `a.b`, `c` -> ["a.b", "c"]. */
export const codeIn = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]);

/** GitHub's anchor for a heading: lower case, formatting and punctuation dropped, spaces as hyphens. */
export function slug(heading: string): string {
  return heading
    .replace(/[`*_]/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .replace(/\s/g, "-");
}

export function anchorsIn(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of withoutCode(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(match[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Relative links of a Markdown file that do not resolve: a missing file, or an anchor no heading makes. */
export function brokenLinks(file: string, text = readDoc(file)): string[] {
  const broken: string[] = [];
  for (const match of withoutCode(text).matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
    const target = match[1];
    if (/^[a-z][a-z+.-]*:/i.test(target)) continue;
    const [pathPart, anchor] = target.split("#");
    const resolved = pathPart ? path.join(path.dirname(path.join(PROJECT_ROOT, file)), pathPart) : path.join(PROJECT_ROOT, file);
    if (!fs.existsSync(resolved)) {
      broken.push(`${file}: ${target} (no such file)`);
      continue;
    }
    if (anchor !== undefined && resolved.endsWith(".md") && !anchorsIn(fs.readFileSync(resolved, "utf8")).has(anchor)) {
      broken.push(`${file}: ${target} (no heading makes #${anchor})`);
    }
  }
  return broken;
}

/** The tables of a config doc whose first column is `key`. */
const keyTables = (text: string) => tablesIn(text).filter((table) => table.header[0] === "key" && table.header[1] === "default");

/**
 * What is wrong between the config schema's keys and a doc's key tables: a key with no row, a row
 * naming no key, a default the schema has and the row does not say.
 */
export function configDocProblems(keys: readonly ConfigKey[], file: string, text = readDoc(file)): string[] {
  const rows = keyTables(text).flatMap((table) => table.rows.map((row) => ({ keys: codeIn(row[0]), defaultCell: row[1] ?? "" })));
  const documented = new Map(rows.flatMap((row) => row.keys.map((key) => [key, row] as const)));
  const known = new Set(keys.map((key) => key.path));
  const problems: string[] = [];
  for (const key of keys) {
    const row = documented.get(key.path);
    if (!row) {
      problems.push(`${file}: no row for \`${key.path}\` (a key of the config schema): add one to its table`);
      continue;
    }
    const scalar = typeof key.default === "string" || typeof key.default === "number" || typeof key.default === "boolean";
    if (scalar && !codeIn(row.defaultCell).includes(String(key.default))) {
      problems.push(`${file}: \`${key.path}\`'s default is \`${String(key.default)}\` in the schema, the row says "${row.defaultCell}"`);
    }
  }
  for (const key of documented.keys()) if (!known.has(key)) problems.push(`${file}: a row for \`${key}\`, which is no key of the config schema`);
  return problems;
}

/** The long options (`--name`) a command's --help lists, --help itself left out. */
export function optionsInHelp(help: string): string[] {
  return [...help.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((match) => match[1]).filter((option) => option !== "--help");
}

/** The long options named in the first column of a doc's `option` tables. */
export function optionsInDoc(text: string): string[] {
  return tablesIn(text)
    .filter((table) => table.header[0] === "option")
    .flatMap((table) => table.rows.flatMap((row) => [...row[0].matchAll(/--[\w-]+/g)].map((match) => match[0])))
    .filter((option) => option !== "--help");
}
