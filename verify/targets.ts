import { deploymentRoleName, verifyRoleFor } from "../app/organization/defaults";
import type { Partition } from "../modules/trelica-integration";
import type { LoadedConfig } from "../app/config/load";
import { resolveDeployments, SkippedAccount, stackNameFor } from "../app/organization/deployments";
import { memberTemplate, StackSetDeployment } from "../app/stacks/stackset";
import { selectStacks } from "../runner/stacks";
import { ExpectedRole, expectedFromProps, expectedFromTemplate } from "./expected";

/*
 * The accounts to verify and what each should hold, from the config by the same resolution synth uses:
 * accounts mode, one per deployment; StackSets mode, the management account's own role plus each
 * account the stack set has an instance in. --accounts and --exclude select among them as in rollout.
 */

export interface Target {
  /** The account's stack name, `trelica-<id>`: what --accounts matches besides the ID. */
  readonly name: string;
  readonly accountId: string;
  readonly accountName?: string;
  /** The region to enter in Trelica. */
  readonly region: string;
  readonly partition: Partition;
  /** The role verify assumes there; undefined: the standard credentials, which must be that account's. */
  readonly assumeRoleName?: string;
  /** assumeRoleName is the deployer's read-only verify role, which may not deactivate keys. */
  readonly readOnlyRole?: boolean;
  readonly expected: ExpectedRole;
  /** How the role gets there: the account's stack, or the stack set. */
  readonly managedBy: "stack" | "stack set";
  /** A stack set instance's status (CURRENT, OUTDATED, INOPERABLE), StackSets mode only. */
  readonly instanceStatus?: string;
}

export interface Selection {
  readonly targets: Target[];
  /** Accounts the config leaves without a stack because they are not ACTIVE. */
  readonly skipped: SkippedAccount[];
  readonly warnings: string[];
}

export interface SelectOptions {
  readonly accounts: readonly string[];
  readonly exclude: readonly string[];
  /** --role-name: assume this role in every account other than the credentials' own. */
  readonly roleName?: string;
}

/** A stack set instance: its account and status. */
export interface InstanceAccount {
  readonly accountId: string;
  readonly status?: string;
}

/** Accounts mode. */
export function accountTargets(loaded: LoadedConfig, options: SelectOptions): Selection {
  const resolution = resolveDeployments(loaded);
  const all = resolution.deployments.map(
    (deployment): Target => ({
      name: stackNameFor(deployment.accountId),
      accountId: deployment.accountId,
      accountName: deployment.name,
      region: deployment.region,
      partition: deployment.partition,
      assumeRoleName: options.roleName ?? verifyRoleFor(loaded.config, deployment.providerRoleName),
      readOnlyRole: options.roleName === undefined && verifyRoleFor(loaded.config, deployment.providerRoleName) !== deployment.providerRoleName,
      expected: expectedFromProps(deployment.integration, deployment.accountId),
      managedBy: "stack",
    }),
  );
  return { targets: selectStacks(all, options.accounts, options.exclude), skipped: resolution.skipped, warnings: resolution.warnings };
}

/** StackSets mode: `instances` are what ListStackInstances answered in the administering account. */
export function stackSetTargets(loaded: LoadedConfig, deployment: StackSetDeployment, instances: readonly InstanceAccount[], options: SelectOptions): Selection {
  const { management } = deployment;
  const assumeMembers = deploymentRoleName(loaded.config);
  const template = memberTemplate(deployment);
  const members = [...new Map(instances.filter((instance) => instance.accountId !== management.accountId).map((instance) => [instance.accountId, instance])).values()]
    .sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0))
    .map(
      (instance): Target => ({
        name: stackNameFor(instance.accountId),
        accountId: instance.accountId,
        region: deployment.region,
        partition: deployment.partition,
        assumeRoleName: options.roleName ?? (assumeMembers === false ? undefined : assumeMembers),
        expected: expectedFromTemplate(template, instance.accountId, deployment.partition),
        managedBy: "stack set",
        instanceStatus: instance.status,
      }),
    );
  const own: Target = {
    name: stackNameFor(management.accountId),
    accountId: management.accountId,
    accountName: "management",
    region: management.region,
    partition: management.partition,
    assumeRoleName: undefined,
    expected: expectedFromProps(management.integration, management.accountId),
    managedBy: "stack",
  };
  return { targets: selectStacks([own, ...members], options.accounts, options.exclude), skipped: [], warnings: deployment.warnings };
}
