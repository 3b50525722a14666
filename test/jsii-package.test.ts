/*
 * The construct for Python, Java, .NET and Go: `npm run package:jsii` (scripts/package-jsii.ts) into a
 * scratch folder, then what each language gets is read back: the jsii assembly's API, the Python wheel's
 * files and class, the generated sources of the other languages and the jsii npm tarball.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { SERVICE_NAMES } from "../modules/trelica-integration";
import { JsiiSummary, LANGUAGES, oneRange, packageJsii, pythonForWheels } from "../scripts/package-jsii";
import { tempDir } from "./helpers/files";
import { PEER_NAMES } from "./helpers/package-consumer";
import { CDK_FLAVOUR } from "../modules/cdk-flavour";

const out = path.join(tempDir("trelica-jsii-"), "dist-jsii");
const version: string = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")).version;

/** A file of a zip (a wheel) by name, read with Python's zipfile (the build's own Python). */
function zipped(zip: string, member?: string): string {
  const python = pythonForWheels() as string;
  const script = member === undefined ? "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))" : "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())";
  const result = spawnSync(python, ["-c", script, zip, ...(member === undefined ? [] : [member])], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

describe("the peers' ranges for jsii's languages", () => {
  test("GIVEN a range with alternatives THEN the one the installed version is in, and a plain range as it is", () => {
    expect(oneRange("^20.0.0 || ^21.0.0", "21.22.1")).toBe("^21.0.0");
    expect(oneRange("^20.0.0 || ^21.0.0", "20.1.0")).toBe("^20.0.0");
    expect(oneRange("^0.21.0", "0.21.0")).toBe("^0.21.0");
    expect(() => oneRange("^20.0.0 || ^21.0.0", "19.0.0")).toThrow("the installed 19.0.0 is in none of the peer ranges ^20.0.0 || ^21.0.0");
  });
});

/*
 * The jsii package is built on cdktf: on CDK Terrain, jsii refuses @cdktn/provider-aws's deep-path classes
 * (JSII9002, "part of the public API but not exported"), so the build is proven on the cdktf flavour only.
 */
const jsiiFlavour = CDK_FLAVOUR === "cdktf";
if (!jsiiFlavour) process.stdout.write(`SKIPPED: npm run package:jsii on the ${CDK_FLAVOUR} flavour: jsii refuses its provider's deep-path classes (JSII9002); the jsii package is built on cdktf\n`);

(jsiiFlavour ? describe : describe.skip)("npm run package:jsii", () => {
  let summary: JsiiSummary;
  let assembly: any;

  beforeAll(() => {
    summary = packageJsii(out);
    assembly = JSON.parse(fs.readFileSync(path.join(out, summary.assembly), "utf8"));
  }, 600_000);
  afterAll(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

  test("GIVEN the assembly THEN it holds the construct, its props and service flags as structs, and the renderers and service table as static classes", () => {
    const types = Object.fromEntries(Object.entries<any>(assembly.types).map(([fqn, type]) => [fqn, type.kind]));
    expect(types).toEqual({
      "trelica-aws-role.ServiceFlags": "interface",
      "trelica-aws-role.TagProblem": "interface",
      "trelica-aws-role.TrelicaIntegration": "class",
      "trelica-aws-role.TrelicaIntegrationProps": "interface",
      "trelica-aws-role.TrelicaPolicies": "class",
      "trelica-aws-role.TrelicaServiceEntry": "interface",
      "trelica-aws-role.TrelicaServices": "class",
      "trelica-aws-role.TrustPolicyProps": "interface",
    });
    const type = (name: string) => assembly.types[`trelica-aws-role.${name}`];
    const names = (members: { name: string }[] = []) => members.map((member) => member.name).sort();
    // Structs (jsii's datatypes): keyword arguments in Python, builders in Java.
    for (const struct of ["ServiceFlags", "TrelicaIntegrationProps", "TrustPolicyProps", "TrelicaServiceEntry"]) expect(type(struct).datatype).toBe(true);
    // One flag per row of the service table, each an optional boolean.
    expect(type("ServiceFlags").properties.map((flag: any) => [flag.name, flag.type.primitive, flag.optional])).toEqual(SERVICE_NAMES.map((name) => [name, "boolean", true]));
    expect(names(type("TrelicaIntegrationProps").properties)).toEqual(
      ["description", "externalId", "maxSessionDuration", "partition", "permissionsBoundaryArn", "permissionsBoundaryPolicyName", "policyName", "services", "tags", "trelicaAccountId"],
    );
    expect(type("TrelicaIntegration").base).toBe("constructs.Construct");
    expect(type("TrelicaIntegration").initializer.parameters.map((parameter: any) => parameter.type.fqn ?? parameter.type.primitive)).toEqual(["constructs.Construct", "string", "trelica-aws-role.TrelicaIntegrationProps"]);
    expect(names(type("TrelicaIntegration").methods)).toEqual(["adoptExisting", "cloudFormationTemplateJson"]);
    expect(type("TrelicaPolicies").methods.map((method: any) => [method.name, method.static])).toEqual([
      ["permissionPolicyJson", true],
      ["trustPolicyJson", true],
    ]);
    expect(names(type("TrelicaServices").properties)).toEqual(["ALL", "NAMES", "TABLE"]);
    expect(names(type("TrelicaServices").methods)).toEqual(["actionsFor", "enabled"]);
    // The peers it binds to, for every language.
    expect(Object.keys(assembly.dependencies).sort()).toEqual(expect.arrayContaining(["constructs"]));
  });

  test("GIVEN the Python wheel THEN it holds the TrelicaIntegration class, the jsii tarball it runs, and asks for the jsii runtime and the CDK's Python packages", () => {
    expect(summary.built.python).toBe(`python/trelica_aws_role-${version}-py3-none-any.whl`);
    const wheel = path.join(out, summary.built.python);
    const files = zipped(wheel).trim().split("\n");
    expect(files).toEqual(expect.arrayContaining(["trelica_aws_role/__init__.py", `trelica_aws_role/_jsii/trelica-aws-role@${version}.jsii.tgz`, "trelica_aws_role/py.typed"]));
    const module = zipped(wheel, "trelica_aws_role/__init__.py");
    expect(module).toMatch(/^class TrelicaIntegration\(\s*_constructs_\w+\.Construct,\s*metaclass=jsii\.JSIIMeta,\s*jsii_type="trelica-aws-role\.TrelicaIntegration",/m);
    expect(module).toMatch(/^class TrelicaIntegrationProps:/m);
    expect(module).toMatch(/^class TrelicaServices\(/m);
    const requires = zipped(wheel, `trelica_aws_role-${version}.dist-info/METADATA`)
      .split("\n")
      .filter((line) => line.startsWith("Requires-Dist: "))
      .map((line) => line.slice("Requires-Dist: ".length));
    // The peers' own Python packages (cdktf's or, after the switch, cdktn's) and the jsii runtime.
    const pythonName = (peer: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "..", "node_modules", peer, "package.json"), "utf8")).jsii.targets.python.distName;
    const names = requires.map((line) => line.split(" ")[0]);
    // jsii-pacmak 1.128 (the line CDK Terrain's CLI peers) also asks for typeguard, the generated code's runtime type checks.
    expect([...names].sort()).toEqual([...PEER_NAMES.map(pythonName), "jsii", "publication", "typeguard"].sort());
    // The provider's line is the one developed with (^20 || ^21 has no Python spelling): satisfiable, unlike pacmak's own.
    const provider = PEER_NAMES[2];
    const major = Number(JSON.parse(fs.readFileSync(path.join(__dirname, "..", "node_modules", provider, "package.json"), "utf8")).version.split(".")[0]);
    expect(requires.filter((line) => line.startsWith(`${pythonName(provider)} `))).toEqual([expect.stringMatching(new RegExp(`^\\S+ \\(<${major + 1}\\.0\\.0,>=${major}\\.\\d+\\.\\d+\\)$`))]);
  });

  test("GIVEN the Python example of docs/construct.md THEN every name it imports from trelica_aws_role and every keyword it passes exist in the generated module", () => {
    const doc = fs.readFileSync(path.join(__dirname, "..", "docs", "construct.md"), "utf8");
    const example = /```python\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toContain("TrelicaIntegration(");
    const module = zipped(path.join(out, summary.built.python), "trelica_aws_role/__init__.py");
    // Python's own parser on both: the classes' keyword-only parameters against the example's calls.
    const script = [
      "import ast, json, sys",
      "example, module = ast.parse(sys.argv[1]), ast.parse(sys.argv[2])",
      "classes = {node.name: node for node in module.body if isinstance(node, ast.ClassDef)}",
      "def keywords(name):",
      "    init = next(item for item in classes[name].body if isinstance(item, ast.FunctionDef) and item.name == '__init__')",
      "    return [arg.arg for arg in init.args.kwonlyargs]",
      "imported = [alias.name for node in ast.walk(example) if isinstance(node, ast.ImportFrom) and node.module == 'trelica_aws_role' for alias in node.names]",
      "calls = [(node.func.id, [k.arg for k in node.keywords]) for node in ast.walk(example) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in imported]",
      "print(json.dumps({'imported': imported, 'missing': [name for name in imported if name not in classes], 'unknown': [[name, k] for name, ks in calls for k in ks if k not in keywords(name)], 'calls': len(calls)}))",
    ].join("\n");
    const result = spawnSync(pythonForWheels() as string, ["-c", script, example!, module], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ imported: ["ServiceFlags", "TrelicaIntegration"], missing: [], unknown: [], calls: 2 });
  });

  test("GIVEN Java, .NET and Go THEN their sources are generated (not built here: no toolchain or registry), each with the construct", () => {
    expect(Object.keys(summary.generated)).toEqual([...LANGUAGES]);
    const filesUnder = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
    const construct = { java: "TrelicaIntegration.java", dotnet: "TrelicaIntegration.cs", go: "TrelicaIntegration.go", python: "__init__.py" };
    for (const language of LANGUAGES) {
      const files = filesUnder(path.join(out, summary.generated[language]));
      expect(files.map((file) => path.basename(file))).toContain(construct[language]);
      expect(summary.sizes[`${language} (sources)`]).toBeGreaterThan(0);
    }
  });

  test("GIVEN the jsii npm tarball THEN it holds the assembly and the jsii build's JavaScript, and nothing of dist-jsii ships in the npm package", () => {
    const listing = spawnSync("tar", ["tzf", path.join(out, summary.built.js)], { encoding: "utf8" }).stdout.trim().split("\n");
    expect(listing).toEqual(expect.arrayContaining(["package/.jsii", "package/lib/index.js", "package/lib/index.d.ts", "package/package.json"]));
    expect(listing.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))).toEqual([]);
    const files: string[] = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")).files;
    expect(files.some((entry) => entry.startsWith("dist-jsii"))).toBe(false);
  });
});
