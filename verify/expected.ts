import {
  ALL_SERVICES,
  CFN_POLICY_LOGICAL_ID,
  CFN_ROLE_LOGICAL_ID,
  CloudFormationTemplate,
  Partition,
  permissionPolicy,
  TRELICA_ACCOUNT_ID,
  TrelicaIntegration,
  TrelicaIntegrationProps,
  trustPolicy,
  withDefaultTags,
} from "../modules/trelica-integration";

/*
 * The role one account should hold, from the same renderers the synth uses: the construct's props
 * (accounts mode) or the stack set's CloudFormation template with its parameters (StackSets mode).
 */

export interface ExpectedRole {
  readonly roleName: string;
  readonly path: string;
  readonly trustPolicy: unknown;
  readonly policyName: string;
  readonly policyArn: string;
  readonly permissionPolicy: unknown;
  readonly permissionsBoundaryArn?: string;
  readonly maxSessionDuration: number;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** IAM's default when a role is created without MaxSessionDuration. */
const DEFAULT_MAX_SESSION = 3600;

const policyArnIn = (partition: string, accountId: string, name: string) => `arn:${partition}:iam::${accountId}:policy/${name}`;

/** Accounts mode: what the TrelicaIntegration construct makes from these props in `accountId`. */
export function expectedFromProps(props: TrelicaIntegrationProps, accountId: string): ExpectedRole {
  const partition = props.partition ?? "aws";
  const policyName = props.policyName ?? TrelicaIntegration.DEFAULT_POLICY_NAME;
  return {
    roleName: TrelicaIntegration.ROLE_NAME,
    path: "/",
    trustPolicy: trustPolicy({ externalId: props.externalId, trelicaAccountId: props.trelicaAccountId ?? TRELICA_ACCOUNT_ID, partition }),
    policyName,
    policyArn: policyArnIn(partition, accountId, policyName),
    permissionPolicy: permissionPolicy(props.services ?? ALL_SERVICES),
    permissionsBoundaryArn: props.permissionsBoundaryArn,
    maxSessionDuration: props.maxSessionDuration ?? DEFAULT_MAX_SESSION,
    description: props.description ?? TrelicaIntegration.DEFAULT_DESCRIPTION,
    // The construct tags the role with DEFAULT_TAGS beside the user's.
    tags: withDefaultTags(props.tags),
  };
}

/**
 * StackSets mode: the template's role as CloudFormation creates it in `accountId`, with the parameters'
 * defaults: the organization stack's stack set sets none (the external ID's default is the configured one).
 */
export function expectedFromTemplate(template: CloudFormationTemplate, accountId: string, partition: Partition): ExpectedRole {
  const policy = template.Resources[CFN_POLICY_LOGICAL_ID].Properties;
  const policyName = String(policy.ManagedPolicyName);
  const policyArn = policyArnIn(partition, accountId, policyName);
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    if (typeof record.Ref === "string") {
      if (record.Ref === CFN_POLICY_LOGICAL_ID) return policyArn;
      const parameter = template.Parameters[record.Ref];
      if (!parameter) throw new Error(`template: Ref ${record.Ref} names no parameter`);
      return parameter.Default;
    }
    if (typeof record["Fn::Sub"] === "string") {
      return (record["Fn::Sub"] as string).replace(/\$\{AWS::AccountId\}/g, accountId).replace(/\$\{AWS::Partition\}/g, partition);
    }
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, resolve(item)]));
  };
  const role = resolve(template.Resources[CFN_ROLE_LOGICAL_ID].Properties) as Record<string, any>;
  return {
    roleName: role.RoleName,
    path: role.Path ?? "/",
    trustPolicy: role.AssumeRolePolicyDocument,
    policyName,
    policyArn,
    permissionPolicy: resolve(policy.PolicyDocument),
    permissionsBoundaryArn: role.PermissionsBoundary,
    maxSessionDuration: role.MaxSessionDuration ?? DEFAULT_MAX_SESSION,
    description: role.Description,
    tags: Object.fromEntries(((role.Tags ?? []) as { Key: string; Value: string }[]).map((tag) => [tag.Key, tag.Value])),
  };
}
