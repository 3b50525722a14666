import { AccessChange } from "../terraform/plan-summary";
import { RolloutOptions } from "../report/rollout-options";

/**
 * Why apply must not run this plan unattended: it changes Trelica's access (needs
 * --allow-access-change), or deletes or replaces something else (needs --allow-destroy), or nobody
 * could check which (needs both: they allow whatever it holds).
 */
export function guardRefusal(
  destructive: readonly string[],
  accessChanges: readonly AccessChange[],
  options: RolloutOptions,
  unchecked?: string,
  leaving = false,
): string | undefined {
  if (options.command === "destroy") return undefined;
  // A leaving account's plan destroys its role: --confirm-destroy is the consent, as for destroy itself.
  if (leaving) {
    return options.confirmDestroy
      ? undefined
      : "its account left the config: this plan destroys its TrelicaIntegration role and cuts Trelica off there; rerun with --confirm-destroy to do it, or put the account back in the config";
  }
  if (unchecked && !(options.allowAccessChange && options.allowDestroy)) {
    return `the plan could not be checked for changes to Trelica's access (${unchecked}); review its run, then rerun with --allow-access-change --allow-destroy, or confirm it in Terraform Cloud`;
  }
  if (accessChanges.length > 0 && !options.allowAccessChange) {
    return `the plan changes Trelica's access: ${accessChanges.map((change) => `${change.address} ${change.reason}`).join("; ")}; review it, then rerun with --allow-access-change`;
  }
  const accessAddresses = new Set(accessChanges.map((change) => change.address));
  const otherDestructive = destructive.filter((address) => !accessAddresses.has(address));
  if (otherDestructive.length > 0 && !options.allowDestroy) {
    return `the plan deletes or replaces ${otherDestructive.join(", ")}; review it, then rerun with --allow-destroy`;
  }
  return undefined;
}
