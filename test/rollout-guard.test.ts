/*
 * The lock-out guard: a plan that changes Trelica's access (trust policy, role, policy, attachments,
 * stack set, removed actions) is flagged per account with the reason, listed first, and refused by
 * apply unless --allow-access-change.
 */
import { TrelicaIntegration, TrelicaIntegrationProps } from "../modules/trelica-integration";
import { summarizePlan } from "../rollout/terraform/plan-summary";
import { tempDir } from "./helpers/files";
import { RolloutProject } from "./helpers/rollout";

const dir = tempDir("trelica-guard-");
const TRELICA = "arn:aws:iam::377450845233:root";

describe("plans that change Trelica's access", () => {
  const project = new RolloutProject(dir, "guard", 4);
  const [trust, narrowed, widened, quiet] = project.stackNames();

  test("GIVEN a trust policy change, a policy losing an action and one gaining actions WHEN planned THEN the first two are flagged with old and new principal and external ID, or the removed action, and listed first", async () => {
    project.scenario({ [trust]: { plan: "trust-change" }, [narrowed]: { plan: "actions-removed", removedActions: ["s3:ListAllMyBuckets"] }, [widened]: { plan: "actions-added" }, [quiet]: { plan: "none" } });
    project.lines.length = 0;
    const result = await project.run({ command: "plan" });
    const byStack = Object.fromEntries(result.report.accounts.map((a) => [a.stack, a]));
    expect(byStack[trust].accessChanges).toEqual([
      { address: expect.stringMatching(/^aws_iam_role\./), reason: `changes the role's trust policy: principal arn:aws:iam::111122223333:root -> ${TRELICA}, external ID old-external-id -> org-42` },
    ]);
    expect(byStack[narrowed].accessChanges).toEqual([{ address: expect.stringMatching(/^aws_iam_policy\./), reason: "removes 1 action from Trelica's policy: s3:ListAllMyBuckets" }]);
    expect(byStack[widened].accessChanges).toBeUndefined();
    expect(byStack[quiet].accessChanges).toBeUndefined();

    const table = project.lines.join("\n");
    // Never more of the trust policy than principal and external ID.
    expect(table).not.toContain("sts:AssumeRole");
    const rows = table.split("\n").filter((line) => line.startsWith("trelica-"));
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual([trust, narrowed, widened]);
    expect(rows[0]).toContain("CHANGES TRELICA'S ACCESS: aws_iam_role.");
    expect(table).toContain("2 accounts with plans that change Trelica's access (listed first).");
  });

  test("GIVEN those saved plans WHEN applied without --allow-access-change (even with --allow-destroy) THEN both are refused with the reason and the rest applied; WITH it THEN they are applied", async () => {
    const refused = await project.run({ command: "apply", allowDestroy: true });
    const byStack = Object.fromEntries(refused.report.accounts.map((a) => [a.stack, a]));
    expect(byStack[trust]).toMatchObject({ status: "refused", reason: expect.stringMatching(/^the plan changes Trelica's access: aws_iam_role\.\S+ changes the role's trust policy: .*rerun with --allow-access-change$/) });
    expect(byStack[narrowed]).toMatchObject({ status: "refused", reason: expect.stringContaining("removes 1 action from Trelica's policy: s3:ListAllMyBuckets") });
    expect(byStack[widened]).toMatchObject({ status: "succeeded", outcome: "applied" });
    expect(refused.exitCode).toBe(1);
    // The table's totals agree with the report: refused accounts are not "with changes".
    expect(project.lines[project.lines.length - 1]).toContain("apply: 4 accounts: 1 succeeded (1 with changes), 0 failed, 2 refused");

    const allowed = await project.run({ command: "apply", allowAccessChange: true });
    expect(allowed.report.accounts.filter((a) => a.outcome === "applied").map((a) => a.stack)).toEqual([trust, narrowed]);
  });

  test("GIVEN --plan-and-apply AND a plan replacing Trelica's policy THEN that account is refused without --allow-access-change and no apply runs there", async () => {
    project.scenario({ [narrowed]: { plan: "replace-policy" } }, { plan: "none" });
    project.clearEvents();
    const result = await project.run({ command: "apply", planAndApply: true, allowDestroy: true });
    expect(result.report.accounts.find((a) => a.stack === narrowed)).toMatchObject({
      status: "refused",
      accessChanges: [{ address: expect.stringMatching(/^aws_iam_policy\./), reason: "replaces Trelica's policy" }],
    });
    expect(project.events().filter((e) => e.command === "apply")).toHaveLength(0);
  });

  test("GIVEN a plan deleting only the inline-policy guard (destructive, access unchanged) THEN it needs --allow-destroy, not --allow-access-change", async () => {
    project.scenario({ [quiet]: { plan: "delete-inline-guard" } }, { plan: "none" });
    const refused = await project.run({ command: "apply", planAndApply: true, allowAccessChange: true });
    const account = refused.report.accounts.find((a) => a.stack === quiet)!;
    expect(account).toMatchObject({ status: "refused", reason: expect.stringMatching(/^the plan deletes or replaces aws_iam_role_policies_exclusive\.\S+; review it, then rerun with --allow-destroy$/) });
    expect(account.accessChanges).toBeUndefined();
    const allowed = await project.run({ command: "apply", planAndApply: true, allowDestroy: true });
    expect(allowed.report.accounts.find((a) => a.stack === quiet)).toMatchObject({ status: "succeeded", outcome: "applied" });
  });
});

describe("summarizePlan's access changes, per resource type", () => {
  const change = (type: string, actions: string[], before: object | null = {}, after: object | null = {}) =>
    JSON.stringify({ resource_changes: [{ address: `${type}.x`, type, change: { actions, before, after } }] });

  test.each([
    ["aws_iam_role", ["delete"], "deletes the TrelicaIntegration role"],
    ["aws_iam_role", ["delete", "create"], "replaces the TrelicaIntegration role"],
    ["aws_iam_policy", ["delete"], "deletes Trelica's policy"],
    ["aws_iam_role_policy_attachment", ["create", "delete"], "replaces the policy attachment"],
    ["aws_iam_role_policy_attachments_exclusive", ["delete"], "deletes the role's exclusive policy attachments"],
    ["aws_cloudformation_stack_set", ["delete", "create"], "replaces the stack set"],
    ["aws_cloudformation_stack_set_instance", ["delete"], "deletes a stack set instance"],
  ])("GIVEN %s with actions %j THEN flagged: %s", (type, actions, reason) => {
    expect(summarizePlan(change(type, actions)).accessChanges).toEqual([{ address: `${type}.x`, reason }]);
  });

  test("GIVEN a trust policy change of the external ID only THEN the reason names both IDs and the unchanged principal, and no other part of the policy", () => {
    const trust = (externalId: string) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: TRELICA }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": externalId } } }] });
    const [access] = summarizePlan(change("aws_iam_role", ["update"], { assume_role_policy: trust("old") }, { assume_role_policy: trust("new") })).accessChanges;
    expect(access.reason).toBe(`changes the role's trust policy: principal ${TRELICA} -> ${TRELICA}, external ID old -> new`);
  });

  test("GIVEN an update of the role's description only, or a policy update adding actions THEN nothing is flagged", () => {
    const policy = (actions: string[]) => JSON.stringify({ Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] });
    expect(summarizePlan(change("aws_iam_role", ["update"], { description: "a", assume_role_policy: "{}" }, { description: "b", assume_role_policy: "{}" })).accessChanges).toEqual([]);
    expect(summarizePlan(change("aws_iam_policy", ["update"], { policy: policy(["iam:ListUsers"]) }, { policy: policy(["iam:ListUsers", "iam:ListRoles"]) })).accessChanges).toEqual([]);
  });

  describe("a permissions boundary, which caps what Trelica may do whatever its policy says", () => {
    const role = (boundary?: string | null) => ({ assume_role_policy: "{}", permissions_boundary: boundary });
    const deployerBoundary = "arn:aws:iam::222222222222:policy/TrelicaIntegrationBoundary";
    const own = (name: string) => `arn:aws:iam::222222222222:policy/${name}`;

    test.each([
      ["none", null, own("TeamBoundary"), `sets the role's permissions boundary (none -> ${own("TeamBoundary")}), which caps what Trelica may do`],
      ["another", own("TeamBoundary"), own("OtherBoundary"), `changes the role's permissions boundary (${own("TeamBoundary")} -> ${own("OtherBoundary")}), which caps what Trelica may do`],
      ["the deployer's", deployerBoundary, own("TeamBoundary"), `changes the role's permissions boundary (${deployerBoundary} -> ${own("TeamBoundary")}), which caps what Trelica may do`],
    ])("GIVEN a role whose boundary goes from %s to a team's own THEN flagged with both", (_from, before, after, reason) => {
      expect(summarizePlan(change("aws_iam_role", ["update"], role(before), role(after))).accessChanges).toEqual([{ address: "aws_iam_role.x", reason }]);
    });

    test("GIVEN the deployer's TrelicaIntegrationBoundary set (it allows every Trelica action), or a boundary removed THEN nothing is flagged", () => {
      expect(summarizePlan(change("aws_iam_role", ["update"], role(""), role(deployerBoundary))).accessChanges).toEqual([]);
      expect(summarizePlan(change("aws_iam_role", ["update"], role(own("TeamBoundary")), role(""))).accessChanges).toEqual([]);
      // Same name on another path is not the deployer's policy.
      const elsewhere = "arn:aws:iam::222222222222:policy/team/TrelicaIntegrationBoundary";
      expect(summarizePlan(change("aws_iam_role", ["update"], role(null), role(elsewhere))).accessChanges).toHaveLength(1);
    });

    test("GIVEN a trust change and a boundary in one update THEN one entry names both", () => {
      const trust = (id: string) => JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: TRELICA }, Condition: { StringEquals: { "sts:ExternalId": id } } }] });
      const [access] = summarizePlan(
        change("aws_iam_role", ["update"], { assume_role_policy: trust("a") }, { assume_role_policy: trust("b"), permissions_boundary: own("TeamBoundary") }),
      ).accessChanges;
      expect(access.reason).toBe(
        `changes the role's trust policy: principal ${TRELICA} -> ${TRELICA}, external ID a -> b; sets the role's permissions boundary (none -> ${own("TeamBoundary")}), which caps what Trelica may do`,
      );
    });
  });

  describe("a stack set's template update, which reaches every enrolled account", () => {
    const MEMBER_SERVICES = { cognito: true, connect: true, iam: true, organizations: false };
    const template = (props: Partial<TrelicaIntegrationProps> = {}) =>
      JSON.stringify(TrelicaIntegration.cloudFormationTemplate({ externalId: "org-42", services: MEMBER_SERVICES, ...props }));
    const update = (before: string, after: string) => change("aws_cloudformation_stack_set", ["update"], { template_body: before }, { template_body: after });

    test("GIVEN a service switched off THEN flagged with the removed actions", () => {
      expect(summarizePlan(update(template(), template({ services: { ...MEMBER_SERVICES, connect: false } }))).accessChanges).toEqual([
        {
          address: "aws_cloudformation_stack_set.x",
          reason: "removes 5 actions from every enrolled account's policy: connect:DescribeUser, connect:ListInstances, connect:ListSecurityProfiles, connect:ListUsers, ds:DescribeDirectories",
        },
      ]);
    });

    test("GIVEN another external ID (the template's parameter default) THEN flagged with both IDs and the principal", () => {
      expect(summarizePlan(update(template(), template({ externalId: "org-43" }))).accessChanges).toEqual([
        { address: "aws_cloudformation_stack_set.x", reason: `changes every enrolled role's trust policy: principal ${TRELICA} -> ${TRELICA}, external ID org-42 -> org-43` },
      ]);
    });

    test("GIVEN a service switched on, or a new description THEN nothing is flagged", () => {
      const narrow = template({ services: { ...MEMBER_SERVICES, connect: false } });
      expect(summarizePlan(update(narrow, template())).accessChanges).toEqual([]);
      expect(summarizePlan(update(template(), template({ description: "Read by Trelica" }))).accessChanges).toEqual([]);
    });

    test("GIVEN a team's boundary added to the template THEN flagged for every enrolled role; GIVEN the deployer's boundary THEN not", () => {
      expect(summarizePlan(update(template(), template({ permissionsBoundaryPolicyName: "TeamBoundary" }))).accessChanges).toEqual([
        {
          address: "aws_cloudformation_stack_set.x",
          reason: `sets every enrolled role's permissions boundary (none -> {"Fn::Sub":"arn:aws:iam::\${AWS::AccountId}:policy/TeamBoundary"}), which caps what Trelica may do`,
        },
      ]);
      expect(summarizePlan(update(template(), template({ permissionsBoundaryPolicyName: "TrelicaIntegrationBoundary" }))).accessChanges).toEqual([]);
    });

    test("GIVEN a template that cannot be read THEN flagged: nobody can say what it grants", () => {
      expect(summarizePlan(update(template(), "not json")).accessChanges).toEqual([
        { address: "aws_cloudformation_stack_set.x", reason: "changes the stack set's template to one that cannot be read before apply" },
      ]);
    });
  });
});
