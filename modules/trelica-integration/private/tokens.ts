import { Fn, Token, Tokenization } from "./cdk";

/*
 * Values known only at plan or apply time (a TerraformVariable, a data source's attribute, an Fn
 * expression) reach the construct as CDKTF tokens: encoded strings, numbers or maps that CDKTF turns into
 * Terraform references when it synthesizes. The construct checks what is known and passes the rest on.
 */

/** How much of a value is known now: all of it, none of it (one token), or text around tokens. */
export type Known = "literal" | "token" | "partly";

export function knownOf(value: unknown): Known {
  if (!Token.isUnresolved(value)) return "literal";
  if (typeof value !== "string") return "token";
  const reversed = Tokenization.reverseString(value);
  return reversed.length === 1 && reversed.firstToken ? "token" : "partly";
}

/** The text with every token in it (by its encoding) replaced by `by`. */
export function replaceTokens(text: string, by: string): string {
  // Literal text reverses to no tokens and comes back as it is.
  return Tokenization.reverseString(text).tokens.reduce((replaced, token) => replaced.split(token.toString()).join(by), text);
}

/**
 * A policy document as Terraform gets it: the same JSON text as always while every value is known, and
 * Terraform's own `jsonencode` once a value is a token, so that whatever the token turns out to be is
 * escaped as JSON (a token pasted into JSON text would not be).
 */
export function policyJson(document: object): string {
  const text = JSON.stringify(document);
  return Token.isUnresolved(text) ? Fn.jsonencode(document) : text;
}

/**
 * The tags a resource gets: ours, then the user's. A whole map known only at apply time is merged by
 * Terraform with ours last, so a value in it can never take the role out of the SCP's protection.
 */
export function mergedTags(defaults: Readonly<Record<string, string>>, tags: Readonly<Record<string, string>> | undefined): Record<string, string> {
  // No tags are known: "literal".
  if (knownOf(tags) === "token") return Token.asStringMap(Fn.merge([tags, defaults]));
  return { ...defaults, ...tags };
}
