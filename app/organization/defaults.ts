import { Partition, ServiceFlags, TRELICA_ACCOUNT_ID, TrelicaIntegrationProps } from "../../modules/trelica-integration";
import { boundaryProps, EACH_ACCOUNT, RoleAccount } from "../config/boundary";
import { BackendConfig, Config } from "../config/schema";
import { BOUNDARY_POLICY_NAME, boundaryArn, verifyRoleName } from "../config/deployer";
import { sameIamName } from "../config/iam-names";

/*
 * Defaults that depend on the whole config, shared by both modes so one account's role is the same
 * whichever mode made it.
 */

/** Every service on except `organizations`, which only answers in the management account (or a delegated administrator). */
export function defaultServices(config: Config, isManagementAccount: boolean): Required<ServiceFlags> {
  return { cognito: true, connect: true, iam: true, organizations: isManagementAccount, ...config.services };
}

/**
 * The role's props that come from the top level of the config, for a role in `account` (or in each
 * account of a stack set, EACH_ACCOUNT): its permissions boundary depends on it. The one place Trelica's
 * account becomes the default: semantics.ts must see whether the config named one (outside the aws
 * partition it must).
 */
export function integrationBase(config: Config, partition: Partition, account: RoleAccount): Omit<TrelicaIntegrationProps, "services"> {
  const { permissionsBoundaryArn, ...role } = config.role;
  return {
    externalId: config.trelicaOrganizationId,
    trelicaAccountId: config.trelicaAccountId ?? TRELICA_ACCOUNT_ID,
    partition,
    ...role,
    ...(config.deployment.deployer ? deployerBoundary(partition, account) : boundaryProps(permissionsBoundaryArn, account)),
  };
}

/**
 * The role a member account gets from the config's defaults (no per-account overrides): what a stack
 * set enrols, and what the standalone CloudFormation template creates in either mode.
 */
export function memberRoleProps(config: Config, partition: Partition): TrelicaIntegrationProps {
  return { ...integrationBase(config, partition, EACH_ACCOUNT), services: defaultServices(config, false) };
}

/** The backend with its defaults applied: an S3 state bucket is in the top-level region unless said. */
export function resolvedBackend(config: Config): BackendConfig {
  return config.backend.type === "s3" ? { ...config.backend, region: config.backend.region ?? config.region } : config.backend;
}

/** `arn:<partition>:iam::<account>:role/<name>`; `account` may be a placeholder for documentation. */
export function roleArn(partition: Partition, account: string, name: string): string {
  return `arn:${partition}:iam::${account}:role/${name}`;
}

/** The role Terraform assumes in a member account unless the account names its own (assumeRoleName beside the deployer is refused). */
export function deploymentRoleName(config: Config): string | false {
  return config.deployment.deployer?.roleName ?? config.deployment.assumeRoleName ?? "OrganizationAccountAccessRole";
}

/**
 * The role `npm run verify` assumes in an account Terraform reaches through `providerRoleName`: with the
 * deployer, its read-only verify role (the deployer itself cannot read users or keys, and should not);
 * otherwise the same role as Terraform. Without trusted principals (Terraform Cloud alone) the stack set
 * makes no verify role: then the deployer's name, which fails with a hint to give --role-name.
 */
export function verifyRoleFor(config: Config, providerRoleName: string | undefined): string | undefined {
  const deployer = config.deployment.deployer;
  if (deployer === undefined || providerRoleName === undefined || !sameIamName(providerRoleName, deployer.roleName)) return providerRoleName;
  return deployer.trustedPrincipalArns.length > 0 ? verifyRoleName(deployer.roleName) : providerRoleName;
}

/** With the deployer, every TrelicaIntegration is under TrelicaIntegrationBoundary (a user's own boundary is refused). */
function deployerBoundary(partition: Partition, account: RoleAccount): Pick<TrelicaIntegrationProps, "permissionsBoundaryArn" | "permissionsBoundaryPolicyName"> {
  return account === EACH_ACCOUNT ? { permissionsBoundaryPolicyName: BOUNDARY_POLICY_NAME } : { permissionsBoundaryArn: boundaryArn(partition, account) };
}

/**
 * The shipped example's organization ID: plainly not a real one. Synth warns when a config uses it,
 * and rollout refuses to apply or destroy stacks that hold it (app/organization/placeholder.ts).
 */
export const EXAMPLE_ORGANIZATION_ID = "REPLACE-ME-with-your-Trelica-organization-ID";
