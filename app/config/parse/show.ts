/** Shows a value the way the user wrote it, so they can find it in their file. */
export function show(value: unknown, sourceText?: string): string {
  if (sourceText !== undefined) return sourceText;
  if (value === undefined) return "nothing";
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
