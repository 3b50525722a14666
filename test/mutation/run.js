// `npm run test:mutation [-- folder ...] [-- stryker options such as --force]`: one Stryker run per
// folder of folders.js (all of them by default), each against its own tests, then their reports merged
// into reports/mutation/mutation.json (the mutation-testing report schema) for `node test/mutation/scores.js`,
// and mutation.html beside it to browse.
const { spawnSync } = require("node:child_process");
const { createRequire } = require("node:module");
const fs = require("node:fs");
const path = require("node:path");
const FOLDERS = require("./folders");

const ROOT = path.join(__dirname, "..", "..");
const args = process.argv.slice(2);
const named = args.filter((arg) => FOLDERS[arg.replace(/\/$/, "")] !== undefined).map((arg) => arg.replace(/\/$/, ""));
const strykerArgs = args.filter((arg) => FOLDERS[arg.replace(/\/$/, "")] === undefined);
const unknown = strykerArgs.filter((arg) => !arg.startsWith("-") && !/^\d+$/.test(arg));
if (unknown.length > 0) {
  console.error(`test:mutation: got ${unknown.join(", ")}; expected folders among ${Object.keys(FOLDERS).join(", ")}, and Stryker options such as --force`);
  process.exit(2);
}
const folders = named.length > 0 ? named : Object.keys(FOLDERS);
const reportOf = (folder) => path.join(ROOT, "reports", "mutation", `${folder.replaceAll("/", "-")}.json`);

for (const folder of folders) {
  console.log(`test:mutation: ${folder}`);
  fs.rmSync(reportOf(folder), { force: true });
  const run = spawnSync(path.join(ROOT, "node_modules", ".bin", "stryker"), ["run", ...strykerArgs], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, MUTATION_TESTS: folder },
  });
  if (run.status !== 0) {
    console.error(`test:mutation: Stryker on ${folder} exited with ${run.status ?? run.signal}; reports/mutation/mutation.json was not written`);
    process.exit(1);
  }
}

/** The folders' reports as one: their files side by side, each test once (by file and name), ids renumbered. */
function merged(reports) {
  const [first] = reports;
  const ids = new Map();
  const testFiles = {};
  const files = {};
  for (const report of reports) {
    const renumbered = new Map();
    for (const [file, { tests, ...rest }] of Object.entries(report.testFiles ?? {})) {
      const into = (testFiles[file] ??= { ...rest, tests: [] });
      for (const test of tests) {
        const key = `${file}\u0000${test.name}`;
        if (!ids.has(key)) {
          ids.set(key, String(ids.size));
          into.tests.push({ ...test, id: ids.get(key) });
        }
        renumbered.set(test.id, ids.get(key));
      }
    }
    const remap = (list) => list?.map((id) => renumbered.get(id));
    for (const [file, result] of Object.entries(report.files)) {
      files[file] = { ...result, mutants: result.mutants.map((mutant) => ({ ...mutant, coveredBy: remap(mutant.coveredBy), killedBy: remap(mutant.killedBy) })) };
    }
  }
  return { ...first, files, testFiles };
}

/** The report as one HTML page, with the viewer Stryker's own HTML reporter embeds (mutation-testing-elements). */
function html(report) {
  const viewer = fs.readFileSync(createRequire(require.resolve("@stryker-mutator/core")).resolve("mutation-testing-elements/dist/mutation-test-elements.js"), "utf8");
  // Inside <script>, no "<" may end it early: every one in the report is written as its JSON escape.
  const data = JSON.stringify(report).replace(/</g, "\\u003c");
  return [
    "<!DOCTYPE html>",
    '<html><head><meta charset="utf-8"><title>trelica-aws-role: mutation testing</title>',
    `<script>${viewer}</script>`,
    '</head><body><mutation-test-report-app titlePostfix="trelica-aws-role"></mutation-test-report-app>',
    `<script>document.querySelector("mutation-test-report-app").report = ${data};</script>`,
    "</body></html>",
    "",
  ].join("\n");
}

const reports = folders.map(reportOf);
const report = merged(reports.map((file) => JSON.parse(fs.readFileSync(file, "utf8"))));
const target = path.join(ROOT, "reports", "mutation", "mutation.json");
fs.writeFileSync(target, JSON.stringify(report));
fs.writeFileSync(target.replace(/\.json$/, ".html"), html(report));
console.log(`test:mutation: ${path.relative(ROOT, target)} and mutation.html hold ${reports.map((file) => path.basename(file, ".json")).join(", ")}`);
