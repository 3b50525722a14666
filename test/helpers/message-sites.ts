/*
 * Every place in the program's source where text for a user message is written, found by reading the
 * source (TypeScript's parser, no type checking). test/messages.test.ts fails naming any site whose text
 * no row of its table produces, so a new message cannot ship without a row.
 *
 * How the code makes messages, and so what counts as a site:
 * - modules whose job is messages (config checks, the construct's prop checks, AWS's rules, the command
 *   line's words): every string or template with words in it;
 * - elsewhere, text that flows into a message: arguments of `new UserError(...)`, `configError(...)`,
 *   the construct's `new Error(...)` and an Error class's `super(...)`; what is pushed onto `problems` or
 *   `warnings`; `problem:`/`warning:` properties and `problems`/`warnings` variables; what a
 *   `...Problem(s)` function returns; and, one step back, the variables of the same function these use.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { PROJECT_ROOT } from "./files";

export interface MessageSite {
  /** `file:line`, relative to the project root. */
  readonly where: string;
  /** The literal's fixed text, `…` where a value is filled in. */
  readonly text: string;
  /** The fixed pieces with words in them: a message produced from this site contains each, in order. */
  readonly fragments: readonly string[];
}

/** Modules whose every worded literal is message text. */
const MESSAGE_MODULES = [/^app\/config\/.*\.ts$/, /^app\/command-line\.ts$/, /^modules\/trelica-integration\/rules\.ts$/, /^modules\/trelica-integration\/private\/validate\.ts$/];

const SINK_CALLS = new Set(["UserError", "configError"]);
const SINK_LISTS = /^(problems|warnings)$/;
const SINK_PROPERTIES = /^(problems?|warnings?)$/;

export function sourceFiles(): string[] {
  const below = (dir: string): string[] =>
    fs.readdirSync(path.join(PROJECT_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return below(relative);
      return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [relative] : [];
    });
  return ["main.ts", ...below("app"), ...below("modules"), ...below("rollout")];
}

export function messageSites(files: readonly string[] = sourceFiles()): MessageSite[] {
  return files.flatMap((file) => sitesIn(file, fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8")));
}

/** The sites in one file's text (exported for the test that proves a new site is caught). */
export function sitesIn(file: string, text: string): MessageSite[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const everything = MESSAGE_MODULES.some((pattern) => pattern.test(file));
  const literals = new Set<ts.Node>();

  const collect = (node: ts.Node, seen = new Set<ts.Node>()): void => {
    if (seen.has(node)) return;
    seen.add(node);
    if (isTextLiteral(node)) literals.add(node);
    // One step back: a variable of the same function that the message text uses.
    if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      const declaration = localDeclaration(node);
      if (declaration?.initializer) collect(declaration.initializer, seen);
    }
    node.forEachChild((child) => collect(child, seen));
  };

  const visit = (node: ts.Node): void => {
    if (everything && isTextLiteral(node) && !isModuleSpecifier(node) && !isSymbolDescription(node)) literals.add(node);
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && isSinkCall(node, file)) node.arguments?.forEach((argument) => collect(argument));
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "push") {
      const list = node.expression.expression;
      if (ts.isIdentifier(list) && SINK_LISTS.test(list.text)) node.arguments.filter((a) => !ts.isSpreadElement(a)).forEach((argument) => collect(argument));
    }
    // `problem: "..."` is a message; `problem: { state, says }` (a terraform run's outcome, rollout/cloud.ts) is not.
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && SINK_PROPERTIES.test(node.name.text) && !ts.isObjectLiteralExpression(node.initializer)) {
      collect(node.initializer);
    }
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && SINK_LISTS.test(node.name.text) && node.initializer) collect(node.initializer);
    if (ts.isReturnStatement(node) && node.expression && /Problems?$/.test(enclosingFunctionName(node) ?? "")) collect(node.expression);
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword && /Error$/.test(enclosingClassName(node) ?? "")) {
      node.arguments.forEach((argument) => collect(argument));
    }
    node.forEachChild(visit);
  };
  visit(source);

  return [...literals]
    .filter((node) => worded(node))
    .map((node) => {
      const pieces = fixedPieces(node);
      return {
        where: `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`,
        text: pieces.join("…"),
        fragments: pieces.map((piece) => piece.trim()).filter((piece) => /[A-Za-z]/.test(piece)),
      };
    });
}

type TextLiteral = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression;

function isTextLiteral(node: ts.Node): node is TextLiteral {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
}

function fixedPieces(node: ts.Node): string[] {
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
  return [(node as ts.StringLiteral).text];
}

/** Words, not a value: "exactly 12 digits" is text, "us-east-1", "utf8" or "ACTIVE" are not. */
function worded(node: ts.Node): boolean {
  return /[A-Za-z][^\s]*\s+\S/.test(fixedPieces(node).join("…"));
}

function isModuleSpecifier(node: ts.Node): boolean {
  return ts.isImportDeclaration(node.parent) || ts.isExportDeclaration(node.parent) || ts.isExternalModuleReference(node.parent);
}

function isSymbolDescription(node: ts.Node): boolean {
  return ts.isCallExpression(node.parent) && ts.isIdentifier(node.parent.expression) && node.parent.expression.text === "Symbol";
}

function isSinkCall(node: ts.NewExpression | ts.CallExpression, file: string): boolean {
  if (!ts.isIdentifier(node.expression)) return false;
  const name = node.expression.text;
  // The construct is a library: its plain Errors reach whoever calls it.
  return SINK_CALLS.has(name) || (name === "Error" && ts.isNewExpression(node) && file.startsWith("modules/"));
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let at = node.parent; at; at = at.parent) if (ts.isFunctionLike(at)) return at as ts.FunctionLikeDeclaration;
  return undefined;
}

function enclosingFunctionName(node: ts.Node): string | undefined {
  const fn = enclosingFunction(node);
  return fn?.name && ts.isIdentifier(fn.name) ? fn.name.text : undefined;
}

function enclosingClassName(node: ts.Node): string | undefined {
  for (let at = node.parent; at; at = at.parent) if (ts.isClassDeclaration(at)) return at.name?.text;
  return undefined;
}

/** The `const`/`let` of this name declared in a function that encloses the use, nearest first. */
function localDeclaration(identifier: ts.Identifier): ts.VariableDeclaration | undefined {
  for (let fn = enclosingFunction(identifier); fn; fn = enclosingFunction(fn)) {
    let found: ts.VariableDeclaration | undefined;
    const search = (node: ts.Node): void => {
      if (found) return;
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === identifier.text && node.initializer) found = node;
      // Variables of nested functions are theirs, not ours.
      else if (!(ts.isFunctionLike(node) && node !== fn)) node.forEachChild(search);
    };
    if (fn.body) search(fn.body);
    if (found) return found;
  }
  return undefined;
}
