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
import { partitionOf } from "../app/config/regions";

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
  /** The managed policy's path, description and tags: not compared when undefined (terraform ignores the description; CloudFormation's policy has no tags). */
  readonly policyPath?: string;
  readonly policyDescription?: string;
  readonly policyTags?: Readonly<Record<string, string>>;
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
    // The construct ignores the policy's description (an adopted policy keeps its own): not compared.
    policyPath: "/",
    policyTags: withDefaultTags(props.tags),
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
    policyPath: policy.Path === undefined ? "/" : String(policy.Path),
    policyDescription: policy.Description === undefined ? "" : String(policy.Description),
  };
}

/**
 * Everything terraform manages for one account, read from its synthesized stack (`cdk.tf.json`), the
 * source of truth for what terraform converges to: the role and policy as ExpectedRole, the resources'
 * addresses, the outputs, and the role the provider assumes. Anything this reader does not know (another
 * resource type or argument, a data source, a reference where a value should be) is a doubt, named:
 * rollout then plans the account with terraform.
 */
export interface ManagedStack {
  readonly expected: ExpectedRole;
  /** Every managed resource's address (`type.name`), the role's and the policy's among them. */
  readonly addresses: readonly string[];
  readonly roleAddress: string;
  readonly policyAddress: string;
  /** Output name → a literal value, or `{ arnOf: address }` for a resource's ARN. */
  readonly outputs: Readonly<Record<string, string | { readonly arnOf: string }>>;
  /** The role the AWS provider assumes (its ARN), if any; otherwise the standard credentials act. */
  readonly assumeRoleArn?: string;
  readonly region: string;
}

/** The resource types and the arguments each may set that the live read and the comparison cover. */
const KNOWN_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  aws_iam_role: ["name", "path", "description", "assume_role_policy", "max_session_duration", "permissions_boundary", "tags"],
  aws_iam_policy: ["name", "path", "description", "policy", "tags"],
  aws_iam_role_policy_attachment: ["role", "policy_arn"],
  aws_iam_role_policy_attachments_exclusive: ["role_name", "policy_arns"],
  aws_iam_role_policies_exclusive: ["role_name", "policy_names"],
};
/** Meta-arguments that change nothing in what is compared (ignore_changes is read where it matters). */
const META = new Set(["//", "lifecycle", "depends_on", "provider"]);
const TOP_LEVEL = new Set(["//", "terraform", "provider", "resource", "output", "import"]);
const PROVIDER_ARGUMENTS = new Set(["region", "allowed_account_ids", "assume_role", "default_tags"]);

export type StackReading = { readonly managed: ManagedStack } | { readonly doubt: string };

export function managedFromStack(json: any, accountId: string): StackReading {
  const doubt = (why: string): StackReading => ({ doubt: why });
  const unknownTop = Object.keys(json).filter((key) => !TOP_LEVEL.has(key));
  if (unknownTop.length > 0) return doubt(`the stack has ${unknownTop.join(", ")} blocks`);
  const providers = Object.entries<any[]>(json.provider ?? {});
  if (providers.length !== 1 || providers[0][0] !== "aws" || providers[0][1].length !== 1) return doubt("the stack has providers other than one aws provider");
  const provider = providers[0][1][0];
  const extraProvider = Object.keys(provider).filter((key) => !PROVIDER_ARGUMENTS.has(key));
  if (extraProvider.length > 0) return doubt(`the aws provider sets ${extraProvider.join(", ")}`);
  if (!isLiteral(provider.region)) return doubt("the aws provider's region is not a literal");
  if (JSON.stringify(provider.allowed_account_ids) !== JSON.stringify([accountId])) return doubt(`the aws provider is not restricted to ${accountId}`);
  let assumeRoleArn: string | undefined;
  if (provider.assume_role !== undefined) {
    const [assume, ...more] = provider.assume_role as any[];
    if (more.length > 0 || Object.keys(assume).some((key) => key !== "role_arn" && key !== "session_name") || !isLiteral(assume.role_arn)) {
      return doubt("the aws provider's assume_role is not one literal role ARN");
    }
    assumeRoleArn = assume.role_arn;
  }
  const defaultTags = provider.default_tags === undefined ? {} : provider.default_tags[0]?.tags ?? {};
  if (!isLiteral(defaultTags)) return doubt("the aws provider's default tags are not literals");

  const resources: Record<string, Record<string, any>> = json.resource ?? {};
  const one = (type: string): [string, any] | undefined => {
    const entries = Object.entries(resources[type] ?? {});
    return entries.length === 1 ? [`${type}.${entries[0][0]}`, entries[0][1]] : undefined;
  };
  const addresses: string[] = [];
  for (const [type, byName] of Object.entries(resources)) {
    const allowed = KNOWN_ARGUMENTS[type];
    if (!allowed) return doubt(`the stack manages a ${type}`);
    for (const [name, body] of Object.entries<any>(byName)) {
      const extra = Object.keys(body).filter((key) => !allowed.includes(key) && !META.has(key));
      if (extra.length > 0) return doubt(`${type}.${name} sets ${extra.join(", ")}`);
      if (body.count !== undefined || body.for_each !== undefined) return doubt(`${type}.${name} has count or for_each`);
      addresses.push(`${type}.${name}`);
    }
  }
  const role = one("aws_iam_role");
  const policy = one("aws_iam_policy");
  if (!role || !policy || addresses.length !== Object.keys(KNOWN_ARGUMENTS).length) return doubt("the stack does not hold exactly one of each resource the role is made of");
  const [roleAddress, roleBody] = role;
  const [policyAddress, policyBody] = policy;
  for (const key of KNOWN_ARGUMENTS.aws_iam_role) if (!isLiteral(roleBody[key])) return doubt(`${roleAddress}.${key} is not a literal`);
  for (const key of KNOWN_ARGUMENTS.aws_iam_policy) if (!isLiteral(policyBody[key])) return doubt(`${policyAddress}.${key} is not a literal`);
  if (typeof policyBody.name !== "string" || typeof roleBody.name !== "string") return doubt("the role or the policy has no literal name");

  // The role's pieces must point at this role and this policy, and nothing else may be attached.
  const roleName = `\${${roleAddress}.name}`;
  const policyArnRef = `\${${policyAddress}.arn}`;
  const [, attachment] = one("aws_iam_role_policy_attachment")!;
  const [, onlyOurs] = one("aws_iam_role_policy_attachments_exclusive")!;
  const [, noInline] = one("aws_iam_role_policies_exclusive")!;
  if (attachment.role !== roleName || attachment.policy_arn !== policyArnRef) return doubt("the attachment is not of this role and policy");
  if (onlyOurs.role_name !== roleName || JSON.stringify(onlyOurs.policy_arns) !== JSON.stringify([policyArnRef])) return doubt("the exclusive attachments are not exactly this policy");
  if (noInline.role_name !== roleName || JSON.stringify(noInline.policy_names) !== "[]") return doubt("the exclusive inline policies are not none");

  const outputs: Record<string, string | { arnOf: string }> = {};
  for (const [name, output] of Object.entries<any>(json.output ?? {})) {
    const value = output.value;
    if (value === `\${${roleAddress}.arn}`) outputs[name] = { arnOf: roleAddress };
    else if (typeof value === "string" && !value.includes("${")) outputs[name] = value;
    else return doubt(`output ${name} is neither a literal nor the role's ARN`);
  }

  const partition = partitionOf(provider.region);
  // terraform ignores what ignore_changes names: only the policy's description may be ignored (the construct does).
  const ignoring = (body: any) => ([] as unknown[]).concat(body.lifecycle?.ignore_changes ?? []);
  const ignoredElsewhere = Object.values(resources).flatMap((byName) => Object.values<any>(byName)).filter((body) => body !== policyBody).flatMap(ignoring);
  if (ignoredElsewhere.length > 0 || ignoring(policyBody).some((key) => key !== "description")) return doubt("ignore_changes covers more than the policy's description");
  const policyDescriptionIgnored = ignoring(policyBody).includes("description");
  const policyPath: string = policyBody.path ?? "/";
  let trust: unknown;
  let document: unknown;
  try {
    trust = JSON.parse(roleBody.assume_role_policy);
    document = JSON.parse(policyBody.policy);
  } catch {
    return doubt("a policy document in the stack is not JSON");
  }
  const expected: ExpectedRole = {
    roleName: roleBody.name,
    path: roleBody.path ?? "/",
    trustPolicy: trust,
    policyName: policyBody.name,
    policyArn: `arn:${partition}:iam::${accountId}:policy${policyPath}${policyBody.name}`,
    permissionPolicy: document,
    permissionsBoundaryArn: roleBody.permissions_boundary,
    maxSessionDuration: roleBody.max_session_duration ?? DEFAULT_MAX_SESSION,
    description: roleBody.description ?? "",
    // What terraform compares is tags_all: the provider's default tags under the resource's own.
    tags: { ...defaultTags, ...(roleBody.tags ?? {}) },
    policyPath,
    policyDescription: policyDescriptionIgnored ? undefined : policyBody.description ?? "",
    policyTags: { ...defaultTags, ...(policyBody.tags ?? {}) },
  };
  return { managed: { expected, addresses: addresses.sort(), roleAddress, policyAddress, outputs, assumeRoleArn, region: provider.region } };
}

/** A value with no terraform expression in it (`${...}`): what is written is what terraform sends. */
function isLiteral(value: unknown): boolean {
  if (value === undefined || value === null || typeof value === "number" || typeof value === "boolean") return true;
  if (typeof value === "string") return !value.includes("${") && !value.includes("%{");
  if (Array.isArray(value)) return value.every(isLiteral);
  if (typeof value === "object") return Object.values(value as object).every(isLiteral);
  return false;
}
