import { z } from "zod";
import { tagProblems } from "../../modules/trelica-integration";

/**
 * A map of tags, checked by AWS's tag rules (the construct's tagProblems): each problem under its key, or
 * under the map when it is about the whole (too many). `added` are tags the program puts beside them.
 */
export function tagMap(keysAre: string, added: Readonly<Record<string, string>> = {}) {
  return z
    .record(z.string(), z.string({ error: "a string tag value" }), { error: `a map of ${keysAre} to string values` })
    .superRefine((value, ctx) => {
      for (const problem of tagProblems(value, added)) {
        ctx.addIssue({ code: "custom", message: problem.expected, input: problem.got, path: problem.key === undefined ? [] : [problem.key] });
      }
    });
}
