/**
 * Runs `work` over `items` with at most `concurrency` at once, starting a new item only while
 * `mayStart()` says so (failure tolerance, interrupts). Returns the items never started.
 */
export async function runBounded<T>(
  items: readonly T[],
  concurrency: number,
  mayStart: () => boolean,
  work: (item: T) => Promise<void>,
): Promise<T[]> {
  let next = 0;
  const lane = async () => {
    while (next < items.length && mayStart()) {
      const item = items[next++];
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return items.slice(next);
}
