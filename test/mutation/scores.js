// `node test/mutation/scores.js [report]`: per folder, the mutation score from the report's raw statuses
// (Killed and Timeout over every mutant but Ignored, CompileError and RuntimeError), and the survivors.
const fs = require("node:fs");

const report = JSON.parse(fs.readFileSync(process.argv[2] ?? "reports/mutation/mutation.json", "utf8"));
const FOLDERS = ["modules/trelica-integration/", "app/config/", "verify/"];
const INVALID = new Set(["Ignored", "CompileError", "RuntimeError"]);
const folders = new Map();
for (const [file, { mutants, source }] of Object.entries(report.files)) {
  const folder = FOLDERS.find((prefix) => file.startsWith(prefix)) ?? file;
  const counts = folders.get(folder) ?? { detected: 0, valid: 0, ignored: 0, survivors: [] };
  for (const mutant of mutants) {
    if (INVALID.has(mutant.status)) {
      counts.ignored++;
      continue;
    }
    counts.valid++;
    if (mutant.status === "Killed" || mutant.status === "Timeout") counts.detected++;
    else {
      const line = source.split("\n")[mutant.location.start.line - 1].trim();
      counts.survivors.push(`${mutant.status} ${file}:${mutant.location.start.line} ${mutant.mutatorName} ${JSON.stringify(mutant.replacement ?? "")} in: ${line.slice(0, 120)}`);
    }
  }
  folders.set(folder, counts);
}
for (const [folder, { detected, valid, ignored, survivors }] of folders) {
  console.log(`${folder}: ${((100 * detected) / valid).toFixed(1)}% (${detected} of ${valid}; ${ignored} static/invalid not counted)`);
  for (const survivor of survivors) console.log(`  ${survivor}`);
}
