/** An IAM role's name (deployment roles, the deployer, Terraform Cloud's run role, verify's --role-name): the app's rule, not the package's. */
export const ROLE_NAME_RULE = {
  pattern: /^[\w+=,.@-]{1,64}$/,
  allowed: "an IAM role name (1 to 64 characters of letters, digits and _+=,.@-)",
};
