// Types of survivors.js (plain JavaScript: test/mutation/scores.js runs it without a compiler).
export interface Survivor {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly status: "Survived" | "NoCoverage";
  readonly mutator: string;
  readonly original: string;
  readonly replacement: string;
  readonly lineText: string;
}
export interface AcceptedSurvivor {
  readonly file: string;
  readonly mutator: string;
  readonly code: string;
  readonly replacement?: string;
  /** A piece of the mutant's source line, when the code alone is not enough. */
  readonly in?: string;
  readonly reason: string;
}
export function committedReports(): object[];
export function describe(survivor: Survivor): string;
export function survivorsOf(reports: readonly object[]): Survivor[];
export function explained(
  survivors: readonly Survivor[],
  accepted?: readonly AcceptedSurvivor[],
): { listed: (Survivor & { reason: string })[]; unexplained: Survivor[]; unused: AcceptedSurvivor[] };
