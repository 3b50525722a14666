/*
 * Tests that walk one flow in order (plan, then apply the saved plans, then...). Each step depends on
 * the ones before it: when one fails, the steps after it fail at once naming it, instead of failing
 * later with messages about a state the flow never reached ("there is no plan run").
 */

export interface Steps {
  /** Declares the next step of the flow: `test` that runs only if every earlier step passed. */
  (name: string, body: () => unknown, timeoutMs?: number): void;
}

export function inOrder(): Steps {
  let failed: string | undefined;
  return (name, body, timeoutMs) =>
    test(
      name,
      async () => {
        if (failed !== undefined) throw new Error(`not run: this step needs the earlier step "${failed}", which failed (its error is above)`);
        try {
          await body();
        } catch (error) {
          failed = name;
          throw error;
        }
      },
      timeoutMs,
    );
}
