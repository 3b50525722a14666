import { Flavour, FlavourName, FLAVOURS } from "./flavours";

/* package.json as data: parsed, changed by key, written back in npm's own layout (2 spaces, sorted deps). */

type Section = "dependencies" | "devDependencies" | "peerDependencies" | "overrides";
const SECTIONS: readonly Section[] = ["dependencies", "devDependencies", "peerDependencies", "overrides"];

export interface PackageChange {
  readonly field: string;
  readonly from: string | undefined;
  readonly to: string | undefined;
}

/** The flavour package.json is on: the one whose CDK library it pins; undefined if neither or both. */
export function flavourOf(pkg: any): FlavourName | undefined {
  const on = Object.values(FLAVOURS).filter((flavour) => pinned(pkg, flavour.modules.core));
  return on.length === 1 ? on[0].name : undefined;
}

/** The entries of package.json that differ from what `flavour` pins, as `section.name`. */
export function differencesFrom(pkg: any, flavour: Flavour): PackageChange[] {
  return planPackage(pkg, flavour).changes;
}

/** package.json with `flavour`'s packages and Node engine, and every other flavour's packages removed. */
export function planPackage(pkg: any, flavour: Flavour): { readonly pkg: any; readonly changes: PackageChange[] } {
  const next = structuredClone(pkg);
  const changes: PackageChange[] = [];
  for (const section of SECTIONS) {
    const wanted: Readonly<Record<string, string>> = flavour.packages[section] ?? {};
    const entries: Record<string, string> = { ...(next[section] ?? {}) };
    for (const other of Object.values(FLAVOURS)) {
      for (const name of Object.keys(other.packages[section] ?? {})) {
        if (!(name in wanted) && name in entries) {
          changes.push({ field: `${section}.${name}`, from: entries[name], to: undefined });
          delete entries[name];
        }
      }
    }
    for (const [name, version] of Object.entries(wanted)) {
      if (entries[name] !== version) changes.push({ field: `${section}.${name}`, from: entries[name], to: version });
      entries[name] = version;
    }
    const sorted = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b, "en")));
    if (Object.keys(sorted).length > 0) next[section] = sorted;
    else delete next[section];
  }
  if (next.engines?.node !== flavour.nodeEngine) {
    changes.push({ field: "engines.node", from: next.engines?.node, to: flavour.nodeEngine });
    next.engines = { ...(next.engines ?? {}), node: flavour.nodeEngine };
  }
  return { pkg: next, changes };
}

/** Whether package.json pins `name` (the app's own pins are dependencies or devDependencies). */
export function pinned(pkg: any, name: string): boolean {
  return pkg.dependencies?.[name] !== undefined || pkg.devDependencies?.[name] !== undefined;
}

export function packageText(pkg: any): string {
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
