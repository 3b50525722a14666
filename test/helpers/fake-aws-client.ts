import type { Credentials, FakeAws } from "../../sandbox/fake-aws/fake-aws";
import { signedHeaders } from "../../sandbox/fake-aws/sigv4";

/* A signed Query-protocol request to the fake AWS, as an SDK sends it: for the fake's own tests. */

export interface Answer {
  readonly status: number;
  readonly body: string;
}

export type SessionCredentials = Credentials & { readonly sessionToken?: string };

const VERSIONS: Record<string, string> = { iam: "2010-05-08", sts: "2011-06-15", cloudformation: "2010-05-15" };

export async function callFake(fake: FakeAws, service: string, params: Record<string, string>, credentials: SessionCredentials): Promise<Answer> {
  const body = new URLSearchParams({ Version: VERSIONS[service], ...params }).toString();
  const headers = signedHeaders({ host: new URL(fake.url).host, service, region: "us-east-1", body, ...credentials });
  const response = await fetch(fake.url, { method: "POST", headers, body });
  return { status: response.status, body: await response.text() };
}

/** The text of the first `<name>` element. */
export const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

/** The credentials an AssumeRole answer carries. */
export function sessionFrom(answer: Answer): SessionCredentials {
  if (answer.status !== 200) throw new Error(`AssumeRole failed: ${answer.body}`);
  return { accessKeyId: tag(answer.body, "AccessKeyId")!, secretAccessKey: tag(answer.body, "SecretAccessKey")!, sessionToken: tag(answer.body, "SessionToken")! };
}
