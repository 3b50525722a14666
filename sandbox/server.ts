/*
 * The sandbox's background process (started by `npm run sandbox -- start`, never by hand):
 * node -r sucrase/register sandbox/server.ts <state folder>
 * Serves the fake AWS for the Organization in the folder, from its saved state, and saves the state after
 * requests and when stopped (SIGTERM or SIGINT). Writes server.json once it listens; removes it on exit.
 */
import * as fs from "node:fs";
import { FakeAws } from "./fake-aws/fake-aws";
import { fakeOptions, seed } from "./organization";
import { StateFolder } from "./state-folder";

/** Saves wait this long after a request, so a burst of requests is one write. */
const SAVE_DELAY_MS = 200;

async function serve(folder: StateFolder): Promise<void> {
  const organization = folder.organization();
  if (!organization) throw new Error(`no organization.json in ${folder.dir}`);
  const saved = folder.snapshot();
  let timer: NodeJS.Timeout | undefined;
  let fake: FakeAws | undefined;
  const save = () => {
    timer = undefined;
    // A stack set operation still running is left to finish first: a snapshot would end it at once.
    if (fake && fake.stackSetOperationsRunning > 0) timer = setTimeout(save, SAVE_DELAY_MS);
    else if (fake) folder.write(folder.stateFile, fake.snapshot());
  };
  fake = await FakeAws.start({ ...fakeOptions(organization), restore: saved, onRequest: () => (timer ??= setTimeout(save, SAVE_DELAY_MS)) });
  if (!saved) seed(fake, organization);
  folder.write(folder.stateFile, fake.snapshot());
  const running = fake;
  const port = Number(new URL(running.url).port);
  folder.write(folder.serverFile, { pid: process.pid, url: running.url, port, startedAt: new Date().toISOString() });
  console.log(`${new Date().toISOString()} serving ${running.url} (pid ${process.pid})`);

  const shutdown = async (signal: string) => {
    if (timer) clearTimeout(timer);
    await running.stop();
    folder.write(folder.stateFile, running.snapshot());
    fs.rmSync(folder.serverFile, { force: true });
    console.log(`${new Date().toISOString()} stopped (${signal}); state saved`);
    for (const what of running.unimplemented) console.log(`not modelled by the fake, was asked for: ${what}`);
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  // What the fake was asked for and does not model goes to the log as it happens: the first thing to read when something fails.
  let reported = 0;
  setInterval(() => {
    for (const what of running.unimplemented.slice(reported)) console.log(`not modelled by the fake, was asked for: ${what}`);
    reported = running.unimplemented.length;
  }, 1000).unref();
}

const [dir] = process.argv.slice(2);
serve(new StateFolder(dir)).catch((error: NodeJS.ErrnoException) => {
  // The parent reads the log: say what went wrong in a line it can show.
  console.error(error.code === "EADDRINUSE" ? `port in use: ${error.message}` : String(error.stack ?? error));
  process.exit(1);
});
