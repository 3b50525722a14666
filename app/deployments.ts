import { ALL_SERVICES, Partition, ServiceFlags, TrelicaIntegrationProps } from "../modules/trelica-integration";
import { Config } from "./config/schema";
import { partitionOf } from "./config/regions";

/** Everything one account's stack needs, resolved from the config: no defaults left to apply. */
export interface AccountDeployment {
  readonly accountId: string;
  readonly name?: string;
  readonly region: string;
  readonly partition: Partition;
  readonly services: Required<ServiceFlags>;
  /** The role the AWS provider assumes in the account; undefined: the ambient credentials. */
  readonly providerRoleArn?: string;
  readonly integration: TrelicaIntegrationProps;
}

export function stackNameFor(accountId: string): string {
  return `trelica-${accountId}`;
}

/** One deployment per configured account, sorted by account ID so output order never churns. */
export function resolveDeployments(config: Config): AccountDeployment[] {
  const partition = partitionOf(config.region);
  const defaults: Required<ServiceFlags> = { ...ALL_SERVICES, ...config.services };
  return [...config.accounts]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((account) => {
      const services = { ...defaults, ...account.services };
      const assumeRoleName = account.assumeRoleName ?? config.deployment.assumeRoleName;
      return {
        accountId: account.id,
        name: account.name,
        region: config.region,
        partition,
        services,
        providerRoleArn: assumeRoleName === false ? undefined : `arn:${partition}:iam::${account.id}:role/${assumeRoleName}`,
        integration: {
          externalId: config.trelicaOrganizationId,
          trelicaAccountId: config.trelicaAccountId,
          partition,
          services,
          ...config.role,
        },
      };
    });
}
