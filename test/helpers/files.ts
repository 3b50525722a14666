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

/** Every file below `root`, by relative path, with its text. */
export function filesUnder(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files[path.relative(root, file)] = fs.readFileSync(file, "utf8");
    }
  }
  return files;
}
