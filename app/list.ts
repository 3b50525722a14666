/** "a, b, c and 7 more": long lists of accounts stay readable in a terminal. */
export function listSome(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

export function plural(count: number, noun: string): string {
  return `${thousands(count)} ${noun}${count === 1 ? "" : "s"}`;
}

/** 12345 → "12,345" without toLocaleString, whose first call loads ICU data (~40 ms at start-up). */
export function thousands(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
