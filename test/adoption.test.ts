import { Testing } from "../modules/cdk-flavour";
import { TrelicaIntegration } from "../modules/trelica-integration";
import { synthStacks } from "./helpers/app";
import { tempDir } from "./helpers/files";
import { resolve } from "./helpers/organization";

const dir = tempDir();

function addressOf(json: any, type: string): string {
  return `${type}.${Object.keys(json.resource[type])[0]}`;
}

describe("adopting a TrelicaIntegration role made by hand", () => {
  test("GIVEN adoptExisting THEN import blocks take over the role, the policy and the attachment by their AWS IDs", () => {
    const [stack] = synthStacks(resolve(dir, { trelicaOrganizationId: "org-42", adoptExisting: true, accounts: [{ id: "123456789012" }] }));
    const policyArn = "arn:aws:iam::123456789012:policy/TrelicaIntegrationReadOnly";
    expect(stack.json.import).toEqual([
      { to: addressOf(stack.json, "aws_iam_role"), id: "TrelicaIntegration" },
      { to: addressOf(stack.json, "aws_iam_policy"), id: policyArn },
      { to: addressOf(stack.json, "aws_iam_role_policy_attachment"), id: `TrelicaIntegration/${policyArn}` },
    ]);
  });

  test("GIVEN a hand-made policy of another name THEN the account's policyName is both imported and kept", () => {
    const [stack] = synthStacks(
      resolve(dir, { trelicaOrganizationId: "org-42", accounts: [{ id: "123456789012", adoptExisting: true, policyName: "TrelicaPolicy" }] }),
    );
    expect(stack.json.import[1].id).toBe("arn:aws:iam::123456789012:policy/TrelicaPolicy");
    expect(Object.values<any>(stack.json.resource.aws_iam_policy)[0].name).toBe("TrelicaPolicy");
  });

  test("GIVEN adoption on by default and off for one account THEN only the others import", () => {
    const stacks = synthStacks(
      resolve(dir, {
        trelicaOrganizationId: "org-42",
        adoptExisting: true,
        managementAccountId: "111111111111",
        accounts: [{ id: "111111111111", adoptExisting: false }, { id: "222222222222" }],
      }),
    );
    expect(stacks.map((stack) => stack.json.import?.length ?? 0)).toEqual([0, 3]);
  });

  test("GIVEN the construct in GovCloud THEN the policy ARN uses that partition", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => new TrelicaIntegration(scope, "t", { externalId: "org-1", partition: "aws-us-gov" }).adoptExisting("123456789012")),
    );
    expect(json.import[1].id).toBe("arn:aws-us-gov:iam::123456789012:policy/TrelicaIntegrationReadOnly");
  });
});
