/*
 * The mutants `npm run test:mutation` leaves alive, and why each is accepted: equivalent (no input can
 * tell it from the code) or unreachable through the program's own schemas and callers. One entry may
 * stand for several mutants of the same code (matched by file, mutator, the mutated code and, when
 * given, the replacement and a piece of the line, `in`; survivors.js). docs/development.md lists every survivor with its reason,
 * rendered by `npm run docs`; test/docs.test.ts fails when a survivor has none or a reason no survivor.
 */
module.exports = [
  // app/config
  {
    file: "app/config/accounts-file.ts",
    mutator: "StringLiteral",
    code: '""',
    reason: "Equivalent. An account without Arn is matched against the mutant's text instead of \"\": neither is an account ARN, so the management account and Organization stay unknown either way.",
  },
  {
    file: "app/config/boundary.ts",
    mutator: "StringLiteral",
    code: '""',
    reason: "Equivalent, and unreachable: the account part is missing only when the region part is too, which the check before it has already refused; neither \"\" nor the mutant's text is an account.",
  },
  {
    file: "app/config/deployer.ts",
    mutator: "ConditionalExpression",
    code: 'typeof region === "string"',
    reason: "Equivalent. A region that is not text is never in the region list, so the next check skips it either way.",
  },
  {
    file: "app/config/deployer.ts",
    mutator: "ConditionalExpression",
    code: 'typeof arn !== "string"',
    reason: "Equivalent. A principal that is not text never matches the ARN pattern (RegExp.test reads it as its digits or as null), so it is skipped either way.",
  },
  {
    file: "app/config/load.ts",
    mutator: "ConditionalExpression",
    code: "source.data === undefined",
    replacement: "false",
    reason: "Equivalent. undefined is also not an object, the next test in the same condition.",
  },
  {
    file: "app/config/load.ts",
    mutator: "OptionalChaining",
    code: "(source.data as { accountsFile?: unknown } | null)?.accountsFile",
    reason: "Equivalent. The lines before it have refused every source.data that is not a map, so it is never null here.",
  },
  {
    file: "app/config/load.ts",
    mutator: "Regex",
    code: "/^(.*?\\[\\d+\\][^:]*): (?:got (.*?)|(is required|is missing)); (expected .*)$/s",
    reason:
      "Equivalent. Without ^ a match could start later, but the lazy .*? with the s flag can take every character before it, so the leftmost match starts at 0 anyway; without $ the greedy (expected .*) still runs to the end.",
  },
  {
    file: "app/config/load.ts",
    mutator: "StringLiteral",
    code: '""',
    in: "groups.set(problem",
    reason:
      "Equivalent. A problem that names no list entry is a group of one, printed as it is; the group's field, status, expected and indices (the \"\" the mutants change) are read only for groups of more than three.",
  },
  {
    file: "app/config/load.ts",
    mutator: "StringLiteral",
    code: '""',
    in: ".join(\"\")",
    reason:
      "Accepted: no config path holds two list indices (no list entry holds a list), so the indices joined are one; two come only from an accounts file whose own path has [digits] in it, where the place shown is odd either way.",
  },
  {
    file: "app/config/load.ts",
    mutator: "ArrayDeclaration",
    code: "[]",
    reason: "Equivalent, and unreachable: the place has matched \\[\\d+\\] one line above, so match() never returns null.",
  },
  {
    file: "app/config/load.ts",
    mutator: "ConditionalExpression",
    code: 'issue.code === "invalid_type"',
    reason: "Equivalent. Only invalid_type issues carry `expected`, the next test in the same condition.",
  },
  {
    file: "app/config/load.ts",
    mutator: "ConditionalExpression",
    code: 'issue.expected === "string"',
    reason: "Equivalent. Where a number, boolean, list or map is expected, the number's text is refused too, so the condition's last test (accepts) is false either way.",
  },
  {
    file: "app/config/load.ts",
    mutator: "ConditionalExpression",
    code: 'issue.code === "invalid_union"',
    reason: "Equivalent. Only a discriminated union's issue carries `discriminator`, the next test in the same condition.",
  },
  {
    file: "app/config/load.ts",
    mutator: "ConditionalExpression",
    code: 'typeof parent === "number"',
    reason: "Unreachable through the schema: `accounts` that is not a list is reported at `accounts` itself, never at accounts.<key>.id.",
  },
  {
    file: "app/config/load.ts",
    mutator: "ConditionalExpression",
    code: 'path.at(-3) === "accounts"',
    reason: "Unreachable through the schema: the only list of maps with an `id` is `accounts`.",
  },
  {
    file: "app/config/load.ts",
    mutator: "ConditionalExpression",
    code: 'typeof last === "number"',
    reason: "Unreachable through the schema: both fields named `accounts` are lists, so the step after `accounts` is always an index.",
  },
  {
    file: "app/config/parse/issues.ts",
    mutator: "ConditionalExpression",
    code: 'issue.code === "invalid_type"',
    reason: "Equivalent. Only invalid_type issues carry `expected`, the next test in the same condition.",
  },
  {
    file: "app/config/parse/issues.ts",
    mutator: "ArrayDeclaration",
    code: "[]",
    reason:
      "Accepted: no choices becomes the one choice \"Stryker was here\", which is suggested only for a value a few edits from it; no config value is (the unit tests pin the suggestions of real choices).",
  },
  {
    file: "app/config/parse/issues.ts",
    mutator: "OptionalChaining",
    code: "schema?.safeParse?.(value)",
    reason: "Equivalent for this program: every schema it reads is a zod schema, which has safeParse.",
  },
  {
    file: "app/config/parse/issues.ts",
    mutator: "OptionalChaining",
    code: "literal?.values",
    reason: "Equivalent: zod's discriminatedUnion refuses an option without the discriminator, so the option's discriminator schema is never missing.",
  },
  {
    file: "app/config/parse/json-syntax.ts",
    mutator: "EqualityOperator",
    code: "at < text.length",
    reason: 'Equivalent. Past the end text[at] is undefined, and " \\t\\r\\n".includes(undefined) is false, so the loop stops there either way.',
  },
  {
    file: "app/config/parse/json-syntax.ts",
    mutator: "ConditionalExpression",
    code: "at < text.length",
    reason: 'Equivalent. Past the end text[at] is undefined, and " \\t\\r\\n".includes(undefined) is false, so the loop stops there either way.',
  },
  {
    file: "app/config/parse/json-syntax.ts",
    mutator: "Regex",
    code: "/^[0-9a-fA-F]{4}$/",
    reason: "Equivalent. It tests a slice of at most four characters: four hex digits fill it from start to end with or without either anchor.",
  },
  {
    file: "app/config/parse/json-syntax.ts",
    mutator: "ConditionalExpression",
    code: "escape !== undefined",
    reason: "Equivalent. The next test, '\"\\\\/bfnrt'.includes(escape), is false for undefined too.",
  },
  {
    file: "app/config/parse/json-syntax.ts",
    mutator: "ConditionalExpression",
    code: "error instanceof RangeError",
    reason: "Equivalent: the scan only reads characters of a string, so the only errors it can throw are its own Stop and a RangeError when the text nests too deep.",
  },
  {
    file: "app/config/parse/source.ts",
    mutator: "Regex",
    code: "/^(\"[^\"]*\"|'[^']*'|[^:,{}[\\]]*)/",
    replacement: "/(\"[^\"]*\"|'[^']*'|[^:,{}[\\]]*)/",
    reason: "Equivalent. The last alternative matches the empty string, so a match always starts at the first character, with or without ^.",
  },
  {
    file: "app/config/parse/source.ts",
    mutator: "EqualityOperator",
    code: "text.length <= QUOTED_LINE",
    reason: "Equivalent. A line of exactly QUOTED_LINE characters, quoted as the window around its column, is the whole line with no marks: the window is as long as the line.",
  },
  {
    file: "app/config/parse/source.ts",
    mutator: "StringLiteral",
    code: '""',
    reason: "Equivalent, and unreachable: the line counters' line numbers are lines of the same text, so the line quoted always exists and its default \"\" is never used.",
  },
  {
    file: "app/config/parse/source.ts",
    mutator: "ConditionalExpression",
    code: "isPair(pair) && isScalar(pair.key)",
    reason:
      "Accepted: every item of a YAML map is a pair, and a key that is not a scalar (YAML's `? [a, b]`) is never a config key; the mutant records its number under the path `undefined`, where no issue is.",
  },
  {
    file: "app/config/parse/source.ts",
    mutator: "LogicalOperator",
    code: "isPair(pair) && isScalar(pair.key)",
    reason: "Equivalent: every item of a YAML map is a pair, so the mutant's || is true exactly when isPair is, as the `&&`'s first half.",
  },
  {
    file: "app/config/reserved.ts",
    mutator: "ConditionalExpression",
    code: 'typeof data === "object"',
    reason: "Equivalent. A truthy value that is not an object here is a number or a boolean (strings and lists are handled above), and Object.entries of either is empty.",
  },
  {
    file: "app/config/tags.ts",
    mutator: "StringLiteral",
    code: '"custom"',
    reason: "Equivalent. A tag problem's words come from its message, input and path; its code is read only to look for a choice to suggest, and tag problems have none.",
  },
  {
    file: "app/config/semantics.ts",
    mutator: "ArrayDeclaration",
    code: "[]",
    reason: "Equivalent. When accounts is not a list the loop gets one string instead of nothing, and it skips every entry that is not a map.",
  },
  {
    file: "app/config/semantics.ts",
    mutator: "ConditionalExpression",
    code: 'typeof region !== "string"',
    reason: "Equivalent. A region that is not text is never in the region list, the next test in the same condition.",
  },
  {
    file: "app/config/semantics.ts",
    mutator: "ConditionalExpression",
    code: 'typeof region === "string"',
    reason: "Equivalent. A region that is not text is never in the region list, the next test in the same condition.",
  },
  // modules/trelica-integration
  {
    file: "modules/trelica-integration/cloudformation-template.ts",
    mutator: "Regex",
    code: "/^\\^|\\$$/g",
    reason:
      "Equivalent. It takes the anchors off the external ID's pattern for AllowedPattern; the pattern holds no other ^ or $, so either regex strips the same two characters (the parameter's AllowedPattern is pinned by a test).",
  },
  {
    file: "modules/trelica-integration/private/tokens.ts",
    mutator: "StringLiteral",
    code: '"token"',
    reason: 'Equivalent. Every caller of knownOf asks only whether a value is "literal" or "partly", so "token" and "" take the same paths.',
  },
  // verify
  {
    file: "verify/read/policy.ts",
    mutator: "Regex",
    code: "/^\\s*\\{/",
    reason: "Equivalent. A URL-encoded policy document holds no { (RFC 3986 encodes it), so with or without ^ the regex tells JSON from URL-encoded text the same way.",
  },
  {
    file: "verify/read/policy.ts",
    mutator: "ArrayDeclaration",
    code: "[]",
    reason: "Equivalent. statementsOf's seed becomes a string; every caller keeps only statements whose Effect is Allow, which a string has not.",
  },
];
