/*
 * A minimal S3 for terraform state objects: path-style GetObject, HeadObject, PutObject and DeleteObject
 * in buckets an account owns. Only the owner's callers may use a bucket (no bucket policies, no IAM
 * evaluation for S3): enough to read and write a state where the S3 backend keeps it.
 */
import type * as http from "node:http";

export interface Bucket {
  readonly ownerAccountId: string;
  readonly objects: Map<string, Buffer>;
}

export interface S3Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer | string;
  readonly code?: string;
  readonly action: string;
}

const ACTIONS: Record<string, string> = { GET: "GetObject", HEAD: "HeadObject", PUT: "PutObject", DELETE: "DeleteObject" };

export function s3Answer(buckets: Map<string, Bucket>, request: http.IncomingMessage, body: Buffer, callerAccountId: string): S3Answer {
  const url = new URL(request.url ?? "/", "http://fake");
  const [, bucketName, ...keyParts] = url.pathname.split("/");
  const key = decodeURIComponent(keyParts.join("/"));
  const action = ACTIONS[request.method ?? ""] ?? `${request.method} object`;
  const error = (status: number, code: string, message: string): S3Answer => ({
    status,
    code,
    action,
    headers: { "Content-Type": "application/xml" },
    body: request.method === "HEAD" ? "" : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><Key>${key}</Key></Error>`,
  });
  const bucket = buckets.get(bucketName);
  if (!bucket) return error(404, "NoSuchBucket", "The specified bucket does not exist");
  if (bucket.ownerAccountId !== callerAccountId) return error(403, "AccessDenied", "Access Denied");
  if (!key || !(action in { GetObject: 1, HeadObject: 1, PutObject: 1, DeleteObject: 1 })) return error(400, "NotImplemented", `fake S3: ${request.method} ${url.pathname}${url.search} is not implemented`);
  if (action === "PutObject") {
    bucket.objects.set(key, body);
    return { status: 200, action, headers: {}, body: "" };
  }
  if (action === "DeleteObject") {
    bucket.objects.delete(key);
    return { status: 204, action, headers: {}, body: "" };
  }
  const object = bucket.objects.get(key);
  if (!object) return error(404, "NoSuchKey", "The specified key does not exist.");
  return { status: 200, action, headers: { "Content-Type": "application/octet-stream", "Content-Length": String(object.length) }, body: action === "HeadObject" ? "" : object };
}
