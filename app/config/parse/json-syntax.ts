/*
 * Where JSON text breaks and why, in our words. Node's JSON.parse often gives neither ("Unexpected token
 * ']', ..."1"},]}" is not valid JSON"), and YAML's parser (JSON is nearly YAML) accepts what JSON refuses,
 * such as a trailing comma. A strict scan of RFC 8259 finds the first offending character. Only called
 * once JSON.parse has already failed, so its speed does not matter.
 */

export interface JsonSyntaxError {
  /** Offset of the first character JSON does not allow there. */
  readonly offset: number;
  /** What is wrong, e.g. "a comma before ]: JSON allows none after the last item". */
  readonly problem: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let at = 0;
  const space = () => {
    while (at < text.length && " \t\r\n".includes(text[at])) at++;
  };
  const shown = (index: number) => (index >= text.length ? "the end of the file" : `\`${text[index]}\``);
  const fail = (problem: string): never => {
    throw new Stop(at, problem);
  };
  const string = () => {
    at++; // the opening quote
    for (;;) {
      if (at >= text.length) fail("a string is not closed; expected a closing \"");
      const char = text[at];
      if (char === '"') return void at++;
      if (char === "\\") {
        const escape = text[at + 1];
        if (escape === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) at += 6;
        else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) at += 2;
        else fail(`\\${escape ?? ""} is not a JSON escape; expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`);
      } else if (char < " ") {
        fail("a line break or control character inside a string; expected it escaped (\\n) or the string closed");
      } else at++;
    }
  };
  // People write JSON like JavaScript: a comment is named as one, wherever it stands.
  const noComment = () => {
    if (text[at] === "/" && (text[at + 1] === "/" || text[at + 1] === "*")) fail("a comment; JSON has none (use YAML for comments)");
  };
  const value = (): void => {
    space();
    noComment();
    const char = text[at];
    if (char === "{") return object();
    if (char === "[") return array();
    if (char === '"') return string();
    if (char === "'") fail("a single-quoted string; expected double quotes \"...\"");
    const literal = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(at));
    if (literal && !/[\w.]/.test(text[at + literal[0].length] ?? "")) return void (at += literal[0].length);
    fail(`${shown(at)}; expected a value (a "string", number, true, false, null, {...} or [...])`);
  };
  const object = () => {
    at++;
    space();
    if (text[at] === "}") return void at++;
    for (;;) {
      space();
      noComment();
      if (text[at] === "}") fail("a comma before }; JSON allows none after the last entry");
      if (text[at] !== '"') fail(`${shown(at)}; expected a key in double quotes`);
      string();
      space();
      if (text[at] !== ":") fail(`${shown(at)}; expected : after the key`);
      at++;
      value();
      space();
      if (text[at] === "}") return void at++;
      if (text[at] !== ",") fail(`${shown(at)}; expected , or } after the value`);
      at++;
    }
  };
  const array = () => {
    at++;
    space();
    if (text[at] === "]") return void at++;
    for (;;) {
      space();
      if (text[at] === "]") fail("a comma before ]; JSON allows none after the last item");
      value();
      space();
      if (text[at] === "]") return void at++;
      if (text[at] !== ",") fail(`${shown(at)}; expected , or ] after the item`);
      at++;
    }
  };
  try {
    value();
    space();
    if (at < text.length) fail(`${shown(at)} after the end of the JSON value; expected nothing more`);
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return { offset: error.offset, problem: error.problem };
    // Nested deeper than the stack allows: no place to name; the caller's words stand, never a stack trace.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
