import * as crypto from "node:crypto";
import { AwsError } from "./errors";
import type { Handler } from "./iam";
import { AccountState, Caller, ChangeSet, Stack, StackInstance, StackSet, StackSetOperation } from "./state";

/*
 * CloudFormation StackSets, service-managed, as the provider drives them. Operations stay RUNNING for
 * `operationMs` and then succeed or fail; when they end, each instance's template really runs against
 * that member account's IAM (through the same IAM handlers), so a test can check every member's role.
 */

export interface Organization {
  readonly managementAccountId: string;
  /** OU (or root `r-…`) → the member accounts directly in it. The root holds every member. */
  readonly organizationalUnits: Readonly<Record<string, readonly string[]>>;
}

export interface StackSetRules {
  readonly organization: Organization;
  readonly operationMs: number;
  /** Accounts where a stack instance fails on purpose (e.g. to test failure tolerance). */
  readonly failingAccounts: Set<string>;
  readonly accountOf: (accountId: string) => AccountState;
  readonly iam: Record<string, Handler>;
  /** An unsupported template feature: fails the test that caused it. */
  readonly unimplemented: (what: string) => void;
}

interface Targets {
  readonly OrganizationalUnitIds?: string[];
  readonly Accounts?: string[];
  readonly AccountFilterType?: "NONE" | "INTERSECTION" | "DIFFERENCE" | "UNION";
}

type TemplateResource = { Type: string; DeletionPolicy?: "Delete" | "Retain"; Properties: Record<string, unknown> };
interface ResourceToImport {
  readonly ResourceType: string;
  readonly LogicalResourceId: string;
  readonly ResourceIdentifier?: Record<string, string>;
}
interface Template {
  Parameters?: Record<string, { Default?: string }>;
  Resources: Record<string, TemplateResource>;
}

const notFound = (name: string) => new AwsError("StackSetNotFoundException", `StackSet ${name} not found`);

export function cloudFormation(rules: StackSetRules): { handlers: Record<string, Handler>; settleAll: () => void; finishAll: () => void; running: () => number } {
  const stackSetOf = (caller: Caller, name: string): StackSet => {
    const sets = rules.accountOf(caller.accountId).stackSets;
    const stackSet = sets[name] ?? Object.values(sets).find((candidate) => candidate.id === name);
    if (!stackSet) throw notFound(name);
    settle(stackSet);
    return stackSet;
  };
  const mutable = (caller: Caller, name: string): StackSet => {
    const stackSet = stackSetOf(caller, name);
    if (stackSet.operations.some((operation) => operation.status === "RUNNING")) {
      throw new AwsError("OperationInProgressException", "Another Operation on StackSet is in progress");
    }
    return stackSet;
  };
  const begin = (stackSet: StackSet, action: StackSetOperation["action"], input: Record<string, unknown>, work: () => string | undefined) => {
    const operation: StackSetOperation = {
      id: (input.OperationId as string | undefined) ?? crypto.randomUUID(),
      action,
      status: "RUNNING",
      createdAt: new Date().toISOString(),
      input,
    };
    stackSet.operations.push(operation);
    pending.set(operation, { endsAt: Date.now() + rules.operationMs, work });
    return { OperationId: operation.id };
  };
  const pending = new Map<StackSetOperation, { endsAt: number; work: () => string | undefined }>();
  /** Ends one operation: runs its templates, records the outcome. */
  const end = (operation: StackSetOperation, job: { work: () => string | undefined }) => {
    pending.delete(operation);
    const failure = job.work();
    operation.status = failure ? "FAILED" : "SUCCEEDED";
    operation.statusReason = failure;
    operation.endedAt = new Date().toISOString();
  };
  /** Ends the stack set's operations whose time is up. */
  const settle = (stackSet: StackSet) => {
    for (const operation of stackSet.operations) {
      const job = pending.get(operation);
      if (job && job.endsAt <= Date.now()) end(operation, job);
    }
  };
  const tolerance = (input: Record<string, unknown>) =>
    ((input.OperationPreferences as { FailureToleranceCount?: number } | undefined)?.FailureToleranceCount ?? 0);

  /** Runs `deploy` on each instance; the operation fails when more instances fail than it tolerates. */
  const runOnInstances = (instances: StackInstance[], operationId: string, input: Record<string, unknown>, deploy: (instance: StackInstance) => void) => {
    const failed: string[] = [];
    for (const instance of instances) {
      instance.lastOperationId = operationId;
      try {
        if (rules.failingAccounts.has(instance.account)) throw new Error(`fake: instances in ${instance.account} fail on purpose`);
        deploy(instance);
        Object.assign(instance, { status: "CURRENT", detailedStatus: "SUCCEEDED", statusReason: undefined });
      } catch (error) {
        Object.assign(instance, { status: "OUTDATED", detailedStatus: "FAILED", statusReason: (error as Error).message });
        failed.push(`${instance.account}: ${(error as Error).message}`);
      }
    }
    return failed.length > tolerance(input) ? `${failed.length} stack instances failed: ${failed.join("; ")}` : undefined;
  };

  const templateOf = (body: string) => JSON.parse(body) as Template;
  /** The member's stack behind an instance, made on first deployment. */
  const stackOf = (stackSet: StackSet, instance: StackInstance): Stack => {
    const stacks = rules.accountOf(instance.account).stacks;
    stacks[instance.stackId] ??= {
      id: instance.stackId,
      name: instance.stackId.split("/")[1],
      status: "CREATE_COMPLETE",
      parameters: [],
      resources: {},
      stackSetId: stackSet.id,
      createdAt: new Date().toISOString(),
    };
    return stacks[instance.stackId];
  };

  const deployTemplate = (stackSet: StackSet, instance: StackInstance) => {
    const template = templateOf(stackSet.templateBody);
    const caller: Caller = { accountId: instance.account, arn: `arn:aws:sts::${instance.account}:assumed-role/AWSServiceRoleForCloudFormationStackSetsOrgMember/stackset`, userId: "stackset" };
    const stack = stackOf(stackSet, instance);
    const existed = Object.keys(stack.resources).length > 0;
    const physical = stack.resources;
    const parameters = Object.fromEntries(
      Object.entries(template.Parameters ?? {}).map(([name, spec]) => {
        const override = (stackSet.parameters as { ParameterKey: string; ParameterValue: string }[]).find((p) => p.ParameterKey === name);
        return [name, override?.ParameterValue ?? spec.Default];
      }),
    );
    const resolve = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(resolve);
      if (value && typeof value === "object") {
        const record = value as Record<string, unknown>;
        const pseudo: Record<string, string> = { "AWS::AccountId": instance.account, "AWS::Partition": "aws", "AWS::Region": instance.region };
        if ("Ref" in record) {
          const name = record.Ref as string;
          if (name in pseudo) return pseudo[name];
          if (name in parameters) return parameters[name];
          return physical[name];
        }
        if (Array.isArray(record["Fn::Join"])) {
          const [separator, parts] = record["Fn::Join"] as [string, unknown[]];
          return (resolve(parts) as unknown[]).map(String).join(separator);
        }
        // Fn::Sub of a string: ${Name} is a pseudo parameter, a parameter or a resource's physical ID.
        if (typeof record["Fn::Sub"] === "string") {
          return (record["Fn::Sub"] as string).replace(/\$\{([\w:]+)\}/g, (_all, name: string) => String(pseudo[name] ?? parameters[name] ?? physical[name]));
        }
        const intrinsic = Object.keys(record).find((key) => key.startsWith("Fn::"));
        if (intrinsic) {
          rules.unimplemented(`CloudFormation ${intrinsic}`);
          throw new Error(`fake: ${intrinsic} is not supported`);
        }
        return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, resolve(item)]));
      }
      return value;
    };
    const call = (action: string, input: Record<string, unknown>) => rules.iam[action](input, caller);
    // Policies before roles: a role lists the policies it attaches.
    const order = Object.entries(template.Resources).sort(([, a], [, b]) => rank(a.Type) - rank(b.Type));
    for (const [logicalId, resource] of order) {
      const props = resolve(resource.Properties) as Record<string, any>;
      if (resource.Type === "AWS::IAM::ManagedPolicy") {
        const document = JSON.stringify(props.PolicyDocument);
        if (physical[logicalId]) {
          const versions = (call("ListPolicyVersions", { PolicyArn: physical[logicalId] }).Versions as { VersionId: string; IsDefaultVersion: boolean }[]);
          if (versions.length >= 5) call("DeletePolicyVersion", { PolicyArn: physical[logicalId], VersionId: versions.filter((v) => !v.IsDefaultVersion).pop()!.VersionId });
          call("CreatePolicyVersion", { PolicyArn: physical[logicalId], PolicyDocument: document, SetAsDefault: true });
        } else {
          const created = call("CreatePolicy", { PolicyName: props.ManagedPolicyName, Path: props.Path, Description: props.Description, PolicyDocument: document });
          physical[logicalId] = (created.Policy as { Arn: string }).Arn;
        }
      } else if (resource.Type === "AWS::IAM::Role") {
        const trust = JSON.stringify(props.AssumeRolePolicyDocument);
        const wanted: string[] = props.ManagedPolicyArns ?? [];
        if (physical[logicalId]) {
          call("UpdateAssumeRolePolicy", { RoleName: physical[logicalId], PolicyDocument: trust });
          call("UpdateRole", { RoleName: physical[logicalId], Description: props.Description, MaxSessionDuration: props.MaxSessionDuration });
          if (props.Tags) call("TagRole", { RoleName: physical[logicalId], Tags: props.Tags });
        } else {
          call("CreateRole", {
            RoleName: props.RoleName,
            Path: props.Path,
            Description: props.Description,
            AssumeRolePolicyDocument: trust,
            MaxSessionDuration: props.MaxSessionDuration,
            PermissionsBoundary: props.PermissionsBoundary,
            Tags: props.Tags,
          });
          physical[logicalId] = props.RoleName;
        }
        for (const inline of (props.Policies ?? []) as { PolicyName: string; PolicyDocument: unknown }[]) {
          call("PutRolePolicy", { RoleName: physical[logicalId], PolicyName: inline.PolicyName, PolicyDocument: JSON.stringify(inline.PolicyDocument) });
        }
        const attached = rules.accountOf(instance.account).roles[physical[logicalId]].attachedPolicies;
        for (const arn of wanted) if (!attached.includes(arn)) call("AttachRolePolicy", { RoleName: physical[logicalId], PolicyArn: arn });
      } else {
        rules.unimplemented(`CloudFormation resource type ${resource.Type}`);
        throw new Error(`fake: resource type ${resource.Type} is not supported`);
      }
    }
    stack.templateBody = stackSet.templateBody;
    stack.status = existed ? "UPDATE_COMPLETE" : "CREATE_COMPLETE";
  };

  /** Deletes an instance's stack and, unless their DeletionPolicy is Retain, its resources. */
  const deleteStack = (instance: StackInstance) => {
    const stacks = rules.accountOf(instance.account).stacks;
    const stack = stacks[instance.stackId];
    if (!stack) return;
    const physical = stack.resources;
    const caller: Caller = { accountId: instance.account, arn: "stackset", userId: "stackset" };
    const call = (action: string, input: Record<string, unknown>) => rules.iam[action](input, caller);
    const template = templateOf(stack.templateBody ?? "{\"Resources\":{}}");
    // Roles before policies: the reverse of creation.
    const order = Object.entries(template.Resources).sort(([, a], [, b]) => rank(b.Type) - rank(a.Type));
    for (const [logicalId, resource] of order) {
      const id = physical[logicalId];
      if (!id || resource.DeletionPolicy === "Retain") continue;
      if (resource.Type === "AWS::IAM::Role") {
        for (const arn of [...rules.accountOf(instance.account).roles[id]?.attachedPolicies ?? []]) call("DetachRolePolicy", { RoleName: id, PolicyArn: arn });
        call("DeleteRole", { RoleName: id });
      } else if (resource.Type === "AWS::IAM::ManagedPolicy") {
        for (const version of call("ListPolicyVersions", { PolicyArn: id }).Versions as { VersionId: string; IsDefaultVersion: boolean }[]) {
          if (!version.IsDefaultVersion) call("DeletePolicyVersion", { PolicyArn: id, VersionId: version.VersionId });
        }
        call("DeletePolicy", { PolicyArn: id });
      }
    }
    delete stacks[instance.stackId];
  };

  /** Resource import, as CloudFormation checks it: only what the fake's templates hold. */
  const importChecks = (caller: Caller, template: Template & { Outputs?: unknown }, toImport: ResourceToImport[]) => {
    const account = rules.accountOf(caller.accountId);
    const problems: string[] = [];
    if (template.Outputs !== undefined) problems.push("As part of the import operation, you cannot modify or add [Outputs]");
    const listed = new Map(toImport.map((resource) => [resource.LogicalResourceId, resource]));
    const notListed = Object.keys(template.Resources).filter((logicalId) => !listed.has(logicalId));
    if (notListed.length > 0) problems.push(`As part of the import operation, you cannot modify or add [${notListed.join(", ")}]`);
    const imports: ChangeSet["imports"] = {};
    for (const resource of toImport) {
      const declared = template.Resources[resource.LogicalResourceId];
      if (!declared) {
        problems.push(`Resource ${resource.LogicalResourceId} to import is not in the template`);
        continue;
      }
      if (declared.Type !== resource.ResourceType) problems.push(`Resource ${resource.LogicalResourceId} is of type ${declared.Type}, not ${resource.ResourceType}`);
      if (!declared.DeletionPolicy) problems.push(`The following resources to import [${resource.LogicalResourceId}] must have DeletionPolicy attribute specified in the template.`);
      const identifier = resource.ResourceIdentifier ?? {};
      let physicalId: string | undefined;
      if (declared.Type === "AWS::IAM::Role") {
        physicalId = identifier.RoleName;
        if (declared.Properties.RoleName !== physicalId) problems.push(`${resource.LogicalResourceId}: the template's RoleName ${String(declared.Properties.RoleName)} is not the identifier ${physicalId}`);
        if (!physicalId || !account.roles[physicalId]) problems.push(`Resources [${resource.LogicalResourceId}] to import do not exist: role ${physicalId}`);
      } else if (declared.Type === "AWS::IAM::ManagedPolicy") {
        physicalId = identifier.PolicyArn;
        if (!physicalId || !account.policies[physicalId]) problems.push(`Resources [${resource.LogicalResourceId}] to import do not exist: policy ${physicalId}`);
      } else {
        rules.unimplemented(`CloudFormation import of ${declared.Type}`);
        problems.push(`fake: import of ${declared.Type} is not supported`);
      }
      const owner = Object.values(account.stacks).find((stack) => physicalId && Object.values(stack.resources).includes(physicalId));
      if (owner) problems.push(`${physicalId} already exists in stack ${owner.id}`);
      if (physicalId) imports[resource.LogicalResourceId] = { type: declared.Type, physicalId };
    }
    if (problems.length > 0) throw new AwsError("ValidationError", problems.join("; "));
    return imports;
  };
  const stackNamed = (caller: Caller, nameOrId: string): Stack => {
    const stack = Object.values(rules.accountOf(caller.accountId).stacks).find((candidate) => candidate.name === nameOrId || candidate.id === nameOrId);
    if (!stack) throw new AwsError("ValidationError", `Stack with id ${nameOrId} does not exist`);
    return stack;
  };
  const changeSetNamed = (caller: Caller, nameOrId: string, stackName?: string): ChangeSet => {
    const changeSet = Object.values(rules.accountOf(caller.accountId).changeSets).find(
      (candidate) => candidate.id === nameOrId || (candidate.name === nameOrId && stackName !== undefined && stackNamed(caller, stackName).id === candidate.stackId),
    );
    if (!changeSet) throw new AwsError("ChangeSetNotFound", `ChangeSet [${nameOrId}] does not exist`);
    return changeSet;
  };

  const { organization } = rules;
  const ouOf = (account: string) =>
    Object.entries(organization.organizationalUnits).find(([ou, members]) => !ou.startsWith("r-") && members.includes(account))?.[0];
  const targetAccounts = (targets: Targets | undefined): { account: string; ou?: string }[] => {
    const fromOus = new Map<string, string>();
    for (const ou of targets?.OrganizationalUnitIds ?? []) {
      const members = organization.organizationalUnits[ou];
      if (!members) throw new AwsError("ValidationError", `OrganizationalUnitId ${ou} does not exist in this Organization`);
      for (const account of members) fromOus.set(account, ou);
    }
    const listed = targets?.Accounts ?? [];
    let accounts: string[];
    switch (targets?.OrganizationalUnitIds ? (targets.AccountFilterType ?? "NONE") : "ACCOUNTS") {
      case "ACCOUNTS":
        accounts = listed;
        break;
      case "INTERSECTION":
        accounts = [...fromOus.keys()].filter((account) => listed.includes(account));
        break;
      case "DIFFERENCE":
        accounts = [...fromOus.keys()].filter((account) => !listed.includes(account));
        break;
      case "UNION":
        accounts = [...new Set([...fromOus.keys(), ...listed])];
        break;
      default:
        accounts = [...fromOus.keys()];
    }
    // Service-managed stack sets never deploy to the management account.
    return accounts.filter((account) => account !== organization.managementAccountId).map((account) => ({ account, ou: fromOus.get(account) ?? ouOf(account) }));
  };

  const instanceSummary = (stackSet: StackSet, instance: StackInstance) => ({
    StackSetId: stackSet.id,
    Region: instance.region,
    Account: instance.account,
    StackId: instance.stackId,
    Status: instance.status,
    StatusReason: instance.statusReason,
    StackInstanceStatus: { DetailedStatus: instance.detailedStatus },
    OrganizationalUnitId: instance.organizationalUnitId,
    DriftStatus: "NOT_CHECKED",
    LastOperationId: instance.lastOperationId,
  });
  const stackSetOut = (stackSet: StackSet) => ({
    StackSetName: stackSet.name,
    StackSetId: stackSet.id,
    Description: stackSet.description,
    Status: "ACTIVE",
    TemplateBody: stackSet.templateBody,
    Parameters: stackSet.parameters,
    Capabilities: stackSet.capabilities,
    Tags: stackSet.tags,
    StackSetARN: stackSet.arn,
    AutoDeployment: stackSet.autoDeployment,
    PermissionModel: stackSet.permissionModel,
    OrganizationalUnitIds: stackSet.organizationalUnitIds,
    ManagedExecution: stackSet.managedExecution ?? { Active: false },
    StackSetDriftDetectionDetails: { DriftStatus: "NOT_CHECKED" },
    Regions: [...new Set(stackSet.instances.map((instance) => instance.region))],
  });

  /** Ends every operation whose time is up, in the order they began. */
  const settleAll = () => {
    for (const [operation, job] of [...pending]) if (job.endsAt <= Date.now()) end(operation, job);
  };
  /** Ends every operation now, its time up or not: a state saved to disk holds no half-run operation. */
  const finishAll = () => {
    for (const [operation, job] of [...pending]) end(operation, job);
  };

  const handlers: Record<string, Handler> = {
    CreateStackSet(input: any, caller) {
      const account = rules.accountOf(caller.accountId);
      if (account.stackSets[input.StackSetName]) throw new AwsError("NameAlreadyExistsException", `StackSet ${input.StackSetName} already exists`);
      if (!(input.Capabilities ?? []).includes("CAPABILITY_NAMED_IAM") && /"RoleName"/.test(input.TemplateBody ?? "")) {
        throw new AwsError("InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_NAMED_IAM]");
      }
      JSON.parse(input.TemplateBody);
      const id = `${input.StackSetName}:${crypto.randomUUID()}`;
      account.stackSets[input.StackSetName] = {
        name: input.StackSetName,
        id,
        arn: `arn:aws:cloudformation:us-east-1:${caller.accountId}:stackset/${id}`,
        description: input.Description,
        templateBody: input.TemplateBody,
        capabilities: input.Capabilities ?? [],
        parameters: input.Parameters ?? [],
        tags: input.Tags ?? [],
        permissionModel: input.PermissionModel ?? "SELF_MANAGED",
        autoDeployment: input.AutoDeployment,
        managedExecution: input.ManagedExecution,
        organizationalUnitIds: [],
        instances: [],
        operations: [],
      };
      return { StackSetId: id };
    },
    DescribeStackSet: (input: any, caller) => ({ StackSet: stackSetOut(stackSetOf(caller, input.StackSetName)) }),
    UpdateStackSet(input: any, caller) {
      const stackSet = mutable(caller, input.StackSetName);
      if (input.TemplateBody !== undefined) JSON.parse(input.TemplateBody);
      return begin(stackSet, "UPDATE", input, () => {
        for (const key of ["description", "templateBody", "capabilities", "parameters", "tags", "autoDeployment", "managedExecution"] as const) {
          const value = input[key[0].toUpperCase() + key.slice(1)];
          if (value !== undefined) (stackSet as any)[key] = value;
        }
        return runOnInstances(stackSet.instances, stackSet.operations.at(-1)!.id, input, (instance) => deployTemplate(stackSet, instance));
      });
    },
    DeleteStackSet(input: any, caller) {
      const stackSet = mutable(caller, input.StackSetName);
      if (stackSet.instances.length > 0) throw new AwsError("StackSetNotEmptyException", "StackSet is not empty");
      delete rules.accountOf(caller.accountId).stackSets[stackSet.name];
      return {};
    },
    CreateStackInstances(input: any, caller) {
      const stackSet = mutable(caller, input.StackSetName);
      const regions: string[] = input.Regions ?? [];
      const targets = input.Accounts ? { Accounts: input.Accounts } : input.DeploymentTargets;
      const wanted = targetAccounts(targets);
      const result = begin(stackSet, "CREATE", input, () => {
        const created: StackInstance[] = [];
        for (const { account, ou } of wanted) {
          for (const region of regions) {
            if (stackSet.instances.some((instance) => instance.account === account && instance.region === region)) continue;
            const instance: StackInstance = {
              account,
              region,
              organizationalUnitId: ou,
              stackId: `arn:aws:cloudformation:${region}:${account}:stack/StackSet-${stackSet.name}-${crypto.randomUUID()}/${crypto.randomUUID()}`,
              status: "OUTDATED",
              detailedStatus: "PENDING",
              lastOperationId: result.OperationId,
            };
            stackSet.instances.push(instance);
            created.push(instance);
          }
        }
        return runOnInstances(created, result.OperationId, input, (instance) => deployTemplate(stackSet, instance));
      });
      for (const ou of targets?.OrganizationalUnitIds ?? []) if (!stackSet.organizationalUnitIds.includes(ou)) stackSet.organizationalUnitIds.push(ou);
      return result;
    },
    UpdateStackInstances(input: any, caller) {
      const stackSet = mutable(caller, input.StackSetName);
      const accounts = new Set(targetAccounts(input.Accounts ? { Accounts: input.Accounts } : input.DeploymentTargets).map((target) => target.account));
      const result = begin(stackSet, "UPDATE", input, () =>
        runOnInstances(
          stackSet.instances.filter((instance) => accounts.has(instance.account) && (input.Regions ?? []).includes(instance.region)),
          result.OperationId,
          input,
          (instance) => deployTemplate(stackSet, instance),
        ),
      );
      return result;
    },
    DeleteStackInstances(input: any, caller) {
      const stackSet = mutable(caller, input.StackSetName);
      const targets = input.Accounts ? { Accounts: input.Accounts } : input.DeploymentTargets;
      const accounts = new Set(targetAccounts(targets).map((target) => target.account));
      const regions: string[] = input.Regions ?? [];
      const result = begin(stackSet, "DELETE", input, () => {
        const leaving = stackSet.instances.filter((instance) => accounts.has(instance.account) && regions.includes(instance.region));
        const failure = runOnInstances(leaving, result.OperationId, input, (instance) => {
          if (!input.RetainStacks) return deleteStack(instance);
          // A retained stack stays in its account, with its resources, no longer in any stack set.
          const stack = rules.accountOf(instance.account).stacks[instance.stackId];
          if (stack) stack.stackSetId = undefined;
        });
        stackSet.instances = stackSet.instances.filter((instance) => !leaving.includes(instance) || instance.detailedStatus === "FAILED");
        stackSet.organizationalUnitIds = stackSet.organizationalUnitIds.filter((ou) => !(targets?.OrganizationalUnitIds ?? []).includes(ou));
        return failure;
      });
      return result;
    },
    DescribeStackInstance(input: any, caller) {
      const stackSet = stackSetOf(caller, input.StackSetName);
      const instance = stackSet.instances.find((candidate) => candidate.account === input.StackInstanceAccount && candidate.region === input.StackInstanceRegion);
      if (!instance) throw new AwsError("StackInstanceNotFoundException", `Stack instance ${input.StackInstanceAccount}/${input.StackInstanceRegion} not found`);
      return { StackInstance: { ...instanceSummary(stackSet, instance), ParameterOverrides: [] } };
    },
    ListStackInstances(input: any, caller) {
      const stackSet = stackSetOf(caller, input.StackSetName);
      const filters: { Name: string; Values: string }[] = input.Filters ?? [];
      const summaries = stackSet.instances
        .filter((instance) => !input.StackInstanceAccount || instance.account === input.StackInstanceAccount)
        .filter((instance) => !input.StackInstanceRegion || instance.region === input.StackInstanceRegion)
        .filter((instance) =>
          filters.every((filter) =>
            filter.Name === "DETAILED_STATUS" ? instance.detailedStatus === filter.Values : filter.Name === "LAST_OPERATION_ID" ? instance.lastOperationId === filter.Values : true,
          ),
        )
        .map((instance) => instanceSummary(stackSet, instance));
      return { Summaries: summaries };
    },
    /** Only IMPORT into a new stack: how a role made elsewhere comes under CloudFormation. */
    CreateChangeSet(input: any, caller) {
      if (input.ChangeSetType !== "IMPORT") {
        rules.unimplemented(`CreateChangeSet of type ${input.ChangeSetType ?? "UPDATE"}`);
        throw new AwsError("ValidationError", `fake: change sets of type ${input.ChangeSetType ?? "UPDATE"} are not supported`);
      }
      const account = rules.accountOf(caller.accountId);
      if (Object.values(account.stacks).some((stack) => stack.name === input.StackName)) {
        rules.unimplemented("an IMPORT change set into an existing stack");
        throw new AwsError("ValidationError", `fake: importing into the existing stack ${input.StackName} is not supported`);
      }
      const template = templateOf(input.TemplateBody ?? "");
      if (!(input.Capabilities ?? []).includes("CAPABILITY_NAMED_IAM") && /"RoleName"/.test(input.TemplateBody)) {
        throw new AwsError("InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_NAMED_IAM]");
      }
      const imports = importChecks(caller, template, input.ResourcesToImport ?? []);
      const stackId = `arn:aws:cloudformation:us-east-1:${caller.accountId}:stack/${input.StackName}/${crypto.randomUUID()}`;
      account.stacks[stackId] = { id: stackId, name: input.StackName, status: "REVIEW_IN_PROGRESS", parameters: [], resources: {}, createdAt: new Date().toISOString() };
      const id = `arn:aws:cloudformation:us-east-1:${caller.accountId}:changeSet/${input.ChangeSetName}/${crypto.randomUUID()}`;
      account.changeSets[id] = {
        id,
        name: input.ChangeSetName,
        stackId,
        type: "IMPORT",
        status: "CREATE_COMPLETE",
        executionStatus: "AVAILABLE",
        templateBody: input.TemplateBody,
        parameters: input.Parameters ?? [],
        imports,
      };
      return { Id: id, StackId: stackId };
    },
    DescribeChangeSet(input: any, caller) {
      const changeSet = changeSetNamed(caller, input.ChangeSetName, input.StackName);
      const stack = rules.accountOf(caller.accountId).stacks[changeSet.stackId];
      return {
        ChangeSetName: changeSet.name,
        ChangeSetId: changeSet.id,
        StackId: stack.id,
        StackName: stack.name,
        Status: changeSet.status,
        ExecutionStatus: changeSet.executionStatus,
        Parameters: changeSet.parameters,
        Changes: Object.entries(changeSet.imports).map(([logicalId, resource]) => ({
          Type: "Resource",
          ResourceChange: { Action: "Import", LogicalResourceId: logicalId, PhysicalResourceId: resource.physicalId, ResourceType: resource.type },
        })),
      };
    },
    /** An import changes no resource: the stack only takes them over. */
    ExecuteChangeSet(input: any, caller) {
      const changeSet = changeSetNamed(caller, input.ChangeSetName, input.StackName);
      if (changeSet.executionStatus !== "AVAILABLE") throw new AwsError("InvalidChangeSetStatus", `ChangeSet [${changeSet.id}] cannot be executed in its current status of [${changeSet.executionStatus}]`);
      const stack = rules.accountOf(caller.accountId).stacks[changeSet.stackId];
      for (const [logicalId, resource] of Object.entries(changeSet.imports)) stack.resources[logicalId] = resource.physicalId;
      stack.templateBody = changeSet.templateBody;
      stack.parameters = changeSet.parameters;
      stack.status = "IMPORT_COMPLETE";
      changeSet.executionStatus = "EXECUTE_COMPLETE";
      return {};
    },
    DescribeStacks(input: any, caller) {
      const stacks = input.StackName ? [stackNamed(caller, input.StackName)] : Object.values(rules.accountOf(caller.accountId).stacks);
      return {
        Stacks: stacks.map((stack) => ({ StackId: stack.id, StackName: stack.name, StackStatus: stack.status, CreationTime: stack.createdAt, Parameters: stack.parameters })),
      };
    },
    /** Existing stacks of member accounts become instances of a service-managed stack set, resources untouched. */
    ImportStacksToStackSet(input: any, caller) {
      const stackSet = mutable(caller, input.StackSetName);
      const stackIds: string[] = input.StackIds ?? [];
      if (input.StackIdsUrl) rules.unimplemented("ImportStacksToStackSet with StackIdsUrl");
      if (stackIds.length === 0 || stackIds.length > 10) throw new AwsError("LimitExceededException", `import 1 to 10 stacks at a time, got ${stackIds.length}`);
      const ous: string[] = input.OrganizationalUnitIds ?? [];
      const targets = targetAccounts({ OrganizationalUnitIds: ous });
      const imported = stackIds.map((stackId) => {
        const [, , , region, account] = stackId.split(":");
        const stack = rules.accountOf(account ?? "").stacks[stackId];
        if (!stack || stack.status === "REVIEW_IN_PROGRESS") throw new AwsError("StackNotFoundException", `Stack ${stackId} not found`);
        if (stack.stackSetId) throw new AwsError("InvalidOperationException", `Stack ${stackId} already belongs to a stack set`);
        const target = targets.find((candidate) => candidate.account === account);
        if (stackSet.permissionModel === "SERVICE_MANAGED" && !target) {
          throw new AwsError("InvalidOperationException", `Account ${account} is not in the organizational units ${ous.join(", ") || "(none given)"}`);
        }
        if (stackSet.instances.some((instance) => instance.account === account && instance.region === region)) {
          throw new AwsError("InvalidOperationException", `StackSet ${stackSet.name} already has an instance in ${account}/${region}`);
        }
        return { stack, account, region, ou: target?.ou };
      });
      const result = begin(stackSet, "CREATE", input, () => {
        for (const { stack, account, region, ou } of imported) {
          stack.stackSetId = stackSet.id;
          stackSet.instances.push({ account, region, organizationalUnitId: ou, stackId: stack.id, status: "CURRENT", detailedStatus: "SUCCEEDED", lastOperationId: result.OperationId });
        }
        return undefined;
      });
      for (const ou of ous) if (!stackSet.organizationalUnitIds.includes(ou)) stackSet.organizationalUnitIds.push(ou);
      return result;
    },
    DescribeStackSetOperation(input: any, caller) {
      const stackSet = stackSetOf(caller, input.StackSetName);
      const operation = stackSet.operations.find((candidate) => candidate.id === input.OperationId);
      if (!operation) throw new AwsError("OperationNotFoundException", `Operation ${input.OperationId} not found`);
      return {
        StackSetOperation: {
          OperationId: operation.id,
          StackSetId: stackSet.id,
          Action: operation.action,
          Status: operation.status,
          StatusReason: operation.statusReason,
          OperationPreferences: operation.input.OperationPreferences,
          RetainStacks: operation.input.RetainStacks,
          DeploymentTargets: operation.input.DeploymentTargets,
          CreationTimestamp: operation.createdAt,
          EndTimestamp: operation.endedAt,
        },
      };
    },
    ListStackSetOperationResults(input: any, caller) {
      const stackSet = stackSetOf(caller, input.StackSetName);
      return {
        Summaries: stackSet.instances
          .filter((instance) => instance.lastOperationId === input.OperationId)
          .map((instance) => ({
            Account: instance.account,
            Region: instance.region,
            Status: instance.detailedStatus === "SUCCEEDED" ? "SUCCEEDED" : instance.detailedStatus === "FAILED" ? "FAILED" : "RUNNING",
            StatusReason: instance.statusReason,
            OrganizationalUnitId: instance.organizationalUnitId,
          })),
      };
    },
  };
  // Operations whose time is up end first: what is left is really running.
  const running = () => {
    settleAll();
    return pending.size;
  };
  return { handlers, settleAll, finishAll, running };
}

function rank(type: string): number {
  return type === "AWS::IAM::ManagedPolicy" ? 0 : 1;
}
