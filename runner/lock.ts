/*
 * One run per output folder. Two rollouts in one folder overwrite each other's saved plans, stacks and
 * connections table; so every command that runs terraform there or writes its tables holds a lock file
 * in the folder, made with O_EXCL (link(2) of a complete file: a reader never sees half a holder).
 * A second run refuses at once, naming the holder. A holder that is gone (its pid dead on this host,
 * as after kill -9) is taken over with a note; a holder on another host is never guessed dead.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UserError } from "../app/common/errors";
import { PRIVATE_FILE } from "./private-files";

export const LOCK_FILE = ".trelica-lock.json";

/**
 * Set by a run that holds the lock for the programs it starts (rollout's synthesis): the holder's pid.
 * A synthesis whose parent holds the folder is that run's own, not a second run.
 */
export const HELD_BY_ENV = "TRELICA_FOLDER_LOCK_PID";

export interface LockHolder {
  readonly command: string;
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  /** The process's start time in clock ticks since boot (Linux), so a reused pid is not taken for the holder. */
  readonly bootTicks?: string;
}

export interface FolderLock {
  readonly file: string;
  /** Said once the lock is taken: a dead holder's lock was taken over. */
  readonly note?: string;
  release(): void;
}

export function lockFile(outdir: string): string {
  return path.join(path.resolve(outdir), LOCK_FILE);
}

/** Takes the output folder's lock for `command` (created with the folder if missing), or refuses naming the holder. */
export function lockFolder(outdir: string, command: string): FolderLock {
  const file = lockFile(outdir);
  // A folder made only to hold the lock goes with it, if nothing else was written: a refused run leaves nothing.
  const made = fs.mkdirSync(path.dirname(file), { recursive: true });
  const mine: LockHolder = { command, pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), bootTicks: bootTicks(process.pid) };
  let note: string | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (create(file, mine)) return held(file, note, made);
    const holder = readHolder(file);
    if (holder === undefined) continue; // released between our try and our read
    if (!isGone(holder)) throw new UserError(heldMessage(outdir, holder));
    if (takeOver(file, holder)) note = `Note: took over the lock of ${describe(holder)} on ${path.resolve(outdir)}: that process is gone (killed or crashed); its run may have left accounts half-done: check its report.`;
  }
  const holder = readHolder(file);
  throw new UserError(holder ? heldMessage(outdir, holder) : `${file}: could not take the output folder's lock; run again.`);
}

/** Refuses at once when another run holds the folder (read-only: for what must be said before anything is written). */
export function refuseIfHeld(outdir: string): void {
  const holder = readHolder(lockFile(outdir));
  if (holder && holder.pid !== process.pid && !isGone(holder)) throw new UserError(heldMessage(outdir, holder));
}

/**
 * synth's check: the folder must not be in another run's hands. Returns the lock to release once written
 * (or none when the run that holds it started this synthesis).
 */
export function lockFolderForSynth(outdir: string, env: NodeJS.ProcessEnv): FolderLock | undefined {
  const holder = readHolder(lockFile(outdir));
  if (holder && env[HELD_BY_ENV] === String(holder.pid) && holder.host === os.hostname()) return undefined;
  return lockFolder(outdir, "synth");
}

export function describe(holder: LockHolder): string {
  return `\`${holder.command}\` (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt})`;
}

function heldMessage(outdir: string, holder: LockHolder): string {
  return (
    `Output folder ${path.resolve(outdir)} is in use by ${describe(holder)}; nothing was done. ` +
    `One run per output folder: wait for it to finish, or use another --output. ` +
    `If that process is gone for good on another machine, delete ${lockFile(outdir)}.`
  );
}

function create(file: string, holder: LockHolder): boolean {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(holder, null, 2) + "\n", { mode: PRIVATE_FILE });
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

export function readHolder(file: string): LockHolder | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as LockHolder;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    // Unreadable content: not ours to judge; a holder whose pid cannot be read is never taken over.
    return { command: "unknown", pid: -1, host: "unknown", startedAt: "unknown" };
  }
}

/** Only a holder on this host can be known dead: its pid is gone, or now belongs to a later process. */
function isGone(holder: LockHolder): boolean {
  if (holder.host !== os.hostname() || !(holder.pid > 0)) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
  const ticks = bootTicks(holder.pid);
  return holder.bootTicks !== undefined && ticks !== undefined && ticks !== holder.bootTicks;
}

/**
 * Removes a dead holder's lock, unless another run took it over first: under a second O_EXCL file, and
 * only if the lock still names the same holder.
 */
function takeOver(file: string, dead: LockHolder): boolean {
  const guard = `${file}.takeover`;
  try {
    fs.writeFileSync(guard, String(process.pid), { flag: "wx", mode: PRIVATE_FILE });
  } catch {
    // Another run is taking it over; a guard left by a crash mid-takeover is cleared after a while.
    const stat = fs.statSync(guard, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > 10_000) fs.rmSync(guard, { force: true });
    return false;
  }
  try {
    const now = readHolder(file);
    if (!now || now.pid !== dead.pid || now.startedAt !== dead.startedAt) return false;
    fs.rmSync(file, { force: true });
    return true;
  } finally {
    fs.rmSync(guard, { force: true });
  }
}

function held(file: string, note: string | undefined, made: string | undefined): FolderLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener("exit", release);
    // Only our own lock: never one a later run took over.
    if (readHolder(file)?.pid !== process.pid) return;
    fs.rmSync(file, { force: true });
    if (made === undefined) return;
    // The folders mkdir made, innermost first, as long as they are empty.
    for (let dir = path.dirname(file); dir.length >= made.length; dir = path.dirname(dir)) {
      try {
        fs.rmdirSync(dir);
      } catch {
        return;
      }
    }
  };
  process.on("exit", release);
  return { file, note, release };
}

/** Field 22 of /proc/<pid>/stat: when the process started. Undefined where there is no /proc. */
function bootTicks(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}
