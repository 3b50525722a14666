import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A fresh temporary directory, removed after the test file finishes. */
export function tempDir(prefix = "trelica-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeFile(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
