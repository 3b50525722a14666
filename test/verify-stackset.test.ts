/*
 * verify in StackSets mode: the accounts are the stack set's instances (ListStackInstances) plus the
 * management account, and each member's expected role is the stack set's template.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FakeAws } from "../sandbox/fake-aws/fake-aws";
import { tempDir } from "./helpers/files";
import { applyStacks, findingsOf, runVerify, statuses, synthProject, useFakeAs } from "./helpers/verify";

const MANAGEMENT = "111111111111";
const WORKLOADS = ["400000000001", "400000000002", "400000000003"];
const SANDBOX = "400000000009"; // in another OU: no instance
const CONFIG = `trelicaOrganizationId: "org-stackset"
mode: stackset
managementAccountId: "${MANAGEMENT}"
services: { connect: false }
role: { tags: { team: security } }
stackSet:
  organizationalUnitIds: ["ou-ab12-workloads"]
`;

let fake: FakeAws;
let configFile: string;
const dir = tempDir("trelica-verify-stackset-");

beforeAll(async () => {
  fake = await FakeAws.start({ managementAccountId: MANAGEMENT, organizationalUnits: { "ou-ab12-workloads": WORKLOADS, "ou-ab12-sandbox": [SANDBOX] }, operationMs: 20 });
  configFile = synthProject(dir, CONFIG);
  const outdir = path.join(dir, "cdktf.out");
  applyStacks(fake, outdir); // the management account's own stack
  // What the organization stack's apply does: the stack set from the synthesized template, enrolling the OU.
  const template = fs.readFileSync(path.join(outdir, "trelica-role.cfn.json"), "utf8");
  fake.call(MANAGEMENT, "cloudformation", "CreateStackSet", { StackSetName: "TrelicaIntegration", TemplateBody: template, PermissionModel: "SERVICE_MANAGED", Capabilities: ["CAPABILITY_NAMED_IAM"] });
  fake.call(MANAGEMENT, "cloudformation", "CreateStackInstances", { StackSetName: "TrelicaIntegration", DeploymentTargets: { OrganizationalUnitIds: ["ou-ab12-workloads"] }, Regions: ["us-east-1"] });
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(fake.rolesMadeIn(WORKLOADS[0])).toEqual(["TrelicaIntegration"]);
  useFakeAs(fake, MANAGEMENT);
});
afterAll(() => fake.stop());
afterEach(() => expect(fake.unimplemented).toEqual([]));

describe("verify in StackSets mode", () => {
  test("GIVEN the stack set applied WHEN verify runs THEN it reads the management account and each instance's account, not the rest of the Organization, and all are ok", async () => {
    const { report } = await runVerify(configFile);
    expect(statuses(report)).toEqual(Object.fromEntries([MANAGEMENT, ...WORKLOADS].map((id) => [id, "ok"])));
    expect(report.mode).toBe("stackset");
    expect(report.accounts.map((account) => account.managedBy)).toEqual(["stack", "stack set", "stack set", "stack set"]);
    expect(fake.requests.filter((request) => request.action === "ListStackInstances").map((request) => request.accountId)).toEqual([MANAGEMENT]);
    expect(report.exitCode).toBe(0);
  });

  test("GIVEN a member's tags and policy changed behind CloudFormation's back WHEN verify runs THEN exactly that member is flagged against the template", async () => {
    const [changed] = WORKLOADS;
    fake.call(changed, "iam", "UntagRole", { RoleName: "TrelicaIntegration", TagKeys: ["team"] });
    fake.call(changed, "iam", "PutRolePolicy", { RoleName: "TrelicaIntegration", PolicyName: "more", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) });
    const { report } = await runVerify(configFile, { accounts: ["4*"] });
    expect(report.accounts.map((account) => account.accountId)).toEqual(WORKLOADS);
    expect(findingsOf(report, changed)).toEqual(["inline policies: expected none; live more", "tags: expected managed-by=trelica-aws-role, team=security, third-party=trelica; live managed-by=trelica-aws-role, third-party=trelica"]);
    expect(statuses(report)).toEqual({ [changed]: "drift", [WORKLOADS[1]]: "ok", [WORKLOADS[2]]: "ok" });
    expect(report.accounts[0].fix).toMatch(/stack set/);
  });
});
