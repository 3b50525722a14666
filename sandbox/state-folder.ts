import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../app/common/errors";
import { readSnapshot, type FakeAwsSnapshot } from "./fake-aws/snapshot";
import type { Credentials } from "./fake-aws/fake-aws";
import type { SandboxOrganization } from "./organization";

/*
 * The one folder a sandbox keeps everything in (`.sandbox/` in the project, gitignored): the Organization
 * start decided, the fake's state, the accounts file, the running server's pid and URL, its log.
 * Deleted only by `stop --reset`.
 */

export const DEFAULT_FOLDER = ".sandbox";

export class StateFolder {
  constructor(readonly dir: string) {}

  get organizationFile(): string {
    return path.join(this.dir, "organization.json");
  }
  get stateFile(): string {
    return path.join(this.dir, "state.json");
  }
  get accountsFile(): string {
    return path.join(this.dir, "accounts.json");
  }
  get serverFile(): string {
    return path.join(this.dir, "server.json");
  }
  get logFile(): string {
    return path.join(this.dir, "server.log");
  }

  organization(): SandboxOrganization | undefined {
    return readJson<SandboxOrganization>(this.organizationFile);
  }

  snapshot(): FakeAwsSnapshot | undefined {
    const data = readJson(this.stateFile);
    return data === undefined ? undefined : readSnapshot(data);
  }

  /** The running server, if its process is alive (a server.json left by a killed one is not). */
  running(): ServerInfo | undefined {
    const info = readJson<ServerInfo>(this.serverFile);
    return info && isAlive(info.pid) ? info : undefined;
  }

  /** The long-term keys of `userName` in `accountId`, from the saved state. */
  credentials(accountId: string, userName: string): Credentials {
    const key = this.snapshot()?.accounts[accountId]?.users[userName]?.accessKeys.find((candidate) => candidate.status === "Active");
    if (!key) throw new UserError(`The sandbox in ${this.dir} has no key for ${userName} in ${accountId}; expected a sandbox made by npm run sandbox -- start (stop --reset, then start, makes a new one)`);
    return { accessKeyId: key.id, secretAccessKey: key.secretAccessKey };
  }

  write(file: string, data: unknown): void {
    writeJsonAtomically(file, data);
  }
}

export interface ServerInfo {
  readonly pid: number;
  readonly url: string;
  readonly port: number;
  readonly startedAt: string;
}

/** Written whole or not at all: a reader never sees half a file, even if the server is killed mid-write. */
export function writeJsonAtomically(file: string, data: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

function readJson<T = unknown>(file: string): T | undefined {
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
