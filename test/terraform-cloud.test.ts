/*
 * terraformCloud: the bootstrap stack trelica-terraform-cloud, read from the synthesized JSON, and the
 * config's checks of the block. The run role's policies are simulated in terraform-cloud-simulation.test.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_TERRAFORM_CLOUD_HOSTNAME, DEFAULT_VCS_WORKING_DIRECTORY } from "../app/config/terraform-cloud";
import { ACCOUNT_ID_PLACEHOLDER } from "../app/config/schema";
import { TERRAFORM_CLOUD_STACK_NAME } from "../app/terraform-cloud/stack";
import { readStack } from "./helpers/app";
import { cdktfSynth, testWithCdktfCli } from "./helpers/cdktf-cli";
import { tempDir, writeFile } from "./helpers/files";
import { writeAccountsFile } from "./helpers/organization";
import { cloudConfig, MANAGEMENT, MEMBERS, problemsOf, readBootstrap, resource, stackNames, synthesize } from "./helpers/terraform-cloud";

const dir = tempDir("trelica-tfc-");
const ALL_ACCOUNTS = [MANAGEMENT, ...MEMBERS];

function workspacesOf(bootstrap: any): any[] {
  return Object.values(bootstrap.resource.tfe_workspace);
}

describe("GIVEN terraformCloud with a cloud backend", () => {
  const outdir = synthesize(dir, cloudConfig());
  const bootstrap = readBootstrap(outdir);

  test("THEN the bootstrap stack is synthesized beside the account stacks and listed in the manifest", () => {
    expect(stackNames(outdir)).toEqual([...ALL_ACCOUNTS.map((id) => `trelica-${id}`), TERRAFORM_CLOUD_STACK_NAME, "trelica-deployer"].sort());
  });

  test("THEN every account stack's cloud workspace name is exactly one bootstrap workspace, and no workspace is left over", () => {
    const cloudNames = ALL_ACCOUNTS.map((id) => readStack(outdir, `trelica-${id}`).terraform.cloud.workspaces.name).sort();
    expect(workspacesOf(bootstrap).map((workspace) => workspace.name).sort()).toEqual(cloudNames);
    expect(cloudNames).toEqual(ALL_ACCOUNTS.map((id) => `trelica-${id}`));
  });

  test("THEN every workspace is in the existing project, read by a data source, in the backend's organization", () => {
    expect(bootstrap.data.tfe_project.project).toMatchObject({ name: "identity", organization: "acme" });
    expect(bootstrap.resource.tfe_project).toBeUndefined();
    for (const workspace of workspacesOf(bootstrap)) {
      expect(workspace).toMatchObject({ organization: "acme", project_id: "${data.tfe_project.project.id}" });
    }
  });

  test("THEN workspaces default to remote execution, no auto-apply, no VCS link, and no run queued on creation", () => {
    for (const id of ALL_ACCOUNTS) {
      const workspace = resource(bootstrap, "tfe_workspace", `workspace_${id}`);
      expect(workspace).toMatchObject({ auto_apply: false, queue_all_runs: false });
      expect(workspace.vcs_repo).toBeUndefined();
      expect(workspace.speculative_enabled).toBeUndefined();
      expect(workspace.working_directory).toBeUndefined();
      expect(resource(bootstrap, "tfe_workspace_settings", `workspace_settings_${id}`)).toMatchObject({
        execution_mode: "remote",
        workspace_id: `\${tfe_workspace.workspace_${id}.id}`,
      });
    }
    expect(resource(bootstrap, "tfe_workspace", `workspace_${MANAGEMENT}`).description).toContain("(management)");
  });

  test("THEN a variable set on each named workspace (not the project) turns on dynamic AWS credentials with a plan and an apply role, as environment variables", () => {
    const set = resource(bootstrap, "tfe_variable_set", "dynamic_credentials");
    expect(set.organization).toBe("acme");
    expect(bootstrap.resource.tfe_project_variable_set).toBeUndefined();
    const attached = Object.values(bootstrap.resource.tfe_workspace_variable_set) as any[];
    expect(attached.map((entry) => entry.workspace_id).sort()).toEqual([MANAGEMENT, ...MEMBERS].map((id) => `\${tfe_workspace.workspace_${id}.id}`).sort());
    expect(new Set(attached.map((entry) => entry.variable_set_id))).toEqual(new Set(["${tfe_variable_set.dynamic_credentials.id}"]));
    const variables = Object.values(bootstrap.resource.tfe_variable) as any[];
    const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
    expect(variables.map(({ key, value, category, variable_set_id }) => ({ key, value, category, variable_set_id })).sort(byKey)).toEqual([
      { key: "TFC_AWS_APPLY_ROLE_ARN", value: "${aws_iam_role.run_role.arn}", category: "env", variable_set_id: "${tfe_variable_set.dynamic_credentials.id}" },
      { key: "TFC_AWS_PLAN_ROLE_ARN", value: "${aws_iam_role.plan_role.arn}", category: "env", variable_set_id: "${tfe_variable_set.dynamic_credentials.id}" },
      { key: "TFC_AWS_PROVIDER_AUTH", value: "true", category: "env", variable_set_id: "${tfe_variable_set.dynamic_credentials.id}" },
    ]);
  });

  test("THEN no static AWS key and no Terraform Cloud token appears anywhere, and the tfe provider takes its token from the environment", () => {
    const text = fs.readFileSync(path.join(outdir, "stacks", TERRAFORM_CLOUD_STACK_NAME, "cdk.tf.json"), "utf8");
    expect(text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AKIA[0-9A-Z]{16}|"token"/);
    expect(bootstrap.provider.tfe).toEqual([{ hostname: "app.terraform.io", organization: "acme" }]);
  });

  test("THEN the management account gets an OIDC provider for Terraform Cloud and the run role, and only the management account's credentials are accepted", () => {
    expect(resource(bootstrap, "aws_iam_openid_connect_provider", "terraform_cloud_oidc")).toMatchObject({
      url: "https://app.terraform.io",
      client_id_list: ["aws.workload.identity"],
    });
    const runRole = resource(bootstrap, "aws_iam_role", "run_role");
    expect(runRole.name).toBe("TrelicaTerraformCloudRun");
    expect(runRole.depends_on).toEqual(["aws_iam_openid_connect_provider.terraform_cloud_oidc"]);
    const trust = JSON.parse(runRole.assume_role_policy);
    expect(trust.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::${MANAGEMENT}:oidc-provider/app.terraform.io` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { "app.terraform.io:aud": "aws.workload.identity" },
          StringLike: { "app.terraform.io:sub": "organization:acme:project:identity:workspace:trelica-????????????:run_phase:apply" },
        },
      },
    ]);
    const planTrust = JSON.parse(resource(bootstrap, "aws_iam_role", "plan_role").assume_role_policy);
    expect(planTrust.Statement[0].Condition.StringLike).toEqual({ "app.terraform.io:sub": "organization:acme:project:identity:workspace:trelica-????????????:run_phase:plan" });
    expect(bootstrap.provider.aws).toEqual([{ allowed_account_ids: [MANAGEMENT], region: "us-east-1" }]);
  });

  test("THEN without an Organization ID the run role may assume exactly the member accounts' deployment roles", () => {
    const policy = JSON.parse(resource(bootstrap, "aws_iam_role_policy", "run_role_policy").policy);
    const assume = policy.Statement.find((statement: any) => statement.Action === "sts:AssumeRole");
    expect(assume.Resource).toEqual(MEMBERS.map((id) => `arn:aws:iam::${id}:role/TrelicaDeployer`));
    expect(assume.Condition).toBeUndefined();
  });

  test("THEN the bootstrap stack keeps its own state locally and pins its providers to a major version", () => {
    expect(Object.keys(bootstrap.terraform.backend)).toEqual(["local"]);
    expect(bootstrap.terraform.backend.local.path).toMatch(/terraform\.trelica-terraform-cloud\.tfstate$/);
    expect(bootstrap.terraform.required_providers.tfe).toEqual({ source: "hashicorp/tfe", version: "~> 0.71" });
  });
});

describe("GIVEN terraformCloud with every setting", () => {
  const outdir = synthesize(
    dir,
    cloudConfig({
      backend: { type: "cloud", organization: "acme", hostname: "tfe.example.com", project: "Identity Team", workspaceName: "aws-{accountId}-trelica" },
      terraformCloud: {
        project: "Identity Team",
        createProject: true,
        workspace: { executionMode: "agent", agentPoolId: "apool-Abc123", autoApply: true, terraformVersion: "~> 1.9.0", tags: { team: "identity" } },
        vcs: { identifier: "acme/trelica-stacks", branch: "main", githubAppInstallationId: "ghain-Xyz789" },
        runRoleName: "TfcTrelicaRun",
        awsOrganizationId: "o-a1b2c3d4e5",
      },
    }),
  );
  const bootstrap = readBootstrap(outdir);

  test("THEN the project is created, and workspaces carry every setting and their own VCS folder and triggers", () => {
    expect(resource(bootstrap, "tfe_project", "project")).toMatchObject({ name: "Identity Team", organization: "acme" });
    expect(bootstrap.data?.tfe_project).toBeUndefined();
    const workspace = resource(bootstrap, "tfe_workspace", "workspace_222222222222");
    expect(workspace).toMatchObject({
      name: "aws-222222222222-trelica",
      project_id: "${tfe_project.project.id}",
      auto_apply: true,
      terraform_version: "~> 1.9.0",
      tags: { team: "identity" },
      working_directory: "cdktf.out/stacks/trelica-222222222222",
      trigger_patterns: ["/cdktf.out/stacks/trelica-222222222222/**/*"],
      file_triggers_enabled: true,
      // A pull request's plan would run its own code with the plan credentials.
      speculative_enabled: false,
      vcs_repo: { identifier: "acme/trelica-stacks", branch: "main", github_app_installation_id: "ghain-Xyz789" },
    });
    expect(resource(bootstrap, "tfe_workspace_settings", "workspace_settings_222222222222")).toMatchObject({ execution_mode: "agent", agent_pool_id: "apool-Abc123" });
  });

  test("THEN the workspace names still match the account stacks' cloud blocks, and the trust policy's pattern follows the name pattern and host", () => {
    const cloudNames = ALL_ACCOUNTS.map((id) => readStack(outdir, `trelica-${id}`).terraform.cloud.workspaces.name).sort();
    expect(workspacesOf(bootstrap).map((workspace) => workspace.name).sort()).toEqual(cloudNames);
    const trust = JSON.parse(resource(bootstrap, "aws_iam_role", "run_role").assume_role_policy);
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: { "tfe.example.com:aud": "aws.workload.identity" },
      StringLike: { "tfe.example.com:sub": "organization:acme:project:Identity Team:workspace:aws-????????????-trelica:run_phase:apply" },
    });
    expect(resource(bootstrap, "aws_iam_openid_connect_provider", "terraform_cloud_oidc").url).toBe("https://tfe.example.com");
    expect(bootstrap.provider.tfe).toEqual([{ hostname: "tfe.example.com", organization: "acme" }]);
  });

  test("THEN with the Organization ID the run role's AssumeRole names the deployment role once, for the whole Organization", () => {
    expect(resource(bootstrap, "aws_iam_role", "run_role").name).toBe("TfcTrelicaRun");
    const policy = JSON.parse(resource(bootstrap, "aws_iam_role_policy", "run_role_policy").policy);
    expect(policy.Statement.find((statement: any) => statement.Action === "sts:AssumeRole")).toEqual({
      Sid: "DeploymentRoleInMemberAccounts",
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Resource: "arn:aws:iam::*:role/TrelicaDeployer",
      Condition: { StringEquals: { "aws:ResourceOrgID": "o-a1b2c3d4e5" } },
    });
  });
});

describe("GIVEN an Organization of 300 accounts with the Organization ID", () => {
  const members = Array.from({ length: 299 }, (_, index) => String(200000000000 + index));
  const outdir = synthesize(dir, cloudConfig({ accounts: [{ id: MANAGEMENT }, ...members.map((id) => ({ id }))], terraformCloud: { project: "identity", awsOrganizationId: "o-a1b2c3d4e5" } }));

  test("THEN there are 300 workspaces, one per account stack, and the run role's policy stays within IAM's inline limit", () => {
    const bootstrap = readBootstrap(outdir);
    expect(workspacesOf(bootstrap)).toHaveLength(300);
    expect(stackNames(outdir)).toHaveLength(302);
    expect(JSON.stringify(JSON.parse(resource(bootstrap, "aws_iam_role_policy", "run_role_policy").policy)).length).toBeLessThan(10_240);
  });
});

describe("GIVEN an accountsFile of 300 accounts and no awsOrganizationId", () => {
  const listed = [MANAGEMENT, ...Array.from({ length: 299 }, (_, index) => String(200000000000 + index))].map((Id) => ({ Id, Name: `account-${Id}`, State: "ACTIVE" }));
  writeAccountsFile(dir, "accounts-300.json", listed, MANAGEMENT);
  const fromFile = { accounts: [], accountsFile: "accounts-300.json", managementAccountId: undefined };

  test("THEN the run role's AssumeRole is bounded by the Organization the file's ARNs name", () => {
    const bootstrap = readBootstrap(synthesize(dir, cloudConfig(fromFile)));
    const policy = JSON.parse(resource(bootstrap, "aws_iam_role_policy", "run_role_policy").policy);
    expect(policy.Statement.find((statement: any) => statement.Action === "sts:AssumeRole").Condition).toEqual({ StringEquals: { "aws:ResourceOrgID": "o-abc123def4" } });
    expect(workspacesOf(bootstrap)).toHaveLength(300);
  });

  test("WHEN awsOrganizationId names another Organization THEN it is refused, naming the file's", () => {
    expect(problemsOf(dir, cloudConfig({ ...fromFile, terraformCloud: { project: "identity", awsOrganizationId: "o-zzzzzzzzzz" } }))).toEqual([
      'terraformCloud.awsOrganizationId: got "o-zzzzzzzzzz"; expected "o-abc123def4", the Organization the accountsFile\'s account ARNs name, or leave it out to use that one',
    ]);
  });
});

describe("GIVEN the bootstrap stack was synthesized", () => {
  test("WHEN terraformCloud is removed from the config THEN the bootstrap stack's folder and manifest entry go", () => {
    const outdir = synthesize(dir, cloudConfig());
    expect(stackNames(outdir)).toContain(TERRAFORM_CLOUD_STACK_NAME);
    synthesize(dir, cloudConfig({ terraformCloud: undefined, deployment: undefined }), outdir);
    expect(stackNames(outdir)).not.toContain(TERRAFORM_CLOUD_STACK_NAME);
    expect(fs.existsSync(path.join(outdir, "stacks", TERRAFORM_CLOUD_STACK_NAME))).toBe(false);
  });

  test("WHEN it is synthesized again unchanged THEN the bootstrap stack is byte-identical", () => {
    const outdir = synthesize(dir, cloudConfig());
    const file = path.join(outdir, "stacks", TERRAFORM_CLOUD_STACK_NAME, "cdk.tf.json");
    const first = fs.readFileSync(file, "utf8");
    synthesize(dir, cloudConfig(), outdir);
    expect(fs.readFileSync(file, "utf8")).toBe(first);
  });

  test("WHEN it is synthesized again THEN its folder is kept, with what terraform init left there", () => {
    const outdir = synthesize(dir, cloudConfig());
    const initialized = path.join(outdir, "stacks", TERRAFORM_CLOUD_STACK_NAME, ".terraform.lock.hcl");
    fs.writeFileSync(initialized, "# left by terraform init\n");
    synthesize(dir, cloudConfig(), outdir);
    expect(fs.existsSync(initialized)).toBe(true);
  });
});

describe("GIVEN the cdktf CLI", () => {
  testWithCdktfCli("WHEN cdktf synth runs twice with terraformCloud and then without THEN the bootstrap stack is written, kept, and finally gone", () => {
    const outdir = path.join(dir, "cli-out");
    const withCloud = writeFile(dir, "cli-with.json", JSON.stringify(cloudConfig()));
    const without = writeFile(dir, "cli-without.json", JSON.stringify(cloudConfig({ terraformCloud: undefined, deployment: undefined })));
    for (const round of [1, 2]) {
      const run = cdktfSynth(withCloud, outdir);
      expect({ round, status: run.status, stderr: run.stderr }).toEqual({ round, status: 0, stderr: expect.any(String) });
      expect(stackNames(outdir)).toContain(TERRAFORM_CLOUD_STACK_NAME);
      expect(workspacesOf(readBootstrap(outdir))).toHaveLength(ALL_ACCOUNTS.length);
    }
    expect(cdktfSynth(without, outdir).status).toBe(0);
    expect(stackNames(outdir)).not.toContain(TERRAFORM_CLOUD_STACK_NAME);
    expect(fs.existsSync(path.join(outdir, "stacks", TERRAFORM_CLOUD_STACK_NAME))).toBe(false);
  });
});

describe("terraformCloud config mistakes", () => {
  test("GIVEN terraformCloud with the default local backend THEN the error names backend.type, the value and cloud", () => {
    expect(problemsOf(dir, cloudConfig({ backend: undefined }))).toEqual([
      expect.stringMatching(/^backend\.type: got "local"; expected cloud with terraformCloud/),
    ]);
  });

  test("GIVEN several bad values THEN every one is reported at once, each with its field, value and what is allowed", () => {
    const problems = problemsOf(
      dir,
      cloudConfig({
        terraformCloud: {
          project: "x",
          hostname: "https://app.terraform.io",
          workspace: { executionMode: "local", terraformVersion: "newest", autoApply: "yes" },
          runRoleName: "bad role name",
          awsOrganizationId: "123",
        },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^terraformCloud\.project: got "x"; expected a Terraform Cloud project name/),
        expect.stringMatching(/^terraformCloud\.hostname: got "https:\/\/app\.terraform\.io"; expected a host name such as app\.terraform\.io.*no https:\/\//),
        expect.stringMatching(/^terraformCloud\.workspace\.executionMode: got "local"; expected remote or agent/),
        expect.stringMatching(/^terraformCloud\.workspace\.terraformVersion: got "newest"; expected a Terraform version or constraint/),
        expect.stringMatching(/^terraformCloud\.workspace\.autoApply: got "yes", which is text, not a boolean; expected true or false: write true without quotes/),
        expect.stringMatching(/^terraformCloud\.runRoleName: got "bad role name"; expected an IAM role name/),
        expect.stringMatching(/^terraformCloud\.awsOrganizationId: got "123"; expected an AWS Organization ID/),
      ]),
    );
    expect(problems).toHaveLength(7);
  });

  test("GIVEN no project THEN terraformCloud.project is required", () => {
    expect(problemsOf(dir, cloudConfig({ terraformCloud: {} }))).toEqual([expect.stringMatching(/^terraformCloud\.project: is required; expected a Terraform Cloud project name/)]);
  });

  test("GIVEN a misspelt key THEN it is named with a suggestion and the allowed keys", () => {
    expect(problemsOf(dir, cloudConfig({ terraformCloud: { project: "identity", runRoleNme: "X" } }))).toEqual([
      expect.stringMatching(/^terraformCloud\.runRoleNme: unknown key\. Did you mean `runRoleName`\? Allowed here: .*createProject/),
    ]);
  });

  test("GIVEN agent execution without a pool, or a pool without agent execution THEN each is refused with what to add or remove", () => {
    expect(problemsOf(dir, cloudConfig({ terraformCloud: { project: "identity", workspace: { executionMode: "agent" } } }))).toEqual([
      "terraformCloud.workspace.agentPoolId: is required with executionMode: agent; expected an agent pool ID such as apool-AbCd1234",
    ]);
    expect(problemsOf(dir, cloudConfig({ terraformCloud: { project: "identity", workspace: { agentPoolId: "apool-X1" } } }))).toEqual([
      'terraformCloud.workspace.agentPoolId: got "apool-X1" with executionMode "remote"; expected executionMode: agent, or no agentPoolId',
    ]);
  });

  test.each([
    ["neither token", { identifier: "acme/stacks" }, "neither oauthTokenId nor githubAppInstallationId"],
    ["both tokens", { identifier: "acme/stacks", oauthTokenId: "ot-1", githubAppInstallationId: "ghain-1" }, "both oauthTokenId and githubAppInstallationId"],
  ])("GIVEN a VCS link with %s THEN exactly one is asked for", (_case, vcs, got) => {
    expect(problemsOf(dir, cloudConfig({ terraformCloud: { project: "identity", vcs } }))).toEqual([
      `terraformCloud.vcs: got ${got}; expected exactly one, the connection Terraform Cloud reads the repository through`,
    ]);
  });

  test("GIVEN a VCS working directory without {accountId} THEN it is refused, since every workspace would run the same stack", () => {
    expect(problemsOf(dir, cloudConfig({ terraformCloud: { project: "identity", vcs: { identifier: "acme/stacks", oauthTokenId: "ot-1", workingDirectory: "cdktf.out" } } }))).toEqual([
      expect.stringMatching(/^terraformCloud\.vcs\.workingDirectory: got "cdktf\.out"; expected a folder relative to the repository's root containing \{accountId\}/),
    ]);
  });

  test("GIVEN an organization, hostname or project other than the backend's THEN each is refused, naming the backend's value", () => {
    const problems = problemsOf(dir, cloudConfig({ terraformCloud: { project: "other", organization: "globex", hostname: "tfe.example.com" } }));
    expect(problems).toEqual([
      'terraformCloud.organization: got "globex"; expected "acme" (backend.organization), where the account stacks\' cloud blocks look for their workspaces, or leave it out',
      `terraformCloud.hostname: got "tfe.example.com"; expected "${DEFAULT_TERRAFORM_CLOUD_HOSTNAME}" (backend.hostname), where the account stacks' cloud blocks look for their workspaces, or leave it out`,
      'terraformCloud.project: got "other"; expected "identity" (backend.project), where the account stacks\' cloud blocks look for their workspaces, or leave it out',
    ]);
  });

  test("GIVEN workspaces chosen by tags THEN a named workspace per account is asked for", () => {
    expect(problemsOf(dir, cloudConfig({ backend: { type: "cloud", organization: "acme", workspaceTags: ["trelica-{accountId}"] } }))).toEqual([
      expect.stringMatching(/^backend\.workspaceTags: given with terraformCloud; expected backend\.workspaceName/),
    ]);
  });

  test("GIVEN mode stackset THEN terraformCloud is refused", () => {
    const problems = problemsOf(dir, {
      trelicaOrganizationId: "trelica-org-42",
      mode: "stackset",
      managementAccountId: MANAGEMENT,
      stackSet: { organizationalUnitIds: ["r-ab12"] },
      backend: { type: "cloud", organization: "acme" },
      terraformCloud: { project: "identity" },
    });
    expect(problems).toEqual([expect.stringMatching(/^deployment\.deployer: got nothing with terraformCloud/), expect.stringMatching(/^terraformCloud: only read in the default mode/)]);
  });

  test("GIVEN one account and no known management account THEN managementAccountId is asked for", () => {
    const problems = problemsOf(dir, cloudConfig({ managementAccountId: undefined, accounts: [{ id: "222222222222" }] }));
    expect(problems).toEqual([expect.stringMatching(/^managementAccountId: got nothing, and no accountsFile; expected the management account's 12-digit ID with deployment\.deployer/)]);
  });

  test("GIVEN a member account using the ambient credentials THEN it is refused, since runs start as the management account's run role", () => {
    const problems = problemsOf(dir, cloudConfig({ accounts: [{ id: MANAGEMENT }, { id: "222222222222", assumeRoleName: false }] }));
    expect(problems).toEqual([expect.stringMatching(/^accounts\[1\]\.assumeRoleName: got false with terraformCloud; expected a role name/)]);
    const everywhere = problemsOf(dir, cloudConfig({ deployment: { assumeRoleName: false, deployer: { organizationalUnitIds: ["r-ab12"] } } }));
    // Beside the deployer, any deployment.assumeRoleName is refused first (issue 24): the deployer reaches every member.
    expect(everywhere).toEqual([expect.stringMatching(/^deployment\.assumeRoleName: got false with deployment\.deployer; expected one of the two/)]);
  });

  test("GIVEN terraformCloud without deployment.deployer THEN it is refused, naming both keys: no run may reach a member through a role this program does not create", () => {
    expect(problemsOf(dir, cloudConfig({ deployment: undefined }))).toEqual([
      "deployment.deployer: got nothing with terraformCloud; expected a deployer (deployment.deployer with its organizationalUnitIds; docs/security.md#least-privilege-deployment), " +
        "since Terraform Cloud's plan and apply roles may assume only the roles the deployer's stack set creates and change TrelicaIntegration only under its boundary, " +
        "never through OrganizationAccountAccessRole or another administrator role",
    ]);
    expect(problemsOf(dir, cloudConfig({ deployment: { assumeRoleName: "OrganizationAccountAccessRole" } }))).toEqual([expect.stringMatching(/^deployment\.deployer: got nothing with terraformCloud/)]);
  });

  test("GIVEN an account that names another role to assume THEN it is refused with terraformCloud: its runs may assume only the deployer", () => {
    const problems = problemsOf(dir, cloudConfig({ accounts: [{ id: MANAGEMENT }, { id: "222222222222", assumeRoleName: "OrganizationAccountAccessRole" }, { id: "333333333333" }] }));
    expect(problems).toEqual([
      'accounts[1].assumeRoleName: got "OrganizationAccountAccessRole" with terraformCloud; expected TrelicaDeployer (deployment.deployer.roleName), or no assumeRoleName, since Terraform Cloud\'s runs ' +
        "may assume only the roles the deployer's stack set creates, never one this program does not create (OrganizationAccountAccessRole holds AdministratorAccess)",
    ]);
  });

  test.each([
    ["{accountId}", "workspace:????????????"],
    ["x{accountId}", "workspace:x????????????"],
    ["trelica-*-{accountId}", "workspace:trelica-*-????????????"],
    ["trelica:{accountId}", "workspace:trelica:????????????"],
    ["{accountId}-{accountId}-x", "workspace:????????????-????????????-x"],
    ["123{accountId}", "workspace:123????????????"],
  ])("GIVEN backend.workspaceName %s THEN it is refused: the run roles' trust (%s) would admit workspaces other than ours", (name, pattern) => {
    const problems = problemsOf(dir, cloudConfig({ backend: { type: "cloud", organization: "acme", project: "identity", workspaceName: name } }));
    expect(problems).toEqual([
      `backend.workspaceName: got ${JSON.stringify(name)} with terraformCloud; expected one {accountId} and at least 3 characters of your own around it ` +
        `(letters, digits, - and _, one of them a letter), such as trelica-{accountId}, since the run roles trust every workspace of the project whose name fits the pattern (here ${pattern})`,
    ]);
  });

  test("GIVEN the default workspace names THEN the trust admits exactly 12 characters where the account ID goes, so trelica-<anything else> gets no role", () => {
    const trust = JSON.parse(resource(readBootstrap(synthesize(dir, cloudConfig())), "aws_iam_role", "run_role").assume_role_policy);
    expect(trust.Statement[0].Condition.StringLike["app.terraform.io:sub"]).toBe("organization:acme:project:identity:workspace:trelica-????????????:run_phase:apply");
  });

  test("GIVEN 300 accounts and no Organization ID THEN the Organization ID is asked for, since the listed role ARNs exceed IAM's policy size", () => {
    const members = Array.from({ length: 299 }, (_, index) => ({ id: String(200000000000 + index) }));
    const problems = problemsOf(dir, cloudConfig({ accounts: [{ id: MANAGEMENT }, ...members] }));
    expect(problems).toEqual([expect.stringMatching(/^terraformCloud\.awsOrganizationId: got nothing \(and no accountsFile names the Organization\), so the run role's policy lists the deployment role of each of 299 member accounts \(\d+ characters, over IAM's 10240/)]);
  });

  test("GIVEN the default VCS working directory THEN it holds schema.ts's account ID placeholder (terraform-cloud.ts spells it out)", () => {
    expect(DEFAULT_VCS_WORKING_DIRECTORY).toBe(`cdktf.out/stacks/trelica-${ACCOUNT_ID_PLACEHOLDER}`);
  });
});
