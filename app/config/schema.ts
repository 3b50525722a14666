import { z } from "zod";
import {
  ACCOUNT_ID_RULE,
  DESCRIPTION_RULE,
  EXTERNAL_ID_RULE,
  MAX_SESSION_DURATION_RULE,
  PERMISSIONS_BOUNDARY_RULE,
  POLICY_NAME_RULE,
  SERVICE_NAMES,
  TAGS_RULE,
  TRELICA_ACCOUNT_ID,
} from "../../modules/trelica-integration";
import { ALL_REGIONS } from "./regions";

/*
 * The config file's contract. Field names are public: rename nothing without a migration note.
 * Each `error` text says what is allowed; the loader adds the field path and the bad value.
 */

const accountId = z
  .string({ error: ACCOUNT_ID_RULE.allowed })
  .regex(ACCOUNT_ID_RULE.pattern, { error: ACCOUNT_ID_RULE.allowed });

const region = z.string({ error: "an AWS region name such as us-east-1" }).refine((value) => ALL_REGIONS.includes(value), {
  error: "an AWS region name such as us-east-1",
});

const flag = z.boolean({ error: "true or false" });

const services = z.strictObject(Object.fromEntries(SERVICE_NAMES.map((name) => [name, flag.optional()])) as {
  [K in (typeof SERVICE_NAMES)[number]]: z.ZodOptional<z.ZodBoolean>;
});

const roleName = z
  .string({ error: "an IAM role name (1 to 64 characters of letters, digits and _+=,.@-)" })
  .regex(/^[\w+=,.@-]{1,64}$/, { error: "an IAM role name (1 to 64 characters of letters, digits and _+=,.@-)" });

const tags = z
  .record(z.string(), z.string({ error: "a string tag value" }), { error: "a map of tag names to string values" })
  .refine(
    (value) =>
      Object.keys(value).length <= TAGS_RULE.maxCount &&
      Object.entries(value).every(([k, v]) => TAGS_RULE.keyPattern.test(k) && TAGS_RULE.valuePattern.test(v)),
    { error: TAGS_RULE.allowed },
  );

const roleOptions = z.strictObject({
  permissionsBoundaryArn: z
    .string({ error: PERMISSIONS_BOUNDARY_RULE.allowed })
    .regex(PERMISSIONS_BOUNDARY_RULE.pattern, { error: PERMISSIONS_BOUNDARY_RULE.allowed })
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

const account = z.strictObject({
  id: accountId,
  name: z.string({ error: "a display name (string)" }).optional(),
  services: services.optional(),
  /** `false`: use the ambient credentials (e.g. the management account, which has no OrganizationAccountAccessRole). */
  assumeRoleName: z.union([roleName, z.literal(false)], { error: "an IAM role name, or false for the ambient credentials" }).optional(),
});

export const configSchema = z.strictObject({
  trelicaOrganizationId: z
    .string({ error: `your Trelica organization ID (${EXTERNAL_ID_RULE.allowed})` })
    .regex(EXTERNAL_ID_RULE.pattern, { error: `your Trelica organization ID (${EXTERNAL_ID_RULE.allowed})` }),
  trelicaAccountId: accountId.default(TRELICA_ACCOUNT_ID),
  region: region.default("us-east-1"),
  services: services.optional(),
  role: roleOptions.default({}),
  deployment: z
    .strictObject({
      assumeRoleName: z
        .union([roleName, z.literal(false)], { error: "an IAM role name, or false for the ambient credentials" })
        .default("OrganizationAccountAccessRole"),
    })
    .default({ assumeRoleName: "OrganizationAccountAccessRole" }),
  accounts: z.array(account, { error: "a list of accounts, each with a quoted 12-digit id" }).min(1, {
    error: "at least one account",
  }),
});

export type Config = z.output<typeof configSchema>;
export type AccountConfig = Config["accounts"][number];
