import { getDenialReasons, isWildcardOnlyAction, runSimulation, type RequestDenial } from "@cloud-copilot/iam-simulate";
import { createValidatedPolicy, validateIdentityPolicy, validateTrustPolicy, type ValidatedPolicy } from "@cloud-copilot/iam-policy";
import { AwsError } from "./errors";
import { AccountState, Caller, Role, Tag } from "./state";

/*
 * IAM authorization of every signed request, decided by @cloud-copilot/iam-simulate as AWS would:
 * the caller's identity policies (managed and inline, of its user, or of the role behind its session),
 * its permissions boundary, and for sts:AssumeRole the target role's trust policy. No SCPs or RCPs.
 */

export const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";
export const ALLOW_EVERYTHING = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
/** AWS managed policies whose documents the fake knows; any other one attached to a caller grants nothing. */
const AWS_MANAGED: Readonly<Record<string, object>> = { [ADMINISTRATOR_ACCESS]: ALLOW_EVERYTHING };
const REGION = "us-east-1";

/** A request the fake refused with AccessDenied: what a test asserts on (`FakeAws.denials`). */
export interface Denial {
  /** `iam:CreateRole`, `sts:AssumeRole`, ... */
  readonly action: string;
  /** The caller, as the message names it (an assumed-role session's ARN). */
  readonly principal: string;
  readonly resource: string;
  /** Which policy refused: `identity`, `pb` (permissions boundary) or `resource` (a role's trust policy). */
  readonly policyType: string;
  readonly explicit: boolean;
  /** The message AWS would answer with. */
  readonly message: string;
}

export interface AuthorizerRules {
  readonly accountOf: (accountId: string) => AccountState;
  readonly organizationId: string;
  readonly inOrganization: (accountId: string) => boolean;
  /** false: identity policies and boundaries are not checked (a role's trust still is). */
  readonly enforce: boolean;
  readonly unimplemented: (what: string) => void;
}

interface Described {
  /** What the simulator evaluates against: an ARN, or `*` for actions AWS authorizes on no resource. */
  readonly resource: string;
  readonly resourceAccount: string;
  /** The resource as AWS's message writes it (`role Name`, `policy arn:...` for IAM's existing ones). */
  readonly messageResource: string;
  readonly context: Record<string, string | string[]>;
}

export class Authorizer {
  /** Parsed and validated documents by their text: a request re-reads the same few policies. */
  private readonly parsed = new Map<string, ValidatedPolicy>();
  private readonly wildcardOnly = new Map<string, boolean>();
  /**
   * Decisions by everything they depend on (action, caller, resource, context, the documents' text):
   * terraform repeats the same reads on every refresh, and the simulator's own lookups cost about a millisecond.
   */
  private readonly decisions = new Map<string, { readonly policyType?: string; readonly explicit: boolean }>();

  constructor(private readonly rules: AuthorizerRules) {}

  /** What AWS would refuse `caller` doing `action` (the Denial), or undefined when it is allowed. */
  async authorize(service: string, action: string, input: Record<string, any>, caller: Caller): Promise<Denial | undefined> {
    const identity = caller.identity;
    // The fake's own calls, and sts:GetCallerIdentity, which AWS answers whatever the policies say.
    if (!identity || (service === "sts" && action === "GetCallerIdentity")) return undefined;
    const fullAction = `${service}:${action}`;
    const account = this.rules.accountOf(caller.accountId);
    const entity = identity.kind === "role" ? account.roles[identity.name] : account.users[identity.name];
    const described = await this.describe(service, action, input, caller, account);
    const denial = (policyType: string, explicit: boolean): Denial => ({
      action: fullAction,
      principal: caller.arn,
      resource: described.resource,
      policyType,
      explicit,
      message: deniedMessage(caller.arn, fullAction, described.messageResource, policyType, explicit),
    });
    // A deleted role's sessions can do nothing.
    if (!entity) return denial("identity", false);

    let trust: ValidatedPolicy | undefined;
    if (service === "sts" && action === "AssumeRole") {
      const target = roleByArn(this.rules.accountOf(described.resourceAccount), described.resource);
      trust = target && this.policy(target.assumeRolePolicyDocument, "trust");
      if (!trust || trust.errors.length > 0) return denial("resource", false);
    }
    // A user's groups' policies are its own too.
    const groups = identity.kind === "user" ? ((entity as { groups?: string[] }).groups ?? []).flatMap((name) => (account.groups[name] ? [account.groups[name]] : [])) : [];
    const holders = [entity, ...groups];
    const documents = this.rules.enforce
      ? holders.flatMap((holder) => [...holder.attachedPolicies.map((arn) => [arn, this.managedDocument(account, arn)] as const), ...Object.entries(holder.inlinePolicies)]).filter(
          (entry): entry is readonly [string, string] => entry[1] !== undefined,
        )
      : [["enforcement-off", JSON.stringify(ALLOW_EVERYTHING)] as const];
    const boundary = this.rules.enforce ? entity.permissionsBoundary : undefined;
    const boundaryDocument = boundary && (this.managedDocument(account, boundary) ?? '{"Version":"2012-10-17","Statement":[]}');
    const key = JSON.stringify([fullAction, caller.arn, described, documents, boundaryDocument, trust?.policyDocument]);
    let decision = this.decisions.get(key);
    if (!decision) {
      decision = await this.simulate(fullAction, caller, described, documents, boundary && boundaryDocument ? [boundary, boundaryDocument] : undefined, trust);
      if (this.decisions.size >= 10_000) this.decisions.clear();
      this.decisions.set(key, decision);
    }
    return decision.policyType === undefined ? undefined : denial(decision.policyType, decision.explicit);
  }

  private async simulate(
    fullAction: string,
    caller: Caller,
    described: Described,
    documents: readonly (readonly [string, string])[],
    boundary: readonly [string, string] | undefined,
    trust: ValidatedPolicy | undefined,
  ): Promise<{ readonly policyType?: string; readonly explicit: boolean }> {
    const identityPolicies = documents
      .map(([name, document]) => ({ name, policy: this.policy(document, "identity") }))
      // IAM refuses invalid documents when they are written; one the fake's lenient check let through grants nothing.
      .filter(({ policy }) => policy.errors.length === 0);
    const result = await runSimulation(
      {
        identityPolicies,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(trust ? { resourcePolicy: trust } : {}),
        ...(boundary ? { permissionBoundaryPolicies: [{ name: boundary[0], policy: this.policy(boundary[1], "identity") }] } : {}),
        request: {
          action: fullAction,
          principal: caller.arn,
          resource: { resource: described.resource, accountId: described.resourceAccount },
          contextVariables: described.context,
        },
      },
      {},
    );
    if (result.resultType === "error") {
      this.rules.unimplemented(`authorizing ${fullAction} on ${described.resource}: ${JSON.stringify(result.errors)}`);
      throw new AwsError("InternalFailure", `fake AWS could not authorize ${fullAction}`, 500, "Receiver");
    }
    if (result.overallResult === "Allowed") return { explicit: false };
    const analyses = result.resultType === "single" ? [result.result.analysis] : result.results.map((each) => each.analysis);
    const reasons: RequestDenial[] = analyses.flatMap((analysis) => getDenialReasons(analysis));
    const reason = reasons.find((each) => each.denialType === "Explicit") ?? reasons[0];
    return { policyType: reason?.policyType ?? "identity", explicit: result.overallResult === "ExplicitlyDenied" };
  }

  private policy(document: string, kind: "identity" | "trust"): ValidatedPolicy {
    const key = `${kind}\u0000${document}`;
    let parsed = this.parsed.get(key);
    if (!parsed) {
      let json: unknown;
      try {
        json = JSON.parse(document);
      } catch {
        json = { Statement: "unparseable" };
      }
      parsed = createValidatedPolicy(json, kind === "trust" ? validateTrustPolicy : validateIdentityPolicy);
      this.parsed.set(key, parsed);
    }
    return parsed;
  }

  /** A managed policy's default version (or a known AWS managed policy), as text. */
  private managedDocument(account: AccountState, arn: string): string | undefined {
    if (arn.includes(":iam::aws:policy/")) {
      const known = AWS_MANAGED[arn];
      if (!known) this.rules.unimplemented(`the document of AWS managed policy ${arn}`);
      return known && JSON.stringify(known);
    }
    const policy = account.policies[arn];
    return policy?.versions.find((version) => version.versionId === policy.defaultVersionId)?.document;
  }

  private async describe(service: string, action: string, input: Record<string, any>, caller: Caller, account: AccountState): Promise<Described> {
    const fullAction = `${service}:${action}`;
    let wildcard = this.wildcardOnly.get(fullAction);
    if (wildcard === undefined) {
      wildcard = await isWildcardOnlyAction(service, action);
      this.wildcardOnly.set(fullAction, wildcard);
    }
    const own = caller.accountId;
    const target = wildcard ? { resource: "*", messageResource: "*", resourceAccount: own } : resourceOf(service, action, input, own, account);
    const context: Record<string, string | string[]> = {
      "aws:PrincipalArn": principalArnOf(caller, account),
      "aws:PrincipalAccount": own,
      "aws:PrincipalType": caller.identity?.kind === "role" ? "AssumedRole" : "User",
      "aws:userid": caller.userId,
      "aws:RequestedRegion": REGION,
      "aws:ResourceAccount": target.resourceAccount,
      ...(caller.identity?.kind === "user" ? { "aws:username": caller.identity.name } : {}),
      ...(this.rules.inOrganization(own) ? { "aws:PrincipalOrgID": this.rules.organizationId } : {}),
      ...(this.rules.inOrganization(target.resourceAccount) ? { "aws:ResourceOrgID": this.rules.organizationId } : {}),
      ...actionContext(service, input, account),
    };
    return { ...target, context };
  }
}

function resourceOf(service: string, action: string, input: Record<string, any>, own: string, account: AccountState) {
  const arn = (resource: string, messageResource = resource, resourceAccount = own) => ({ resource, messageResource, resourceAccount });
  if (service === "sts") return arn(input.RoleArn ?? "*", input.RoleArn ?? "*", /^arn:[^:]+:iam::(\d{12}):/.exec(input.RoleArn ?? "")?.[1] ?? own);
  if (service === "iam") {
    if (input.RoleName !== undefined) {
      const role = account.roles[input.RoleName];
      const roleArn = role?.arn ?? `arn:aws:iam::${own}:role${input.Path ?? "/"}${input.RoleName}`;
      // IAM names an existing role by its name and a new one by its ARN.
      return arn(roleArn, action === "CreateRole" ? roleArn : `role ${input.RoleName}`);
    }
    const user = userOf(input, account);
    if (user) {
      const userArn = user.arn ?? `arn:aws:iam::${own}:user${input.Path ?? "/"}${user.name}`;
      // As for roles: an existing user by its name, a new one by its ARN.
      return arn(userArn, action === "CreateUser" ? userArn : `user ${user.name}`);
    }
    if (input.PolicyArn !== undefined) return arn(input.PolicyArn, `policy ${input.PolicyArn}`);
    if (action === "CreatePolicy") return arn(`arn:aws:iam::${own}:policy${input.Path ?? "/"}${input.PolicyName}`);
    if (input.OpenIDConnectProviderArn !== undefined) return arn(input.OpenIDConnectProviderArn);
    if (action === "CreateOpenIDConnectProvider") return arn(`arn:aws:iam::${own}:oidc-provider/${String(input.Url ?? "").replace(/^https:\/\//, "")}`);
  }
  if (service === "cloudformation") {
    const prefix = `arn:aws:cloudformation:${REGION}:${own}`;
    if (input.StackSetName !== undefined) {
      const name = String(input.StackSetName).split(":")[0];
      const id = Object.values(account.stackSets).find((stackSet) => stackSet.name === name)?.id;
      return arn(`${prefix}:stackset/${id ?? `${name}:*`}`);
    }
    const changeSet = input.ChangeSetName && Object.values(account.changeSets).find((each) => each.id === input.ChangeSetName);
    const stackName: string | undefined = input.StackName ?? (changeSet ? changeSet.stackId : undefined);
    if (stackName === undefined) return arn(`${prefix}:stack/*/*`);
    if (stackName.startsWith("arn:")) return arn(stackName);
    const stack = Object.values(account.stacks).find((each) => each.name === stackName);
    return arn(stack?.id ?? `${prefix}:stack/${stackName}/*`);
  }
  return arn("*");
}

/** The user an IAM request acts on: named by UserName, or the owner of the AccessKeyId (GetAccessKeyLastUsed). */
function userOf(input: Record<string, any>, account: AccountState): { readonly name: string; readonly arn?: string } | undefined {
  if (input.UserName !== undefined) return { name: input.UserName, arn: account.users[input.UserName]?.arn };
  if (input.AccessKeyId === undefined) return undefined;
  const owner = Object.values(account.users).find((candidate) => candidate.accessKeys.some((key) => key.id === input.AccessKeyId));
  return owner && { name: owner.name, arn: owner.arn };
}

/** The service-specific condition keys a request carries (the simulator drops those its action does not have). */
function actionContext(service: string, input: Record<string, any>, account: AccountState): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  if (service === "sts") {
    if (input.ExternalId !== undefined) context["sts:ExternalId"] = input.ExternalId;
    if (input.RoleSessionName !== undefined) context["sts:RoleSessionName"] = input.RoleSessionName;
    return context;
  }
  if (service !== "iam") return context;
  if (input.PolicyArn !== undefined && (input.RoleName !== undefined || input.UserName !== undefined)) context["iam:PolicyARN"] = input.PolicyArn;
  const role: Role | undefined = input.RoleName !== undefined ? account.roles[input.RoleName] : undefined;
  const boundary = input.PermissionsBoundary ?? role?.permissionsBoundary;
  if (boundary !== undefined) context["iam:PermissionsBoundary"] = boundary;
  const requestTags: Tag[] = input.Tags ?? [];
  for (const tag of requestTags) context[`aws:RequestTag/${tag.Key}`] = tag.Value ?? "";
  const tagKeys = input.TagKeys ?? requestTags.map((tag) => tag.Key);
  if (tagKeys.length > 0) context["aws:TagKeys"] = tagKeys;
  const existingTags = role?.tags ?? (input.PolicyArn !== undefined ? account.policies[input.PolicyArn]?.tags : undefined) ?? [];
  for (const tag of existingTags) {
    context[`aws:ResourceTag/${tag.Key}`] = tag.Value;
    context[`iam:ResourceTag/${tag.Key}`] = tag.Value;
  }
  return context;
}

/** aws:PrincipalArn names the role behind a session, not the session. */
function principalArnOf(caller: Caller, account: AccountState): string {
  if (caller.identity?.kind !== "role") return caller.arn;
  return account.roles[caller.identity.name]?.arn ?? `arn:aws:iam::${caller.accountId}:role/${caller.identity.name}`;
}

function roleByArn(account: AccountState, arn: string): Role | undefined {
  const name = arn.split("/").pop() ?? "";
  const role = account.roles[name];
  return role && role.arn === arn ? role : undefined;
}

/**
 * AWS's wording: "User: <caller> is not authorized to perform: <action> on resource: <resource> because no
 * identity-based policy allows the <action> action" (or "with an explicit deny in ..."). For a role's trust
 * policy, STS names no reason.
 */
export function deniedMessage(principal: string, action: string, resource: string, policyType: string, explicit: boolean): string {
  const onResource = resource === "*" ? "" : ` on resource: ${resource}`;
  const kinds: Record<string, [string, string]> = {
    identity: ["an identity-based policy", "identity-based policy"],
    pb: ["a permissions boundary", "permissions boundary"],
    resource: ["a resource-based policy", "resource-based policy"],
  };
  const [withArticle, bare] = kinds[policyType] ?? kinds.identity;
  const why =
    action === "sts:AssumeRole" && policyType === "resource"
      ? ""
      : explicit
        ? ` with an explicit deny in ${withArticle}`
        : ` because no ${bare} allows the ${action} action`;
  return `User: ${principal} is not authorized to perform: ${action}${onResource}${why}`;
}
