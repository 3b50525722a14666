import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Node as YamlNode } from "yaml";
import { UserError } from "../../common/errors";
import { jsonSyntaxError } from "./json-syntax";

/** A parsed config file, with the original text of every number so messages can quote it. */
export interface ConfigSource {
  readonly file: string;
  readonly data: unknown;
  /** Source text of numeric scalars by field path (e.g. `accounts[0].id` → `012345678901`). */
  readonly numberText: ReadonlyMap<string, string>;
}

export function formatPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out === "" ? "(top level)" : out;
}

/** A file's text, or why it cannot be had, in words for the user. */
export function readText(file: string): { text: string } | { reason: string } {
  try {
    return { text: fs.readFileSync(file, "utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { reason: code === "ENOENT" ? "the file does not exist" : `it cannot be read (${code ?? String(error)})` };
  }
}

export function readConfigSource(file: string): ConfigSource {
  const read = readText(file);
  if ("reason" in read) throw new UserError(`Config file ${file}: ${read.reason}; expected a YAML or JSON config file, named by --config or TRELICA_CONFIG`);
  return path.extname(file).toLowerCase() === ".json" ? parseJson(file, read.text) : parseYaml(file, read.text);
}

function parseJson(file: string, text: string): ConfigSource {
  // An empty file is said to be empty, as in YAML, not "not valid JSON".
  if (text.trim() === "") return { file, data: null, numberText: new Map() };
  try {
    return { file, data: JSON.parse(text), numberText: new Map() };
  } catch {
    throw new UserError(`Config file ${file} is not valid JSON${jsonErrorPlace(text)}`);
  }
}

/**
 * Where JSON text goes wrong and why, as " at line L, column C, in `<that line>`: <what is wrong>"
 * (app/config/parse/json-syntax.ts), never the engine's wording.
 */
export function jsonErrorPlace(text: string): string {
  const found = jsonSyntaxError(text);
  if (!found) return ""; // JSON.parse and the scan disagree: not seen; the caller's words still stand.
  const at = new LineCounter();
  parseDocument(text, { lineCounter: at });
  const place = at.linePos(found.offset);
  const line = around(text.split(/\r?\n/)[place.line - 1], place.col);
  return ` at line ${place.line}, column ${place.col}${line ? `, in \`${line}\`` : ""}: ${found.problem}`;
}

/** Past this many characters, a line is quoted as the part around the column (a JSON config on one line). */
const QUOTED_LINE = 120;

/** The line without its indent, or, when long, the part of it around `column` (1-based), with "..." where cut. */
function around(line = "", column: number): string {
  const text = line.trim();
  if (text.length <= QUOTED_LINE) return text;
  const at = column - 1 - (line.length - line.trimStart().length);
  const start = Math.min(Math.max(0, at - QUOTED_LINE / 2), text.length - QUOTED_LINE);
  return `${start > 0 ? "..." : ""}${text.slice(start, start + QUOTED_LINE)}${start + QUOTED_LINE < text.length ? "..." : ""}`;
}

function parseYaml(file: string, text: string): ConfigSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const lines = text.split(/\r?\n/);
    const seen = new Set<number>();
    const problems = doc.errors.flatMap((error) => {
      const at = lineCounter.linePos(error.pos[0]);
      // One mistake often trips the parser several times on its line: the first says it best.
      if (seen.has(at.line)) return [];
      seen.add(at.line);
      if (error.code === "DUPLICATE_KEY") {
        const key = /^("[^"]*"|'[^']*'|[^:,{}[\]]*)/.exec(text.slice(error.pos[0]))![1].trim();
        return [`line ${at.line}, column ${at.col}: key ${key} appears a second time in the same map; expected each key once (one of the two would be ignored)`];
      }
      const source = around(lines[at.line - 1], at.col);
      return [`line ${at.line}, column ${at.col}: ${error.message.split("\n")[0]}${source ? `, in \`${source}\`` : ""}`];
    });
    throw new UserError(`Config file ${file} is not valid YAML:`, problems);
  }
  const numberText = new Map<string, string>();
  collectNumberText(doc.contents, [], text, numberText);
  return { file, data: doc.toJS(), numberText };
}

function collectNumberText(node: unknown, at: PropertyKey[], text: string, out: Map<string, string>): void {
  if (isScalar(node)) {
    if (typeof node.value === "number" && node.range) out.set(formatPath(at), text.slice(node.range[0], node.range[1]));
  } else if (isMap(node)) {
    for (const pair of node.items) {
      if (isPair(pair) && isScalar(pair.key)) collectNumberText(pair.value, [...at, String(pair.key.value)], text, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item: unknown, index: number) => collectNumberText(item as YamlNode, [...at, index], text, out));
  }
}
