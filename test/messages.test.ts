/*
 * Every message the program can produce about a mistake in its input or its surroundings, word for
 * word, with the input that provokes it: the rows are data, in test/fixtures/messages.yaml (its header
 * says how to add one). A change of wording is a diff there. A test below reads the source for every
 * place a message is made (test/helpers/message-sites.ts) and fails naming any that no row produces.
 *
 * Out of scope, on purpose: what a rollout reports per account once it runs (terraform's failures and
 * their hints, the lock-out guard's notes, Terraform Cloud's run states), progress lines and help texts.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT, tempDir, writeFile } from "./helpers/files";
import { MessageInputs, readMessageRows } from "./helpers/message-inputs";
import { isGeneric, messageSites, siteKey as site, sitesIn, sitesOf, template, uncoveredSites } from "./helpers/message-sites";

const dir = tempDir("trelica-messages-");
const inputs = new MessageInputs(dir);
const ROWS = readMessageRows();

/** A message about something absent names it by one of these words instead of a value. */
const ABSENCE = /required|nothing|none given|no value|missing|does not exist|no such file|neither|not found|no terraform|there is none/i;

// ---- the table ----------------------------------------------------------------------------------

const LIBRARY_WORDING = /Invalid input|received|expected (object|string|number|array|boolean)\b|Expected \d+ arguments?|^error: |too many arguments|argument missing|ZodError|invalid_type|unrecognized_keys|Invalid enum value/m;

describe("every message the program can produce, in our own words", () => {
  test.each(ROWS.map((row) => [row.given, row] as const))("GIVEN %s THEN the message is exactly the table's", async (_given, row) => {
    expect(await inputs.produce(row)).toEqual([row.message]);
  });

  test.each(ROWS.map((row) => [row.given, row] as const))("GIVEN %s THEN the message names the field, the value and what is allowed, in no library's words", (_given, row) => {
    const { field, value, absent, allowed } = row.names;
    expect(row.message).toContain(field);
    if (value !== undefined) expect(row.message).toContain(value);
    else {
      expect(absent).toMatch(ABSENCE);
      expect(row.message).toContain(absent);
    }
    expect(row.message).toContain(allowed);
    expect(row.message).not.toMatch(LIBRARY_WORDING);
  });

  test("GIVEN a row with two inputs, an unknown key or no names THEN reading the table names each, so a typo cannot pass as a row", () => {
    const file = writeFile(dir, "bad-rows.yaml", '[{ given: a, config: "x", props: {}, message: m, names: { field: f, value: v, allowed: a } }, { given: b, confg: "x", message: m }]\n');
    expect(() => readMessageRows(file)).toThrow(
      [
        `${file}:`,
        "row 1 (a): has 2 inputs (config, props); expected exactly one of config, props, template, permissionPolicy, synthFlags, rolloutOptions, rolloutCommandLine, verifyOptions, verifyCommandLine, rollout, init",
        "row 2 (b): has 0 inputs (); expected exactly one of config, props, template, permissionPolicy, synthFlags, rolloutOptions, rolloutCommandLine, verifyOptions, verifyCommandLine, rollout, init",
        "row 2 (b): unknown keys confg; expected given, message, names, sites, config, props, template, permissionPolicy, synthFlags, rolloutOptions, rolloutCommandLine, verifyOptions, verifyCommandLine, rollout, init",
        "row 2 (b): names must be { field, value or absent, allowed }",
      ].join("\n"),
    );
  });

  test("GIVEN every row THEN YAML's number hint (leading zeros) appears only for an account ID", () => {
    const withHint = ROWS.filter((row) => row.message.includes("leading zeros"));
    expect(withHint.length).toBeGreaterThan(0);
    for (const row of withHint) expect(row.names.field).toMatch(/(^|\.)(id|\w*AccountId)$|accounts\[\d+\]\.id$/);
  });
});

// ---- the table is complete -------------------------------------------------------------------

/** Sites no input reaches, each with the reason. An entry that no longer names a site fails too. */
const UNREACHABLE: readonly { readonly site: string; readonly why: string }[] = [
  { site: site("app/config/parse/issues.ts", "a value as docs/configuration.md describes it"), why: "issues.ts's safety net: every check in our schemas has its own text; only an object has none, and gets its keys" },
  { site: site("app/config/parse/source.ts", "(top level)"), why: "formatPath's name for the config's root; load.ts words every message about the root without a path" },
  ...["permission denied", "not permitted", "the file system is read-only", "no space left on the device", "the disk quota is used up"].map((reason) => ({
    site: site("app/commands/output-folder.ts", reason),
    why: "the suite runs as root on a writable disk with space: the kernel refuses root none of these; test/output-folder.test.ts shows the words with a failing file system call",
  })),
  {
    site: site("app/commands/output-folder.ts", "Output folder …: … cannot be written (…); …. Nothing was written."),
    why: "needs a folder root may not write, or a symlink loop, which the table's inputs cannot make; test/output-folder.test.ts makes a loop",
  },
  {
    site: site("runner/lock.ts", "…: could not take the output folder's lock; run again."),
    why: "three tries each losing a race to a lock that is then released: no input makes that happen on demand; test/rollout-lock.test.ts covers the lock",
  },
];
const UNREACHABLE_KEYS = new Set(UNREACHABLE.map((entry) => entry.site));
const sites = messageSites();

describe("the table holds every message the source can make", () => {
  test("GIVEN every place in main.ts, app/, modules/ and rollout/ where message text is written THEN a row of the table produces it, by its whole template, and names it where the template is generic", () => {
    expect(uncoveredSites(sites, ROWS, UNREACHABLE_KEYS)).toEqual([]);
  });

  test("GIVEN the sites listed as unreachable THEN each is still in the source and no row produces it", () => {
    const findings = uncoveredSites(sites, ROWS);
    for (const entry of UNREACHABLE) {
      const matching = sites.filter((found) => found.key === entry.site);
      expect({ entry: entry.site, found: matching.length > 0 }).toEqual({ entry: entry.site, found: true });
      // Without its exemption, the check names it as uncovered.
      expect(findings.filter((finding) => finding.startsWith(`${matching.map((found) => found.where).join(", ")}: ${matching[0].text}`))).toHaveLength(1);
    }
  });
});

describe("the completeness check finds a new message site of every kind", () => {
  /** Its findings with `source` added to the program as `rollout/frob.ts` (and `others` beside it). */
  const withNewFile = (source: string, others: Record<string, string> = {}) => {
    const added = sitesOf({ ...others, "rollout/frob.ts": source });
    return { added, findings: uncoveredSites([...sites, ...added], ROWS, UNREACHABLE_KEYS) };
  };

  test.each([
    ["a UserError", "throw new UserError(`--frobnicate ${value}: not an option we know; expected --force`);", "--frobnicate …: not an option we know; expected --force"],
    ["a problem pushed", "problems.push(`${field}: got ${value}; expected a frobnicated value`);", "…: got …; expected a frobnicated value"],
    ["a warning pushed", 'warnings.push("frobnication is on in every account");', "frobnication is on in every account"],
    ["a problem returned by a ...Problems function", "function frobProblems() { return [`frob: got ${x}; expected no frob`]; }", "frob: got …; expected no frob"],
    ["a variable the message uses", 'function f() { const why = "it is frobnicated"; throw configError(file, [`frob: ${why}`]); }', "it is frobnicated"],
    ["a `problem:` property", "const unknown = { problem: `frob: got nothing; expected a frob` };", "frob: got nothing; expected a frob"],
    ["an Error subclass's summary", "class FrobError extends Error { constructor() { super(`Invalid frob props:`); } }", "Invalid frob props:"],
    ["a module-level constant passed to UserError", 'const REFUSED = "frob is refused by the frobnicator";\nexport function f() { throw new UserError(REFUSED); }', "frob is refused by the frobnicator"],
    ["problems pushed as a spread of a map", "export function f(xs: string[]) { const problems: string[] = []; problems.push(...xs.map((x) => `${x}: not a frob we know`)); return problems; }", "…: not a frob we know"],
    ["one word after a field's colon", "export function f(field: string) { const problems: string[] = []; problems.push(`${field}: frobbed`); return problems; }", "…: frobbed"],
    ["a list of another name passed to UserError", 'export function f(x: number) { const errors: string[] = []; if (x > 1) errors.push(`frob ${x}: too many frobs`); throw new UserError("Frobs are wrong:", errors); }', "frob …: too many frobs"],
    ["text a helper of another name returns", "function describe(x: string): string { return `frob ${x} is not frobnicated`; }\nexport function f(x: string) { throw new UserError(describe(x)); }", "frob … is not frobnicated"],
    ["an element written into a list passed to UserError", 'export function f(n: number) { const lines: string[] = []; lines[n] = "the frob is out of place"; throw new UserError("Frobs:", lines); }', "the frob is out of place"],
    ["a warning pushed onto a property", 'interface R { warnings: string[] }\nexport function f(r: R) { r.warnings.push("frobnication is on everywhere"); }', "frobnication is on everywhere"],
    ["what a wrapper's callers pass it", 'function fail(message: string): never { throw new UserError(message); }\nexport function f() { fail("the frob is gone"); }', "the frob is gone"],
    ["a property of a constant object", 'const RULE = { pattern: /x/, allowed: "a frob of four letters" };\nexport function f(x: string) { if (!RULE.pattern.test(x)) throw new UserError(`frob ${x}: expected ${RULE.allowed}`); }', "a frob of four letters"],
    ["what object literals give an interface's property", 'interface Words { readonly help: string }\nfunction parse(words: Words) { throw new UserError(`bad frob; see ${words.help}`); }\nexport function f() { parse({ help: "npm run frob -- --help" }); }', "npm run frob -- --help"],
  ])("GIVEN %s that no row produces THEN the check finds it and names it as uncovered", (_kind, source, text) => {
    const { added, findings } = withNewFile(source);
    const found = added.filter((candidate) => candidate.text === text);
    expect(found.map((candidate) => candidate.text)).toEqual([text]);
    // Its words are its own, so it is not generic: only a row its whole template matches would cover it.
    expect(findings).toContain(`${found[0].where}: ${text}`);
  });

  test("GIVEN message text in another file, imported (through an index's re-export) THEN it is a site of the file that writes it", () => {
    const others = { "rollout/words.ts": 'export const GONE = "the frob is gone for good";', "rollout/index.ts": 'export * from "./words";' };
    const { added, findings } = withNewFile('import { GONE } from ".";\nexport function f() { throw new UserError(GONE); }', others);
    expect(added.map((found) => `${found.where}: ${found.text}`)).toEqual(["rollout/words.ts:1: the frob is gone for good"]);
    expect(findings).toContain("rollout/words.ts:1: the frob is gone for good");
  });

  test("GIVEN a helper a message calls with one argument and a summary with another THEN only the message's argument is a site", () => {
    const source = 'function plural(n: number, noun: string) { return `${n} ${noun}s`; }\nexport function f(n: number) { console.log(plural(n, "summary line")); throw new UserError(`too many: ${plural(n, "frob thing")}`); }';
    expect(sitesIn("rollout/frob.ts", source).map((found) => found.text)).toEqual(["too many: …", "frob thing"]);
  });

  test("GIVEN the construct (a library) THEN its plain Errors count; elsewhere a plain Error is a bug, not a message", () => {
    const source = 'throw new Error("frob: got a frob; expected none");';
    expect(sitesIn("modules/frob.ts", source).map((found) => found.text)).toEqual(["frob: got a frob; expected none"]);
    expect(sitesIn("rollout/frob.ts", source)).toEqual([]);
  });

  test("GIVEN a new generic template (its words all other sites' too) THEN rows that match it do not cover it: a row must name it", () => {
    const { added, findings } = withNewFile("export function f(field: string, value: string, allowed: string) { throw new UserError(`${field}: got ${value}; expected ${allowed}`); }");
    const [generic] = added;
    expect(isGeneric(generic, [...sites, generic])).toBe(true);
    // Rows of other sites match it (that is why it is generic) ...
    expect(ROWS.filter((row) => template(generic).test(row.message)).length).toBeGreaterThan(10);
    // ... and yet it is reported, as generic.
    expect(findings).toContain(`${generic.where}: …: got …; expected … (generic: a row must name "${site("rollout/frob.ts", "…: got …; expected …")}")`);
    // Named by a row whose message it matches, it is covered.
    const naming = { given: "a frob", message: "frob: got 1; expected 2", sites: [generic.key] };
    expect(uncoveredSites([...sites, generic], [...ROWS, naming], UNREACHABLE_KEYS)).toEqual([]);
  });

  test("GIVEN a row naming a site its message does not match, or one not in the source THEN the check says so", () => {
    const rows = [...ROWS, { given: "a frob", message: "nothing alike", sites: [site("app/config/load.ts", "…: got …; expected ……"), site("rollout/frob.ts", "gone")] }];
    expect(uncoveredSites(sites, rows, UNREACHABLE_KEYS)).toEqual([
      `row "a frob" names "${site("app/config/load.ts", "…: got …; expected ……")}", whose template its message does not match`,
      `row "a frob" names "${site("rollout/frob.ts", "gone")}", which is not a site in the source`,
    ]);
  });

  test("GIVEN a site's pieces all in a row's message, but not as its template THEN that row does not cover it", () => {
    const [frob] = sitesIn("rollout/frob.ts", "throw new UserError(`frob ${x}: not frobbed here; expected ${y}`);");
    // The pieces, out of order; at the end with nothing after; inside a longer word.
    for (const message of ["not frobbed here; expected x, frob y:", "frob y: not frobbed here; expected ", "refrob y: not frobbed here; expected z"]) {
      expect({ message, covered: template(frob).test(message) }).toEqual({ message, covered: false });
    }
    expect(template(frob).test("frob y: not frobbed here; expected z")).toBe(true);
  });

  test("GIVEN a value that may be empty (a hint) THEN the template lets it be empty; any other must be filled", () => {
    const [withHint] = sitesIn("rollout/frob.ts", 'function f(x: string, guess?: string) { throw new UserError(`${x}: unknown frob.${guess ? ` Try ${guess}.` : ""} Allowed: a, b`); }');
    expect(withHint.optional).toEqual([false, true]);
    expect(template(withHint).test("--x: unknown frob. Allowed: a, b")).toBe(true);
    expect(template(withHint).test(": unknown frob. Allowed: a, b")).toBe(false);
  });
});

// ---- each error printed once ----------------------------------------------------------------

describe("each error printed once, whatever the entry point", () => {
  // The bad config of test/cdktf-synth.test.ts, which checks the same through the real cdktf CLI.
  const folder = path.join(dir, "printed-once");
  const bad = writeFile(folder, "bad.yaml", `trelicaOrganizationId: "org-e2e"\naccounts:\n  - id: "0123"\n`);
  const error = [`Config file ${bad} has 1 problem; nothing was written:`, '  - accounts[0].id: got "0123"; expected exactly 12 digits, as a string'];
  const timesIn = (output: string, line: string) => output.split(line).length - 1;

  const npmRun = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const environment: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const name of ["TRELICA_CONFIG", "CDKTF_OUTDIR"]) if (!(name in env)) delete environment[name];
    return spawnSync("npm", ["run", ...args], { cwd: PROJECT_ROOT, env: environment, encoding: "utf8" });
  };

  test("GIVEN a bad config WHEN npm run synth THEN its error is on stderr exactly once and nowhere else, exit 1, nothing written", () => {
    const output = path.join(folder, "synth-out");
    const run = npmRun(["synth", "--", "--config", bad, "--output", output]);
    expect(run.status).toBe(1);
    for (const line of error) expect({ line, stderr: timesIn(run.stderr, line), stdout: timesIn(run.stdout, line) }).toEqual({ line, stderr: 1, stdout: 0 });
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(output)).toBe(false);
  });

  test("GIVEN a bad config WHEN npm run rollout -- plan, which synthesizes first THEN the error is on stderr exactly once, then that nothing was run, exit 1", () => {
    const output = path.join(folder, "rollout-out");
    const run = npmRun(["rollout", "--", "plan", "--outdir", output, "--progress", "plain"], { TRELICA_CONFIG: bad, TERRAFORM_BINARY_NAME: path.join(PROJECT_ROOT, "test", "fake-terraform", "terraform") });
    expect(run.status).toBe(1);
    for (const line of error) expect({ line, stderr: timesIn(run.stderr, line), stdout: timesIn(run.stdout, line) }).toEqual({ line, stderr: 1, stdout: 0 });
    expect(run.stderr.trim().split("\n").at(-1)).toBe("Synthesis failed (node -r sucrase/register main.ts exited 1); nothing was run. Fix what it printed above, then run again.");
    expect(fs.existsSync(output)).toBe(false);
  });
});
