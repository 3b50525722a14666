import { ProcessGroup } from "./terraform";

/**
 * The one gate every step of every account passes: each terraform call, each retry, each backoff
 * sleep, the warm-up init. After interrupt() nothing new starts and sleeps end at once; running
 * terraform processes get one SIGINT and finish; escalate() forwards a second one (terraform then
 * stops hard).
 */
export class RolloutControl {
  interrupted = false;
  escalated = false;
  readonly group = new ProcessGroup();
  private readonly wakeSleepers = new Set<() => void>();

  get mayProceed(): boolean {
    return !this.interrupted;
  }

  interrupt(): void {
    if (this.interrupted) return;
    this.interrupted = true;
    this.group.interruptAll();
    for (const wake of this.wakeSleepers) wake();
  }

  /** The second signal: forwards a second SIGINT to every running terraform, once. */
  escalate(): void {
    this.interrupt();
    if (this.escalated) return;
    this.escalated = true;
    this.group.interruptAll();
  }

  /** Waits `ms` unless interrupted first; says whether the wait ran its course (so the caller may proceed). */
  sleep(ms: number): Promise<boolean> {
    if (this.interrupted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeSleepers.delete(wake);
        resolve(!this.interrupted);
      };
      const timer = setTimeout(wake, ms);
      this.wakeSleepers.add(wake);
    });
  }
}
