import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { TRELICA_ACCOUNT_ID } from "../../modules/trelica-integration";
import type { FakeAws } from "../../sandbox/fake-aws/fake-aws";

export const TRELICA = TRELICA_ACCOUNT_ID;

/** What Trelica does when it reads an account: sts:AssumeRole from its own account into TrelicaIntegration, with the external ID. */
export async function assumeAsTrelica(fake: FakeAws, accountId: string, externalId: string | undefined, region = "us-east-1"): Promise<void> {
  const sts = new STSClient({ region, endpoint: fake.url, credentials: fake.credentialsFor(TRELICA), maxAttempts: 1 });
  try {
    await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/TrelicaIntegration`, RoleSessionName: "trelica", ExternalId: externalId }));
  } finally {
    // Its keep-alive sockets would outlive the test.
    sts.destroy();
  }
}
