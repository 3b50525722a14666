import * as fs from "node:fs";
import * as path from "node:path";

/*
 * Two synthesis outputs of one config, one per flavour, compared file by file and value by value. The
 * only differences allowed are what the flavour itself decides: the providers' `source` and version
 * constraint, and the CDK library's version in the stack metadata and manifest.json.
 */

const ALLOWED: readonly { readonly pattern: RegExp; readonly why: string }[] = [
  { pattern: /^stacks\/[^/]+\/cdk\.tf\.json: terraform\.required_providers\.[^.]+\.source$/, why: "provider source" },
  { pattern: /^stacks\/[^/]+\/cdk\.tf\.json: terraform\.required_providers\.[^.]+\.version$/, why: "provider version constraint" },
  { pattern: /^stacks\/[^/]+\/cdk\.tf\.json: \/\/\.metadata\.version$/, why: "CDK library version in the stack metadata" },
  { pattern: /^manifest\.json: version$/, why: "CDK library version in manifest.json" },
];

export interface Difference {
  readonly where: string;
  readonly left: unknown;
  readonly right: unknown;
}

export interface Comparison {
  readonly files: number;
  readonly allowed: readonly Difference[];
  readonly forbidden: readonly Difference[];
}

export function compareOutputs(left: string, right: string): Comparison {
  const leftFiles = filesBelow(left);
  const rightFiles = filesBelow(right);
  const differences: Difference[] = [];
  for (const file of [...new Set([...leftFiles, ...rightFiles])].sort()) {
    if (!leftFiles.includes(file) || !rightFiles.includes(file)) {
      differences.push({ where: file, left: leftFiles.includes(file) ? "present" : "absent", right: rightFiles.includes(file) ? "present" : "absent" });
      continue;
    }
    const a = fs.readFileSync(path.join(left, file), "utf8");
    const b = fs.readFileSync(path.join(right, file), "utf8");
    if (file.endsWith(".json")) diffValues(`${file}: `, "", JSON.parse(a), JSON.parse(b), differences);
    else if (a !== b) differences.push({ where: file, left: `${a.length} characters`, right: `${b.length} characters` });
  }
  const allowed = differences.filter((difference) => ALLOWED.some((rule) => rule.pattern.test(difference.where)));
  return { files: leftFiles.length, allowed, forbidden: differences.filter((difference) => !allowed.includes(difference)) };
}

/** One line per kind of allowed difference: where (stack name generalised), the two values, how often. */
export function summarise(differences: readonly Difference[]): string[] {
  const groups = new Map<string, { count: number; why: string }>();
  for (const difference of differences) {
    const key = `${difference.where.replace(/^stacks\/[^/]+\//, "stacks/*/")}: ${JSON.stringify(difference.left)} -> ${JSON.stringify(difference.right)}`;
    const why = ALLOWED.find((rule) => rule.pattern.test(difference.where))?.why ?? "not allowed";
    groups.set(key, { count: (groups.get(key)?.count ?? 0) + 1, why });
  }
  return [...groups].map(([key, { count, why }]) => `${key}  (${count}x: ${why})`);
}

function diffValues(file: string, at: string, a: unknown, b: unknown, out: Difference[]): void {
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) diffValues(file, at === "" ? key : `${at}.${key}`, (a as any)[key], (b as any)[key], out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ where: `${file}${at}`, left: a, right: b });
}

function filesBelow(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}
