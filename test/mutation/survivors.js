/*
 * The mutants no test kills, read from a mutation-testing report (the committed incremental results, or
 * reports/mutation/mutation.json), each matched with the reason it is accepted (accepted.js). A survivor
 * without a reason, or a reason no survivor needs, is reported: docs/development.md's list is rendered
 * from here (npm run docs) and test/docs.test.ts fails on either.
 */
const fs = require("node:fs");
const path = require("node:path");
const ACCEPTED = require("./accepted");

const ROOT = path.join(__dirname, "..", "..");
const INCREMENTAL = path.join(ROOT, "reports", "stryker-incremental");
const LIVE = new Set(["Survived", "NoCoverage"]);

/** The mutated code as one line: its text in the source, whitespace runs as one space. */
function originalOf(source, { start, end }) {
  const lines = source.split("\n");
  const text = start.line === end.line ? lines[start.line - 1].slice(start.column - 1, end.column - 1) : [lines[start.line - 1].slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1].slice(0, end.column - 1)].join("\n");
  return text.replace(/\s+/g, " ").trim();
}

/** Every Survived or NoCoverage mutant of the reports, in file and line order. */
function survivorsOf(reports) {
  const survivors = [];
  for (const report of reports) {
    for (const [file, { mutants, source }] of Object.entries(report.files)) {
      for (const mutant of mutants) {
        if (!LIVE.has(mutant.status)) continue;
        survivors.push({
          file,
          line: mutant.location.start.line,
          column: mutant.location.start.column,
          status: mutant.status,
          mutator: mutant.mutatorName,
          original: originalOf(source, mutant.location),
          lineText: source.split("\n")[mutant.location.start.line - 1].trim(),
          replacement: (mutant.replacement ?? "").replace(/\s+/g, " ").trim(),
        });
      }
    }
  }
  return survivors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

const matches = (entry, survivor) =>
  entry.file === survivor.file &&
  entry.mutator === survivor.mutator &&
  entry.code === survivor.original &&
  (entry.replacement === undefined || entry.replacement === survivor.replacement) &&
  (entry.in === undefined || survivor.lineText.includes(entry.in));

/**
 * Each survivor with its reason, the survivors no entry explains and the entries that explain none.
 * An entry matches by file, mutator, the mutated code and, when given, the replacement and a piece of
 * the mutant's line (`in`).
 */
function explained(survivors, accepted = ACCEPTED) {
  const used = new Set();
  const listed = [];
  const unexplained = [];
  for (const survivor of survivors) {
    const entry = accepted.find((candidate) => matches(candidate, survivor));
    if (entry === undefined) unexplained.push(survivor);
    else {
      used.add(entry);
      listed.push({ ...survivor, reason: entry.reason });
    }
  }
  return { listed, unexplained, unused: accepted.filter((entry) => !used.has(entry)) };
}

/** The committed incremental results of every folder. */
function committedReports() {
  return fs
    .readdirSync(INCREMENTAL)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => JSON.parse(fs.readFileSync(path.join(INCREMENTAL, name), "utf8")));
}

const describe = (survivor) => `${survivor.file}:${survivor.line} ${survivor.mutator} \`${survivor.original}\` -> \`${survivor.replacement}\``;

module.exports = { committedReports, describe, explained, originalOf, survivorsOf };
