import logUpdate = require("log-update");

/** What a rollout shows while it runs. */
export interface Progress {
  begin(total: number): void;
  started(stack: string, phase: string): void;
  phase(stack: string, phase: string): void;
  finished(stack: string, line: string): void;
  /** A transient failure: the step runs again after `waitMs` unless interrupted. */
  retrying?(stack: string, phase: string, waitMs: number): void;
  note(text: string): void;
  close(): void;
}

/** Live view for a terminal: one line per running account with its phase and elapsed time. */
export class LiveProgress implements Progress {
  private readonly running = new Map<string, { phase: string; since: number }>();
  private readonly recent: string[] = [];
  private done = 0;
  private total = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly title: string) {}

  begin(total: number): void {
    this.total = total;
    this.timer = setInterval(() => this.render(), 250);
  }

  started(stack: string, phase: string): void {
    this.running.set(stack, { phase, since: Date.now() });
  }

  phase(stack: string, phase: string): void {
    const entry = this.running.get(stack);
    if (entry) entry.phase = phase;
  }

  retrying(stack: string, phase: string, waitMs: number): void {
    this.phase(stack, `${phase}: transient failure, retry in ${Math.round(waitMs / 1000)}s`);
  }

  finished(stack: string, line: string): void {
    this.running.delete(stack);
    this.done++;
    this.recent.push(`${stack}  ${line}`);
    if (this.recent.length > 5) this.recent.shift();
  }

  note(text: string): void {
    logUpdate.clear();
    process.stdout.write(`${text}\n`);
    this.render();
  }

  close(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.render();
    logUpdate.done();
  }

  private render(): void {
    const now = Date.now();
    const lines = [`${this.title}: ${this.done}/${this.total} done, ${this.running.size} running`];
    for (const [stack, { phase, since }] of this.running) lines.push(`  ${stack}  ${phase.padEnd(10)} ${((now - since) / 1000).toFixed(0)}s`);
    if (this.recent.length > 0) lines.push("  recently finished:", ...this.recent.map((line) => `    ${line}`));
    logUpdate(lines.join("\n"));
  }
}

/** For logs and CI: one plain line per event. */
export class PlainProgress implements Progress {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  begin(total: number): void {
    this.write(`${new Date().toISOString()} ${total} accounts to run`);
  }

  started(stack: string): void {
    this.write(`${new Date().toISOString()} ${stack} started`);
  }

  phase(stack: string, phase: string): void {
    this.write(`${new Date().toISOString()} ${stack} ${phase}`);
  }

  finished(stack: string, line: string): void {
    this.write(`${new Date().toISOString()} ${stack} ${line}`);
  }

  retrying(stack: string, phase: string, waitMs: number): void {
    this.write(`${new Date().toISOString()} ${stack} ${phase} failed transiently; retrying in ${waitMs} ms`);
  }

  note(text: string): void {
    this.write(text);
  }

  close(): void {}
}
