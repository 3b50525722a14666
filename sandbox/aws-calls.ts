import { AttachRolePolicyCommand, GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@aws-sdk/types";
import { UserError } from "../app/common/errors";
import { TRELICA_ACCOUNT_ID } from "../modules/trelica-integration/policy-document";
import { ADMIN_USER, SandboxOrganization, TRELICA_USER } from "./organization";
import { requireRunning } from "./lifecycle";
import { StateFolder } from "./state-folder";

/*
 * `trelica` and `drift`: what others do to the Organization, sent to the running sandbox as signed AWS API
 * requests (the AWS SDK, as the AWS CLI would), so the fake decides them with IAM as it decides terraform's.
 */

const ROLE = "TrelicaIntegration";
/** What `drift` attaches: someone "fixing" Trelica's access by hand, and widening it to everything (main.ts's help names it). */
export const DRIFT_POLICY_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";

/** The account an option names: one of the Organization's, else a problem naming the option and the accounts. */
export function accountOf(organization: SandboxOrganization, option: string, value: string | undefined): string {
  const accounts = [organization.managementAccountId, ...organization.memberAccountIds];
  if (value === undefined) {
    if (organization.memberAccountIds.length === 0) return organization.managementAccountId;
    return organization.memberAccountIds[0];
  }
  if (accounts.includes(value)) return value;
  throw new UserError(`${option} ${value}: no such account in the sandbox's Organization; expected one of ${accounts.join(", ")}`);
}

/** Trelica reads an account: sts:AssumeRole from its own account into TrelicaIntegration, with the external ID. */
export async function actAsTrelica(folder: StateFolder, options: { account?: string; externalId?: string; region: string }): Promise<string[]> {
  const running = requireRunning(folder);
  const organization = folder.organization()!;
  const account = accountOf(organization, "--account", options.account);
  const externalId = options.externalId ?? organization.trelicaOrganizationId;
  const roleArn = `arn:aws:iam::${account}:role/${ROLE}`;
  const sts = new STSClient({ region: options.region, endpoint: running.url, credentials: folder.credentials(TRELICA_ACCOUNT_ID, TRELICA_USER), maxAttempts: 1 });
  try {
    await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "trelica", ExternalId: externalId }));
  } catch (error) {
    throw new UserError(
      `Trelica (account ${TRELICA_ACCOUNT_ID}) could not assume ${roleArn} with external ID ${externalId}: ${(error as Error).message}; expected the role to exist and trust Trelica with that external ID (npm run rollout -- apply makes it; --external-id gives another ID)`,
    );
  } finally {
    sts.destroy();
  }
  return [`Trelica assumed ${roleArn} with external ID ${externalId} in ${options.region}: npm run verify now shows it used by Trelica.`];
}

/** Drift behind terraform's back: AdministratorAccess attached to TrelicaIntegration, by an administrator of the account. */
export async function makeDrift(folder: StateFolder, options: { account?: string }): Promise<string[]> {
  const running = requireRunning(folder);
  const organization = folder.organization()!;
  const account = accountOf(organization, "--account", options.account);
  const admin = folder.credentials(organization.managementAccountId, ADMIN_USER);
  const config = { region: "us-east-1", endpoint: running.url, maxAttempts: 1 };
  const sts = new STSClient({ ...config, credentials: admin });
  let iam: IAMClient | undefined;
  try {
    // In a member, as its administrators do: through OrganizationAccountAccessRole from the management account.
    let credentials: AwsCredentialIdentity = admin;
    if (account !== organization.managementAccountId) {
      const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: "console" }));
      const c = assumed.Credentials!;
      credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
    }
    iam = new IAMClient({ ...config, credentials });
    try {
      await iam.send(new GetRoleCommand({ RoleName: ROLE }));
    } catch {
      throw new UserError(`--account ${account}: it has no ${ROLE} role to drift; expected an account the rollout has reached (npm run rollout -- plan, then apply)`);
    }
    await iam.send(new AttachRolePolicyCommand({ RoleName: ROLE, PolicyArn: DRIFT_POLICY_ARN }));
  } finally {
    sts.destroy();
    iam?.destroy();
  }
  return [
    `Attached ${DRIFT_POLICY_ARN} to ${ROLE} in ${account}, behind terraform's back (as someone in the console would).`,
    "npm run verify flags it; npm run rollout -- plan, then apply, removes it.",
  ];
}
