import type { PolicyJson } from "../common/policy-json";
import { configError, loadConfig } from "../config/load";
import { managementPrincipalPolicy, resolveDeployer } from "../deployer/stack";
import { resolveDeployments } from "../organization/deployments";
import { resolveTerraformCloud, terraformCloudRoles } from "../terraform-cloud/deployment";

/*
 * `npm run synth -- --print-management-policy`: the exact identity policy `deployment.deployer.trustedPrincipalArns`
 * need in the management account, made by the same function the simulator tests and the e2e's CI user hold.
 */

export const PRINT_MANAGEMENT_POLICY = "--print-management-policy";

/** The policy for `configFile`'s trusted principals; throws one UserError listing every problem of the config. */
export function managementPolicyOf(configFile: string): PolicyJson {
  const loaded = loadConfig(configFile);
  if (loaded.config.deployment.deployer === undefined) {
    throw configError(loaded.file, [
      `deployment.deployer: got nothing with ${PRINT_MANAGEMENT_POLICY}; expected deployment.deployer, whose trustedPrincipalArns this policy is for ` +
        "(without it, member accounts are reached through an administrator role, which no policy of ours narrows)",
    ]);
  }
  const resolution = resolveDeployments(loaded);
  const terraformCloud = resolveTerraformCloud(loaded, resolution);
  return managementPrincipalPolicy(resolveDeployer(loaded, resolution, terraformCloud && terraformCloudRoles(terraformCloud))!);
}

/** The policy as printed: JSON, ready for `aws iam put-user-policy --policy-document file://...`. */
export function printedPolicy(policy: PolicyJson): string {
  return `${JSON.stringify(policy, null, 2)}\n`;
}
