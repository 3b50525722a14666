import { z } from "zod";
import {
  ACCOUNT_ID_RULE,
  DEFAULT_TAGS,
  DESCRIPTION_RULE,
  EXTERNAL_ID_RULE,
  MAX_SESSION_DURATION_RULE,
  POLICY_NAME_RULE,
  SERVICE_NAMES,
} from "../../modules/trelica-integration";
import { ROLE_NAME_RULE } from "./iam-names";
import { ALL_REGIONS } from "./regions";
import { tagMap } from "./tags";
import { deployerSchema, OU_OR_ROOT } from "./deployer";
import { terraformCloudSchema } from "./terraform-cloud";

/*
 * The config file's contract. Field names are public: rename nothing without a migration note.
 * Each `error` text says what is allowed; the loader adds the field path and the bad value.
 */

const accountId = z
  .string({ error: ACCOUNT_ID_RULE.allowed })
  .regex(ACCOUNT_ID_RULE.pattern, { error: ACCOUNT_ID_RULE.allowed });

const region = z.string({ error: "an AWS region name such as us-east-1" }).refine((value) => ALL_REGIONS.includes(value), {
  error: "an AWS region name such as us-east-1",
  // The loader suggests the nearest one.
  params: { choices: ALL_REGIONS },
});

const flag = z.boolean({ error: "true or false" });

const services = z.strictObject(Object.fromEntries(SERVICE_NAMES.map((name) => [name, flag.optional()])) as {
  [K in (typeof SERVICE_NAMES)[number]]: z.ZodOptional<z.ZodBoolean>;
});


const roleName = z.string({ error: ROLE_NAME_RULE.allowed }).regex(ROLE_NAME_RULE.pattern, { error: ROLE_NAME_RULE.allowed });

// The role's tags join the ones the program puts on every role and policy.
const tags = tagMap("tag names", DEFAULT_TAGS);

/** Placeholder for the account ID in backend name patterns and in role.permissionsBoundaryArn. */
export const ACCOUNT_ID_PLACEHOLDER = "{accountId}";

const BOUNDARY = {
  // The construct's rule, plus {accountId} for the policy of that name in each account (app/config/boundary.ts).
  pattern: /^arn:aws(-us-gov|-cn)?:iam::(\d{12}|aws|\{accountId\}):policy\/[\w+=,.@/-]{1,512}$/,
  allowed:
    "an IAM policy ARN: arn:aws:iam::{accountId}:policy/Boundary for the policy of that name in each account, " +
    "an AWS-managed policy such as arn:aws:iam::aws:policy/ReadOnlyAccess, or one account's policy when only that account is deployed",
};

const roleOptions = z.strictObject({
  permissionsBoundaryArn: z
    .string({ error: BOUNDARY.allowed })
    .regex(BOUNDARY.pattern, { error: BOUNDARY.allowed })
    .optional(),
  maxSessionDuration: z
    .number({ error: MAX_SESSION_DURATION_RULE.allowed })
    .int({ error: MAX_SESSION_DURATION_RULE.allowed })
    .min(MAX_SESSION_DURATION_RULE.min, { error: MAX_SESSION_DURATION_RULE.allowed })
    .max(MAX_SESSION_DURATION_RULE.max, { error: MAX_SESSION_DURATION_RULE.allowed })
    .optional(),
  policyName: z
    .string({ error: POLICY_NAME_RULE.allowed })
    .regex(POLICY_NAME_RULE.pattern, { error: POLICY_NAME_RULE.allowed })
    .optional(),
  description: z
    .string({ error: DESCRIPTION_RULE.allowed })
    .regex(DESCRIPTION_RULE.pattern, { error: DESCRIPTION_RULE.allowed })
    .optional(),
  tags: tags.optional(),
});

const accountPattern = z.string({ error: "an account ID or name glob such as \"1234*\" or \"prod-*\"" }).min(1, {
  error: "an account ID or name glob such as \"1234*\" or \"prod-*\"",
});

/**
 * YAML 1.2 reads `no`, `yes` and any quoted `"false"` as text, which would pass as a role named "false".
 * A word that means a boolean is refused here; the loader says to write false without quotes.
 */
export const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { true: true, yes: true, on: true, false: false, no: false, off: false };

const ASSUME_ROLE_NAME_ALLOWED = "an IAM role name, or false for the ambient credentials";
const assumeRoleName = z.union(
  [roleName.refine((value) => !(value.toLowerCase() in BOOLEAN_WORDS), { error: ASSUME_ROLE_NAME_ALLOWED }), z.literal(false)],
  { error: ASSUME_ROLE_NAME_ALLOWED },
);

const account = z.strictObject({
  id: accountId,
  name: z.string({ error: "a display name (string)" }).optional(),
  services: services.optional(),
  /** Where Amazon Connect lives, if not in the top-level region. */
  region: region.optional(),
  /** `false`: use the ambient credentials (the management account has no OrganizationAccountAccessRole). */
  assumeRoleName: assumeRoleName.optional(),
  adoptExisting: flag.optional(),
  /** With an accountsFile: this account is not in the file, on purpose (otherwise its ID is taken for a typo). */
  notInAccountsFile: flag.optional(),
  /** The existing managed policy's name, when adopting a role made by hand under another policy name. */
  policyName: z
    .string({ error: POLICY_NAME_RULE.allowed })
    .regex(POLICY_NAME_RULE.pattern, { error: POLICY_NAME_RULE.allowed })
    .optional(),
});

const nonEmpty = (what: string) => z.string({ error: what }).min(1, { error: what });

const localBackend = z.strictObject({ type: z.literal("local") });

const s3Backend = z.strictObject({
  type: z.literal("s3"),
  bucket: nonEmpty("an S3 bucket name"),
  /** The state bucket's region. @default the top-level `region` */
  region: region.optional(),
  key: z
    .string({ error: `an S3 key pattern containing ${ACCOUNT_ID_PLACEHOLDER}` })
    .refine((key) => key.includes(ACCOUNT_ID_PLACEHOLDER), {
      error: `an S3 key pattern containing ${ACCOUNT_ID_PLACEHOLDER}, so each account has its own state (without it all accounts would share one state file)`,
    })
    .default(`trelica/${ACCOUNT_ID_PLACEHOLDER}/terraform.tfstate`),
  encrypt: flag.default(true),
  /** S3-native state locking (Terraform >= 1.10). */
  useLockfile: flag.default(true),
  dynamodbTable: nonEmpty("a DynamoDB table name").optional(),
  /** Role to assume for reading and writing state (e.g. in a central state account). */
  roleArn: z
    .string({ error: "an IAM role ARN such as arn:aws:iam::123456789012:role/TerraformState" })
    .regex(/^arn:aws(-us-gov|-cn)?:iam::\d{12}:role\/[\w+=,.@/-]+$/, {
      error: "an IAM role ARN such as arn:aws:iam::123456789012:role/TerraformState",
    })
    .optional(),
});

const cloudBackend = z.strictObject({
  type: z.literal("cloud"),
  organization: nonEmpty("your Terraform Cloud organization name"),
  /** @default app.terraform.io */
  hostname: nonEmpty("a Terraform Cloud or Enterprise host name").optional(),
  project: nonEmpty("a Terraform Cloud project name").optional(),
  workspaceName: z
    .string({ error: `a workspace name pattern containing ${ACCOUNT_ID_PLACEHOLDER}` })
    .refine((name) => name.includes(ACCOUNT_ID_PLACEHOLDER), {
      error: `a workspace name pattern containing ${ACCOUNT_ID_PLACEHOLDER}, so each account has its own workspace`,
    })
    .optional(),
  /** Select workspaces by tags instead of by name; `{accountId}` may appear in a tag. */
  workspaceTags: z.array(nonEmpty("a workspace tag"), { error: "a list of workspace tags" }).min(1, { error: "at least one tag" }).optional(),
});

const backend = z.discriminatedUnion("type", [localBackend, s3Backend, cloudBackend], {
  error: "a backend with `type` one of local, s3, cloud",
});


const count = (what: string) => z.number({ error: what }).int({ error: what }).min(1, { error: what });
const percentage = (min: number, what: string) => z.number({ error: what }).int({ error: what }).min(min, { error: what }).max(100, { error: what });

const stackSet = z.strictObject({
  /** @default "TrelicaIntegration" */
  name: z
    .string({ error: "a stack set name: a letter, then letters, digits and hyphens, up to 128" })
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, { error: "a stack set name: a letter, then letters, digits and hyphens, up to 128" })
    .default("TrelicaIntegration"),
  organizationalUnitIds: z
    .array(z.string({ error: OU_OR_ROOT.allowed }).regex(OU_OR_ROOT.pattern, { error: OU_OR_ROOT.allowed }), {
      error: "a list of organizational unit IDs to enrol",
    })
    .min(1, { error: "at least one organizational unit (or the root) to enrol" }),
  /** Narrow (DIFFERENCE: leave out, INTERSECTION: only) or widen (UNION) the OUs by account. */
  accountFilter: z
    .strictObject({
      type: z.enum(["INTERSECTION", "DIFFERENCE", "UNION"], { error: "INTERSECTION, DIFFERENCE or UNION" }),
      accounts: z.array(accountId, { error: "a list of account IDs" }).min(1, { error: "at least one account ID" }),
    })
    .optional(),
  /** SELF: deployed in the management account; DELEGATED_ADMIN: in a delegated administrator account. */
  callAs: z.enum(["SELF", "DELEGATED_ADMIN"], { error: "SELF or DELEGATED_ADMIN" }).default("SELF"),
  delegatedAdminAccountId: accountId.optional(),
  /** The one region of the stack instances (IAM is global; a second region would collide on the role name). @default the top-level region */
  region: region.optional(),
  /** Keep the role in an account that leaves the targeted OUs. */
  retainStacksOnAccountRemoval: flag.default(false),
  maxConcurrentCount: count("a whole number of accounts at once, 1 or more").optional(),
  // AWS: MaxConcurrentPercentage 1-100 (0 would run nowhere), FailureTolerancePercentage 0-100.
  maxConcurrentPercentage: percentage(1, "a whole percentage from 1 to 100").optional(),
  failureToleranceCount: z.number({ error: "a whole number of failures, 0 or more" }).int({ error: "a whole number of failures, 0 or more" }).min(0, { error: "a whole number of failures, 0 or more" }).optional(),
  failureTolerancePercentage: percentage(0, "a whole percentage from 0 to 100").optional(),
  regionConcurrencyType: z.enum(["SEQUENTIAL", "PARALLEL"], { error: "SEQUENTIAL or PARALLEL" }).optional(),
});

export const configSchema = z.strictObject({
  /** accounts: one Terraform stack per account; stackset: one stack in the management account that enrols OUs. */
  mode: z.enum(["accounts", "stackset"], { error: "accounts or stackset" }).default("accounts"),
  stackSet: stackSet.optional(),
  trelicaOrganizationId: z
    .string({ error: `your Trelica organization ID (${EXTERNAL_ID_RULE.allowed})` })
    .regex(EXTERNAL_ID_RULE.pattern, { error: `your Trelica organization ID (${EXTERNAL_ID_RULE.allowed})` }),
  /** No default here: an explicit value must stay distinguishable (see semantics.ts); integrationBase applies it. */
  trelicaAccountId: accountId.optional(),
  region: region.default("us-east-1"),
  services: services.optional(),
  role: roleOptions.default({}),
  deployment: z
    .strictObject({
      /** @default deployer.roleName with a deployer (the two are refused together), else "OrganizationAccountAccessRole" (defaults.ts: deploymentRoleName) */
      assumeRoleName: assumeRoleName.optional(),
      /** A narrow role in every member account instead of OrganizationAccountAccessRole (app/deployer/). */
      deployer: deployerSchema.optional(),
      /**
       * true: members are reached through a role this program does not create (such as OrganizationAccountAccessRole, an
       * administrator) by choice, which silences synth's and rollout's warning. Refused beside deployment.deployer. @default false
       */
      administratorAccess: flag.optional(),
    })
    .default({}),
  /** The JSON that `aws organizations list-accounts` prints; relative to the config file. */
  accountsFile: nonEmpty("a path to the JSON that `aws organizations list-accounts` prints").optional(),
  /** Keep only accounts whose ID or name matches one of these globs. */
  include: z.array(accountPattern, { error: "a list of account ID or name globs" }).optional(),
  exclude: z.array(accountPattern, { error: "a list of account ID or name globs" }).optional(),
  managementAccountId: accountId.optional(),
  /** Default for every account: import an existing hand-made TrelicaIntegration role on first apply. */
  adoptExisting: flag.default(false),
  backend: backend.default({ type: "local" }),
  /** Workspaces and keyless AWS credentials for every account, made by the trelica-terraform-cloud stack (backend.type: cloud). */
  terraformCloud: terraformCloudSchema.optional(),
  accounts: z.array(account, { error: "a list of accounts, each with a quoted 12-digit id" }).default([]),
});

export type Config = z.output<typeof configSchema>;
export type AccountConfig = Config["accounts"][number];
export type BackendConfig = Config["backend"];
export type StackSetConfig = NonNullable<Config["stackSet"]>;
