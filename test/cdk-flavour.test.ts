/*
 * The CDK flavour stays switchable: only modules/cdk-flavour.ts imports the CDK library, provider classes
 * come from deep paths, package.json pins exactly one flavour's packages, and `npm run switch` rewrites
 * module specifiers only, both ways, idempotently, refusing a dirty tree.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { FLAVOURS } from "../scripts/cdk-flavour/flavours";
import { differencesFrom, flavourOf, packageText, planPackage } from "../scripts/cdk-flavour/package-json";
import { packageOf, projectSourceFiles, rewriteSpecifiers, specifiersIn } from "../scripts/cdk-flavour/specifiers";
import { switchFlavour } from "../scripts/cdk-flavour/switch";
import { PROJECT_ROOT, tempDir, writeFile } from "./helpers/files";

const FLAVOUR_MODULE = "modules/cdk-flavour.ts";
/** The installable construct's own (it compiles only modules/trelica-integration/): Token and Tokenization. */
const PACKAGE_FLAVOUR_MODULE = "modules/trelica-integration/private/cdk.ts";
const FLAVOUR_MODULES = new Set([FLAVOUR_MODULE, PACKAGE_FLAVOUR_MODULE]);
const CORE_PACKAGES = new Set(Object.values(FLAVOURS).map((flavour) => flavour.modules.core));
const PROVIDER_PACKAGES = new Set(Object.values(FLAVOURS).map((flavour) => flavour.modules.awsProvider));

/** `file:line "specifier"` for every import that would not follow a switch. */
function offenders(files: Readonly<Record<string, string>>): string[] {
  return Object.entries(files).flatMap(([file, text]) =>
    specifiersIn(file, text)
      .filter((specifier) => (CORE_PACKAGES.has(packageOf(specifier.text)) && !FLAVOUR_MODULES.has(file)) || PROVIDER_PACKAGES.has(specifier.text))
      .map((specifier) => `${file}:${specifier.line} "${specifier.text}"`),
  );
}

const dir = tempDir("trelica-flavour-");
// Spelled apart so that repository checks looking for a root import of the provider do not find this test's input.
const ROOT_PROVIDER = ["@cdktf", "provider-aws"].join("/");

describe("the CDK flavour is named in one module", () => {
  test("GIVEN every TypeScript and JavaScript file of the project THEN only modules/cdk-flavour.ts (and the package's private/cdk.ts) imports cdktf (or cdktn), and the AWS provider only from deep paths", () => {
    const files = projectSourceFiles(PROJECT_ROOT);
    expect(files).toContain(FLAVOUR_MODULE);
    expect(files).toContain("test/setup.ts");
    const found = offenders(Object.fromEntries(files.map((file) => [file, fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8")])));
    // Import what you need from modules/cdk-flavour (add it there if missing), and provider classes as
    // "@cdktf/provider-aws/lib/<resource>": npm run switch rewrites those specifiers and nothing else.
    expect(found).toEqual([]);
  });

  test.each([
    ["a value import", `import { App } from "cdktf";`, ['app/new.ts:1 "cdktf"']],
    ["a subpath require", `const v = require("cdktn/package.json");`, ['app/new.ts:1 "cdktn/package.json"']],
    ["a type import in a type", `let s: import("cdktf").TerraformStack;`, ['app/new.ts:1 "cdktf"']],
    ["a re-export", `\nexport * from "cdktf";`, ['app/new.ts:2 "cdktf"']],
    ["a root import of the provider", `import { provider } from "${ROOT_PROVIDER}";`, ['app/new.ts:1 "@cdktf/provider-aws"']],
    ["a deep provider import", `import { IamRole } from "@cdktf/provider-aws/lib/iam-role";`, []],
    ["the word in a value or a comment", `// cdktf\nconst name = "cdktf"; const out = "cdktf.out";`, []],
  ])("GIVEN %s in a new file THEN the check says so exactly when the switch could not follow it", (_case, text, expected) => {
    expect(offenders({ "app/new.ts": text })).toEqual(expected);
  });

  test("GIVEN package.json THEN it pins exactly the packages and Node engine of the flavour it is on", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"));
    const name = flavourOf(pkg);
    expect(name).toBeDefined();
    // A version bump goes into scripts/cdk-flavour/flavours.ts too, or a switch back would undo it.
    expect(differencesFrom(pkg, FLAVOURS[name!])).toEqual([]);
  });
});

describe("npm run switch", () => {
  const cdktf = FLAVOURS.cdktf;
  const cdktn = FLAVOURS.cdktn;

  test("GIVEN imports, requires, type imports and look-alike strings WHEN rewritten to cdktn THEN only the flavour's module specifiers change", () => {
    const text = [
      `import { App } from "cdktf";`,
      `import { IamRole } from '@cdktf/provider-aws/lib/iam-role';`,
      `import { Workspace } from "@cdktf/provider-tfe/lib/workspace";`,
      `const version = require("cdktf/package.json").version;`,
      `const outdir = "cdktf.out"; // cdktf writes here`,
      `const label = "cdktf";`,
      `type T = import("cdktf").TerraformStack;`,
    ].join("\n");
    const change = rewriteSpecifiers("x.ts", text, cdktf, cdktn)!;
    expect(change.text.split("\n")).toEqual([
      `import { App } from "cdktn";`,
      `import { IamRole } from '@cdktn/provider-aws/lib/iam-role';`,
      `import { Workspace } from "@cdktf/provider-tfe/lib/workspace";`,
      `const version = require("cdktn/package.json").version;`,
      `const outdir = "cdktf.out"; // cdktf writes here`,
      `const label = "cdktf";`,
      `type T = import("cdktn").TerraformStack;`,
    ]);
    expect(change.changes.map((entry) => entry.line)).toEqual([1, 2, 4, 7]);
    expect(rewriteSpecifiers("x.ts", change.text, cdktn, cdktf)!.text).toBe(text);
  });

  describe("GIVEN a clean git checkout of a project on cdktf", () => {
    const project = path.join(dir, "project");
    const git = (...args: string[]) => spawnSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], { cwd: project, encoding: "utf8" });
    const files = ["package.json", FLAVOUR_MODULE, "app/stacks/account-stack.ts", "test/construct.test.ts"];
    const original: Record<string, string> = {};
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);

    beforeAll(() => {
      for (const file of files) original[file] = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
      for (const [file, text] of Object.entries(original)) writeFile(project, file, text);
      // This suite may itself run on CDK Terrain: the project under test starts on cdktf either way.
      const pkg = JSON.parse(original["package.json"]);
      if (flavourOf(pkg) !== "cdktf") fs.writeFileSync(path.join(project, "package.json"), packageText(planPackage(pkg, cdktf).pkg));
      for (const [file, text] of Object.entries(original)) if (file !== "package.json") fs.writeFileSync(path.join(project, file), rewriteSpecifiers(file, text, cdktn, cdktf)?.text ?? text);
      expect(git("init", "-q").status).toBe(0);
      git("add", "-A");
      expect(git("commit", "-qm", "cdktf").status).toBe(0);
    });

    test("WHEN switched to cdktn THEN package.json pins cdktn's packages, the imports follow, and it says what changed and how to go back", () => {
      const result = switchFlavour(project, "cdktn", { lock: false, log });
      const pkg = JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8"));
      expect(flavourOf(pkg)).toBe("cdktn");
      expect(differencesFrom(pkg, cdktn)).toEqual([]);
      expect(pkg.devDependencies["@cdktf/provider-tfe"]).toBeDefined();
      expect(fs.readFileSync(path.join(project, FLAVOUR_MODULE), "utf8")).toMatch(/from "cdktn";/);
      expect(fs.readFileSync(path.join(project, "app/stacks/account-stack.ts"), "utf8")).toContain(`from "@cdktn/provider-aws/lib/provider"`);
      expect(result.fileChanges.map((change) => change.file).sort()).toEqual(["app/stacks/account-stack.ts", FLAVOUR_MODULE, "test/construct.test.ts"]);
      expect(lines).toContain("  engines.node: >=20 -> >=22.19");
      expect(lines).toContain("  app/stacks/account-stack.ts:1  \"@cdktf/provider-aws/lib/provider\" -> \"@cdktn/provider-aws/lib/provider\"");
      expect(lines.at(-1)).toBe("To go back: npm run switch -- cdktf (then npm ci), or undo the uncommitted switch with git checkout -- .");
    });

    test("WHEN switched to cdktn again THEN nothing changes, even with the tree now dirty", () => {
      lines.length = 0;
      const result = switchFlavour(project, "cdktn", { lock: false, log });
      expect(result.packageChanges).toEqual([]);
      expect(result.fileChanges).toEqual([]);
      expect(lines).toEqual(["Already on cdktn: package.json and every import agree; nothing changed."]);
    });

    test("WHEN switched back while the tree is dirty THEN it refuses and changes nothing; with force, every file is byte-identical to before", () => {
      const before = fs.readFileSync(path.join(project, "package.json"), "utf8");
      expect(() => switchFlavour(project, "cdktf", { lock: false, log })).toThrow(/^the git tree has 4 uncommitted change\(s\); nothing was changed\. Commit or stash them first .*or use --force:\n {2}app\/stacks\/account-stack\.ts\n/);
      expect(fs.readFileSync(path.join(project, "package.json"), "utf8")).toBe(before);
      switchFlavour(project, "cdktf", { lock: false, force: true, log });
      expect(git("status", "--porcelain").stdout).toBe("");
    });

    test("WHEN asked for a flavour that does not exist THEN it names it and what is allowed", () => {
      expect(() => switchFlavour(project, "cdk8s", { lock: false })).toThrow('flavour "cdk8s" is not known; expected one of: cdktf, cdktn');
    });
  });
});
