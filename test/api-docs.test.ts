import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/*
 * docs/api/ is generated from the package's JSDoc by TypeDoc (typedoc.json, `npm run docs`) and committed,
 * so it is read where the code is. Regenerated here into a temporary folder: any difference is drift.
 */

const REPO = path.resolve(__dirname, "..");
const COMMITTED = path.join(REPO, "docs", "api");

function filesUnder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const relative = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(relative);
      else files[relative] = fs.readFileSync(path.join(dir, relative), "utf8");
    }
  };
  walk("");
  return files;
}

describe("API docs", () => {
  test("GIVEN the package's sources WHEN TypeDoc regenerates the API docs THEN they equal the committed docs/api (else run npm run docs)", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "trelica-api-docs-"));
    try {
      const typedoc = spawnSync(process.execPath, [path.join(REPO, "node_modules", "typedoc", "bin", "typedoc"), "--out", out, "--logLevel", "Warn"], {
        cwd: REPO,
        encoding: "utf8",
      });
      expect(typedoc.stdout + typedoc.stderr).toBe("");
      expect(typedoc.status).toBe(0);
      const generated = filesUnder(out);
      expect(Object.keys(generated).length).toBeGreaterThan(0);
      expect(filesUnder(COMMITTED)).toEqual(generated);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
