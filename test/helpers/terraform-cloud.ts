import * as fs from "node:fs";
import * as path from "node:path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { synthesizeOrganization } from "../../app/commands/organization-app";
import { TERRAFORM_CLOUD_STACK_NAME } from "../../app/terraform-cloud/stack";
import { readStack } from "./app";
import { writeFile } from "./files";
import { refusalOf } from "./refusal";
import type { Decision } from "./iam";

export const MANAGEMENT = "111111111111";
export const MEMBERS = ["222222222222", "333333333333", "444444444444"];

/** A config with terraformCloud (and the deployer it requires) for a management account and three members; `overrides` replace top-level keys. */
export function cloudConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    trelicaOrganizationId: "trelica-org-42",
    managementAccountId: MANAGEMENT,
    deployment: { deployer: { organizationalUnitIds: ["r-ab12"] } },
    backend: { type: "cloud", organization: "acme", project: "identity" },
    terraformCloud: { project: "identity" },
    accounts: [{ id: MANAGEMENT, name: "management" }, ...MEMBERS.map((id) => ({ id }))],
    ...overrides,
  };
}

let counter = 0;

/** Synthesizes `config` through the real entry point into a fresh folder under `dir`; returns that folder. */
export function synthesize(dir: string, config: object, outdir = path.join(dir, `out-${++counter}`)): string {
  const file = writeFile(dir, `config-${++counter}.json`, JSON.stringify(config));
  synthesizeOrganization(file, { outdir, log: () => undefined });
  return outdir;
}

/** The problems a rejected config is reported with; fails the test if it synthesizes. */
export function problemsOf(dir: string, config: object): string[] {
  return [...refusalOf(() => synthesize(dir, config), "expected the config to be rejected, but it synthesized").problems];
}

export function readBootstrap(outdir: string): any {
  return readStack(outdir, TERRAFORM_CLOUD_STACK_NAME);
}

export function stackNames(outdir: string): string[] {
  return Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).stacks).sort();
}

/** One resource of a type, by its construct id. */
export function resource(stack: any, type: string, id: string): any {
  const found = stack.resource?.[type]?.[id];
  if (!found) throw new Error(`no ${type}.${id} in the stack`);
  return found;
}

/*
 * The simulator accepts only the context keys AWS documents for an action, and Terraform Cloud's
 * `<hostname>:aud` / `:sub` are a custom OIDC provider's. So the trust policy is simulated with those
 * keys renamed to a documented OIDC provider's (accounts.google.com:aud / :sub) in both the policy and
 * the request; StringEquals and StringLike compare the values exactly as before. The keys' spelling
 * itself is asserted on the synthesized JSON.
 */
const DOCUMENTED_OIDC_HOST = "accounts.google.com";

export interface WebIdentityToken {
  /** The OIDC provider the token comes from (the trust policy's Federated principal must match). */
  readonly providerArn: string;
  readonly hostname: string;
  readonly aud: string;
  readonly sub: string;
}

/** What AWS decides for AssumeRoleWithWebIdentity into `roleArn` under `trust`, presenting `token`. */
export async function simulateWebIdentity(trust: object, roleArn: string, token: WebIdentityToken, trustHostname: string): Promise<Decision> {
  const renamed = JSON.parse(JSON.stringify(trust).split(`"${trustHostname}:`).join(`"${DOCUMENTED_OIDC_HOST}:`));
  const claimPrefix = token.hostname === trustHostname ? DOCUMENTED_OIDC_HOST : token.hostname;
  const accountId = roleArn.split(":")[4];
  const response = await runSimulation(
    {
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: renamed,
      request: {
        action: "sts:AssumeRoleWithWebIdentity",
        principal: token.providerArn,
        resource: { accountId, resource: roleArn },
        contextVariables: { [`${claimPrefix}:aud`]: token.aud, [`${claimPrefix}:sub`]: token.sub },
      },
    },
    {},
  );
  if (response.resultType === "error") throw new Error(`simulation rejected: ${JSON.stringify(response.errors)}`);
  return response.overallResult as Decision;
}

/**
 * What AWS decides for the run role (holding `policy`) calling `action` on `resourceArn`. For a role in
 * another account, that role's trust policy trusts the management account (as OrganizationAccountAccessRole
 * does), so the decision is the run role's own policy's.
 */
export async function simulateRunRoleCall(
  policy: object,
  runRoleArn: string,
  action: string,
  resourceArn: string,
  contextVariables: Record<string, string> = {},
): Promise<Decision | "NotApplicable"> {
  const resourceAccount = resourceArn.split(":")[4] || MANAGEMENT;
  const crossAccount = resourceAccount !== MANAGEMENT;
  const trustOfTarget = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:root` }, Action: "sts:AssumeRole" }] };
  const response = await runSimulation(
    {
      identityPolicies: [{ name: "run-role", policy: policy as never }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: crossAccount && action === "sts:AssumeRole" ? trustOfTarget : undefined,
      request: { action, principal: runRoleArn, resource: { accountId: resourceAccount, resource: resourceArn }, contextVariables },
    },
    {},
  );
  // An action that does not apply to this kind of resource (iam:CreateUser on a role ARN, say).
  if (response.resultType === "error") return "NotApplicable";
  return response.overallResult as Decision;
}
