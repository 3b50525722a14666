import * as path from "node:path";
import { validateConfig } from "../../app/config/load";
import { Resolution, resolveDeployments } from "../../app/organization/deployments";
import { resolveStackSet, StackSetDeployment } from "../../app/stacks/stackset";
import { writeFile } from "./files";
import { refusalOf } from "./refusal";

export interface ListedAccount {
  Id: string;
  Name?: string;
  State?: string;
  Status?: string;
  JoinedMethod?: string;
  Arn?: string;
}

/** An `aws organizations list-accounts` export; ARNs name `managementId` as the Organization's management account. */
export function listAccountsJson(accounts: ListedAccount[], managementId = "111111111111"): string {
  return JSON.stringify(
    {
      Accounts: accounts.map((account) => ({
        Arn: `arn:aws:organizations::${managementId}:account/o-abc123def4/${account.Id}`,
        Email: `aws+${account.Id}@example.com`,
        JoinedMethod: "CREATED",
        JoinedTimestamp: "2024-01-01T00:00:00.000000+00:00",
        ...account,
      })),
    },
    null,
    2,
  );
}

/** Resolves a config given as an object, with files (such as an accounts file) beside it in `dir`. */
export function resolve(dir: string, config: object): Resolution {
  return resolveDeployments(validateConfig({ file: path.join(dir, "trelica.config.yaml"), data: config, numberText: new Map() }));
}

/** The problems of a config that must be rejected; fails the test if it resolves. */
export function resolveProblems(dir: string, config: object): string[] {
  return [...refusalOf(() => resolve(dir, config), "expected the config to be rejected, but it resolved").problems];
}

/** Resolves a `mode: stackset` config given as an object. */
export function resolveStackSetConfig(dir: string, config: object): StackSetDeployment {
  return resolveStackSet(validateConfig({ file: path.join(dir, "c.yaml"), data: config, numberText: new Map() }));
}

export function writeAccountsFile(dir: string, name: string, accounts: ListedAccount[], managementId?: string): string {
  writeFile(dir, name, listAccountsJson(accounts, managementId));
  return name;
}
