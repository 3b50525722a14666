import { withDefaultTags } from "./default-tags";
import { permissionPolicy } from "./permission-policy";
import { EXTERNAL_ID_RULE } from "./rules";
import { ALL_SERVICES } from "./services";
import type { TrelicaIntegrationProps } from "./trelica-integration-props";
import { trustPolicy } from "./trust-policy";

/* The same role as the TrelicaIntegration construct, as a CloudFormation template: for StackSets, Control
 * Tower customizations, one account's "Create stack" in the console, and importing a role Terraform made
 * into a stack (the accounts → StackSets switch). Rendered by the same policy renderers; no cdktf. The
 * external ID is a parameter (default: the configured one), so one template serves every Trelica
 * organization.
 *
 * Shaped so that CloudFormation can also import an existing role with it: every resource states its
 * DeletionPolicy (an import refuses resources without one) and there are no Outputs (an import may not
 * add any). `Delete` is CloudFormation's default made explicit: a stack instance removed from an account
 * (retainStacksOnAccountRemoval false) still takes the role with it. */

export const CFN_ROLE_LOGICAL_ID = "TrelicaIntegrationRole";
export const CFN_POLICY_LOGICAL_ID = "TrelicaIntegrationPolicy";
export const CFN_EXTERNAL_ID_PARAMETER = "ExternalId";

/** TypeScript only (jsii has no such shapes): other languages get `TrelicaIntegration.cloudFormationTemplateJson`. @jsii ignore */
export interface CloudFormationTemplate {
  readonly AWSTemplateFormatVersion: "2010-09-09";
  readonly Description: string;
  readonly Parameters: Record<string, Record<string, unknown>>;
  readonly Resources: Record<string, { Type: string; DeletionPolicy: "Delete"; Properties: Record<string, unknown> }>;
}

/** Defaults and names match the construct's, so either path creates the same role. */
export function cloudFormationTemplate(
  props: TrelicaIntegrationProps,
  names: { roleName: string; defaultPolicyName: string; defaultDescription: string; policyDescription: string },
): CloudFormationTemplate {
  const description = props.description ?? names.defaultDescription;
  // The role only: AWS::IAM::ManagedPolicy has no Tags property.
  const tags = Object.entries(withDefaultTags(props.tags)).map(([Key, Value]) => ({ Key, Value }));
  // trustPolicy owns the defaults of the account and the partition.
  const trust = trustPolicy({ externalId: props.externalId, trelicaAccountId: props.trelicaAccountId, partition: props.partition });
  const role: Record<string, unknown> = {
    RoleName: names.roleName,
    Path: "/",
    Description: description,
    // The rendered trust policy, with the external ID's value taken from the parameter.
    AssumeRolePolicyDocument: {
      ...trust,
      Statement: trust.Statement.map((statement) => ({
        ...statement,
        Condition: { StringEquals: { "sts:ExternalId": { Ref: CFN_EXTERNAL_ID_PARAMETER } } },
      })),
    },
    ManagedPolicyArns: [{ Ref: CFN_POLICY_LOGICAL_ID }],
  };
  if (props.maxSessionDuration !== undefined) role.MaxSessionDuration = props.maxSessionDuration;
  if (props.permissionsBoundaryArn !== undefined) role.PermissionsBoundary = props.permissionsBoundaryArn;
  if (props.permissionsBoundaryPolicyName !== undefined) {
    // The policy of that name in whichever account the stack runs in: IAM refuses another account's boundary.
    role.PermissionsBoundary = { "Fn::Sub": `arn:${props.partition ?? "aws"}:iam::\${AWS::AccountId}:policy/${props.permissionsBoundaryPolicyName}` };
  }
  role.Tags = tags;
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `${names.roleName}: ${description}`,
    Parameters: {
      [CFN_EXTERNAL_ID_PARAMETER]: {
        Type: "String",
        Description: "Your Trelica organization ID (Trelica: user menu > Profile): the sts:ExternalId Trelica must present",
        Default: props.externalId,
        // CloudFormation matches the whole value, as IAM does.
        AllowedPattern: EXTERNAL_ID_RULE.pattern.source.replace(/^\^|\$$/g, ""),
        ConstraintDescription: EXTERNAL_ID_RULE.allowed,
      },
    },
    Resources: {
      [CFN_POLICY_LOGICAL_ID]: {
        Type: "AWS::IAM::ManagedPolicy",
        DeletionPolicy: "Delete",
        Properties: {
          ManagedPolicyName: props.policyName ?? names.defaultPolicyName,
          Path: "/",
          // Fixed for the same reason as in the construct: CloudFormation replaces a policy to change it.
          Description: names.policyDescription,
          PolicyDocument: permissionPolicy(props.services ?? ALL_SERVICES),
        },
      },
      [CFN_ROLE_LOGICAL_ID]: { Type: "AWS::IAM::Role", DeletionPolicy: "Delete", Properties: role },
    },
  };
}
