import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../../app/common/errors";
import { FLAVOUR_NAMES, FlavourName, FLAVOURS } from "./flavours";
import { flavourOf, PackageChange, packageText, pinned, planPackage } from "./package-json";
import { FileChange, projectSourceFiles, rewriteSpecifiers } from "./specifiers";

export interface SwitchOptions {
  /** Switch even when git reports uncommitted changes (or no git checkout). @default false */
  readonly force?: boolean;
  /** Bring package-lock.json in line with `npm install --package-lock-only`. @default true */
  readonly lock?: boolean;
  readonly log?: (line: string) => void;
}

export interface SwitchResult {
  readonly from: FlavourName;
  readonly to: FlavourName;
  readonly packageChanges: readonly PackageChange[];
  readonly fileChanges: readonly FileChange[];
}

/**
 * Moves the project in `root` onto `target`: package.json's flavour packages and Node engine, every
 * flavour import specifier, and (unless told not to) package-lock.json. Plans everything first; writes
 * nothing when there is nothing to do, and puts package.json and the lock back if npm fails.
 */
export function switchFlavour(root: string, target: string, options: SwitchOptions = {}): SwitchResult {
  const log = options.log ?? (() => {});
  if (!(FLAVOUR_NAMES as string[]).includes(target)) {
    throw new UserError(`flavour "${target}" is not known; expected one of: ${FLAVOUR_NAMES.join(", ")}`);
  }
  const to = FLAVOURS[target as FlavourName];
  const packageFile = path.join(root, "package.json");
  const pkg = JSON.parse(fs.readFileSync(packageFile, "utf8"));
  const from = flavourOf(pkg);
  if (!from) {
    throw new UserError(`package.json (dev)dependencies: expected exactly one of ${FLAVOUR_NAMES.join(", ")}; found ${FLAVOUR_NAMES.filter((name) => pinned(pkg, FLAVOURS[name].modules.core)).join(" and ") || "neither"}`);
  }
  const planned = planPackage(pkg, to);
  const fileChanges: FileChange[] = [];
  for (const file of projectSourceFiles(root)) {
    let text = fs.readFileSync(path.join(root, file), "utf8");
    const changes: FileChange["changes"][number][] = [];
    for (const other of Object.values(FLAVOURS).filter((flavour) => flavour.name !== to.name)) {
      const change = rewriteSpecifiers(file, text, other, to);
      if (change) {
        text = change.text;
        changes.push(...change.changes);
      }
    }
    if (changes.length > 0) fileChanges.push({ file, text, changes });
  }
  const result: SwitchResult = { from, to: to.name, packageChanges: planned.changes, fileChanges };
  if (planned.changes.length === 0 && fileChanges.length === 0) {
    log(`Already on ${to.name}: package.json and every import agree; nothing changed.`);
    return result;
  }
  if (!options.force) refuseDirtyTree(root);

  const lockFile = path.join(root, "package-lock.json");
  const before = { pkg: fs.readFileSync(packageFile, "utf8"), lock: fs.existsSync(lockFile) ? fs.readFileSync(lockFile, "utf8") : undefined };
  writeAtomically(packageFile, packageText(planned.pkg));
  if (options.lock !== false && planned.changes.length > 0) {
    log("Updating package-lock.json (npm install --package-lock-only) ...");
    const npm = spawnSync("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (npm.status !== 0) {
      writeAtomically(packageFile, before.pkg);
      if (before.lock !== undefined) writeAtomically(lockFile, before.lock);
      throw new UserError(`npm install --package-lock-only failed (exit ${npm.status ?? npm.signal}); nothing was changed:\n${(npm.stderr || npm.stdout).trim()}`);
    }
  }
  for (const change of fileChanges) writeAtomically(path.join(root, change.file), change.text);
  report(result, options.lock !== false && planned.changes.length > 0, log);
  return result;
}

function refuseDirtyTree(root: string): void {
  const git = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: root, encoding: "utf8" });
  if (git.status !== 0) {
    throw new UserError(`${root} is not a git checkout (git status: ${(git.stderr || "").trim() || `exit ${git.status}`}): cannot tell whether the switch can be undone; nothing was changed. Use --force to switch anyway.`);
  }
  const dirty = git.stdout.split("\n").filter(Boolean);
  if (dirty.length > 0) {
    const shown = dirty.slice(0, 10).map((line) => `  ${line.slice(3)}`);
    if (dirty.length > 10) shown.push(`  ... and ${dirty.length - 10} more`);
    throw new UserError(`the git tree has ${dirty.length} uncommitted change(s); nothing was changed. Commit or stash them first (so git can undo the switch), or use --force:\n${shown.join("\n")}`);
  }
}

function report(result: SwitchResult, lockUpdated: boolean, log: (line: string) => void): void {
  log(`Switched from ${result.from} to ${result.to}.`);
  if (result.packageChanges.length > 0) {
    log("package.json:");
    for (const change of result.packageChanges) log(`  ${change.field}: ${change.from ?? "(none)"} -> ${change.to ?? "(removed)"}`);
  }
  if (lockUpdated) log("package-lock.json: updated to match");
  const specifiers = result.fileChanges.reduce((sum, file) => sum + file.changes.length, 0);
  log(`Import specifiers: ${specifiers} in ${result.fileChanges.length} file(s):`);
  for (const file of result.fileChanges) for (const change of file.changes) log(`  ${file.file}:${change.line}  "${change.from}" -> "${change.to}"`);
  const back = FLAVOUR_NAMES.find((name) => name !== result.to);
  log("");
  log(`Next: npm ci${result.to === "cdktn" ? ` on Node ${FLAVOURS.cdktn.nodeEngine} (see docs/cdk-terrain.md)` : ""}, then npm test.`);
  log(`To go back: npm run switch -- ${back} (then npm ci), or undo the uncommitted switch with git checkout -- .`);
}

function writeAtomically(file: string, text: string): void {
  const temp = `${file}.switch-${process.pid}`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}
