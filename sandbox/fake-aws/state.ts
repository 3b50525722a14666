/** What the fake remembers, per account. Plain data: tests read it to check what terraform did. */

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

export interface Role {
  readonly path: string;
  readonly name: string;
  readonly id: string;
  readonly arn: string;
  readonly createDate: string;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  permissionsBoundary?: string;
  tags: Tag[];
  /** Managed policy ARNs, in attachment order. */
  attachedPolicies: string[];
  inlinePolicies: Record<string, string>;
  /** Set when someone assumes the role (IAM's RoleLastUsed). */
  lastUsed?: { readonly date: string; readonly region: string };
}

/**
 * An IAM user with long-term access keys: the fake's own callers (`FakeAws.credentialsFor`) and the old
 * way to connect Trelica. A request signed with one of its active keys acts as the user.
 */
export interface User {
  readonly path: string;
  readonly name: string;
  readonly id: string;
  readonly arn: string;
  readonly createDate: string;
  /** Managed policy ARNs. */
  attachedPolicies: string[];
  inlinePolicies: Record<string, string>;
  permissionsBoundary?: string;
  accessKeys: AccessKey[];
  /** Names of the groups it is in: their policies are its too. */
  groups?: string[];
  tags?: Tag[];
  /** A console password (IAM's login profile). */
  loginProfile?: { readonly createDate: string };
}

/** An IAM group: its policies apply to every user in it. */
export interface Group {
  readonly path: string;
  readonly name: string;
  readonly id: string;
  readonly arn: string;
  readonly createDate: string;
  attachedPolicies: string[];
  inlinePolicies: Record<string, string>;
}

export interface AccessKey {
  readonly id: string;
  readonly secretAccessKey: string;
  status: "Active" | "Inactive";
  readonly createDate: string;
  /** Set on every request signed with the key (IAM's GetAccessKeyLastUsed). */
  lastUsed?: { readonly date: string; readonly service: string; readonly region: string };
}

export interface PolicyVersion {
  readonly versionId: string;
  readonly document: string;
  readonly createDate: string;
}

export interface ManagedPolicy {
  readonly name: string;
  readonly id: string;
  readonly arn: string;
  readonly path: string;
  readonly createDate: string;
  updateDate: string;
  description?: string;
  defaultVersionId: string;
  versions: PolicyVersion[];
  nextVersion: number;
  tags: Tag[];
}

export type OperationStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "STOPPED";

export interface StackSetOperation {
  readonly id: string;
  /** An import of existing stacks shows as CREATE, as in CloudFormation. */
  readonly action: "CREATE" | "UPDATE" | "DELETE";
  status: OperationStatus;
  readonly createdAt: string;
  endedAt?: string;
  statusReason?: string;
  readonly input: Record<string, unknown>;
}

export interface StackInstance {
  readonly account: string;
  readonly region: string;
  readonly organizationalUnitId?: string;
  readonly stackId: string;
  status: "CURRENT" | "OUTDATED" | "INOPERABLE";
  detailedStatus: "PENDING" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "INOPERABLE";
  statusReason?: string;
  lastOperationId: string;
}

export interface StackSet {
  readonly name: string;
  readonly id: string;
  readonly arn: string;
  description?: string;
  templateBody: string;
  capabilities: string[];
  parameters: unknown[];
  tags: Tag[];
  readonly permissionModel: string;
  autoDeployment?: { Enabled?: boolean; RetainStacksOnAccountRemoval?: boolean };
  managedExecution?: { Active?: boolean };
  organizationalUnitIds: string[];
  instances: StackInstance[];
  operations: StackSetOperation[];
}

/** An IAM OIDC identity provider (Terraform Cloud's, for its dynamic credentials). */
export interface OidcProvider {
  readonly arn: string;
  /** Without the scheme, as IAM answers it. */
  readonly url: string;
  clientIds: string[];
  thumbprints: string[];
  tags: Tag[];
  readonly createDate: string;
}

/** A CloudFormation stack in one account: a stack set's instance, or one made by an import. */
export interface Stack {
  readonly id: string;
  readonly name: string;
  status: "REVIEW_IN_PROGRESS" | "IMPORT_COMPLETE" | "CREATE_COMPLETE" | "UPDATE_COMPLETE";
  templateBody?: string;
  parameters: { ParameterKey: string; ParameterValue: string }[];
  /** Logical ID → physical ID (a role's name, a policy's ARN). */
  resources: Record<string, string>;
  /** The stack set whose instance this stack is, if any: a stack belongs to one stack set at most. */
  stackSetId?: string;
  readonly createdAt: string;
}

export interface ChangeSet {
  readonly id: string;
  readonly name: string;
  readonly stackId: string;
  readonly type: "IMPORT";
  status: "CREATE_COMPLETE";
  executionStatus: "AVAILABLE" | "EXECUTE_COMPLETE";
  readonly templateBody: string;
  readonly parameters: { ParameterKey: string; ParameterValue: string }[];
  /** Logical ID → the physical ID it imports. */
  readonly imports: Record<string, { type: string; physicalId: string }>;
}

export interface AccountState {
  readonly roles: Record<string, Role>;
  readonly users: Record<string, User>;
  readonly groups: Record<string, Group>;
  /** By ARN. */
  readonly policies: Record<string, ManagedPolicy>;
  readonly stackSets: Record<string, StackSet>;
  /** By stack ID. */
  readonly stacks: Record<string, Stack>;
  /** By change set ID. */
  readonly changeSets: Record<string, ChangeSet>;
  /** By ARN. */
  readonly oidcProviders: Record<string, OidcProvider>;
}

export function emptyAccount(): AccountState {
  return { roles: {}, users: {}, groups: {}, policies: {}, stackSets: {}, stacks: {}, changeSets: {}, oidcProviders: {} };
}

/** Who is calling, as the fake worked it out from the signature. */
export interface Caller {
  readonly accountId: string;
  readonly arn: string;
  readonly userId: string;
  /** The region of the request's signature, where known. */
  readonly region?: string;
  /**
   * The IAM user or role whose policies decide what the caller may do (for an assumed-role session,
   * the role). Absent for the fake's own calls (`FakeAws.call`, stack set deployments), which are not authorized.
   */
  readonly identity?: { readonly kind: "user" | "role"; readonly name: string };
}
