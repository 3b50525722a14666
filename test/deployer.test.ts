/*
 * deployment.deployer, synthesized: the trelica-deployer stack (stack set and boundary), member stacks
 * that assume the deployer, every TrelicaIntegration under the boundary, Terraform Cloud's per-phase roles,
 * and the documentation's action table, which must be the code's.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { actionTableMarkdown, DEPLOYER_ACTIONS } from "../app/deployer/actions";
import { deployingPolicy } from "../app/deployer/policies";
import { selectStacks } from "../runner/stacks";
import { printedManagementPolicy, readStack } from "./helpers/app";
import { CI_ROLE, deployerConfig, MANAGEMENT, MEMBER, memberTemplate } from "./helpers/deployer";
import { PROJECT_ROOT, tempDir, writeFile } from "./helpers/files";
import { problemsOf, resource, stackNames, synthesize } from "./helpers/terraform-cloud";

const dir = tempDir("trelica-deployer-");
const OTHER = "333333333333";

describe("GIVEN deployment.deployer", () => {
  const outdir = synthesize(dir, deployerConfig());
  const deployerStack = readStack(outdir, "trelica-deployer");

  test("THEN a trelica-deployer stack beside the account stacks runs in the management account with the management account's credentials", () => {
    expect(stackNames(outdir)).toEqual([`trelica-${MANAGEMENT}`, `trelica-${MEMBER}`, `trelica-${OTHER}`, "trelica-deployer"]);
    expect(deployerStack.provider.aws).toEqual([{ allowed_account_ids: [MANAGEMENT], region: "us-east-1" }]);
    expect(deployerStack.terraform.backend.local.path).toMatch(/terraform\.trelica-deployer\.tfstate$/);
  });

  test("THEN its stack set is service-managed, deploys itself to new accounts of the OUs, and targets exactly the configured OUs", () => {
    expect(resource(deployerStack, "aws_cloudformation_stack_set", "stack_set")).toMatchObject({
      name: "TrelicaDeployer",
      permission_model: "SERVICE_MANAGED",
      auto_deployment: { enabled: true, retain_stacks_on_account_removal: false },
      capabilities: ["CAPABILITY_NAMED_IAM"],
    });
    expect(resource(deployerStack, "aws_cloudformation_stack_set_instance", "stack_set_instance").deployment_targets).toEqual({ organizational_unit_ids: ["r-ab12"] });
    // One region, the provider's, by default: the attribute's name differs between provider 5.x and 6.x, so it is not named.
    expect(Object.keys(resource(deployerStack, "aws_cloudformation_stack_set_instance", "stack_set_instance")).filter((key) => key.includes("region"))).toEqual([]);
    // Terraform would read `${...}` in the template as an interpolation: each account's ARNs are Fn::Join around Ref AWS::AccountId.
    expect(resource(deployerStack, "aws_cloudformation_stack_set", "stack_set").template_body).not.toContain("${");
  });

  test("THEN each member gets the deployer, whose policy is the table's rendering for that account, trusting exactly the configured principal", () => {
    const template = memberTemplate(outdir, MEMBER);
    expect(Object.keys(template.Resources).sort()).toEqual(["Boundary", "Deployer", "DeployerPolicy", "VerifyPolicy", "VerifyRole"]);
    expect(template.Resources.DeployerPolicy.Properties.PolicyDocument).toEqual(
      deployingPolicy({ partition: "aws", account: MEMBER, policyName: "TrelicaIntegrationReadOnly", access: "write" }),
    );
    expect(template.Resources.Deployer.Properties).toMatchObject({ RoleName: "TrelicaDeployer", ManagedPolicyArns: [{ Ref: "DeployerPolicy" }] });
    expect(template.Resources.Deployer.Properties.AssumeRolePolicyDocument.Statement).toEqual([{ Effect: "Allow", Principal: { AWS: CI_ROLE }, Action: "sts:AssumeRole" }]);
  });

  test("THEN member stacks assume TrelicaDeployer, the management account's uses the caller's credentials, and every TrelicaIntegration is under its account's boundary", () => {
    for (const account of [MANAGEMENT, MEMBER, OTHER]) {
      const stack = readStack(outdir, `trelica-${account}`);
      const [provider] = stack.provider.aws;
      expect(provider.assume_role?.[0].role_arn).toBe(account === MANAGEMENT ? undefined : `arn:aws:iam::${account}:role/TrelicaDeployer`);
      expect(Object.values<any>(stack.resource.aws_iam_role)[0].permissions_boundary).toBe(`arn:aws:iam::${account}:policy/TrelicaIntegrationBoundary`);
    }
  });

  test("THEN an explicit deployment.assumeRoleName still wins, and another roleName is followed everywhere", () => {
    const own = synthesize(dir, deployerConfig({ roleName: "Deployer" }, { accounts: [{ id: MANAGEMENT }, { id: MEMBER, assumeRoleName: "OrganizationAccountAccessRole" }, { id: OTHER }] }));
    expect(readStack(own, `trelica-${MEMBER}`).provider.aws[0].assume_role[0].role_arn).toBe(`arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`);
    expect(readStack(own, `trelica-${OTHER}`).provider.aws[0].assume_role[0].role_arn).toBe(`arn:aws:iam::${OTHER}:role/Deployer`);
    expect(memberTemplate(own, OTHER).Resources.Deployer.Properties.RoleName).toBe("Deployer");
  });

  test("THEN a rollout of the accounts never sweeps trelica-deployer in; naming it runs it alone", () => {
    const stacks = stackNames(outdir).map((name) => ({ name, dir: path.join(outdir, "stacks", name), accountId: /^trelica-(\d{12})$/.exec(name)?.[1] }));
    expect(selectStacks(stacks as never, [], []).map((stack) => stack.name)).not.toContain("trelica-deployer");
    expect(selectStacks(stacks as never, ["trelica-*"], []).map((stack) => stack.name)).not.toContain("trelica-deployer");
    expect(selectStacks(stacks as never, ["trelica-deployer"], []).map((stack) => stack.name)).toEqual(["trelica-deployer"]);
  });

  test("WHEN the deployer is removed from the config THEN trelica-deployer leaves the output (its state stays, to destroy it deliberately)", () => {
    const again = synthesize(dir, { ...deployerConfig(), deployment: {} }, outdir);
    expect(stackNames(again)).not.toContain("trelica-deployer");
    expect(fs.existsSync(path.join(outdir, "stacks", "trelica-deployer"))).toBe(false);
  });
});

describe("GIVEN Terraform Cloud with the deployer", () => {
  const config = deployerConfig(
    { trustedPrincipalArns: [] },
    { backend: { type: "cloud", organization: "acme", project: "identity" }, terraformCloud: { project: "identity", awsOrganizationId: "o-a1b2c3d4e5" } },
  );
  const outdir = synthesize(dir, config);

  test("THEN the deployer trusts the apply role, the read-only twin the plan role, both only inside the Organization, and the deployer stack keeps local state", () => {
    const template = memberTemplate(outdir, MEMBER);
    const trust = (id: string) => template.Resources[id].Properties.AssumeRolePolicyDocument.Statement[0];
    expect(trust("Deployer")).toEqual({
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:role/TrelicaTerraformCloudRun` },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
    });
    expect(trust("ReadOnlyDeployer").Principal).toEqual({ AWS: `arn:aws:iam::${MANAGEMENT}:role/TrelicaTerraformCloudRunPlan` });
    expect(Object.keys(readStack(outdir, "trelica-deployer").terraform.backend)).toEqual(["local"]);
  });

  test("THEN a member stack picks the read-only twin when the plan role runs it, and the deployer otherwise", () => {
    const stack = readStack(outdir, `trelica-${MEMBER}`);
    const [main, run] = [stack.provider.aws.find((p: any) => !p.alias), stack.provider.aws.find((p: any) => p.alias === "run_credentials")];
    expect(run).toEqual({ alias: "run_credentials", region: "us-east-1" });
    expect(stack.data.aws_caller_identity.run_identity.provider).toBe("aws.run_credentials");
    expect(main.assume_role[0].role_arn).toBe(
      `arn:aws:iam::${MEMBER}:role/\${strcontains(data.aws_caller_identity.run_identity.arn, ":assumed-role/TrelicaTerraformCloudRunPlan/") ? "TrelicaDeployerReadOnly" : "TrelicaDeployer"}`,
    );
    expect(readStack(outdir, `trelica-${MANAGEMENT}`).data).toBeUndefined();
  });

  test("THEN the apply role may assume only role/TrelicaDeployer in the Organization, and the plan role only the twin", () => {
    const bootstrap = readStack(outdir, "trelica-terraform-cloud");
    const assumeOf = (id: string) => JSON.parse(resource(bootstrap, "aws_iam_role_policy", id).policy).Statement.find((s: any) => s.Action === "sts:AssumeRole");
    expect(assumeOf("run_role_policy")).toMatchObject({ Resource: "arn:aws:iam::*:role/TrelicaDeployer", Condition: { StringEquals: { "aws:ResourceOrgID": "o-a1b2c3d4e5" } } });
    expect(assumeOf("plan_role_policy").Resource).toBe("arn:aws:iam::*:role/TrelicaDeployerReadOnly");
  });

  test("THEN no trusted principal is needed: Terraform Cloud provides one", () => {
    expect(stackNames(outdir)).toContain("trelica-deployer");
  });
});

test("GIVEN a boundary of the user's own with the deployer THEN it is refused (one boundary per role)", () => {
  expect(problemsOf(dir, deployerConfig({}, { role: { permissionsBoundaryArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } }))).toEqual([
    expect.stringMatching(/^role\.permissionsBoundaryArn: got "arn:aws:iam::aws:policy\/ReadOnlyAccess" with deployment\.deployer; expected no boundary of your own/),
  ]);
});

test("GIVEN docs/security.md THEN its action table is exactly the code's, row for row", () => {
  const doc = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "security.md"), "utf8");
  const between = /<!-- deployer-actions:start -->\n([\s\S]*?)\n<!-- deployer-actions:end -->/.exec(doc);
  expect(between?.[1]).toBe(actionTableMarkdown());
  expect(actionTableMarkdown().split("\n")).toHaveLength(DEPLOYER_ACTIONS.length + 3);
});

describe("GIVEN accounts whose Trelica policy names differ (issue 24, item 9)", () => {
  const named = synthesize(
    tempDir("trelica-deployer-names-"),
    deployerConfig({}, { role: { policyName: "TrelicaRead" }, accounts: [{ id: MANAGEMENT, policyName: "MgmtTrelica" }, { id: MEMBER }, { id: OTHER, policyName: "OtherTrelica" }] }),
  );
  const policyResources = (document: any) =>
    document.Statement.filter((statement: any) => JSON.stringify(statement.Resource).includes(":policy/")).map((statement: any) => statement.Resource);

  test.each([
    [MEMBER, "TrelicaRead"],
    [OTHER, "OtherTrelica"],
    ["555555555555", "TrelicaRead"],
  ])("THEN the deployer in %s names only its own policy, %s", (account, name) => {
    const template = memberTemplate(named, account);
    for (const id of ["DeployerPolicy"]) {
      const document = template.Resources[id].Properties.PolicyDocument;
      expect(policyResources(document)).toEqual([`arn:aws:iam::${account}:policy/${name}`]);
      expect(JSON.stringify(document)).not.toMatch(new RegExp(["TrelicaRead", "OtherTrelica", "MgmtTrelica"].filter((other) => other !== name).join("|")));
    }
  });

  test("THEN the management account's printed policy names only the management account's policy", () => {
    const printed = JSON.stringify(printedManagementPolicy(writeFile(dir, "names.json", JSON.stringify(deployerConfig({}, { role: { policyName: "TrelicaRead" }, accounts: [{ id: MANAGEMENT, policyName: "MgmtTrelica" }, { id: MEMBER }] })))));
    expect(printed).toContain(`arn:aws:iam::${MANAGEMENT}:policy/MgmtTrelica`);
    expect(printed).not.toContain("TrelicaRead");
  });
});

