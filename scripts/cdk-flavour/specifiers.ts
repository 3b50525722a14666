import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { Flavour } from "./flavours";

/*
 * Module specifiers, found with TypeScript's parser: the string after `from`, in `import "x"`,
 * `import x = require("x")`, `require("x")`, `import("x")`, `jest.mock("x")` and `import("x").T` in a
 * type. A switch rewrites these literals and no other text.
 */

export interface Specifier {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /** Offsets of the text between the quotes. */
  readonly start: number;
  readonly end: number;
}

/** Calls whose first argument names a module. */
const MODULE_CALLS = new Set(["require", "require.resolve", "jest.mock", "jest.unmock", "jest.doMock", "jest.requireActual", "jest.requireMock"]);

export function specifiersIn(file: string, text: string): Specifier[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".ts") ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const found: Specifier[] = [];
  const add = (literal: ts.Node | undefined) => {
    if (!literal || !ts.isStringLiteralLike(literal)) return;
    const start = literal.getStart(source) + 1;
    const end = literal.getEnd() - 1;
    // An escape inside the quotes would make offsets and text disagree: no module name has one.
    if (text.slice(start, end) !== literal.text) throw new Error(`${file}: module specifier ${literal.getText(source)} has escapes; write it plainly`);
    found.push({ file, line: source.getLineAndCharacterOfPosition(start).line + 1, text: literal.text, start, end });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isExternalModuleReference(node)) add(node.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const callee = node.expression.kind === ts.SyntaxKind.ImportKeyword ? "import" : node.expression.getText(source);
      if (callee === "import" || MODULE_CALLS.has(callee)) add(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The package a specifier names: `@scope/name` or `name`, without a path inside it. */
export function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** `specifier` as `to` spells it, or undefined when it names none of `from`'s flavour packages. */
export function translate(specifier: string, from: Flavour, to: Flavour): string | undefined {
  for (const role of ["core", "awsProvider"] as const) {
    if (packageOf(specifier) === from.modules[role]) return to.modules[role] + specifier.slice(from.modules[role].length);
  }
  return undefined;
}

export interface FileChange {
  readonly file: string;
  readonly text: string;
  readonly changes: readonly { readonly line: number; readonly from: string; readonly to: string }[];
}

/** The file's text with `from`'s specifiers spelt as `to` spells them; undefined when none changes. */
export function rewriteSpecifiers(file: string, text: string, from: Flavour, to: Flavour): FileChange | undefined {
  const changes: { line: number; from: string; to: string; start: number; end: number }[] = [];
  for (const specifier of specifiersIn(file, text)) {
    const rewritten = translate(specifier.text, from, to);
    if (rewritten !== undefined && rewritten !== specifier.text) changes.push({ line: specifier.line, from: specifier.text, to: rewritten, start: specifier.start, end: specifier.end });
  }
  if (changes.length === 0) return undefined;
  let result = text;
  for (const change of [...changes].sort((a, b) => b.start - a.start)) result = result.slice(0, change.start) + change.to + result.slice(change.end);
  return { file, text: result, changes: changes.map(({ line, from: was, to: now }) => ({ line, from: was, to: now })) };
}

/** Folders never scanned: installed packages, build output, terraform's and git's own. */
// examples/ holds apps of the package's consumers, with their own package.json and CDK: a switch of ours is not theirs.
const SKIPPED_DIRS = new Set(["node_modules", "dist", "dist-jsii", "cdktf.out", "coverage", "examples"]);
const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|cjs|mjs)$/;

/** Every TypeScript and JavaScript file of the project below `root`, relative to it, sorted. */
export function projectSourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith(".")) walk(relative);
      } else if (entry.isFile() && SOURCE_FILE.test(entry.name)) files.push(relative);
    }
  };
  walk("");
  return files.sort();
}
