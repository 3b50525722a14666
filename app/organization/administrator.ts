import { Config } from "../config/schema";
import { sameIamName } from "../config/iam-names";
import { listSome, plural } from "../common/list";

/*
 * Least privilege is the default path: a config that reaches member accounts through a role this
 * program does not create (OrganizationAccountAccessRole, which Organizations gives AdministratorAccess,
 * or any assumeRoleName) still works, but every synth (and so every rollout, which synthesizes first)
 * says so in one line, until the user moves to the deployer or sets deployment.administratorAccess: true.
 */

/** Where to read how to move to the deployer. */
export const DEPLOYER_DOC = 'docs/security.md, "Least-privilege deployment"';

/** What a resolved deployment tells about how Terraform reaches its account. */
export interface ReachedAccount {
  readonly accountId: string;
  /** undefined: the caller's own credentials. */
  readonly providerRoleName?: string;
}

/** The warning, or undefined when no member account is reached through a role we do not create (or the user chose it knowingly). */
export function administratorWarning(config: Config, accounts: readonly ReachedAccount[]): string | undefined {
  const deployer = config.deployment.deployer;
  if (deployer === undefined && config.deployment.administratorAccess === true) return undefined;
  const byRole = new Map<string, string[]>();
  for (const { accountId, providerRoleName } of accounts) {
    if (providerRoleName === undefined || (deployer !== undefined && sameIamName(providerRoleName, deployer.roleName))) continue;
    byRole.set(providerRoleName, [...(byRole.get(providerRoleName) ?? []), accountId]);
  }
  if (byRole.size === 0) return undefined;
  const roles = [...byRole].map(([role, ids]) => `${role} in ${plural(ids.length, "account")} (${listSome(ids)})`).join(", ");
  const how =
    deployer === undefined
      ? `Move to the least-privilege deployer (deployment.deployer, ${DEPLOYER_DOC}), or set deployment.administratorAccess: true to say you chose this.`
      : `Reach them through the deployer too: remove their assumeRoleName (${DEPLOYER_DOC}).`;
  return `member accounts are reached as administrator: Terraform assumes ${roles}, ${byRole.size === 1 ? "a role" : "roles"} this program does not create. ${how}`;
}
