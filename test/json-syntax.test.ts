/*
 * The strict JSON scan behind a config's "not valid JSON at line L, column C" (app/config/parse/json-syntax.ts):
 * what RFC 8259 allows passes, and the first character it does not allow is named with the reason.
 */
import { jsonSyntaxError } from "../app/config/parse/json-syntax";
import { formatPath, jsonErrorPlace } from "../app/config/parse/source";
import { semanticProblems } from "../app/config/semantics";

describe("jsonSyntaxError: the first character JSON does not allow", () => {
  test.each([
    ["an empty object and array", "{}"],
    ["an empty array", "[]"],
    ["spaces, tabs and line breaks around everything", ' \t\r\n{ "a" :\t[ 1 , 2 ] ,\r\n "b" : { } , "c" : [ ] }\n '],
    ["numbers in every JSON form", "[0, -0, 12, -3.25, 1e5, 2E-2, -4.5e+3, 10.01, 1e10, 6.02E+23]"],
    ["the literals", "[true, false, null]"],
    ["every escape", '"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uABCD"'],
    ["a space inside a string (the lowest character allowed unescaped)", '"a b"'],
    ["nested values", '{"a": [{"b": [[], {}]}], "c": "d"}'],
  ])("GIVEN %s THEN it passes", (_, text) => {
    expect(JSON.parse(text)).toBeDefined();
    expect(jsonSyntaxError(text)).toBeUndefined();
  });

  test.each([
    ["nothing at all", "", 0, 'the end of the file; expected a value (a "string", number, true, false, null, {...} or [...])'],
    ["a trailing comma in an object", '{"a": 1,}', 8, "a comma before }; JSON allows none after the last entry"],
    ["a trailing comma in an array", "[1, 2 ,]", 7, "a comma before ]; JSON allows none after the last item"],
    ["a key without quotes", "{a: 1}", 1, "`a`; expected a key in double quotes"],
    ["a key without its colon", '{"a" 1}', 5, "`1`; expected : after the key"],
    ["two entries without a comma", '{"a": 1 "b": 2}', 8, '`"`; expected , or } after the value'],
    ["two items without a comma", "[1 2]", 3, "`2`; expected , or ] after the item"],
    ["an array not closed", "[1", 2, "the end of the file; expected , or ] after the item"],
    ["a single-quoted string", "['x']", 1, 'a single-quoted string; expected double quotes "..."'],
    ["a line comment", '{\n  // note\n  "a": 1}', 4, "a comment; JSON has none (use YAML for comments)"],
    ["a block comment among the items", "[1, /* two */ 2]", 4, "a comment; JSON has none (use YAML for comments)"],
    ["a slash that starts no comment", "[/x]", 1, '`/`; expected a value (a "string", number, true, false, null, {...} or [...])'],
    ["a string not closed", '["abc', 5, 'a string is not closed; expected a closing "'],
    ["an escape JSON does not have", '"a\\x"', 2, "\\x is not a JSON escape; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"],
    ["an escape JSON does not have, four hex digits after it", '"\\x1234"', 1, "\\x is not a JSON escape; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"],
    ["a \\u escape with a letter that is not hex", '"\\u12g4"', 1, "\\u is not a JSON escape; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"],
    ["a backslash at the very end", '"\\', 1, "\\ is not a JSON escape; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"],
    ["a line break inside a string", '"a\nb"', 2, "a line break or control character inside a string; expected it escaped (\\n) or the string closed"],
    ["a control character inside a string", '"a\u001fb"', 2, "a line break or control character inside a string; expected it escaped (\\n) or the string closed"],
    ["a number with a leading zero", "[01]", 1, '`0`; expected a value (a "string", number, true, false, null, {...} or [...])'],
    ["a number ending in a point", "[1.]", 1, '`1`; expected a value (a "string", number, true, false, null, {...} or [...])'],
    ["an exponent without digits", "[1e]", 1, '`1`; expected a value (a "string", number, true, false, null, {...} or [...])'],
    ["a minus without digits", "[-]", 1, '`-`; expected a value (a "string", number, true, false, null, {...} or [...])'],
    ["a minus without digits, a number after it", "[-, 1]", 1, '`-`; expected a value (a "string", number, true, false, null, {...} or [...])'],
    ["a literal run into a word", "[truex]", 1, '`t`; expected a value (a "string", number, true, false, null, {...} or [...])'],
    ["a plus sign before a number", "[+1]", 1, '`+`; expected a value (a "string", number, true, false, null, {...} or [...])'],
    ["something after the value", "{} x", 3, "`x` after the end of the JSON value; expected nothing more"],
    ["a second value", "[] []", 3, "`[` after the end of the JSON value; expected nothing more"],
  ])("GIVEN %s THEN it is named at its offset", (_, text, offset, problem) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonSyntaxError(text)).toEqual({ offset, problem });
  });
});

test("GIVEN JSON nested deeper than the scan can follow THEN no place is named, and nothing is thrown", () => {
  const text = "[".repeat(200_000);
  expect(() => JSON.parse(text)).toThrow(SyntaxError);
  expect(jsonSyntaxError(text)).toBeUndefined();
  expect(jsonErrorPlace(text)).toBe("");
});

describe("where a config's JSON breaks, in the user's words (jsonErrorPlace) and its paths (formatPath)", () => {
  test("GIVEN valid JSON THEN no place is named (the caller's own words stand); GIVEN a break THEN its line, column and that line's text", () => {
    expect(jsonErrorPlace('{"a": [1, 2]}')).toBe("");
    expect(jsonErrorPlace('{\n  "a": 1,\n  "b": [1,]\n}')).toBe(" at line 3, column 11, in `\"b\": [1,]`: a comma before ]; JSON allows none after the last item");
    // A break on an empty last line names no text.
    expect(jsonErrorPlace('{"a": 1\n')).toBe(" at line 2, column 1: the end of the file; expected , or } after the value");
  });

  describe("a line longer than 120 characters is quoted as the 60 either side of the mistake, cut where marked", () => {
    const items = (count: number) => Array.from({ length: count }, (_, index) => String(1000 + index)).join(", ");
    /** The place jsonErrorPlace names for `text`, whose mistake is the `}` or `]` right after `,`. */
    const quoted = (text: string) => /, in `(.*)`: /.exec(jsonErrorPlace(text))?.[1];

    test("GIVEN exactly 120 characters THEN the whole line", () => {
      const text = `{"k": "${"x".repeat(110)}",}`;
      expect(text).toHaveLength(120);
      expect(quoted(text)).toBe(text);
    });

    test("GIVEN the mistake in the middle of an indented line THEN 60 either side of it in the line without its indent", () => {
      const line = `[${items(40)},], [${items(40)}]`;
      const text = `[\n${" ".repeat(10)}${line}\n]`;
      const mistake = line.indexOf(",]") + 1;
      expect(quoted(text)).toBe(`...${line.slice(mistake - 60, mistake + 60)}...`);
    });

    test("GIVEN the mistake near the start THEN from the start, cut at the end only", () => {
      const text = `[,${items(40)}]`;
      expect(quoted(text)).toBe(`${text.slice(0, 120)}...`);
    });

    test("GIVEN the mistake near the end THEN the last 120, cut at the start only", () => {
      const text = `[${items(40)},]`;
      expect(quoted(text)).toBe(`...${text.slice(-120)}`);
    });
  });

  test("GIVEN a path THEN keys join with dots and indices in brackets; the empty path is the top level", () => {
    expect(formatPath([])).toBe("(top level)");
    expect(formatPath(["accounts", 2, "services", "connect"])).toBe("accounts[2].services.connect");
    expect(formatPath([0, "id"])).toBe("[0].id");
  });

  test("GIVEN a single escape THEN it takes exactly its own characters (a short escape is not read as \\uXXXX)", () => {
    for (const text of ['"\\n"', '"\\t"', '"\\u0041"', '["\\n", "\\u0041"]']) expect([text, jsonSyntaxError(text)]).toEqual([text, undefined]);
  });
});

describe("semanticProblems on what is not a config map", () => {
  test.each([[null], ["a word"], [[1, 2]], [42]])("GIVEN %p THEN no cross-field problem (the schema names the shape)", (data) => {
    expect(semanticProblems(data)).toEqual([]);
  });
});
