import * as crypto from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { AwsError } from "./errors";

/** The parts of a SigV4 `Authorization` header. The credential scope names the service: routing follows it. */
export interface SignatureHeader {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const HEADER = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

export function parseAuthorization(header: string | undefined): SignatureHeader {
  const match = HEADER.exec(header ?? "");
  if (!match) throw new AwsError("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(";"), signature };
}

export interface SignedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Recomputes the signature as AWS does and refuses a mismatch (wrong secret, altered body or headers). */
export function verifySignature(request: SignedRequest, header: SignatureHeader, secretAccessKey: string): void {
  const url = new URL(request.url, "http://fake");
  const query = [...url.searchParams]
    .map(([key, value]) => [rfc3986(key), rfc3986(value)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
  const canonicalHeaders = header.signedHeaders
    .map((name) => `${name}:${String(request.headers[name] ?? "").trim().replace(/\s+/g, " ")}\n`)
    .join("");
  const payloadHash = (request.headers["x-amz-content-sha256"] as string | undefined) ?? sha256(request.body);
  const canonicalRequest = [request.method, url.pathname, query, canonicalHeaders, header.signedHeaders.join(";"), payloadHash].join("\n");
  const scope = `${header.date}/${header.region}/${header.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", String(request.headers["x-amz-date"]), scope, sha256(canonicalRequest)].join("\n");
  let key: Buffer = hmac(`AWS4${secretAccessKey}`, header.date);
  for (const part of [header.region, header.service, "aws4_request"]) key = hmac(key, part);
  const expected = crypto.createHmac("sha256", key).update(stringToSign).digest("hex");
  if (expected !== header.signature) {
    throw new AwsError("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.", 403);
  }
}

/** Signs a form POST the way the AWS SDKs do; for the fake's own tests. */
export function signedHeaders(options: {
  readonly host: string;
  readonly service: string;
  readonly region: string;
  readonly body: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}): Record<string, string> {
  const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded; charset=utf-8",
    host: options.host,
    "x-amz-date": amzDate,
    ...(options.sessionToken ? { "x-amz-security-token": options.sessionToken } : {}),
  };
  const names = Object.keys(headers).sort();
  const canonicalRequest = ["POST", "/", "", names.map((name) => `${name}:${headers[name]}\n`).join(""), names.join(";"), sha256(Buffer.from(options.body))].join("\n");
  const date = amzDate.slice(0, 8);
  const scope = `${date}/${options.region}/${options.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  let key: Buffer = hmac(`AWS4${options.secretAccessKey}`, date);
  for (const part of [options.region, options.service, "aws4_request"]) key = hmac(key, part);
  const signature = crypto.createHmac("sha256", key).update(stringToSign).digest("hex");
  return { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${options.accessKeyId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}` };
}

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256(data: string | Buffer): string {
  return crypto.createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return crypto.createHmac("sha256", key).update(data).digest();
}
