import { z, type core } from "zod";
import { ACCOUNT_ID_RULE } from "../../modules/trelica-integration";
import { allowedText, didYouMean, UNWORDED } from "./parse/issues";
import { show } from "./parse/show";
import { formatPath, jsonErrorPlace, readText } from "./parse/source";

/*
 * The JSON that `aws organizations list-accounts` prints. AWS replaced `Status` with `State` (and
 * retired `Status` in September 2026); exports made before then carry only `Status`, so both are read.
 */

const STATES = ["ACTIVE", "PENDING_ACTIVATION", "SUSPENDED", "PENDING_CLOSURE", "CLOSED"] as const;
export type AccountState = (typeof STATES)[number];

const listedAccount = z
  .looseObject({
    Id: z.string({ error: ACCOUNT_ID_RULE.allowed }).regex(ACCOUNT_ID_RULE.pattern, { error: ACCOUNT_ID_RULE.allowed }),
    Arn: z.string({ error: "an account ARN" }).optional(),
    Name: z.string({ error: "a string" }).optional(),
    Email: z.string({ error: "a string" }).optional(),
    State: z.enum(STATES, { error: `one of ${STATES.join(", ")}` }).optional(),
    Status: z.enum(STATES, { error: `one of ${STATES.join(", ")}` }).optional(),
    JoinedMethod: z.string({ error: "INVITED or CREATED" }).optional(),
  })
  .refine((account) => account.State !== undefined || account.Status !== undefined, {
    error: "a State (or, in exports before September 2026, a Status) field",
  });

const listAccountsOutput = z.looseObject({
  Accounts: z.array(listedAccount, { error: "a list of accounts" }),
});

export interface OrganizationAccount {
  readonly id: string;
  readonly name?: string;
  readonly state: AccountState;
  readonly joinedMethod?: string;
  /** The Organization's management account, read from the account ARN. */
  readonly managementAccountId?: string;
  /** The Organization's ID (o-...), read from the account ARN. */
  readonly organizationId?: string;
}

export interface AccountsFileResult {
  readonly accounts: OrganizationAccount[];
  readonly problems: string[];
}

const ACCOUNT_ARN = /^arn:[\w-]+:organizations::(\d{12}):account\/(o-[a-z0-9]+)\/(\d{12})$/;

/** Reads an accounts file; problems name the file and the field, nothing is thrown. */
export function readAccountsFile(file: string, configKey = "accountsFile"): AccountsFileResult {
  const label = `${configKey} (${file})`;
  const read = readText(file);
  if ("reason" in read) return { accounts: [], problems: [`${label}: ${read.reason}; expected the output of \`aws organizations list-accounts\``] };
  let data: unknown;
  try {
    data = JSON.parse(read.text);
  } catch {
    return { accounts: [], problems: [`${label}: is not JSON${jsonErrorPlace(read.text)}; expected the output of \`aws organizations list-accounts\``] };
  }
  const result = listAccountsOutput.safeParse(data, { reportInput: true, error: () => UNWORDED });
  if (!result.success) {
    return {
      accounts: [],
      problems: result.error.issues.map((issue) => {
        const where = issue.path.length === 0 ? label : `${label} ${formatPath(issue.path)}`;
        const got = issue.input === undefined ? "is missing" : `got ${show(issue.input)}`;
        const expected =
          issue.path.length === 0 ? '{"Accounts": [...]}, the output of `aws organizations list-accounts`' : allowedText(issue, listAccountsOutput as unknown as core.$ZodType, data);
        return `${where}: ${got}; expected ${expected}${didYouMean(issue, issue.input)}`;
      }),
    };
  }
  return {
    accounts: result.data.Accounts.map((account) => ({
      id: account.Id,
      name: account.Name,
      state: (account.State ?? account.Status) as AccountState,
      joinedMethod: account.JoinedMethod,
      managementAccountId: ACCOUNT_ARN.exec(account.Arn ?? "")?.[1],
      organizationId: ACCOUNT_ARN.exec(account.Arn ?? "")?.[2],
    })),
    problems: [],
  };
}
