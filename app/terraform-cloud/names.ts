/** Terraform Cloud's plan role beside the apply role (terraformCloud.runRoleName). */
export function planRoleName(runRoleName: string): string {
  return `${runRoleName}Plan`;
}
