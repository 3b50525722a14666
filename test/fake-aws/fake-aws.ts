import * as crypto from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { cloudFormation, Organization } from "./cloudformation";
import { AwsError } from "./errors";
import { Handler, iamHandlers } from "./iam";
import { iamUserHandlers, UserKeyRef } from "./iam-users";
import { errorStatusOf, errorXml, modelOf, readInput, responseXml, SERVICE_NAMES, ServiceName } from "./query-protocol";
import { parseAuthorization, verifySignature } from "./sigv4";
import { AccountState, Caller, emptyAccount } from "./state";
import { Session, stsHandlers } from "./sts";

export interface FakeAwsOptions {
  readonly managementAccountId: string;
  /** OU (or root `r-…`) → its member accounts, for stack set targets. @default no OUs */
  readonly organizationalUnits?: Readonly<Record<string, readonly string[]>>;
  /** @default "OrganizationAccountAccessRole" */
  readonly deploymentRoleName?: string;
  /** Members without the deployment role (invited accounts). @default none */
  readonly accountsWithoutDeploymentRole?: readonly string[];
  /** How long a stack set operation stays RUNNING. @default 1000 */
  readonly operationMs?: number;
  /** Delay before each answer, e.g. to keep an apply running long enough to interrupt it. @default 0 */
  readonly latencyMs?: number;
  /** The fake's clock for dates it records (keys' and roles' last use, creation). @default the real clock */
  readonly now?: () => Date;
}

export interface RequestRecord {
  readonly service: string;
  readonly action: string;
  readonly accountId?: string;
  readonly status: number;
  readonly code?: string;
}

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * A fake AWS (IAM, STS, CloudFormation StackSets and resource import) on 127.0.0.1 that the real terraform AWS provider can
 * plan and apply against, reached through `AWS_ENDPOINT_URL`. It runs in the test's own process:
 * drive terraform with asynchronous child processes (a synchronous spawn would block the fake).
 */
export class FakeAws {
  /** Requests in arrival order: what terraform called, as whom, and how it ended. */
  readonly requests: RequestRecord[] = [];
  /** Actions the fake does not implement that something called: each fails the test that caused it. */
  readonly unimplemented: string[] = [];

  private readonly accounts = new Map<string, AccountState>();
  private readonly longTermKeys = new Map<string, Caller & { secretAccessKey: string }>();
  private readonly sessions = new Map<string, Session>();
  /** IAM users' access keys, by key ID: a request signed with one acts as that user. */
  private readonly userKeys = new Map<string, UserKeyRef>();
  private readonly throttled = new Map<string, number>();
  private readonly failingStackInstances = new Set<string>();
  private readonly handlers: Record<ServiceName, Record<string, Handler>>;
  private readonly settleStackSets: () => void;
  private server?: http.Server;
  private port = 0;

  private constructor(readonly options: FakeAwsOptions) {
    const accountOf = (accountId: string) => this.stateOf(accountId);
    const now = options.now ?? (() => new Date());
    const iam = { ...iamHandlers(accountOf), ...iamUserHandlers(accountOf, this.userKeys, now) };
    const organization: Organization = { managementAccountId: options.managementAccountId, organizationalUnits: options.organizationalUnits ?? {} };
    const stackSets = cloudFormation({
      organization,
      operationMs: options.operationMs ?? 1000,
      failingAccounts: this.failingStackInstances,
      accountOf,
      iam,
      unimplemented: (what) => this.unimplemented.push(what),
    });
    this.settleStackSets = stackSets.settleAll;
    this.handlers = {
      iam,
      sts: stsHandlers({
        managementAccountId: options.managementAccountId,
        deploymentRoleName: options.deploymentRoleName ?? "OrganizationAccountAccessRole",
        accountsWithoutDeploymentRole: new Set(options.accountsWithoutDeploymentRole ?? []),
        sessions: this.sessions,
        roleIn: (accountId, roleName) => this.stateOf(accountId).roles[roleName],
        now,
      }),
      cloudformation: stackSets.handlers,
    };
  }

  /** The actions each service answers: what the trimmed models must describe. */
  static implementedActions(): Record<ServiceName, string[]> {
    const { handlers } = new FakeAws({ managementAccountId: "000000000000" });
    return Object.fromEntries(SERVICE_NAMES.map((service) => [service, Object.keys(handlers[service]).sort()])) as Record<ServiceName, string[]>;
  }

  static async start(options: FakeAwsOptions): Promise<FakeAws> {
    const fake = new FakeAws(options);
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const answer = () => fake.handle(request, response, Buffer.concat(chunks));
        if (options.latencyMs) setTimeout(answer, options.latencyMs);
        else answer();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    fake.server = server;
    fake.port = (server.address() as AddressInfo).port;
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Long-term keys that act as a user in `accountId`. */
  credentialsFor(accountId: string): Credentials {
    const accessKeyId = `AKIA${accountId}FAKE`;
    let entry = this.longTermKeys.get(accessKeyId);
    if (!entry) {
      entry = { accountId, arn: `arn:aws:iam::${accountId}:user/terraform`, userId: `AIDA${accountId}FAKE`, secretAccessKey: crypto.randomBytes(24).toString("base64") };
      this.longTermKeys.set(accessKeyId, entry);
    }
    return { accessKeyId, secretAccessKey: entry.secretAccessKey };
  }

  /** The environment that points the AWS provider (or any SDK) at this fake, as a user of `accountId`. */
  environmentFor(accountId: string): Record<string, string> {
    const credentials = this.credentialsFor(accountId);
    return {
      AWS_ENDPOINT_URL: this.url,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true",
    };
  }

  /** One account's IAM and StackSets state, with finished stack set operations applied. */
  account(accountId: string): AccountState {
    this.settleStackSets();
    return this.stateOf(accountId);
  }

  private stateOf(accountId: string): AccountState {
    let state = this.accounts.get(accountId);
    if (!state) {
      state = emptyAccount();
      this.accounts.set(accountId, state);
    }
    return state;
  }

  /** Calls an API as a user of `accountId` without going through terraform: drift, hand-made roles. */
  call(accountId: string, service: ServiceName, action: string, input: Record<string, unknown>): Record<string, unknown> {
    const handler = this.handlers[service][action];
    if (!handler) throw new Error(`fake: ${service}:${action} is not implemented`);
    return handler(input, { accountId, arn: `arn:aws:iam::${accountId}:user/console`, userId: "console" });
  }

  /** The next `count` requests made with `accountId`'s credentials answer `Throttling`. */
  throttle(accountId: string, count: number): void {
    this.throttled.set(accountId, count);
  }

  /** Stack set instances in `accountId` fail (as a member whose stack rolls back would). */
  failStackInstancesIn(accountId: string): void {
    this.failingStackInstances.add(accountId);
  }

  /** Every account that holds a role, a policy, a stack set, a stack or an OIDC provider, sorted. */
  accountsWithResources(): string[] {
    this.settleStackSets();
    return [...this.accounts]
      .filter(([, state]) => [state.roles, state.policies, state.stackSets, state.stacks, state.oidcProviders].some((things) => Object.keys(things).length > 0))
      .map(([id]) => id)
      .sort();
  }

  private identify(accessKeyId: string, sessionToken: string | undefined): Caller & { secretAccessKey: string } {
    const longTerm = this.longTermKeys.get(accessKeyId);
    if (longTerm) return longTerm;
    const userKey = this.userKeyOf(accessKeyId);
    if (userKey) return userKey;
    const session = this.sessions.get(accessKeyId);
    if (!session || session.sessionToken !== sessionToken) {
      throw new AwsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403);
    }
    if (session.expiresAt < Date.now()) throw new AwsError("ExpiredToken", "The security token included in the request is expired", 400);
    return session;
  }

  /** An IAM user's key, as that user; an inactive key is refused as AWS refuses it. */
  private userKeyOf(accessKeyId: string): (Caller & { secretAccessKey: string }) | undefined {
    const ref = this.userKeys.get(accessKeyId);
    const user = ref && this.stateOf(ref.accountId).users[ref.userName];
    const key = user?.accessKeys.find((candidate) => candidate.id === accessKeyId);
    if (!ref || !user || !key) return undefined;
    if (key.status !== "Active") throw new AwsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403);
    return { accountId: ref.accountId, arn: user.arn, userId: user.id, secretAccessKey: key.secretAccessKey };
  }

  /** IAM records a key's last use with the service and region of the request. */
  private recordKeyUse(accessKeyId: string, service: string, region: string): void {
    const ref = this.userKeys.get(accessKeyId);
    const key = ref && this.stateOf(ref.accountId).users[ref.userName]?.accessKeys.find((candidate) => candidate.id === accessKeyId);
    if (key) key.lastUsed = { date: (this.options.now?.() ?? new Date()).toISOString(), service, region };
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse, body: Buffer): void {
    const requestId = crypto.randomUUID();
    const params = Object.fromEntries(new URLSearchParams(body.toString("utf8")));
    const action = params.Action ?? "(none)";
    let service = "unknown";
    let caller: Caller | undefined;
    try {
      const signature = parseAuthorization(request.headers.authorization);
      service = signature.service;
      const identity = this.identify(signature.accessKeyId, request.headers["x-amz-security-token"] as string | undefined);
      verifySignature({ method: request.method ?? "POST", url: request.url ?? "/", headers: request.headers, body }, signature, identity.secretAccessKey);
      caller = { accountId: identity.accountId, arn: identity.arn, userId: identity.userId, region: signature.region };
      this.recordKeyUse(signature.accessKeyId, service, signature.region);
      if (!SERVICE_NAMES.includes(service as ServiceName)) {
        this.unimplemented.push(`service ${service} (${action})`);
        throw new AwsError("UnknownService", `fake AWS does not serve ${service}`);
      }
      const model = modelOf(service as ServiceName);
      const handler = this.handlers[service as ServiceName][action];
      const operation = model.operations[action];
      if (!handler || !operation) {
        this.unimplemented.push(`${service}:${action}`);
        throw new AwsError("InvalidAction", `fake AWS: ${service}:${action} is not implemented`);
      }
      const throttledLeft = this.throttled.get(caller.accountId) ?? 0;
      if (throttledLeft > 0) {
        this.throttled.set(caller.accountId, throttledLeft - 1);
        throw new AwsError("Throttling", "Rate exceeded");
      }
      const result = handler(readInput(model, operation, params), caller);
      this.requests.push({ service, action, accountId: caller.accountId, status: 200 });
      response.writeHead(200, { "Content-Type": "text/xml", "x-amzn-RequestId": requestId });
      response.end(responseXml(model, operation, result, requestId));
    } catch (thrown) {
      const error =
        thrown instanceof AwsError ? thrown : new AwsError("InternalFailure", `fake AWS bug: ${(thrown as Error).stack ?? String(thrown)}`, 500, "Receiver");
      if (!(thrown instanceof AwsError)) this.unimplemented.push(`crash in ${service}:${action}: ${(thrown as Error).message}`);
      const known = SERVICE_NAMES.includes(service as ServiceName);
      const status = error.status ?? (known ? errorStatusOf(service as ServiceName, error.code) : undefined) ?? 400;
      this.requests.push({ service, action, accountId: caller?.accountId, status, code: error.code });
      response.writeHead(status, { "Content-Type": "text/xml", "x-amzn-RequestId": requestId });
      response.end(errorXml(known ? modelOf(service as ServiceName) : undefined, { code: error.code, message: error.message, type: error.type }, requestId));
    }
  }
}
