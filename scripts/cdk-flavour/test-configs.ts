/*
 * Configs that exercise every shape of stack, for comparing the two flavours' output (test:cdktn):
 * a 50-account Organization with per-account overrides on an S3 backend, the same on a Terraform Cloud
 * backend with the bootstrap stack (the @cdktf/provider-tfe classes), and StackSets mode.
 * Written as JSON, which is YAML.
 */

const MANAGEMENT = "500000000000";

/** 50 accounts: the management account and 49 members, with every kind of per-account override. */
function accounts(options: { readonly ownDeployRole: boolean } = { ownDeployRole: true }): object[] {
  const list: object[] = [{ id: MANAGEMENT, name: "management", assumeRoleName: false }];
  for (let i = 1; i < 50; i++) {
    const id = String(500000000000 + i * 7919).padStart(12, "0");
    const account: Record<string, unknown> = { id, name: `member-${i}` };
    if (i % 5 === 0) Object.assign(account, { services: { connect: true }, region: "eu-west-2" });
    if (i % 7 === 0 && options.ownDeployRole) account.assumeRoleName = "TerraformDeploy";
    if (i % 11 === 0) account.adoptExisting = true;
    if (i % 13 === 0) Object.assign(account, { adoptExisting: true, policyName: "HandMadeTrelicaPolicy" });
    if (i % 17 === 0) account.services = { cognito: false, iam: true };
    list.push(account);
  }
  return list;
}

const BASE = {
  trelicaOrganizationId: "3f1c2a9e-7b4d-4e21-9c55-0a1b2c3d4e5f",
  region: "eu-west-1",
  managementAccountId: MANAGEMENT,
  services: { cognito: true, connect: false, iam: true },
  role: { maxSessionDuration: 7200, tags: { team: "identity", "cost-centre": "it-42" } },
};

export function organizationConfigs(): Record<string, string> {
  const configs: Record<string, object> = {
    "org-50-s3": {
      ...BASE,
      backend: { type: "s3", bucket: "acme-terraform-state", region: "eu-west-1", key: "trelica/{accountId}/terraform.tfstate", roleArn: "arn:aws:iam::999999999999:role/TerraformState", dynamodbTable: "terraform-locks" },
      accounts: accounts(),
    },
    "org-50-cloud": {
      ...BASE,
      backend: { type: "cloud", organization: "acme", project: "identity", workspaceName: "trelica-{accountId}" },
      terraformCloud: { project: "identity", createProject: true, workspace: { autoApply: true, tags: { team: "identity" } }, runRoleName: "TfcTrelicaRun" },
      // Terraform Cloud requires the deployer.
      deployment: { deployer: { organizationalUnitIds: ["r-ab12"] } },
      // Terraform Cloud's runs may assume only the deployer: no account names a deploy role of its own.
      accounts: accounts({ ownDeployRole: false }),
    },
    stacksets: {
      ...BASE,
      mode: "stackset",
      services: { connect: false },
      backend: { type: "s3", bucket: "acme-terraform-state" },
      stackSet: {
        organizationalUnitIds: ["ou-ab12-cdef3456", "r-ab12"],
        accountFilter: { type: "DIFFERENCE", accounts: ["222222222222"] },
        maxConcurrentPercentage: 25,
        failureToleranceCount: 2,
        regionConcurrencyType: "PARALLEL",
      },
    },
  };
  return Object.fromEntries(Object.entries(configs).map(([name, config]) => [name, `${JSON.stringify(config, null, 2)}\n`]));
}
