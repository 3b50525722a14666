import * as crypto from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { cloudFormation, Organization } from "./cloudformation";
import { ADMINISTRATOR_ACCESS, ALLOW_EVERYTHING, Authorizer, Denial } from "./authorize";
import { accessDenied, AwsError } from "./errors";
import { Handler, iamHandlers } from "./iam";
import { iamUserHandlers, UserKeyRef } from "./iam-users";
import { errorStatusOf, errorXml, modelOf, readInput, responseXml, SERVICE_NAMES, ServiceName } from "./query-protocol";
import { parseAuthorization, verifySignature } from "./sigv4";
import { AccountState, Caller, emptyAccount, Role } from "./state";
import { FakeAwsSnapshot, SNAPSHOT_VERSION } from "./snapshot";
import { Session, stsHandlers } from "./sts";
import { Bucket, s3Answer } from "./s3";

export interface FakeAwsOptions {
  readonly managementAccountId: string;
  /** OU (or root `r-…`) → its member accounts, for stack set targets. @default no OUs */
  readonly organizationalUnits?: Readonly<Record<string, readonly string[]>>;
  /**
   * The role Organizations makes in each member account it creates: trusting the management account,
   * with an inline AdministratorAccess policy. @default "OrganizationAccountAccessRole"
   */
  readonly deploymentRoleName?: string;
  /** Members without the deployment role (invited accounts). @default none */
  readonly accountsWithoutDeploymentRole?: readonly string[];
  /** The Organization's ID, for `aws:PrincipalOrgID` and `aws:ResourceOrgID`. @default "o-fake000000" */
  readonly organizationId?: string;
  /** Accounts outside the Organization (every other account is in it). @default none */
  readonly accountsOutsideOrganization?: readonly string[];
  /**
   * Authorize every signed request against the caller's IAM policies (`denials` lists what was refused).
   * false: any caller may do anything in its own account; a role's trust policy still decides AssumeRole.
   * @default true
   */
  readonly enforceIam?: boolean;
  /** How long a stack set operation stays RUNNING. @default 1000 */
  readonly operationMs?: number;
  /** Delay before each answer, e.g. to keep an apply running long enough to interrupt it. @default 0 */
  readonly latencyMs?: number;
  /** The fake's clock for dates it records (keys' and roles' last use, creation). @default the real clock */
  readonly now?: () => Date;
  /** The port to listen on (127.0.0.1). @default 0, a free port */
  readonly port?: number;
  /** Start from a state `snapshot()` gave (npm run sandbox keeps its Organization across restarts). @default empty */
  readonly restore?: FakeAwsSnapshot;
  /** Called after every request is answered (whatever it changed): npm run sandbox saves its state then. */
  readonly onRequest?: () => void;
}

export interface RequestRecord {
  readonly service: string;
  readonly action: string;
  readonly accountId?: string;
  readonly status: number;
  readonly code?: string;
  /** Who called: a user's ARN, or an assumed-role session's (arn:aws:sts::<account>:assumed-role/<role>/<session>). */
  readonly caller?: string;
  /** sts:AssumeRole's RoleArn: which role the caller asked for. */
  readonly roleArn?: string;
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
  /** Requests refused with AccessDenied, in arrival order: who, what, on which resource, why, and AWS's message. */
  readonly denials: (Denial & { readonly accountId: string })[] = [];

  private readonly accounts = new Map<string, AccountState>();
  /** S3 buckets by name (test/fake-aws/s3.ts): where an S3 backend keeps state. */
  private readonly buckets = new Map<string, Bucket>();
  /** IAM users' access keys (the fake's own `credentialsFor` keys among them), by key ID: a request signed with one acts as that user. */
  private readonly userKeys = new Map<string, UserKeyRef>();
  private readonly sessions = new Map<string, Session>();
  private readonly throttled = new Map<string, number>();
  private readonly failingStackInstances = new Set<string>();
  private readonly handlers: Record<ServiceName, Record<string, Handler>>;
  private readonly authorizer: Authorizer;
  /** The deployment roles the fake's Organization made: not resources a test or terraform made. */
  private readonly madeByOrganizations = new WeakSet<Role>();
  private readonly settleStackSets: () => void;
  private readonly finishStackSets: () => void;
  private readonly runningStackSetOperations: () => number;
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
    this.finishStackSets = stackSets.finishAll;
    this.runningStackSetOperations = stackSets.running;
    this.handlers = {
      iam,
      sts: stsHandlers({ accountOf, sessions: this.sessions, now }),
      cloudformation: stackSets.handlers,
    };
    const outside = new Set(options.accountsOutsideOrganization ?? []);
    this.authorizer = new Authorizer({
      accountOf,
      organizationId: options.organizationId ?? "o-fake000000",
      inOrganization: (accountId) => !outside.has(accountId),
      enforce: options.enforceIam ?? true,
      unimplemented: (what) => this.unimplemented.push(what),
    });
    if (options.restore) this.restore(options.restore);
  }

  /**
   * Everything the fake remembers, as plain data to write as JSON (`options.restore` starts from it). Stack set
   * operations still running are ended first, as they would have ended: a saved state holds no half-run one.
   */
  snapshot(): FakeAwsSnapshot {
    this.finishStackSets();
    const roleName = this.deploymentRoleName;
    return structuredClone({
      version: SNAPSHOT_VERSION,
      accounts: Object.fromEntries(this.accounts),
      sessions: Object.fromEntries([...this.sessions].filter(([, session]) => session.expiresAt > Date.now())),
      deploymentRoleMadeIn: [...this.accounts].filter(([, state]) => state.roles[roleName] && this.madeByOrganizations.has(state.roles[roleName])).map(([id]) => id),
    });
  }

  private restore(snapshot: FakeAwsSnapshot): void {
    for (const [accountId, saved] of Object.entries(structuredClone(snapshot.accounts))) {
      this.accounts.set(accountId, saved);
      for (const user of Object.values(saved.users)) for (const key of user.accessKeys) this.userKeys.set(key.id, { accountId, userName: user.name });
    }
    for (const [accessKeyId, session] of Object.entries(snapshot.sessions)) this.sessions.set(accessKeyId, { ...session });
    for (const accountId of snapshot.deploymentRoleMadeIn) {
      const role = this.accounts.get(accountId)?.roles[this.deploymentRoleName];
      if (role) this.madeByOrganizations.add(role);
    }
  }

  /** Stack set operations begun and not yet ended. */
  get stackSetOperationsRunning(): number {
    return this.runningStackSetOperations();
  }

  private get deploymentRoleName(): string {
    return this.options.deploymentRoleName ?? "OrganizationAccountAccessRole";
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
        const answer = () => void fake.handle(request, response, Buffer.concat(chunks)).then(() => options.onRequest?.());
        if (options.latencyMs) setTimeout(answer, options.latencyMs);
        else answer();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
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

  /**
   * Long-term keys of IAM user `userName` in `accountId`, made on first use. The default user,
   * `terraform`, holds AdministratorAccess (whoever runs rollout or `cdktf deploy` today); any other
   * starts with no policy: give it some in `account(accountId).users[userName]`.
   */
  credentialsFor(accountId: string, userName = "terraform"): Credentials {
    const accessKeyId = `AKIA${accountId}${userName === "terraform" ? "FAKE" : crypto.createHash("sha1").update(userName).digest("hex").slice(0, 8).toUpperCase()}`;
    const users = this.stateOf(accountId).users;
    const createDate = (this.options.now?.() ?? new Date()).toISOString();
    const user = (users[userName] ??= {
      path: "/",
      name: userName,
      id: `AIDA${accountId}${accessKeyId.slice(16)}`,
      arn: `arn:aws:iam::${accountId}:user/${userName}`,
      createDate,
      attachedPolicies: userName === "terraform" ? [ADMINISTRATOR_ACCESS] : [],
      inlinePolicies: {},
      accessKeys: [],
    });
    // The key is one of the user's access keys, as IAM lists it (its last use recorded, Inactive refused).
    let key = user.accessKeys.find((candidate) => candidate.id === accessKeyId);
    if (!key) {
      key = { id: accessKeyId, secretAccessKey: crypto.randomBytes(24).toString("base64"), status: "Active", createDate };
      user.accessKeys.push(key);
      this.userKeys.set(accessKeyId, { accountId, userName });
    }
    return { accessKeyId, secretAccessKey: key.secretAccessKey };
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
      this.createDeploymentRole(accountId);
    }
    return state;
  }

  /** As AWS Organizations makes OrganizationAccountAccessRole in the accounts it creates. */
  private createDeploymentRole(accountId: string): void {
    const options = this.options;
    const member =
      accountId !== options.managementAccountId &&
      !(options.accountsWithoutDeploymentRole ?? []).includes(accountId) &&
      !(options.accountsOutsideOrganization ?? []).includes(accountId);
    if (!member) return;
    const roleName = this.deploymentRoleName;
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${options.managementAccountId}:root` }, Action: "sts:AssumeRole" }] };
    this.call(accountId, "iam", "CreateRole", { RoleName: roleName, Path: "/", AssumeRolePolicyDocument: JSON.stringify(trust) });
    this.call(accountId, "iam", "PutRolePolicy", { RoleName: roleName, PolicyName: "AdministratorAccess", PolicyDocument: JSON.stringify(ALLOW_EVERYTHING) });
    this.madeByOrganizations.add(this.stateOf(accountId).roles[roleName]);
  }

  /** Calls an API as a user of `accountId` without going through terraform or authorization: drift, hand-made roles. */
  call(accountId: string, service: ServiceName, action: string, input: Record<string, unknown>): Record<string, unknown> {
    const handler = this.handlers[service][action];
    if (!handler) throw new Error(`fake: ${service}:${action} is not implemented`);
    return handler(input, { accountId, arn: `arn:aws:iam::${accountId}:user/console`, userId: "console" });
  }

  /** An S3 bucket owned by `accountId` (path-style objects only). */
  createBucket(accountId: string, name: string): void {
    this.buckets.set(name, { ownerAccountId: accountId, objects: new Map() });
  }

  /** An object's bytes as text, or undefined; `text` given: writes it (behind the S3 API's back, as a test would). */
  object(bucket: string, key: string, text?: string): string | undefined {
    const objects = this.buckets.get(bucket)?.objects;
    if (!objects) throw new Error(`fake: no bucket ${bucket}`);
    if (text !== undefined) objects.set(key, Buffer.from(text, "utf8"));
    return objects.get(key)?.toString("utf8");
  }

  /** The next `count` requests made with `accountId`'s credentials answer `Throttling`. */
  throttle(accountId: string, count: number): void {
    this.throttled.set(accountId, count);
  }

  /** Stack set instances in `accountId` fail (as a member whose stack rolls back would). */
  failStackInstancesIn(accountId: string): void {
    this.failingStackInstances.add(accountId);
  }

  /** The roles in `accountId` by name, without the deployment role Organizations made there. */
  rolesMadeIn(accountId: string): string[] {
    return Object.values(this.account(accountId).roles)
      .filter((role) => !this.madeByOrganizations.has(role))
      .map((role) => role.name);
  }

  /** Every account that holds a role (besides Organizations' own), a policy, a stack set, a stack or an OIDC provider, sorted. */
  accountsWithResources(): string[] {
    this.settleStackSets();
    return [...this.accounts]
      .filter(([id, state]) => this.rolesMadeIn(id).length > 0 || [state.policies, state.stackSets, state.stacks, state.oidcProviders].some((things) => Object.keys(things).length > 0))
      .map(([id]) => id)
      .sort();
  }

  private identify(accessKeyId: string, sessionToken: string | undefined): Caller & { secretAccessKey: string } {
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
    return { accountId: ref.accountId, arn: user.arn, userId: user.id, identity: { kind: "user", name: user.name }, secretAccessKey: key.secretAccessKey };
  }

  /** IAM records a key's last use with the service and region of the request. */
  private recordKeyUse(accessKeyId: string, service: string, region: string): void {
    const ref = this.userKeys.get(accessKeyId);
    const key = ref && this.stateOf(ref.accountId).users[ref.userName]?.accessKeys.find((candidate) => candidate.id === accessKeyId);
    if (key) key.lastUsed = { date: (this.options.now?.() ?? new Date()).toISOString(), service, region };
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse, body: Buffer): Promise<void> {
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
      caller = { accountId: identity.accountId, arn: identity.arn, userId: identity.userId, identity: identity.identity, region: signature.region };
      this.recordKeyUse(signature.accessKeyId, service, signature.region);
      if (service === "s3") {
        const answer = s3Answer(this.buckets, request, body, caller.accountId);
        this.requests.push({ service, action: answer.action, accountId: caller.accountId, status: answer.status, code: answer.code, caller: caller.arn });
        response.writeHead(answer.status, { "x-amz-request-id": requestId, ...answer.headers });
        response.end(answer.body);
        return;
      }
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
      const input = readInput(model, operation, params);
      const denial = await this.authorizer.authorize(service, action, input, caller);
      if (denial) {
        this.denials.push({ ...denial, accountId: caller.accountId });
        throw accessDenied(denial.message);
      }
      const result = handler(input, caller);
      this.requests.push({ service, action, accountId: caller.accountId, status: 200, caller: caller.arn, roleArn: roleArnOf(input) });
      response.writeHead(200, { "Content-Type": "text/xml", "x-amzn-RequestId": requestId });
      response.end(responseXml(model, operation, result, requestId));
    } catch (thrown) {
      const error =
        thrown instanceof AwsError ? thrown : new AwsError("InternalFailure", `fake AWS bug: ${(thrown as Error).stack ?? String(thrown)}`, 500, "Receiver");
      if (!(thrown instanceof AwsError)) this.unimplemented.push(`crash in ${service}:${action}: ${(thrown as Error).message}`);
      const known = SERVICE_NAMES.includes(service as ServiceName);
      const status = error.status ?? (known ? errorStatusOf(service as ServiceName, error.code) : undefined) ?? 400;
      this.requests.push({ service, action, accountId: caller?.accountId, status, code: error.code, caller: caller?.arn, roleArn: roleArnOf(params) });
      response.writeHead(status, { "Content-Type": "text/xml", "x-amzn-RequestId": requestId });
      response.end(errorXml(known ? modelOf(service as ServiceName) : undefined, { code: error.code, message: error.message, type: error.type }, requestId));
    }
  }
}

function roleArnOf(input: Record<string, unknown>): string | undefined {
  return typeof input.RoleArn === "string" ? input.RoleArn : undefined;
}
