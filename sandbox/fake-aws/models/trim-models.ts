/*
 * Writes ./<service>.json: botocore's model of each service trimmed to the actions the fake implements
 * and the shapes they reach (documentation dropped). Run by update-models.sh with the unpacked models.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FakeAws } from "../fake-aws";
import { SERVICE_NAMES } from "../query-protocol";

const [unpacked, version] = process.argv.slice(2);
const implemented = FakeAws.implementedActions();

for (const service of SERVICE_NAMES) {
  const full = JSON.parse(fs.readFileSync(path.join(unpacked, `${service}.full.json`), "utf8"));
  const operations: Record<string, unknown> = {};
  const shapes: Record<string, unknown> = {};
  const visit = (name: string) => {
    if (shapes[name]) return;
    const { documentation, ...shape } = full.shapes[name];
    shapes[name] = stripDocs(shape);
    for (const ref of [...Object.values<any>(shape.members ?? {}), shape.member, shape.key, shape.value]) if (ref) visit(ref.shape);
  };
  for (const action of implemented[service]) {
    const operation = full.operations[action];
    if (!operation) throw new Error(`${service} has no action ${action} in botocore ${version}`);
    operations[action] = stripDocs(operation);
    for (const ref of [operation.input, operation.output, ...(operation.errors ?? [])]) if (ref) visit(ref.shape);
  }
  // Error codes the fake answers with that no operation lists (their HTTP status still comes from here).
  for (const [name, shape] of Object.entries<any>(full.shapes)) if (shape.exception) visit(name);
  const trimmed = { version: `trimmed from botocore ${version}`, metadata: full.metadata, operations, shapes };
  fs.writeFileSync(path.join(__dirname, `${service}.json`), JSON.stringify(trimmed, null, 1) + "\n");
  console.log(`${service}: ${Object.keys(operations).length} operations, ${Object.keys(shapes).length} shapes`);
}

function stripDocs(value: any): any {
  if (Array.isArray(value)) return value.map(stripDocs);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== "documentation" && key !== "documentationUrl").map(([key, item]) => [key, stripDocs(item)]));
  }
  return value;
}
