/*
 * The product's import graph, read with TypeScript's parser: every relative `import` and `export ... from`
 * of main.ts, app/, modules/ and rollout/, type-only ones included (a type-only circle still ties the files'
 * meanings together, and the construct's props circle was one).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { PROJECT_ROOT } from "./files";

export const PRODUCT_DIRS = ["app", "modules", "runner", "rollout", "verify"];

/** Product files, relative to the project root. */
export function productFiles(): string[] {
  const below = (dir: string): string[] =>
    fs.readdirSync(path.join(PROJECT_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return below(relative);
      return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [relative] : [];
    });
  return ["main.ts", ...PRODUCT_DIRS.flatMap(below)].sort();
}

/** The relative imports of a file: the project files it names, relative to the project root. */
export function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  source.forEachChild((node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      specifiers.push(node.moduleReference.expression.text);
    }
  });
  return specifiers.filter((s) => s.startsWith(".")).map((s) => resolveModule(file, s));
}

function resolveModule(from: string, specifier: string): string {
  const base = path.posix.join(path.posix.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) {
    if (fs.existsSync(path.join(PROJECT_ROOT, candidate)) && fs.statSync(path.join(PROJECT_ROOT, candidate)).isFile()) return candidate;
  }
  throw new Error(`${from}: cannot resolve import "${specifier}"`);
}

export type ImportGraph = ReadonlyMap<string, readonly string[]>;

export function importGraph(files: readonly string[] = productFiles()): ImportGraph {
  return new Map(files.map((file) => [file, importsOf(file)]));
}

/** Every import circle, each as the files around it (first file repeated at the end), once per circle. */
export function importCircles(graph: ImportGraph): string[][] {
  const circles = new Map<string, string[]>();
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") {
        const circle = stack.slice(stack.indexOf(next));
        // One key per circle, whichever file it was entered from.
        const key = [...circle].sort().join(" ");
        if (!circles.has(key)) circles.set(key, [...circle, next]);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return [...circles.values()];
}

/** Every file `file` reaches through its imports, itself not included unless in a circle. */
export function reachableFrom(graph: ImportGraph, file: string): Set<string> {
  const seen = new Set<string>();
  const todo = [...(graph.get(file) ?? [])];
  while (todo.length > 0) {
    const next = todo.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    todo.push(...(graph.get(next) ?? []));
  }
  return seen;
}

/*
 * The folder-level map: a file's folder is its directory, a `private/` folder counting as its parent (the
 * concept's internals, as aws-cdk-lib keeps them); a file at the top (main.ts) is its own node.
 */
export function folderOf(file: string): string {
  const dir = path.posix.dirname(file).replace(/\/private$/, "");
  return dir === "." ? file : dir;
}

/** Every "importer --> imported" pair of distinct folders. */
export function folderArrows(graph: ImportGraph): Set<string> {
  const arrows = new Set<string>();
  for (const [file, imports] of graph) {
    for (const imported of imports) if (folderOf(file) !== folderOf(imported)) arrows.add(`${folderOf(file)} --> ${folderOf(imported)}`);
  }
  return arrows;
}

export interface MermaidMap {
  /** The labels of the nodes it declares (`id["label"]`), by id. */
  readonly nodes: ReadonlyMap<string, string>;
  /** "label --> label", from `a --> b` and `a --> b & c` lines. */
  readonly arrows: ReadonlySet<string>;
  /** Lines that are neither, nor layout (flowchart, subgraph, end): a typo must not pass silently. */
  readonly unread: readonly string[];
}

/** Reads a Mermaid flowchart of the subset the development guide uses. */
export function readMermaid(text: string): MermaidMap {
  const nodes = new Map<string, string>();
  const pairs: [string, string][] = [];
  const unread: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || /^(flowchart|graph)\b/.test(line) || /^subgraph\b/.test(line) || line === "end") continue;
    const node = /^([A-Za-z0-9_]+)\["([^"]+)"\]$/.exec(line);
    const arrow = /^([A-Za-z0-9_]+) --> ([A-Za-z0-9_]+(?: & [A-Za-z0-9_]+)*)$/.exec(line);
    if (node) nodes.set(node[1], node[2]);
    else if (arrow) for (const to of arrow[2].split(" & ")) pairs.push([arrow[1], to]);
    else unread.push(line);
  }
  const label = (id: string) => nodes.get(id) ?? `(undeclared ${id})`;
  return { nodes, arrows: new Set(pairs.map(([from, to]) => `${label(from)} --> ${label(to)}`)), unread };
}

/** What the map gets wrong against the code: folders and arrows it names that the code lacks, and the reverse. */
export function mapProblems(map: MermaidMap, graph: ImportGraph): string[] {
  const folders = new Set([...graph.keys()].map(folderOf));
  const drawn = new Set(map.nodes.values());
  const arrows = folderArrows(graph);
  return [
    ...map.unread.map((line) => `a line the map test cannot read: ${line}`),
    ...[...drawn].filter((folder) => !folders.has(folder)).map((folder) => `drawn, but no product folder: ${folder}`),
    ...[...folders].filter((folder) => !drawn.has(folder)).map((folder) => `a product folder the map misses: ${folder}`),
    ...[...map.arrows].filter((arrow) => !arrows.has(arrow)).map((arrow) => `drawn, but no import: ${arrow}`),
    ...[...arrows].filter((arrow) => !map.arrows.has(arrow)).map((arrow) => `an import the map misses: ${arrow}`),
  ].sort();
}
