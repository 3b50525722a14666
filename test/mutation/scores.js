// `node test/mutation/scores.js [report]`: per folder, the mutation score from the report's raw statuses
// (Killed and Timeout over every mutant but Ignored, CompileError and RuntimeError), then the survivors,
// each with its reason from accepted.js or marked NOT ACCEPTED (exit code 1 when one is).
const fs = require("node:fs");
const { describe, explained, survivorsOf } = require("./survivors");

const report = JSON.parse(fs.readFileSync(process.argv[2] ?? "reports/mutation/mutation.json", "utf8"));
const FOLDERS = ["modules/trelica-integration/", "app/config/", "verify/"];
const INVALID = new Set(["Ignored", "CompileError", "RuntimeError"]);
const folderOf = (file) => FOLDERS.find((prefix) => file.startsWith(prefix)) ?? file;
const folders = new Map();
for (const [file, { mutants }] of Object.entries(report.files)) {
  const counts = folders.get(folderOf(file)) ?? { detected: 0, valid: 0, ignored: 0 };
  for (const mutant of mutants) {
    if (INVALID.has(mutant.status)) counts.ignored++;
    else {
      counts.valid++;
      if (mutant.status === "Killed" || mutant.status === "Timeout") counts.detected++;
    }
  }
  folders.set(folderOf(file), counts);
}
const { listed, unexplained } = explained(survivorsOf([report]));
for (const [folder, { detected, valid, ignored }] of folders) {
  console.log(`${folder}: ${((100 * detected) / valid).toFixed(1)}% (${detected} of ${valid}; ${ignored} static/invalid not counted)`);
  for (const survivor of listed.filter((each) => folderOf(each.file) === folder)) console.log(`  accepted ${survivor.status} ${describe(survivor)}: ${survivor.reason}`);
  for (const survivor of unexplained.filter((each) => folderOf(each.file) === folder)) console.log(`  NOT ACCEPTED ${survivor.status} ${describe(survivor)}`);
}
if (unexplained.length > 0) {
  console.log(`${unexplained.length} survivors have no reason in test/mutation/accepted.js`);
  process.exitCode = 1;
}
