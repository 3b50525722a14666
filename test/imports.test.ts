/*
 * The product's files import each other without circles, and what a second command (a read-only verify,
 * say) needs from rollout works without rollout's terraform steps.
 */
import { importCircles, importGraph, ImportGraph, productFiles, reachableFrom } from "./helpers/imports";

/** What rollout and verify share: every file of runner/. */
const SHARED_BY_COMMANDS = productFiles().filter((file) => file.startsWith("runner/"));
/** Rollout's terraform steps: none of the shared files may pull them in. */
const TERRAFORM_STEPS = ["rollout/run.ts", "rollout/account-steps.ts", "rollout/gate.ts", "rollout/terraform-init.ts", "rollout/plans/saved-plans.ts", "rollout/terraform/terraform.ts"];

describe("the product's import graph", () => {
  const graph = importGraph();

  test("GIVEN main.ts and every product folder THEN no file imports itself through others (type-only imports count)", () => {
    expect(importCircles(graph).map((circle) => circle.join(" -> "))).toEqual([]);
  });

  test("GIVEN the files a second command shares THEN none reaches rollout's terraform steps", () => {
    const reached = SHARED_BY_COMMANDS.map((file) => ({ file, steps: TERRAFORM_STEPS.filter((step) => reachableFrom(graph, file).has(step)) }));
    expect(reached).toEqual(SHARED_BY_COMMANDS.map((file) => ({ file, steps: [] })));
  });

  test("GIVEN the shared files and verify THEN none reaches any file of rollout/", () => {
    const sharers = [...SHARED_BY_COMMANDS, ...productFiles().filter((file) => file.startsWith("verify/"))];
    const reached = sharers.map((file) => ({ file, rollout: [...reachableFrom(graph, file)].filter((other) => other.startsWith("rollout/")) }));
    expect(reached).toEqual(sharers.map((file) => ({ file, rollout: [] })));
  });

  test("GIVEN the lists above THEN each file they name exists, so a rename cannot make the check vacuous", () => {
    const files = new Set(productFiles());
    expect(SHARED_BY_COMMANDS.length).toBeGreaterThanOrEqual(5);
    expect([...SHARED_BY_COMMANDS, ...TERRAFORM_STEPS].filter((file) => !files.has(file))).toEqual([]);
  });

  test("GIVEN a circle, direct or through a third file, type-only or not THEN the check finds each once", () => {
    const made: ImportGraph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts", "a.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["d.ts"]],
      ["e.ts", ["a.ts"]],
    ]);
    expect(importCircles(made)).toEqual([["a.ts", "b.ts", "c.ts", "a.ts"], ["a.ts", "b.ts", "a.ts"], ["d.ts", "d.ts"]]);
  });

  test("GIVEN the construct's files before its props had their own file THEN the type-only circle is found", () => {
    // trelica-integration.ts <-> cloudformation-template.ts through `import type { TrelicaIntegrationProps }`.
    const before = new Map(graph);
    before.set("modules/trelica-integration/cloudformation-template.ts", [...(graph.get("modules/trelica-integration/cloudformation-template.ts") ?? []), "modules/trelica-integration/trelica-integration.ts"]);
    expect(importCircles(before).map((circle) => circle.join(" -> "))).toEqual([
      "modules/trelica-integration/trelica-integration.ts -> modules/trelica-integration/cloudformation-template.ts -> modules/trelica-integration/trelica-integration.ts",
    ]);
  });
});
