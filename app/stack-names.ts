/** Stack names other parts of the program (rollout) need without loading the stacks' code. */

/** The Terraform Cloud bootstrap stack: applied once by a person with a Terraform Cloud token. */
export const TERRAFORM_CLOUD_STACK_NAME = "trelica-terraform-cloud";
