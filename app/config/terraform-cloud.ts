import { z } from "zod";
import { ROLE_NAME_RULE, sameIamName } from "./iam-names";
import { tagMap } from "./tags";

/*
 * The `terraformCloud` block: one bootstrap stack (trelica-terraform-cloud) that creates every account's
 * workspace and the keyless AWS credentials their runs use. Kept apart from schema.ts, which only hooks
 * it in. As there, each `error` text says what is allowed; the loader adds the field path and the value.
 */

// schema.ts's ACCOUNT_ID_PLACEHOLDER, spelled out: schema.ts imports this file, so importing it back would read it before it is set.
const ACCOUNT_ID_PLACEHOLDER = "{accountId}";

export const DEFAULT_TERRAFORM_CLOUD_HOSTNAME = "app.terraform.io";
export const DEFAULT_RUN_ROLE_NAME = "TrelicaTerraformCloudRun";
export const DEFAULT_VCS_WORKING_DIRECTORY = `cdktf.out/stacks/trelica-${ACCOUNT_ID_PLACEHOLDER}`;

const nonEmpty = (what: string) => z.string({ error: what }).min(1, { error: what });

// Terraform Cloud: names of organizations and projects are letters, digits, `_` and `-` (projects also
// allow spaces); a `:` would break the `sub` claim the run role matches on.
const ORGANIZATION_NAME = { pattern: /^[A-Za-z0-9_-]+$/, allowed: "a Terraform Cloud organization name (letters, digits, _ and -)" };
const PROJECT_NAME = { pattern: /^[A-Za-z0-9_-][A-Za-z0-9 _-]{1,38}[A-Za-z0-9_-]$/, allowed: "a Terraform Cloud project name (3 to 40 letters, digits, inner spaces, _ and -)" };
const HOSTNAME = { pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, allowed: "a host name such as app.terraform.io or tfe.example.com (no https://, no path)" };
const AGENT_POOL_ID = { pattern: /^apool-[A-Za-z0-9]+$/, allowed: "an agent pool ID such as apool-AbCd1234" };
const OAUTH_TOKEN_ID = { pattern: /^ot-[A-Za-z0-9]+$/, allowed: "an OAuth token ID such as ot-AbCd1234 (Organization settings > Providers)" };
const GITHUB_APP_INSTALLATION_ID = { pattern: /^ghain-[A-Za-z0-9]+$/, allowed: "a GitHub App installation ID such as ghain-AbCd1234" };
const AWS_ORGANIZATION_ID = { pattern: /^o-[a-z0-9]{10,32}$/, allowed: "an AWS Organization ID such as o-a1b2c3d4e5 (aws organizations describe-organization --query Organization.Id)" };
// A version ("1.9.8"), "latest", or constraints ("~> 1.9.0", ">= 1.6.0, < 2.0.0"), as Terraform Cloud accepts them.
const TERRAFORM_VERSION = {
  pattern: /^(latest|\s*(=|!=|>=|<=|>|<|~>)?\s*\d+(\.\d+){0,2}(-[0-9A-Za-z.]+)?\s*(,\s*(=|!=|>=|<=|>|<|~>)?\s*\d+(\.\d+){0,2}(-[0-9A-Za-z.]+)?\s*)*)$/,
  allowed: 'a Terraform version or constraint such as "1.9.8", "~> 1.9.0" or "latest"',
};

const matching = (rule: { pattern: RegExp; allowed: string }) => z.string({ error: rule.allowed }).regex(rule.pattern, { error: rule.allowed });

const workspaceTags = tagMap("tag keys");

const workspaceSettings = z.strictObject({
  /** remote: runs on Terraform Cloud's workers; agent: on your own agents (agentPoolId). */
  executionMode: z.enum(["remote", "agent"], { error: "remote or agent" }).default("remote"),
  agentPoolId: matching(AGENT_POOL_ID).optional(),
  /** Off: every plan waits for a human to confirm, as rollout's reviewed plans do. */
  autoApply: z.boolean({ error: "true or false" }).default(false),
  terraformVersion: matching(TERRAFORM_VERSION).optional(),
  tags: workspaceTags.optional(),
});

const vcs = z.strictObject({
  /** The repository, as `<owner>/<repo>` (GitHub, GitLab) or `<project>/<repo>` (Bitbucket, Azure DevOps). */
  identifier: z
    .string({ error: "a repository identifier such as acme/identity" })
    .regex(/^[^/\s]+(\/[^/\s]+)+$/, { error: "a repository identifier such as acme/identity" }),
  /** @default the repository's default branch */
  branch: nonEmpty("a branch name").optional(),
  oauthTokenId: matching(OAUTH_TOKEN_ID).optional(),
  githubAppInstallationId: matching(GITHUB_APP_INSTALLATION_ID).optional(),
  workingDirectory: z
    .string({ error: `a folder in the repository containing ${ACCOUNT_ID_PLACEHOLDER}` })
    .refine((folder) => folder.includes(ACCOUNT_ID_PLACEHOLDER) && !folder.startsWith("/"), {
      error: `a folder relative to the repository's root containing ${ACCOUNT_ID_PLACEHOLDER}, so each workspace runs its own account's stack`,
    })
    .default(DEFAULT_VCS_WORKING_DIRECTORY),
  /** @default ["/<workingDirectory>/**"+"/*"]: a push runs only the workspaces whose stack changed. */
  triggerPatterns: z.array(nonEmpty("a glob pattern such as /cdktf.out/stacks/trelica-{accountId}/**/*"), { error: "a list of glob patterns" }).min(1, { error: "at least one pattern" }).optional(),
});

export const terraformCloudSchema = z.strictObject({
  /** @default backend.organization */
  organization: matching(ORGANIZATION_NAME).optional(),
  /** @default backend.hostname, else app.terraform.io */
  hostname: matching(HOSTNAME).optional(),
  project: matching(PROJECT_NAME),
  /** false: the project must exist (a data source reads it); true: the bootstrap stack creates and owns it. */
  createProject: z.boolean({ error: "true or false" }).default(false),
  workspace: workspaceSettings.default({ executionMode: "remote", autoApply: false }),
  vcs: vcs.optional(),
  /** The role Terraform Cloud's runs assume (OIDC) in the management account. */
  runRoleName: matching(ROLE_NAME_RULE).default(DEFAULT_RUN_ROLE_NAME),
  /**
   * Restricts the run role's sts:AssumeRole to this Organization. @default the one the accountsFile's ARNs name;
   * without either, the member accounts' role ARNs are listed one by one.
   */
  awsOrganizationId: matching(AWS_ORGANIZATION_ID).optional(),
});

export type TerraformCloudConfig = z.output<typeof terraformCloudSchema>;

type Raw = Record<string, unknown>;
const isObject = (value: unknown): value is Raw => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Checks of `terraformCloud` against the rest of the config, on the raw input (run even when shapes
 * have errors, so every problem shows at once). Values whose own shape is wrong are left to the schema.
 */
export function terraformCloudProblems(data: unknown): string[] {
  if (!isObject(data) || !isObject(data.terraformCloud)) return [];
  const cloud = data.terraformCloud;
  const backend = isObject(data.backend) ? data.backend : {};
  const problems: string[] = [];

  // Without the deployer, runs would reach members through OrganizationAccountAccessRole (administrator) and
  // write the management account's TrelicaIntegration with no ceiling on it.
  if (!isObject(data.deployment) || data.deployment.deployer === undefined) {
    problems.push(
      "deployment.deployer: got nothing with terraformCloud; expected a deployer (deployment.deployer with its organizationalUnitIds; docs/security.md#least-privilege-deployment), " +
        "since Terraform Cloud's plan and apply roles may assume only the roles the deployer's stack set creates and change TrelicaIntegration only under its boundary, " +
        "never through OrganizationAccountAccessRole or another administrator role",
    );
  }
  if (data.mode === "stackset") {
    problems.push("terraformCloud: only read in the default mode (one stack per account); with mode: stackset there is one stack, trelica-organization: create its workspace by hand, or remove terraformCloud");
  }
  if (backend.type !== "cloud") {
    problems.push(
      `backend.type: got ${JSON.stringify(backend.type ?? "local")}; expected cloud with terraformCloud, so each account stack's cloud block names the workspace the bootstrap stack creates`,
    );
  } else {
    // The account stacks' cloud blocks point at backend.organization/hostname/project: the workspaces must be made there.
    const same = (key: "organization" | "hostname" | "project", fallback?: string) => {
      const own = cloud[key];
      const theirs = backend[key] ?? fallback;
      // A value the schema refuses is reported there alone.
      const valid = terraformCloudSchema.shape[key].safeParse(own).success;
      if (typeof own === "string" && valid && typeof theirs === "string" && own !== theirs) {
        problems.push(`terraformCloud.${key}: got "${own}"; expected "${theirs}" (backend.${key}), where the account stacks' cloud blocks look for their workspaces, or leave it out`);
      }
    };
    same("organization");
    same("hostname", DEFAULT_TERRAFORM_CLOUD_HOSTNAME);
    same("project");
    const name = backend.workspaceName;
    if (typeof name === "string" && name.includes(ACCOUNT_ID_PLACEHOLDER) && !ownsItsWorkspaces(name)) {
      problems.push(
        `backend.workspaceName: got ${JSON.stringify(name)} with terraformCloud; expected one ${ACCOUNT_ID_PLACEHOLDER} and at least 3 characters of your own around it ` +
          `(letters, digits, - and _, one of them a letter), such as trelica-${ACCOUNT_ID_PLACEHOLDER}, since the run roles trust every workspace of the project ` +
          `whose name fits the pattern (here workspace:${name.split(ACCOUNT_ID_PLACEHOLDER).join(ANY_ACCOUNT_ID)})`,
      );
    }
    if (backend.workspaceTags !== undefined) {
      problems.push(
        "backend.workspaceTags: given with terraformCloud; expected backend.workspaceName (default trelica-{accountId}), since the bootstrap stack creates one named workspace per account and each account stack must name its own",
      );
    }
  }

  // The plan role is named <runRoleName>Plan (planRoleName below), and IAM role names stop at 64.
  if (typeof cloud.runRoleName === "string" && ROLE_NAME_RULE.pattern.test(cloud.runRoleName) && cloud.runRoleName.length > 60) {
    problems.push(
      `terraformCloud.runRoleName: got "${cloud.runRoleName}" (${cloud.runRoleName.length} characters); expected at most 60, since the plan role beside it is named ${cloud.runRoleName}Plan and IAM role names stop at 64`,
    );
  }
  // The run role may assume the deployer, which may rewrite TrelicaIntegration: the two must never be one role.
  if (typeof cloud.runRoleName === "string" && sameIamName(cloud.runRoleName, "TrelicaIntegration")) {
    problems.push(`terraformCloud.runRoleName: got ${JSON.stringify(cloud.runRoleName)}, the role Trelica assumes (IAM names ignore case); expected another name, such as ${DEFAULT_RUN_ROLE_NAME}`);
  }
  const workspace = isObject(cloud.workspace) ? cloud.workspace : {};
  if (workspace.executionMode === "agent" && workspace.agentPoolId === undefined) {
    problems.push("terraformCloud.workspace.agentPoolId: is required with executionMode: agent; expected an agent pool ID such as apool-AbCd1234");
  }
  if (workspace.executionMode !== "agent" && workspace.agentPoolId !== undefined) {
    problems.push(`terraformCloud.workspace.agentPoolId: got ${JSON.stringify(workspace.agentPoolId)} with executionMode ${JSON.stringify(workspace.executionMode ?? "remote")}; expected executionMode: agent, or no agentPoolId`);
  }

  if (isObject(cloud.vcs)) {
    const given = ["oauthTokenId", "githubAppInstallationId"].filter((key) => cloud.vcs && (cloud.vcs as Raw)[key] !== undefined);
    if (given.length !== 1) {
      problems.push(
        `terraformCloud.vcs: got ${given.length === 0 ? "neither oauthTokenId nor githubAppInstallationId" : "both oauthTokenId and githubAppInstallationId"}; expected exactly one, the connection Terraform Cloud reads the repository through`,
      );
    }
  }
  return problems;
}

/**
 * What stands for "any account" in the run roles' trust (the `sub` claim's workspace, StringLike): exactly 12
 * characters, as an account ID has, so `trelica-{accountId}` admits no `trelica-anything-else`.
 */
export const ANY_ACCOUNT_ID = "?".repeat(12);

/**
 * Does a workspace name pattern name only workspaces made for this program? One `{accountId}`, Terraform Cloud's
 * workspace characters around it (no IAM wildcard, no `:` of the `sub` claim), and text of its own with a letter.
 */
export function ownsItsWorkspaces(pattern: string): boolean {
  const literal = pattern.split(ACCOUNT_ID_PLACEHOLDER).join("");
  return /^[A-Za-z0-9_-]*\{accountId\}[A-Za-z0-9_-]*$/.test(pattern) && literal.length >= 3 && /[A-Za-z]/.test(literal);
}

/** Terraform Cloud's plan role beside the apply role (terraformCloud.runRoleName). */
export function planRoleName(runRoleName: string): string {
  return `${runRoleName}Plan`;
}
