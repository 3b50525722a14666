/*
 * npm run switch -- <cdktf|cdktn>: starts scripts/switch-cdk.ts. On a fresh clone, before any npm ci, the
 * three packages the switch itself needs (sucrase, typescript, commander, at package.json's pins) are
 * fetched into a temporary folder first: the order is switch, then npm ci, then npm test.
 */
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const NEEDED = ["sucrase", "typescript", "commander"];
const installed = (name) => {
  try {
    require.resolve(`${name}/package.json`, { paths: [root] });
    return true;
  } catch {
    return false;
  }
};

let env = process.env;
let scratch;
let paths = [root];
if (!NEEDED.every(installed)) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const pins = NEEDED.map((name) => `${name}@${(pkg.dependencies ?? {})[name] ?? (pkg.devDependencies ?? {})[name] ?? "latest"}`);
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "trelica-switch-"));
  process.stdout.write(`No node_modules yet: fetching ${pins.join(", ")} for the switch itself (into ${scratch}, removed afterwards) ...\n`);
  const npm = spawnSync("npm", ["install", "--prefix", scratch, "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", ...pins], { stdio: "inherit" });
  if (npm.status !== 0) {
    process.stderr.write(`npm could not fetch ${pins.join(", ")} (exit ${npm.status}); nothing was changed. Run npm ci first, then npm run switch again.\n`);
    process.exit(1);
  }
  paths = [path.join(scratch, "node_modules")];
  env = { ...env, NODE_PATH: paths[0] };
}
const register = require.resolve("sucrase/register", { paths });
const run = spawnSync(process.execPath, ["-r", register, path.join(__dirname, "switch-cdk.ts"), ...process.argv.slice(2)], { stdio: "inherit", env });
if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
process.exit(run.status ?? 1);
