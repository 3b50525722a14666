import * as fs from "node:fs";
import * as path from "node:path";

/*
 * The AWS Query protocol, driven by botocore's API models (trimmed copies in ./models): request
 * parameters are read into objects by each operation's input shape, and results are written as XML by
 * its output shape, so names, order and list wrapping (<member>) are the real APIs'.
 */

export type ServiceName = "iam" | "sts" | "cloudformation";
export const SERVICE_NAMES: readonly ServiceName[] = ["iam", "sts", "cloudformation"];

interface ShapeRef {
  readonly shape: string;
  readonly locationName?: string;
}

interface Shape {
  readonly type: string;
  readonly members?: Record<string, ShapeRef>;
  readonly member?: ShapeRef;
  readonly key?: ShapeRef;
  readonly value?: ShapeRef;
  readonly flattened?: boolean;
  readonly error?: { readonly code: string; readonly httpStatusCode: number };
}

export interface Operation {
  readonly name: string;
  readonly input?: ShapeRef;
  readonly output?: ShapeRef & { readonly resultWrapper?: string };
}

export interface ServiceModel {
  readonly metadata: { readonly xmlNamespace: string; readonly apiVersion: string };
  readonly operations: Record<string, Operation>;
  readonly shapes: Record<string, Shape>;
}

const models = new Map<ServiceName, ServiceModel>();

export function modelOf(service: ServiceName): ServiceModel {
  let model = models.get(service);
  if (!model) {
    model = JSON.parse(fs.readFileSync(path.join(__dirname, "models", `${service}.json`), "utf8")) as ServiceModel;
    models.set(service, model);
  }
  return model;
}

/** The HTTP status AWS gives an error code, where the model says (e.g. NoSuchEntity 404, DeleteConflict 409). */
export function errorStatusOf(service: ServiceName, code: string): number | undefined {
  const shapes = modelOf(service).shapes;
  for (const shape of Object.values(shapes)) if (shape.error?.code === code) return shape.error.httpStatusCode;
  return undefined;
}

/** Form parameters (`Tags.member.1.Key=...`) to an object of the operation's input shape. */
export function readInput(model: ServiceModel, operation: Operation, params: Readonly<Record<string, string>>): Record<string, unknown> {
  if (!operation.input) return {};
  return (readShape(model, operation.input.shape, "", params) as Record<string, unknown> | undefined) ?? {};
}

function readShape(model: ServiceModel, shapeName: string, prefix: string, params: Readonly<Record<string, string>>): unknown {
  const shape = model.shapes[shapeName];
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      let found = false;
      for (const [member, ref] of Object.entries(shape.members ?? {})) {
        const key = prefix ? `${prefix}.${ref.locationName ?? member}` : (ref.locationName ?? member);
        const value = readShape(model, ref.shape, key, params);
        if (value !== undefined) {
          out[member] = value;
          found = true;
        }
      }
      return found || !prefix ? out : undefined;
    }
    case "list": {
      const base = shape.flattened ? prefix : `${prefix}.${shape.member!.locationName ?? "member"}`;
      // An empty list is sent as `Name=` with no members.
      if (params[prefix] === "") return [];
      const items: unknown[] = [];
      for (let index = 1; ; index++) {
        const item = readShape(model, shape.member!.shape, `${base}.${index}`, params);
        if (item === undefined) break;
        items.push(item);
      }
      return items.length > 0 ? items : undefined;
    }
    case "map": {
      const entries: Record<string, unknown> = {};
      for (let index = 1; ; index++) {
        const key = params[`${prefix}.entry.${index}.key`];
        if (key === undefined) break;
        entries[key] = readShape(model, shape.value!.shape, `${prefix}.entry.${index}.value`, params);
      }
      return Object.keys(entries).length > 0 ? entries : undefined;
    }
    case "boolean":
      return params[prefix] === undefined ? undefined : params[prefix] === "true";
    case "integer":
    case "long":
    case "double":
      return params[prefix] === undefined ? undefined : Number(params[prefix]);
    default:
      return params[prefix];
  }
}

/** A successful response: `<ActionResponse><ActionResult>...</ActionResult><ResponseMetadata/>`. */
export function responseXml(model: ServiceModel, operation: Operation, result: Record<string, unknown>, requestId: string): string {
  const body = operation.output ? `<${operation.output.resultWrapper}>${writeShape(model, operation.output.shape, result)}</${operation.output.resultWrapper}>` : "";
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${operation.name}Response xmlns="${model.metadata.xmlNamespace}">` +
    `${body}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation.name}Response>`
  );
}

export function errorXml(model: ServiceModel | undefined, error: { code: string; message: string; type: string }, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${model?.metadata.xmlNamespace ?? ""}"><Error><Type>${error.type}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

function writeShape(model: ServiceModel, shapeName: string, value: unknown): string {
  const shape = model.shapes[shapeName];
  switch (shape.type) {
    case "structure": {
      const record = value as Record<string, unknown>;
      let out = "";
      for (const [member, ref] of Object.entries(shape.members ?? {})) {
        const memberValue = record[member];
        if (memberValue === undefined || memberValue === null) continue;
        const name = ref.locationName ?? member;
        const memberShape = model.shapes[ref.shape];
        if (memberShape.type === "list" && memberShape.flattened) {
          for (const item of memberValue as unknown[]) out += `<${name}>${writeShape(model, memberShape.member!.shape, item)}</${name}>`;
        } else {
          out += `<${name}>${writeShape(model, ref.shape, memberValue)}</${name}>`;
        }
      }
      return out;
    }
    case "list": {
      const name = shape.member!.locationName ?? "member";
      return (value as unknown[]).map((item) => `<${name}>${writeShape(model, shape.member!.shape, item)}</${name}>`).join("");
    }
    case "map":
      return Object.entries(value as Record<string, unknown>)
        .map(([key, item]) => `<entry><key>${escapeXml(key)}</key><value>${writeShape(model, shape.value!.shape, item)}</value></entry>`)
        .join("");
    case "timestamp":
      return new Date(value as string).toISOString().replace(/\.\d{3}Z$/, "Z");
    case "boolean":
      return value ? "true" : "false";
    default:
      return escapeXml(String(value));
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}
