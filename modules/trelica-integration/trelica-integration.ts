import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePoliciesExclusive } from "@cdktf/provider-aws/lib/iam-role-policies-exclusive";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IamRolePolicyAttachmentsExclusive } from "@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive";
import { Construct } from "constructs";
import { DEFAULT_TAGS } from "./default-tags";
import { permissionPolicy } from "./permission-policy";
import { mergedTags, policyJson } from "./private/tokens";
import { validateTrelicaIntegrationProps } from "./private/validate";
import { ALL_SERVICES } from "./services";
import { cloudFormationTemplate, CloudFormationTemplate } from "./cloudformation-template";
import { TrelicaIntegrationProps } from "./trelica-integration-props";
import { trustPolicy } from "./trust-policy";

/**
 * Bad props, every problem at once. TypeScript and JavaScript only: jsii cannot carry a subclass of
 * `Error` to other languages, where the same message arrives as the jsii runtime's error (in Python a
 * `RuntimeError`).
 * @jsii ignore
 */
export class TrelicaIntegrationValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid TrelicaIntegration props:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "TrelicaIntegrationValidationError";
  }
}

/**
 * The IAM role Trelica assumes in one AWS account: named exactly `TrelicaIntegration` at path `/`,
 * trusting only Trelica's account with the customer's external ID, with a read-only managed policy.
 */
export class TrelicaIntegration extends Construct {
  /** Trelica asks for this exact name when it assumes the role. */
  static readonly ROLE_NAME = "TrelicaIntegration";
  static readonly DEFAULT_POLICY_NAME = "TrelicaIntegrationReadOnly";
  static readonly DEFAULT_DESCRIPTION = "Read-only access for the Trelica SaaS management platform";
  /**
   * The managed policy's description, the same whatever the role's: IAM cannot change a policy's
   * description in place, so a description that followed the role's would replace the policy (and
   * briefly detach Trelica's permissions) whenever someone edited the role's.
   */
  static readonly POLICY_DESCRIPTION = "Read-only access for the Trelica SaaS management platform";

  readonly role: IamRole;
  readonly policy: IamPolicy;
  readonly attachment: IamRolePolicyAttachment;
  /** Detaches any other managed policy from the role (attached by hand, or left from a hand-made setup). */
  readonly onlyOurPolicy: IamRolePolicyAttachmentsExclusive;
  /** Removes any inline policy from the role. */
  readonly noInlinePolicies: IamRolePoliciesExclusive;
  /** The role's ARN (a Terraform reference). */
  readonly roleArn: string;
  readonly roleName: string;

  private readonly partition: string;
  private readonly policyName: string;

  constructor(scope: Construct, id: string, props: TrelicaIntegrationProps) {
    super(scope, id);
    const problems = validateTrelicaIntegrationProps(props, "terraform");
    if (problems.length > 0) throw new TrelicaIntegrationValidationError(problems);

    this.partition = props.partition ?? "aws";
    this.policyName = props.policyName ?? TrelicaIntegration.DEFAULT_POLICY_NAME;
    const description = props.description ?? TrelicaIntegration.DEFAULT_DESCRIPTION;
    const tags = mergedTags(DEFAULT_TAGS, props.tags);

    this.role = new IamRole(this, "role", {
      name: TrelicaIntegration.ROLE_NAME,
      path: "/",
      description,
      assumeRolePolicy: policyJson(
        trustPolicy({
          externalId: props.externalId,
          trelicaAccountId: props.trelicaAccountId,
          partition: this.partition,
        }),
      ),
      maxSessionDuration: props.maxSessionDuration,
      permissionsBoundary: props.permissionsBoundaryArn,
      tags,
    });

    this.policy = new IamPolicy(this, "policy", {
      name: this.policyName,
      path: "/",
      description: TrelicaIntegration.POLICY_DESCRIPTION,
      policy: policyJson(permissionPolicy(props.services ?? ALL_SERVICES)),
      tags,
      // After the role: a role made without a boundary gets it (the provider's first write there) before its
      // policy can change, since a deploying identity may change the policy whatever role carries it.
      dependsOn: [this.role],
      lifecycle: {
        // An adopted hand-made policy keeps its own description instead of being replaced for it.
        ignoreChanges: ["description"],
        // A policy that must be replaced (a new policyName) is attached before the old one goes.
        createBeforeDestroy: true,
      },
    });

    this.attachment = new IamRolePolicyAttachment(this, "attachment", {
      role: this.role.name,
      policyArn: this.policy.arn,
      lifecycle: { createBeforeDestroy: true },
    });

    // The role holds exactly our policy: anything else attached to it shows in the next plan and goes.
    this.onlyOurPolicy = new IamRolePolicyAttachmentsExclusive(this, "only_our_policy", {
      roleName: this.role.name,
      policyArns: [this.policy.arn],
      dependsOn: [this.attachment],
    });
    this.noInlinePolicies = new IamRolePoliciesExclusive(this, "no_inline_policies", {
      roleName: this.role.name,
      policyNames: [],
    });

    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
  }

  /**
   * The same role as a CloudFormation template (StackSets, or one account's console "Create stack").
   * @jsii ignore other languages take `cloudFormationTemplateJson`
   */
  static cloudFormationTemplate(props: TrelicaIntegrationProps): CloudFormationTemplate {
    const problems = validateTrelicaIntegrationProps(props, "cloudformation");
    if (problems.length > 0) throw new TrelicaIntegrationValidationError(problems);
    return cloudFormationTemplate(props, {
      roleName: TrelicaIntegration.ROLE_NAME,
      defaultPolicyName: TrelicaIntegration.DEFAULT_POLICY_NAME,
      defaultDescription: TrelicaIntegration.DEFAULT_DESCRIPTION,
      policyDescription: TrelicaIntegration.POLICY_DESCRIPTION,
    });
  }

  /** `cloudFormationTemplate` as JSON text, for every language (jsii cannot describe the template's shape). */
  static cloudFormationTemplateJson(props: TrelicaIntegrationProps): string {
    return JSON.stringify(TrelicaIntegration.cloudFormationTemplate(props), null, 2);
  }

  /**
   * Takes over a role made by hand (from the vendor's setup page) on the next apply, instead of failing
   * with EntityAlreadyExists: emits Terraform import blocks (Terraform >= 1.5) for the role, the managed
   * policy named `policyName` and their attachment in `accountId`.
   */
  adoptExisting(accountId: string): void {
    const policyArn = `arn:${this.partition}:iam::${accountId}:policy/${this.policyName}`;
    this.role.importFrom(TrelicaIntegration.ROLE_NAME);
    this.policy.importFrom(policyArn);
    this.attachment.importFrom(`${TrelicaIntegration.ROLE_NAME}/${policyArn}`);
  }
}
