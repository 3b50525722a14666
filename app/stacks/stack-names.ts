/** Stack names other parts of the program (rollout) need without loading the stacks' code. */

/** The Terraform Cloud bootstrap stack: applied once by a person with a Terraform Cloud token. */
export const TERRAFORM_CLOUD_STACK_NAME = "trelica-terraform-cloud";

/** The deployer stack: the stack set that puts the deployer into members; applied first, by a person, in the management account. */
export const DEPLOYER_STACK_NAME = "trelica-deployer";

/** Stacks a rollout of the accounts never sweeps in by `trelica-*`: each runs only when `--accounts` names it exactly. */
export const BOOTSTRAP_STACK_NAMES: readonly string[] = [TERRAFORM_CLOUD_STACK_NAME, DEPLOYER_STACK_NAME];
