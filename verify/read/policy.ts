/*
 * IAM policy documents compared as policy, not as text: IAM hands back what was written (URL-encoded,
 * with its own spacing), and a single Action may be a string or a one-element list. Order of statements,
 * actions, principals and condition values does not matter; Sid is a label and is ignored.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** IAM's policy documents arrive URL-encoded (RFC 3986); an SDK may or may not have decoded them. */
export function parsePolicyDocument(text: string): unknown {
  // A JSON document starts with "{" (after spaces); URL-encoded, with "%7B". Decided up front: a failed parse is costly at scale.
  return JSON.parse(/^\s*\{/.test(text) ? text : decodeURIComponent(text));
}

const LIST_KEYS = new Set(["Action", "NotAction", "Resource", "NotResource"]);

/** A canonical form: lists sorted and de-duplicated, a lone value as a one-element list, keys sorted, Sid dropped. */
export function normalizePolicy(document: unknown): Json {
  const doc = (document ?? {}) as { Version?: string; Statement?: unknown };
  const statements = ([] as unknown[]).concat(doc.Statement ?? []).map(normalizeStatement);
  return { Statement: sortedUnique(statements), Version: doc.Version ?? null };
}

function normalizeStatement(statement: unknown): Json {
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries((statement ?? {}) as Record<string, unknown>)) {
    if (key === "Sid") continue;
    if (LIST_KEYS.has(key)) out[key] = sortedUnique(([] as unknown[]).concat(value as never).map(String));
    else if (key === "Principal" || key === "NotPrincipal") out[key] = normalizePrincipal(value);
    else if (key === "Condition") out[key] = normalizeCondition(value);
    else out[key] = value as Json;
  }
  return sortKeys(out);
}

/** IAM shows an account principal as its root ARN whichever way it was written. */
function normalizePrincipal(value: unknown): Json {
  if (typeof value === "string") return value;
  const out: Record<string, Json> = {};
  for (const [kind, principals] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    out[kind] = sortedUnique(([] as unknown[]).concat(principals as never).map((p) => (kind === "AWS" && /^\d{12}$/.test(String(p)) ? `arn:aws:iam::${p}:root` : String(p))));
  }
  return sortKeys(out);
}

function normalizeCondition(value: unknown): Json {
  const out: Record<string, Json> = {};
  for (const [operator, keys] of Object.entries((value ?? {}) as Record<string, Record<string, unknown>>)) {
    const inner: Record<string, Json> = {};
    // Condition keys are case-insensitive in IAM.
    for (const [key, values] of Object.entries(keys ?? {})) inner[key.toLowerCase()] = sortedUnique(([] as unknown[]).concat(values as never).map(String));
    out[operator] = sortKeys(inner);
  }
  return sortKeys(out);
}

function sortKeys(record: Record<string, Json>): Json {
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]]));
}

function sortedUnique<T extends Json>(items: readonly T[]): T[] {
  const byText = new Map(items.map((item) => [JSON.stringify(item), item]));
  return [...byText.keys()].sort().map((key) => byText.get(key)!);
}

export function samePolicy(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalizePolicy(a)) === JSON.stringify(normalizePolicy(b));
}

/** The policy in one line as its canonical form, for a finding's "expected … live …". */
export function policyText(document: unknown): string {
  return JSON.stringify(normalizePolicy(document));
}

interface StatementLike {
  readonly Effect?: string;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const statementsOf = (document: unknown): StatementLike[] => ([] as StatementLike[]).concat(((document ?? {}) as { Statement?: never }).Statement ?? []);
const asList = (value: unknown): string[] => (value === undefined ? [] : ([] as unknown[]).concat(value).map(String));

/** The actions the Allow statements grant, as written (wildcards kept). */
export function allowedActions(document: unknown): string[] {
  return [...new Set(statementsOf(document).filter((s) => s.Effect === "Allow").flatMap((s) => asList(s.Action)))].sort();
}

/** Whether every Allow statement grants named actions only (no NotAction), all of them in `allowed`, and at least one. */
export function grantsOnly(document: unknown, allowed: ReadonlySet<string>): boolean {
  const allows = statementsOf(document).filter((s) => s.Effect === "Allow");
  // No Allow statement grants no action: the check below refuses it.
  if (allows.some((s) => s.NotAction !== undefined)) return false;
  const actions = allows.flatMap((s) => asList(s.Action));
  return actions.length > 0 && actions.every((action) => allowed.has(action));
}

/** The AWS principals the trust policy's Allow statements name, normalized (an account ID as its root ARN). */
export function trustedPrincipals(document: unknown): string[] {
  const principals = statementsOf(document)
    .filter((s) => s.Effect === "Allow")
    .flatMap((s) => {
      const normalized = normalizePrincipal(s.Principal) as Record<string, string[]> | string;
      return typeof normalized === "string" ? [normalized] : (normalized.AWS ?? []);
    });
  return [...new Set(principals)].sort();
}

/** The sts:ExternalId values the trust policy's Allow statements require (StringEquals), sorted. */
export function externalIds(document: unknown): string[] {
  const ids = statementsOf(document)
    .filter((s) => s.Effect === "Allow")
    .flatMap((s) => Object.entries(s.Condition?.StringEquals ?? {}).filter(([key]) => key.toLowerCase() === "sts:externalid").flatMap(([, values]) => asList(values)));
  return [...new Set(ids)].sort();
}
