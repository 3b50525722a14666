/*
 * Every place in the program's source where text for a user message is written, found by reading the
 * source with TypeScript's parser and its checker (to know what a name refers to, across files), and
 * the rules that decide whether a row of the message table (test/fixtures/messages.yaml) really produces a site.
 *
 * What counts as a site:
 * - in modules whose job is messages (config checks, the construct's prop checks, AWS's rules, the command
 *   line's words): every string or template with words in it;
 * - elsewhere, text that flows into a message. Sinks: the arguments of `new UserError(...)`,
 *   `configError(...)`, the construct's `new Error(...)` and an Error class's `super(...)`; whatever is
 *   pushed (spread or not) onto anything called `problems` or `warnings` (a variable or a property such as
 *   `result.warnings`); `problem:`/`warning:` properties and `problems`/`warnings` variables; what a
 *   `...Problem(s)` function returns. From a sink the text is followed to where it is written: through
 *   variables at any level (module constants too), what is pushed onto or assigned to them, properties of
 *   objects and what object literals of that type give them, what the functions called return (in any
 *   file of the scan), and a function's parameters back to what its callers pass. So a list called
 *   `errors`, a helper `describe()` or a wrapper `fail(message)` is followed like `problems` is.
 *
 * When a row produces a site (`uncoveredSites`): a site is its own template, the fixed pieces in order with
 * text between them (non-empty where no empty text can be filled in), a fixed start at the start of a word.
 * A row covers a site when its message is matched by the site's whole template. A template is generic
 * when no fixed piece of it has text of its own (each piece, but the punctuation at its ends, is part of a
 * piece of another site, as ": got" and "; expected" are): other sites' messages match it too, so a match
 * proves nothing, and a row must name it (`file: text`, `siteKey`) as well as match it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { PROJECT_ROOT } from "./files";

export interface MessageSite {
  /** `file:line`, relative to the project root. */
  readonly where: string;
  readonly file: string;
  /** The literal's fixed text, `…` where a value is filled in. */
  readonly text: string;
  /** `file: text`: what a row names a site by; alike literals in one file are one site. */
  readonly key: string;
  /** The fixed pieces, one more than the values filled in. */
  readonly pieces: readonly string[];
  /** For each value filled in: whether it may be empty text. */
  readonly optional: readonly boolean[];
}

/** Modules whose every worded literal is message text. */
const MESSAGE_MODULES = [/^app\/config\/.*\.ts$/, /^app\/command-line\.ts$/, /^modules\/trelica-integration\/rules\.ts$/, /^modules\/trelica-integration\/private\/validate\.ts$/];

const SINK_CALLS = new Set(["UserError", "configError"]);
const SINK_LISTS = /^(problems|warnings)$/;
const SINK_PROPERTIES = /^(problems?|warnings?)$/;
/** Array methods that add their arguments to the list they are called on. */
const LIST_WRITES = new Set(["push", "unshift", "splice"]);

export function sourceFiles(): string[] {
  const below = (dir: string): string[] =>
    fs.readdirSync(path.join(PROJECT_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return below(relative);
      return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [relative] : [];
    });
  return ["main.ts", ...below("app"), ...below("modules"), ...below("runner"), ...below("rollout"), ...below("verify")];
}

export function messageSites(files: readonly string[] = sourceFiles()): MessageSite[] {
  return sitesOf(Object.fromEntries(files.map((file) => [file, fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8")])));
}

/** The sites in one file's text, read alone (for the tests that prove a new kind of site is caught). */
export function sitesIn(file: string, text: string): MessageSite[] {
  return sitesOf({ [file]: text });
}

/** The sites in a set of files, by path relative to the project root, read together: imports between them are followed. */
export function sitesOf(files: Readonly<Record<string, string>>): MessageSite[] {
  const scan = new Scan(files);
  return [...scan.literals]
    .filter((node) => worded(fixedPieces(node)))
    .map((node) => {
      const source = node.getSourceFile();
      const file = relative(source.fileName);
      const pieces = fixedPieces(node);
      const text = pieces.join("…");
      return {
        where: `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`,
        file,
        text,
        key: siteKey(file, text),
        pieces,
        optional: ts.isTemplateExpression(node) ? node.templateSpans.map((span) => scan.mayBeEmpty(span.expression)) : [],
      };
    })
    .sort((a, b) => a.where.localeCompare(b.where, "en", { numeric: true }));
}

export const siteKey = (file: string, text: string): string => `${file}: ${text}`;

// ---- reading the source -----------------------------------------------------------------------

type TextLiteral = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression;
type Call = ts.CallExpression | ts.NewExpression;

const relative = (fileName: string) => path.relative(PROJECT_ROOT, fileName).split(path.sep).join("/");

/** The standard library's declarations, parsed once: the checker needs them to know arrays and strings. */
const LIB_OPTIONS: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, lib: ["lib.es2022.d.ts"] };
const LIB_DIR = path.dirname(ts.getDefaultLibFilePath(LIB_OPTIONS));
const libFiles = new Map<string, ts.SourceFile>();

function program(files: Readonly<Record<string, string>>): ts.Program {
  const texts = new Map(Object.entries(files).map(([file, text]) => [path.join(PROJECT_ROOT, file), text]));
  const isLib = (fileName: string) => path.dirname(fileName) === LIB_DIR && fs.existsSync(fileName);
  const host: ts.CompilerHost = {
    getSourceFile: (fileName, target) => {
      const text = texts.get(fileName);
      if (text !== undefined) return ts.createSourceFile(fileName, text, target, true);
      if (!isLib(fileName)) return undefined;
      if (!libFiles.has(fileName)) libFiles.set(fileName, ts.createSourceFile(fileName, fs.readFileSync(fileName, "utf8"), target, true));
      return libFiles.get(fileName);
    },
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    writeFile: () => undefined,
    getCurrentDirectory: () => PROJECT_ROOT,
    getCanonicalFileName: (fileName) => fileName,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    // Only the scanned files and the standard library exist: imports of packages stay unresolved.
    fileExists: (fileName) => texts.has(fileName) || isLib(fileName),
    readFile: (fileName) => texts.get(fileName) ?? (isLib(fileName) ? fs.readFileSync(fileName, "utf8") : undefined),
  };
  return ts.createProgram([...texts.keys()], { ...LIB_OPTIONS, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, types: [], noEmit: true }, host);
}

/**
 * The call a function's text was reached through, and the call its caller was reached through: a
 * parameter reached this way is that call's argument only (`plural(n, "member account")` in a message
 * does not make every other `plural(...)` one). Without a context a parameter is every caller's argument.
 */
interface Context {
  readonly call: Call;
  readonly fn: ts.Node;
  readonly outer: Context | undefined;
  readonly id: string;
}

class Scan {
  readonly literals = new Set<TextLiteral>();
  private readonly checker: ts.TypeChecker;
  private readonly sources: readonly ts.SourceFile[];
  private readonly done = new Map<ts.Node, Set<string>>();
  private callIndex?: Map<ts.Node, Call[]>;
  private writeIndex?: Map<ts.Node, ts.Expression[]>;

  constructor(files: Readonly<Record<string, string>>) {
    const built = program(files);
    this.checker = built.getTypeChecker();
    const names = new Set(Object.keys(files).map((file) => path.join(PROJECT_ROOT, file)));
    this.sources = built.getSourceFiles().filter((source) => names.has(source.fileName));
    for (const source of this.sources) this.visit(source, MESSAGE_MODULES.some((pattern) => pattern.test(relative(source.fileName))));
  }

  /** The sinks: where text becomes (part of) a message. */
  private visit(node: ts.Node, everything: boolean): void {
    if (everything && isTextLiteral(node) && !isModuleSpecifier(node) && !isSymbolDescription(node)) this.literals.add(node);
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && isSinkCall(node)) node.arguments?.forEach((argument) => this.text(argument));
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && LIST_WRITES.has(node.expression.name.text)) {
      const list = node.expression.expression;
      const name = ts.isIdentifier(list) ? list.text : ts.isPropertyAccessExpression(list) ? list.name.text : "";
      if (SINK_LISTS.test(name)) node.arguments.forEach((argument) => this.text(argument));
    }
    // `problem: "..."` is a message; `problem: { state, says }` (a terraform run's outcome, rollout/terraform-cloud/cloud.ts) is not.
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && SINK_PROPERTIES.test(node.name.text) && !ts.isObjectLiteralExpression(node.initializer)) {
      this.text(node.initializer);
    }
    if (ts.isShorthandPropertyAssignment(node) && SINK_PROPERTIES.test(node.name.text)) this.follow(this.checker.getShorthandAssignmentValueSymbol(node), undefined);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && SINK_LISTS.test(node.name.text)) this.followDeclaration(node, undefined);
    if (ts.isReturnStatement(node) && node.expression && /Problems?$/.test(functionName(enclosingFunction(node)) ?? "")) this.text(node.expression);
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword && /Error$/.test(enclosingClassName(node) ?? "")) {
      node.arguments.forEach((argument) => this.text(argument));
    }
    node.forEachChild((child) => this.visit(child, everything));
  }

  /** Has `node` been looked at in this context? Marks it if not. */
  private once(node: ts.Node, context: Context | undefined): boolean {
    const ids = this.done.get(node) ?? new Set<string>();
    this.done.set(node, ids);
    if (ids.has(context?.id ?? "")) return false;
    ids.add(context?.id ?? "");
    return true;
  }

  /** `node`'s value is message text, or a list of message texts: find the literals it is made of. */
  private text(node: ts.Node | undefined, context?: Context): void {
    if (!node || !this.once(node, context)) return;
    const text = (child: ts.Node | undefined) => this.text(child, context);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) this.literals.add(node);
    else if (ts.isTemplateExpression(node)) {
      this.literals.add(node);
      node.templateSpans.forEach((span) => text(span.expression));
    } else if (
      ts.isParenthesizedExpression(node) ||
      ts.isAsExpression(node) ||
      ts.isNonNullExpression(node) ||
      ts.isTypeAssertionExpression(node) ||
      ts.isSatisfiesExpression(node) ||
      ts.isAwaitExpression(node) ||
      ts.isSpreadElement(node) ||
      ts.isSpreadAssignment(node)
    ) {
      text(node.expression);
    } else if (ts.isConditionalExpression(node)) {
      text(node.whenTrue);
      text(node.whenFalse);
    } else if (ts.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind;
      const either = operator === ts.SyntaxKind.PlusToken || operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.BarBarToken;
      if (either) text(node.left);
      if (either || operator === ts.SyntaxKind.AmpersandAmpersandToken) text(node.right);
    } else if (ts.isArrayLiteralExpression(node)) node.elements.forEach(text);
    else if (ts.isObjectLiteralExpression(node)) {
      for (const property of node.properties) {
        if (ts.isPropertyAssignment(property)) text(property.initializer);
        else if (ts.isShorthandPropertyAssignment(property)) this.follow(this.checker.getShorthandAssignmentValueSymbol(property), context);
        else if (ts.isSpreadAssignment(property)) text(property.expression);
      }
    } else if (ts.isIdentifier(node)) this.follow(this.checker.getSymbolAtLocation(node), context);
    else if (ts.isPropertyAccessExpression(node)) {
      // A property this program declares is followed to what is written there; a library's (a string's
      // length, an error's message, commander's options) is not text of ours.
      this.follow(this.checker.getSymbolAtLocation(node.name), context);
    } else if (ts.isElementAccessExpression(node)) text(node.expression);
    else if (ts.isCallExpression(node)) this.call(node, context);
  }

  /** A call's value: what the function returns, if it is ours; else (`join`, `map`, `replace`) made of its receiver and arguments. */
  private call(node: ts.CallExpression, context: Context | undefined): void {
    const callee = node.expression;
    const functions = this.declarationsOf(this.checker.getSymbolAtLocation(ts.isPropertyAccessExpression(callee) ? callee.name : callee));
    if (functions.length > 0) {
      for (const declaration of functions) {
        const fn = functionOf(declaration);
        // A recursive call adds nothing its first call did not.
        if (!fn || inChain(context, node)) continue;
        this.returnsOf(fn, { call: node, fn, outer: context, id: `${context?.id ?? ""}>${node.getSourceFile().fileName}:${node.pos}` });
      }
      return;
    }
    // Values, not text: an object's keys, a symbol's description.
    if (ts.isIdentifier(callee) && callee.text === "Symbol") return;
    if (ts.isPropertyAccessExpression(callee) && callee.getText() === "Object.keys") return;
    if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) this.text(callee.expression, context);
    for (const argument of node.arguments) {
      if (ts.isArrowFunction(argument) || ts.isFunctionExpression(argument)) this.returnsOf(argument, context);
      else this.text(argument, context);
    }
  }

  private follow(symbol: ts.Symbol | undefined, context: Context | undefined): void {
    this.declarationsOf(symbol).forEach((declaration) => this.followDeclaration(declaration, contextFor(declaration, context)));
  }

  /** What is written where `declaration` is: its initializer, what is pushed or assigned, what callers pass. */
  private followDeclaration(declaration: ts.Declaration, context: Context | undefined): void {
    if (!this.once(declaration, context)) return;
    for (const written of this.writes().get(declaration) ?? []) this.text(written, contextFor(written, context));
    const text = (child: ts.Node | undefined) => this.text(child, context);
    if (ts.isVariableDeclaration(declaration)) {
      text(declaration.initializer);
      // `for (const x of xs)`: x is an element of xs.
      const statement = declaration.parent.parent;
      if (ts.isForOfStatement(statement) || ts.isForInStatement(statement)) text(statement.expression);
    } else if (ts.isParameter(declaration)) {
      text(declaration.initializer);
      this.arguments(declaration, context);
    } else if (ts.isBindingElement(declaration)) {
      text(declaration.initializer);
      // A destructured name is part of what it is destructured from.
      let root: ts.Node = declaration;
      while (ts.isBindingElement(root) || ts.isObjectBindingPattern(root) || ts.isArrayBindingPattern(root)) root = root.parent;
      if (ts.isVariableDeclaration(root) || ts.isParameter(root)) this.followDeclaration(root, context);
    } else if (ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration) || ts.isEnumMember(declaration)) text(declaration.initializer);
    else if (ts.isShorthandPropertyAssignment(declaration)) this.follow(this.checker.getShorthandAssignmentValueSymbol(declaration), context);
    else if (ts.isFunctionLike(declaration)) this.returnsOf(declaration, context);
  }

  /** What a function returns (an arrow's body, or every `return` of its own). */
  private returnsOf(fn: ts.Node, context: Context | undefined): void {
    const body = ts.isFunctionLike(fn) && "body" in fn ? (fn as ts.FunctionLikeDeclaration).body : undefined;
    if (!body || !this.once(fn, context)) return;
    if (!ts.isBlock(body)) return this.text(body, context);
    const search = (node: ts.Node): void => {
      if (ts.isReturnStatement(node)) this.text(node.expression, context);
      else if (!ts.isFunctionLike(node)) node.forEachChild(search);
    };
    body.forEachChild(search);
  }

  /**
   * A parameter is what the call its function was reached through passes, else what every caller passes;
   * a callback's first parameter is an element of the list it is called on.
   */
  private arguments(parameter: ts.ParameterDeclaration, context: Context | undefined): void {
    const fn = parameter.parent;
    const index = fn.parameters.indexOf(parameter);
    const given = (call: Call) => (call.arguments ?? []).slice(index, parameter.dotDotDotToken ? undefined : index + 1);
    let through = context;
    while (through && through.fn !== fn) through = through.outer;
    if (through) given(through.call).forEach((argument) => this.text(argument, contextFor(argument, through.outer)));
    else for (const call of this.calls().get(fn) ?? []) given(call).forEach((argument) => this.text(argument));
    const call = fn.parent;
    if (index === 0 && call && ts.isCallExpression(call) && call.arguments.includes(fn as ts.Expression) && ts.isPropertyAccessExpression(call.expression)) {
      this.text(call.expression.expression, contextFor(call, context));
    }
  }

  /** The declarations in the scanned files that a symbol (or the import it is) names. */
  private declarationsOf(symbol: ts.Symbol | undefined): ts.Declaration[] {
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    return (symbol?.declarations ?? []).filter((declaration) => this.sources.includes(declaration.getSourceFile()));
  }

  /** Every call in the scanned files, by the function it calls (a class: its constructor). */
  private calls(): Map<ts.Node, Call[]> {
    if (this.callIndex) return this.callIndex;
    const index = new Map<ts.Node, Call[]>();
    const walk = (node: ts.Node): void => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression;
        for (const declaration of this.declarationsOf(this.checker.getSymbolAtLocation(callee))) {
          const fns = ts.isClassDeclaration(declaration) ? declaration.members.filter(ts.isConstructorDeclaration) : [functionOf(declaration)];
          for (const fn of fns) if (fn) index.set(fn, [...(index.get(fn) ?? []), node]);
        }
      }
      node.forEachChild(walk);
    };
    this.sources.forEach(walk);
    return (this.callIndex = index);
  }

  /**
   * What is written to each variable or property, by its declaration: pushed onto it, assigned to it, or
   * given to it by an object literal of its type (an interface's `problems` by every `{ problems: [...] }`).
   */
  private writes(): Map<ts.Node, ts.Expression[]> {
    if (this.writeIndex) return this.writeIndex;
    const index = new Map<ts.Node, ts.Expression[]>();
    const add = (symbol: ts.Symbol | undefined, values: readonly ts.Expression[]) => {
      for (const declaration of this.declarationsOf(symbol)) index.set(declaration, [...(index.get(declaration) ?? []), ...values]);
    };
    // `list[i] = text` writes to the list.
    const symbolAt = (target: ts.Expression): ts.Symbol | undefined =>
      ts.isElementAccessExpression(target) ? symbolAt(target.expression) : this.checker.getSymbolAtLocation(ts.isPropertyAccessExpression(target) ? target.name : target);
    const walk = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && LIST_WRITES.has(node.expression.name.text)) {
        add(symbolAt(node.expression.expression), node.arguments);
      } else if (ts.isBinaryExpression(node) && [ts.SyntaxKind.EqualsToken, ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken].includes(node.operatorToken.kind)) {
        add(symbolAt(node.left), [node.right]);
      } else if (ts.isObjectLiteralExpression(node)) {
        const type = this.checker.getContextualType(node);
        for (const property of node.properties) {
          if (!type || !(ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) || !ts.isIdentifier(property.name)) continue;
          const declared = this.checker.getPropertyOfType(type, property.name.text);
          if (declared) add(declared, [ts.isPropertyAssignment(property) ? property.initializer : property.name]);
        }
      }
      node.forEachChild(walk);
    };
    this.sources.forEach(walk);
    return (this.writeIndex = index);
  }

  /** Can the value filled in here be empty text (`${hint}` where hint may be "")? */
  mayBeEmpty(node: ts.Node, seen = new Set<ts.Node>()): boolean {
    if (seen.has(node)) return false;
    seen.add(node);
    const empty = (child: ts.Node | undefined) => child !== undefined && this.mayBeEmpty(child, seen);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text === "";
    if (ts.isTemplateExpression(node)) return fixedPieces(node).join("") === "" && node.templateSpans.every((span) => empty(span.expression));
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) return empty(node.expression);
    if (ts.isConditionalExpression(node)) return empty(node.whenTrue) || empty(node.whenFalse);
    if (ts.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind;
      if (operator === ts.SyntaxKind.PlusToken) return empty(node.left) && empty(node.right);
      if (operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.BarBarToken) return empty(node.right);
      return operator === ts.SyntaxKind.AmpersandAmpersandToken;
    }
    if (ts.isIdentifier(node)) {
      return this.declarationsOf(this.checker.getSymbolAtLocation(node)).some((declaration) => {
        if (ts.isVariableDeclaration(declaration)) return empty(declaration.initializer);
        if (!ts.isParameter(declaration)) return false;
        const index = declaration.parent.parameters.indexOf(declaration);
        return empty(declaration.initializer) || (this.calls().get(declaration.parent) ?? []).some((call) => empty(call.arguments?.[index]));
      });
    }
    if (ts.isCallExpression(node)) {
      const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression;
      return this.declarationsOf(this.checker.getSymbolAtLocation(callee)).some((declaration) => {
        const body = (functionOf(declaration) as ts.FunctionLikeDeclaration | undefined)?.body;
        if (!body) return false;
        if (!ts.isBlock(body)) return empty(body);
        let found = false;
        const search = (child: ts.Node): void => {
          if (ts.isReturnStatement(child)) found ||= empty(child.expression);
          else if (!ts.isFunctionLike(child)) child.forEachChild(search);
        };
        body.forEachChild(search);
        return found;
      });
    }
    return false;
  }
}

/** The function a declaration declares: itself, or the arrow or function a `const` or property holds. */
function functionOf(declaration: ts.Node): ts.Node | undefined {
  const fn = ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) ? declaration.initializer : declaration;
  return fn && ts.isFunctionLike(fn) ? fn : undefined;
}

const contains = (outer: ts.Node, node: ts.Node) => {
  for (let at: ts.Node | undefined = node; at; at = at.parent) if (at === outer) return true;
  return false;
};

/** The part of a context that still applies at `node`: the calls of functions `node` is inside. */
function contextFor(node: ts.Node, context: Context | undefined): Context | undefined {
  let at = context;
  while (at && !contains(at.fn, node)) at = at.outer;
  return at;
}

function inChain(context: Context | undefined, call: Call): boolean {
  for (let at = context; at; at = at.outer) if (at.call === call) return true;
  return false;
}

function isTextLiteral(node: ts.Node): node is TextLiteral {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
}

function fixedPieces(node: TextLiteral): string[] {
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
  return [node.text];
}

/**
 * Words, not a value: "exactly 12 digits" is text, "us-east-1", "utf8" or "ACTIVE" are not. A field
 * and one word after its colon (`${field}: required`) is a message too.
 */
function worded(pieces: readonly string[]): boolean {
  const text = pieces.join("…");
  return /[A-Za-z][^\s]*\s+\S/.test(text) || /:\s+[A-Za-z]/.test(text);
}

function isModuleSpecifier(node: ts.Node): boolean {
  return ts.isImportDeclaration(node.parent) || ts.isExportDeclaration(node.parent) || ts.isExternalModuleReference(node.parent);
}

function isSymbolDescription(node: ts.Node): boolean {
  return ts.isCallExpression(node.parent) && ts.isIdentifier(node.parent.expression) && node.parent.expression.text === "Symbol";
}

function isSinkCall(node: Call): boolean {
  if (!ts.isIdentifier(node.expression)) return false;
  const name = node.expression.text;
  // The construct is a library: its plain Errors reach whoever calls it.
  return SINK_CALLS.has(name) || (name === "Error" && ts.isNewExpression(node) && relative(node.getSourceFile().fileName).startsWith("modules/"));
}

function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let at = node.parent; at; at = at.parent) if (ts.isFunctionLike(at)) return at;
  return undefined;
}

function functionName(fn: ts.SignatureDeclaration | undefined): string | undefined {
  if (fn?.name && ts.isIdentifier(fn.name)) return fn.name.text;
  // `const describeProblems = (...) => ...`
  if (fn && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return undefined;
}

function enclosingClassName(node: ts.Node): string | undefined {
  for (let at = node.parent; at; at = at.parent) if (ts.isClassDeclaration(at)) return at.name?.text;
  return undefined;
}

// ---- which rows produce which sites -----------------------------------------------------------

/** A row of the message table as coverage sees it: its message, and the generic sites it says it exercises. */
export interface Produced {
  readonly given: string;
  readonly message: string;
  readonly sites?: readonly string[];
}

/** The site's whole template as a regular expression. */
export function template(site: MessageSite): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const body = site.pieces.map((piece, i) => (i === 0 ? "" : site.optional[i - 1] ? "[\\s\\S]*?" : "[\\s\\S]+?") + escape(piece)).join("");
  // A fixed start is not the middle of a word ("one of" is not in "someone of"); the end may be (plural's "s").
  return new RegExp(`${/^\w/.test(site.pieces[0]) ? "(?<!\\w)" : ""}${body}`);
}

/** A piece without the punctuation and spaces at its ends, which the text beside it may supply (". Did you mean" after "unknown key."). */
const core = (piece: string) => piece.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");

/** No fixed piece of the site has words of its own: each piece (but its ends' punctuation) is in a piece of another site. */
export function isGeneric(site: MessageSite, sites: readonly MessageSite[]): boolean {
  const others = sites.filter((other) => other.key !== site.key).flatMap((other) => other.pieces);
  return site.pieces.map(core).every((own) => !/[A-Za-z]/.test(own) || others.some((piece) => piece.includes(own)));
}

/**
 * What keeps the table from being complete, one line each: a site no row's message matches, a generic
 * site no row names, a row naming a site that is not in the source or whose message its template does
 * not match. `unreachable` are keys of sites no input reaches.
 */
export function uncoveredSites(sites: readonly MessageSite[], rows: readonly Produced[], unreachable: ReadonlySet<string> = new Set()): string[] {
  const byKey = new Map<string, MessageSite[]>();
  for (const site of sites) byKey.set(site.key, [...(byKey.get(site.key) ?? []), site]);
  const findings: string[] = [];
  for (const [key, alike] of byKey) {
    if (unreachable.has(key)) continue;
    const [site] = alike;
    const where = alike.map((s) => s.where).join(", ");
    const pattern = template(site);
    if (isGeneric(site, sites)) {
      if (!rows.some((row) => row.sites?.includes(key) && pattern.test(row.message))) findings.push(`${where}: ${site.text} (generic: a row must name "${key}")`);
    } else if (!rows.some((row) => pattern.test(row.message))) findings.push(`${where}: ${site.text}`);
  }
  for (const row of rows) {
    for (const key of row.sites ?? []) {
      const site = byKey.get(key)?.[0];
      if (!site) findings.push(`row "${row.given}" names "${key}", which is not a site in the source`);
      else if (!template(site).test(row.message)) findings.push(`row "${row.given}" names "${key}", whose template its message does not match`);
    }
  }
  return findings;
}
