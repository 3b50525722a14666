import { Partition } from "../../modules/trelica-integration";
import type { PolicyJson } from "../common/policy-json";
import { BOUNDARY_POLICY_NAME, readOnlyDeployerName } from "../config/deployer";
import { BOUNDARY_DESCRIPTION, boundaryPolicy, deployerTrustPolicy, deployingPolicy, EACH_ACCOUNT_ID } from "./policies";
import { verifyPolicy, verifyRoleResources } from "./verify-role";

/*
 * The stack set's template: what every member account of the targeted OUs gets. The deployer role and
 * its policy, made from the one action table, and TrelicaIntegrationBoundary beside them. The
 * deployer's policy names neither its own role nor its own policy, nor the boundary: it cannot widen
 * itself or lift the ceiling.
 */

export interface DeployerTemplateProps {
  readonly partition: Partition;
  readonly roleName: string;
  readonly policyNames: readonly string[];
  /** Who may assume the deployer (rollout's callers, Terraform Cloud's apply role). */
  readonly principalArns: readonly string[];
  /** Terraform Cloud's plan role: it may assume only the read-only twin. */
  readonly planPrincipalArn?: string;
  /** Who may assume the verify role (the deployer's trustedPrincipalArns; none: no verify role). */
  readonly verifyPrincipalArns: readonly string[];
  readonly awsOrganizationId?: string;
}

export function deployerPolicyName(roleName: string): string {
  return `${roleName}Policy`;
}

export function deployerTemplate(props: DeployerTemplateProps): object {
  const resources: Record<string, object> = {
    Boundary: managedPolicy(BOUNDARY_POLICY_NAME, BOUNDARY_DESCRIPTION, boundaryPolicy()),
    DeployerPolicy: managedPolicy(
      deployerPolicyName(props.roleName),
      "Manage TrelicaIntegration and its policy, under TrelicaIntegrationBoundary; nothing else",
      deployingPolicy({ partition: props.partition, account: EACH_ACCOUNT_ID, policyNames: props.policyNames, access: "write" }),
    ),
    Deployer: role(props.roleName, "Deploys TrelicaIntegration (trelica-aws-role rollout, cdktf deploy, Terraform Cloud apply)", props.principalArns, props.awsOrganizationId, "DeployerPolicy"),
  };
  if (props.planPrincipalArn !== undefined) {
    const readOnly = readOnlyDeployerName(props.roleName);
    resources.ReadOnlyPolicy = managedPolicy(
      deployerPolicyName(readOnly),
      "Read TrelicaIntegration and its policy: what a plan needs",
      deployingPolicy({ partition: props.partition, account: EACH_ACCOUNT_ID, policyNames: props.policyNames, access: "read" }),
    );
    resources.ReadOnlyDeployer = role(readOnly, "Terraform Cloud plans of TrelicaIntegration: read only", [props.planPrincipalArn], props.awsOrganizationId, "ReadOnlyPolicy");
  }
  // ---- verify's read-only role (app/deployer/verify-role.ts)
  Object.assign(
    resources,
    verifyRoleResources(props, {
      policy: managedPolicy,
      role: (name, description, principals, policyLogicalId) => role(name, description, principals, props.awsOrganizationId, policyLogicalId),
      document: verifyPolicy(props.partition, EACH_ACCOUNT_ID),
    }),
  );
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `${props.roleName} and ${BOUNDARY_POLICY_NAME} for trelica-aws-role`,
    Resources: resources,
  };
}

function managedPolicy(name: string, description: string, document: PolicyJson): object {
  return {
    Type: "AWS::IAM::ManagedPolicy",
    DeletionPolicy: "Delete",
    Properties: { ManagedPolicyName: name, Path: "/", Description: description, PolicyDocument: eachAccount(document) },
  };
}

function role(name: string, description: string, principals: readonly string[], awsOrganizationId: string | undefined, policyLogicalId: string): object {
  return {
    Type: "AWS::IAM::Role",
    DeletionPolicy: "Delete",
    Properties: {
      RoleName: name,
      Path: "/",
      Description: description,
      AssumeRolePolicyDocument: deployerTrustPolicy({ principalArns: principals, awsOrganizationId }),
      ManagedPolicyArns: [{ Ref: policyLogicalId }],
    },
  };
}

/**
 * Strings naming "each account" become Fn::Join around a Ref to AWS::AccountId, which CloudFormation
 * resolves in the account it runs in. Not Fn::Sub: its `${...}` inside the stack set's template_body
 * would be read by Terraform as an interpolation.
 */
function eachAccount(value: unknown): unknown {
  if (typeof value === "string") {
    if (!value.includes(EACH_ACCOUNT_ID)) return value;
    const parts = value.split(EACH_ACCOUNT_ID).flatMap((part, index) => [...(index > 0 ? [{ Ref: "AWS::AccountId" }] : []), ...(part === "" ? [] : [part])]);
    return { "Fn::Join": ["", parts] };
  }
  if (Array.isArray(value)) return value.map(eachAccount);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, eachAccount(item)]));
  return value;
}
