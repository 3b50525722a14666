/** An IAM role's name (deployment roles, the deployer, Terraform Cloud's run role, verify's --role-name): the app's rule, not the package's. */
export const ROLE_NAME_RULE = {
  pattern: /^[\w+=,.@-]{1,64}$/,
  allowed: "an IAM role name (1 to 64 characters of letters, digits and _+=,.@-)",
};

/**
 * IAM role and policy names are unique regardless of case (IAM refuses TRELICAINTEGRATION beside
 * TrelicaIntegration, and it names the same role to a trust policy check), so a user's name is
 * compared with ours without case.
 */
export function sameIamName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
