import { ALL_SERVICES } from "../modules/trelica-integration/services";
import { permissionPolicy } from "../modules/trelica-integration/permission-policy";
import { TRELICA_ACCOUNT_ID } from "../modules/trelica-integration/policy-document";
import { trustPolicy } from "../modules/trelica-integration/trust-policy";
import type { FakeAws, FakeAwsOptions } from "./fake-aws/fake-aws";

/*
 * The sandbox's AWS Organization: fixed, readable IDs (the same every time, so a README can name them),
 * the accounts file `aws organizations list-accounts` would print for it, and what --scenario seeds.
 */

export const MANAGEMENT_ACCOUNT_ID = "111111111111";
export const ORGANIZATION_ID = "o-sandbox0001";
export const ROOT_ID = "r-sbx1";
/** Every member sits in this one OU (and so under the root): a deployer stack set can target either. */
export const MEMBERS_OU_ID = "ou-sbx1-workloads";
export const DEFAULT_MEMBERS = 3;
export const MOST_MEMBERS = 1000;
export const DEFAULT_TRELICA_ORGANIZATION_ID = "my-trelica-org";
/** The IAM user whose keys `env` prints: an administrator of the management account. */
export const ADMIN_USER = "terraform";
/** Trelica's own account in the sandbox, and its user that assumes the roles. */
export const TRELICA_USER = "trelica";
/** --scenario: the legacy connection, an IAM user with a long-term key (Trelica's old setup). */
export const LEGACY_USER = "trelica-legacy";
const HAND_MADE_POLICY = "TrelicaAccess";

/** What `start` decided once; kept in the state folder until `stop --reset`. */
export interface SandboxOrganization {
  readonly managementAccountId: string;
  readonly memberAccountIds: readonly string[];
  readonly organizationId: string;
  readonly rootId: string;
  readonly organizationalUnitId: string;
  /** The external ID the simulated Trelica presents (and --scenario's hand-made role trusts). */
  readonly trelicaOrganizationId: string;
  /** The port the sandbox listens on: kept, so the shell lines `env` printed stay right after a restart. */
  port: number;
  /** --scenario: where the hand-made role and the legacy user are. */
  readonly scenario?: { readonly handMadeRoleIn: string; readonly legacyUserIn: string };
}

export function newOrganization(options: { members: number; scenario: boolean; trelicaOrganizationId: string; port: number }): SandboxOrganization {
  const memberAccountIds = Array.from({ length: options.members }, (_, index) => String(200_000_000_001 + index));
  const pick = (index: number) => memberAccountIds[index % memberAccountIds.length];
  return {
    managementAccountId: MANAGEMENT_ACCOUNT_ID,
    memberAccountIds,
    organizationId: ORGANIZATION_ID,
    rootId: ROOT_ID,
    organizationalUnitId: MEMBERS_OU_ID,
    trelicaOrganizationId: options.trelicaOrganizationId,
    port: options.port,
    ...(options.scenario ? { scenario: { handMadeRoleIn: pick(1), legacyUserIn: pick(2) } } : {}),
  };
}

/** The fake's options for this Organization: members hold OrganizationAccountAccessRole; Trelica's account is outside. */
export function fakeOptions(organization: SandboxOrganization): FakeAwsOptions {
  const members = [...organization.memberAccountIds];
  return {
    managementAccountId: organization.managementAccountId,
    organizationId: organization.organizationId,
    organizationalUnits: { [organization.organizationalUnitId]: members, [organization.rootId]: members },
    accountsOutsideOrganization: [TRELICA_ACCOUNT_ID],
    port: organization.port,
    operationMs: 500,
  };
}

/** The JSON of `aws organizations list-accounts` for this Organization (what `npm run init --accounts-file` reads). */
export function listAccounts(organization: SandboxOrganization, joined: Date): unknown {
  const account = (id: string, name: string, method: "INVITED" | "CREATED") => ({
    Id: id,
    Arn: `arn:aws:organizations::${organization.managementAccountId}:account/${organization.organizationId}/${id}`,
    Email: `${name}@sandbox.example`,
    Name: name,
    State: "ACTIVE",
    JoinedMethod: method,
    JoinedTimestamp: joined.toISOString(),
  });
  return {
    Accounts: [
      account(organization.managementAccountId, "management", "INVITED"),
      ...organization.memberAccountIds.map((id, index) => account(id, `member-${index + 1}`, "CREATED")),
    ],
  };
}

/**
 * A new sandbox's first state: the administrator's keys in the management account, Trelica's user (which may
 * assume any TrelicaIntegration role, as Trelica's account does; the role's trust decides), and --scenario's
 * hand-made role and legacy user, made as a person following Trelica's setup page would.
 */
export function seed(fake: FakeAws, organization: SandboxOrganization): void {
  fake.credentialsFor(organization.managementAccountId, ADMIN_USER);
  fake.credentialsFor(TRELICA_ACCOUNT_ID, TRELICA_USER);
  fake.account(TRELICA_ACCOUNT_ID).users[TRELICA_USER].inlinePolicies.AssumeCustomerRoles = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::*:role/TrelicaIntegration" }],
  });
  for (const id of organization.memberAccountIds) fake.account(id); // Organizations makes OrganizationAccountAccessRole in each
  const scenario = organization.scenario;
  if (!scenario) return;
  const vendorPolicy = JSON.stringify(permissionPolicy(ALL_SERVICES));
  const role = scenario.handMadeRoleIn;
  fake.call(role, "iam", "CreateRole", { RoleName: "TrelicaIntegration", Path: "/", AssumeRolePolicyDocument: JSON.stringify(trustPolicy({ externalId: organization.trelicaOrganizationId })) });
  const policy = fake.call(role, "iam", "CreatePolicy", { PolicyName: HAND_MADE_POLICY, PolicyDocument: vendorPolicy }).Policy as { Arn: string };
  fake.call(role, "iam", "AttachRolePolicy", { RoleName: "TrelicaIntegration", PolicyArn: policy.Arn });
  const legacy = scenario.legacyUserIn;
  fake.call(legacy, "iam", "CreateUser", { UserName: LEGACY_USER });
  fake.call(legacy, "iam", "PutUserPolicy", { UserName: LEGACY_USER, PolicyName: HAND_MADE_POLICY, PolicyDocument: vendorPolicy });
  fake.call(legacy, "iam", "CreateAccessKey", { UserName: LEGACY_USER });
}
