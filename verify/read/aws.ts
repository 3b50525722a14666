import * as http from "node:http";
import { classifyCredentials } from "../../runner/credentials";
import * as https from "node:https";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { Partition } from "../../modules/trelica-integration";
import { redact } from "../../runner/redact";

/*
 * The SDK clients verify uses. Credentials: the SDK's standard chain, once; in an account other than the
 * caller's, one sts:AssumeRole. Endpoints: only what the SDK reads itself (AWS_ENDPOINT_URL,
 * AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL_STS, ...). Throttling: the SDK's adaptive retry.
 */

type AwsCredentialIdentityProvider = ReturnType<typeof fromNodeProviderChain>;
type AwsCredentialIdentity = Awaited<ReturnType<AwsCredentialIdentityProvider>>;

/** Attempts per call, first included: adaptive retry backs off and slows the client on throttling. */
const MAX_ATTEMPTS = 8;
const SESSION_NAME = "trelica-verify";

/** IAM is global: its requests are signed for the partition's home region. */
const IAM_REGION: Record<Partition, string> = { aws: "us-east-1", "aws-us-gov": "us-gov-west-1", "aws-cn": "cn-north-1" };

/** Clients in one account, with the credentials that act there. */
export interface AccountClients {
  readonly iam: IAMClient;
  readonly cloudFormation: (region: string) => CloudFormationClient;
}

/** A failure to get into an account: verify reports the account as unreadable with this reason. */
export class UnreadableAccount extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
    this.name = "UnreadableAccount";
  }
}

export class AwsSession {
  /** One connection pool for every client: a thousand accounts reuse the same sockets. */
  private readonly requestHandler: NodeHttpHandler;
  private readonly base: AwsCredentialIdentityProvider;
  private readonly sts: STSClient;
  private callerAccount?: Promise<string>;

  constructor(readonly region: string, readonly partition: Partition, maxSockets = 64) {
    this.requestHandler = new NodeHttpHandler({
      httpAgent: new http.Agent({ keepAlive: true, maxSockets }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets }),
    });
    this.base = fromNodeProviderChain();
    this.sts = new STSClient(this.config(this.base, region));
  }

  private config(credentials: AwsCredentialIdentityProvider | AwsCredentialIdentity, region: string) {
    return { region, credentials, requestHandler: this.requestHandler, retryMode: "adaptive", maxAttempts: MAX_ATTEMPTS };
  }

  /** The account the standard credentials act in (one sts:GetCallerIdentity per run). */
  callerAccountId(): Promise<string> {
    this.callerAccount ??= this.sts.send(new GetCallerIdentityCommand({})).then((identity) => identity.Account ?? "");
    return this.callerAccount;
  }

  /**
   * Clients acting in `accountId`: the standard credentials if `roleName` is undefined (they must be that
   * account's), else one sts:AssumeRole into `roleName` there.
   */
  async clientsIn(accountId: string, roleName: string | undefined, count: () => void): Promise<AccountClients> {
    let credentials: AwsCredentialIdentityProvider | AwsCredentialIdentity = this.base;
    if (roleName === undefined) {
      const caller = await this.callerAccountId().catch((error) => {
        const text = errorText(error);
        throw new UnreadableAccount(`the standard AWS credentials do not work: ${text}`, classifyCredentials(text)?.hint ?? "check AWS_PROFILE, AWS_ACCESS_KEY_ID or your SSO session");
      });
      if (caller !== accountId) {
        const message = `the standard AWS credentials act in account ${caller}, not ${accountId}`;
        throw new UnreadableAccount(message, classifyCredentials(message)!.hint);
      }
    } else {
      const roleArn = `arn:${this.partition}:iam::${accountId}:role/${roleName}`;
      try {
        count();
        const answer = await this.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: SESSION_NAME }));
        const c = answer.Credentials!;
        credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken, expiration: c.Expiration };
      } catch (error) {
        const text = errorText(error);
        // No credentials, expired ones or another account's say so; only a real AccessDenied points at the role.
        const known = classifyCredentials(text);
        throw new UnreadableAccount(
          `cannot assume ${roleArn}: ${text}`,
          known && known.problem !== "assume-role-denied"
            ? known.hint
            : `the role ${roleName} in ${accountId} does not exist, or does not trust your identity, or your identity may not call sts:AssumeRole on it (AWS answers all three with AccessDenied): create it or fix its trust, set assumeRoleName for it in the config, or give --role-name`,
        );
      }
    }
    const iam = new IAMClient(this.config(credentials, IAM_REGION[this.partition]));
    iam.middlewareStack.add(countCalls(count), { step: "initialize", name: "trelicaVerifyCount" });
    return {
      iam,
      cloudFormation: (region) => {
        const client = new CloudFormationClient(this.config(credentials, region));
        client.middlewareStack.add(countCalls(count), { step: "initialize", name: "trelicaVerifyCount" });
        return client;
      },
    };
  }

  close(): void {
    this.requestHandler.destroy();
  }
}

/** Counts each call once, before the SDK's retries (which sit in a later step). */
function countCalls(count: () => void) {
  return (next: (args: any) => Promise<any>) => (args: any) => {
    count();
    return next(args);
  };
}

/** An SDK error as one line: its code and message, credentials-shaped text masked. */
export function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string; Code?: string };
  const code = e.Code ?? e.name ?? "Error";
  return redact(`${code}: ${e.message ?? String(error)}`.split("\n")[0]);
}

/** The error's AWS code, such as NoSuchEntity or AccessDenied. */
export function errorCode(error: unknown): string {
  const e = error as { name?: string; Code?: string };
  return e.Code ?? e.name ?? "";
}
