/*
 * An account's terraform state read where it lives, without terraform: a local state file as JSON, an
 * S3 state with the AWS SDK (the backend's bucket, key and region, the credentials terraform's S3
 * backend would use). Terraform Cloud state is never read: those accounts always plan. Whatever this
 * cannot be sure of is a doubt, named, and the account plans.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { Stack, stackJson } from "../../runner/stacks";

/** Where one stack's state is: what the stack's own backend block says (the one source; the app writes it). */
export type StateLocation =
  | { readonly kind: "local"; readonly file: string }
  | { readonly kind: "s3"; readonly bucket: string; readonly key: string; readonly region: string; readonly roleArn?: string; readonly pathStyle: boolean };

export type Located = { readonly location: StateLocation } | { readonly doubt: string };

/** The S3 backend's arguments the reader follows; any other (endpoints, profiles, workspaces...) is a doubt. */
const S3_ARGUMENTS = new Set(["bucket", "key", "region", "encrypt", "dynamodb_table", "use_lockfile", "assume_role", "use_path_style"]);

/** The stack's backends by kind: its `backend` blocks, its `cloud` block (as `cloud`), or terraform's default, local. */
function backendsOf(stack: Stack): Record<string, any> {
  const terraform = stackJson(stack).terraform ?? {};
  if (terraform.cloud !== undefined) return { cloud: terraform.cloud, ...terraform.backend };
  return terraform.backend ?? { local: {} };
}

export function stateLocation(stack: Stack, env: NodeJS.ProcessEnv): Located {
  // Another workspace keeps its state elsewhere (terraform.tfstate.d/, env:/ prefixes).
  if (env.TF_WORKSPACE !== undefined && env.TF_WORKSPACE !== "default") return { doubt: `TF_WORKSPACE selects workspace ${env.TF_WORKSPACE}` };
  // Arguments added to every terraform command, or .terraform elsewhere: the plan rollout would run is not the usual one.
  const cliArgs = Object.keys(env).filter((name) => name === "TF_CLI_ARGS" || name.startsWith("TF_CLI_ARGS_") || name === "TF_DATA_DIR");
  if (cliArgs.length > 0) return { doubt: `${cliArgs.sort().join(", ")} set in the environment` };
  const selected = path.join(stack.dir, ".terraform", "environment");
  if (fs.existsSync(selected) && fs.readFileSync(selected, "utf8").trim() !== "default") return { doubt: "a workspace other than default is selected" };
  const backend = backendsOf(stack);
  const kinds = Object.keys(backend);
  if (kinds.length !== 1) return { doubt: "the stack has no single backend" };
  const [kind] = kinds;
  const config = backend[kind];
  if (kind === "local") return { location: { kind: "local", file: localStateFile(stack, config) } };
  if (kind === "s3") {
    const extra = Object.keys(config).filter((key) => !S3_ARGUMENTS.has(key));
    if (extra.length > 0) return { doubt: `the S3 backend sets ${extra.join(", ")}` };
    const roleArn = config.assume_role?.role_arn;
    if (config.assume_role !== undefined && (typeof roleArn !== "string" || Object.keys(config.assume_role).length !== 1)) return { doubt: "the S3 backend's assume_role is not one role ARN" };
    if ([config.bucket, config.key, config.region].some((value) => typeof value !== "string")) return { doubt: "the S3 backend lacks a bucket, key or region" };
    return { location: { kind: "s3", bucket: config.bucket, key: config.key, region: config.region, roleArn, pathStyle: config.use_path_style === true } };
  }
  return { doubt: kind === "cloud" || kind === "remote" ? "its state is in Terraform Cloud, which rollout never reads" : `its backend is ${kind}` };
}

/**
 * The local state file of a stack: the local backend's `path`, relative to the folder terraform runs in
 * (app/stacks/backend.ts localStatePath writes it), or terraform's default there. Every local state
 * read goes through here.
 */
export function localStateFile(stack: Stack, config: { path?: unknown } = {}): string {
  return path.resolve(stack.dir, typeof config.path === "string" ? config.path : "terraform.tfstate");
}

/**
 * Where the stacks' state lives, in synth's words for its first line: "local state in ./org", "state in
 * the s3 backend" (rollout --no-synth reads no config, so it tells from the stacks themselves).
 */
export function stateWhere(stacks: readonly Stack[], shown: (file: string) => string): string {
  const folders = new Set<string>();
  const kinds = new Set<string>();
  for (const stack of stacks) {
    for (const [kind, config] of Object.entries(backendsOf(stack))) {
      kinds.add(kind);
      if (kind === "local") folders.add(path.dirname(localStateFile(stack, config)));
    }
  }
  return [...kinds]
    .sort()
    .map((kind) => (kind === "local" ? `local state in ${[...folders].sort().map((folder) => shown(folder)).join(", ")}` : `state in the ${kind} backend`))
    .join(" and ");
}

/** A state as read: its text (for the hash) and parsed; undefined text: there is none. */
export interface StateRead {
  readonly text?: string;
  readonly hash?: string;
}

export interface StateReaders {
  /** An S3 client for a backend (its region, its role); made once per backend and reused. */
  readonly s3: (location: Extract<StateLocation, { kind: "s3" }>) => Promise<S3Client>;
}

export async function readState(location: StateLocation, readers: StateReaders): Promise<StateRead> {
  let text: string | undefined;
  if (location.kind === "local") {
    // A lock held by a run in progress: what it will write is not known yet.
    const lock = path.join(path.dirname(location.file), `.${path.basename(location.file)}.lock.info`);
    if (fs.existsSync(lock)) throw new Error(`its state is locked (${lock})`);
    text = fs.existsSync(location.file) ? fs.readFileSync(location.file, "utf8") : undefined;
  } else {
    const client = await readers.s3(location);
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
      text = await object.Body!.transformToString("utf8");
    } catch (error) {
      const code = (error as { name?: string; Code?: string }).Code ?? (error as { name?: string }).name;
      if (code !== "NoSuchKey") throw error;
    }
  }
  return text === undefined ? {} : { text, hash: crypto.createHash("sha256").update(text).digest("hex") };
}

/**
 * S3 clients as terraform's S3 backend makes them: the credentials in `env` (keys, or the SDK's chain
 * for profiles and SSO), then the backend's assume_role if it has one; the endpoint from
 * AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL.
 */
export function s3Readers(env: NodeJS.ProcessEnv, baseCredentials: unknown): StateReaders {
  const clients = new Map<string, Promise<S3Client>>();
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const make = async (location: Extract<StateLocation, { kind: "s3" }>): Promise<S3Client> => {
    let credentials: any = baseCredentials;
    if (location.roleArn) {
      const sts = new STSClient({ region: location.region, credentials: baseCredentials as any, endpoint: env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL });
      const c = (await sts.send(new AssumeRoleCommand({ RoleArn: location.roleArn, RoleSessionName: "trelica-rollout-state" }))).Credentials!;
      const assumed = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken, expiration: c.Expiration };
      credentials = () => assumed;
    }
    return new S3Client({ region: location.region, credentials, endpoint, forcePathStyle: location.pathStyle || endpoint !== undefined });
  };
  return {
    s3: (location) => {
      const key = JSON.stringify([location.region, location.roleArn ?? ""]);
      if (!clients.has(key)) clients.set(key, make(location));
      return clients.get(key)!;
    },
  };
}

/** The parts of a terraform state (format 4) the proof reads. */
export interface TerraformState {
  readonly version: number;
  readonly terraform_version: string;
  readonly serial: number;
  readonly lineage: string;
  readonly outputs?: Record<string, { value: unknown }>;
  readonly resources?: {
    readonly mode: string;
    readonly type: string;
    readonly name: string;
    readonly module?: string;
    readonly provider: string;
    readonly instances: { readonly index_key?: unknown; readonly status?: string; readonly deposed?: string; readonly attributes?: Record<string, any> }[];
  }[];
}

export function parseState(text: string): TerraformState {
  return JSON.parse(text) as TerraformState;
}
