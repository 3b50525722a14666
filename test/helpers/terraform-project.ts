import * as fs from "node:fs";
import * as path from "node:path";
import { rollout, RolloutControl, RolloutOptions, RolloutResult } from "../../rollout/run";
import { FakeAws, FakeAwsOptions } from "../../sandbox/fake-aws/fake-aws";
import { runApp } from "./app";
import { writeFile } from "./files";
import { inProcessRollout } from "./rollout";
import { CommandResult, installProvider, ProviderInstallation, providerVersionFor, RealTerraform, run, terraformEnv } from "./real-terraform";

/**
 * A project folder synthesized from a config, a fake AWS, and the real terraform and AWS provider set
 * up to reach it: what a user's checkout is, with AWS replaced.
 */
export class TerraformProject {
  readonly outdir: string;
  readonly lines: string[] = [];
  private provider?: ProviderInstallation;

  private constructor(
    readonly real: RealTerraform,
    readonly dir: string,
    readonly fake: FakeAws,
  ) {
    this.outdir = path.join(dir, "cdktf.out");
  }

  /** Writes `files` (the config is `trelica.config.yaml`) into `dir`, synthesizes, and starts the fake. */
  static async create(real: RealTerraform, dir: string, files: Record<string, string>, fakeOptions: FakeAwsOptions): Promise<TerraformProject> {
    for (const [name, text] of Object.entries(files)) writeFile(dir, name, text);
    const project = new TerraformProject(real, dir, await FakeAws.start(fakeOptions));
    project.synth();
    return project;
  }

  /** Re-synthesizes (e.g. after editing the config). Runs while no terraform is running: it blocks the fake. */
  synth(config?: string): void {
    if (config !== undefined) writeFile(this.dir, "trelica.config.yaml", config);
    const result = runApp(path.join(this.dir, "trelica.config.yaml"), this.outdir);
    if (result.status !== 0) throw new Error(`synthesis failed:\n${result.stdout}${result.stderr}`);
    const first = this.stackNames()[0];
    this.provider ??= installProvider(this.real, this.dir, [providerVersionFor(this.stackJson(first))]);
  }

  stackNames(): string[] {
    return Object.keys(JSON.parse(fs.readFileSync(path.join(this.outdir, "manifest.json"), "utf8")).stacks).sort();
  }

  stackDir(stack: string): string {
    return path.join(this.outdir, "stacks", stack);
  }

  stackJson(stack: string): any {
    return JSON.parse(fs.readFileSync(path.join(this.stackDir(stack), "cdk.tf.json"), "utf8"));
  }

  /** Rewrites one stack's JSON in this project's output (a test copy), e.g. for the older provider binary. */
  editStack(stack: string, edit: (json: any) => any): void {
    fs.writeFileSync(path.join(this.stackDir(stack), "cdk.tf.json"), JSON.stringify(edit(this.stackJson(stack)), null, 2));
  }

  /**
   * terraform's environment as a user of `accountId` (default: the management account).
   * `impliedMirror`: the provider comes from `$HOME/.terraform.d/plugins` and the CLI config file is
   * missing, so terraform warns on stderr on every command, as on this machine image.
   */
  env(options: { accountId?: string; impliedMirror?: boolean; extra?: NodeJS.ProcessEnv } = {}): NodeJS.ProcessEnv {
    const provider = this.provider!;
    const env = terraformEnv(this.fake, options.accountId ?? this.fake.options.managementAccountId, provider, options.extra);
    return options.impliedMirror ? { ...env, HOME: provider.home, TF_CLI_CONFIG_FILE: path.join(this.dir, "missing.tfrc") } : env;
  }

  terraform(stack: string, args: readonly string[], env = this.env()): Promise<CommandResult> {
    return run(this.real.terraform, args, { cwd: this.stackDir(stack), env });
  }

  /**
   * terraform in `stack`, non-interactive and without colour (each subcommand gets the flags it takes);
   * fails the test with terraform's output unless it exits with one of `codes`.
   */
  async terraformExpecting(stack: string, args: readonly string[], codes: readonly number[] = [0]): Promise<CommandResult> {
    const flags = ["init", "plan", "apply", "destroy"].includes(args[0]) ? ["-input=false", "-no-color"] : args[0] === "state" ? [] : ["-no-color"];
    const result = await this.terraform(stack, [...args, ...flags]);
    if (!codes.includes(result.code ?? -1)) throw new Error(`terraform ${args.join(" ")} in ${stack} exited ${result.code}:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
    return result;
  }

  /** The rollout runner in this process (the fake too: its terraform children are asynchronous). */
  rollout(options: Partial<RolloutOptions> & Pick<RolloutOptions, "command">, control?: RolloutControl): Promise<RolloutResult> {
    return rollout(
      {
        ...inProcessRollout(this.dir, (text) => this.lines.push(text)),
        concurrency: 2,
        maxFailures: 1000,
        lockTimeout: "10s",
        retries: 2,
        retryDelayMs: 200,
        env: this.env(),
        ...options,
      },
      control,
    );
  }

  /** Requests the fake saw for one account, as `service:Action` (with `!Code` when it failed). */
  callsIn(accountId: string): string[] {
    return this.fake.requests
      .filter((request) => request.accountId === accountId)
      .map((request) => `${request.service}:${request.action}${request.code ? `!${request.code}` : ""}`);
  }

  async close(): Promise<void> {
    await this.fake.stop();
  }
}

/**
 * What someone following Trelica's setup page by hand leaves behind: the role, a managed policy with
 * `policyDescription` (none if undefined) attached to it, and optionally another policy attached too.
 */
export function makeRoleByHand(
  fake: FakeAws,
  accountId: string,
  options: { policyName?: string; policyDescription?: string; roleDescription?: string; extraPolicy?: string } = {},
): { policyArn: string; policyId: string } {
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::377450845233:root" }, Action: "sts:AssumeRole" }] };
  fake.call(accountId, "iam", "CreateRole", { RoleName: "TrelicaIntegration", AssumeRolePolicyDocument: JSON.stringify(trust), Description: options.roleDescription });
  const readOnly = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iam:ListUsers"], Resource: "*" }] };
  const created = fake.call(accountId, "iam", "CreatePolicy", {
    PolicyName: options.policyName ?? "TrelicaIntegrationReadOnly",
    PolicyDocument: JSON.stringify(readOnly),
    Description: options.policyDescription,
  }).Policy as { Arn: string; PolicyId: string };
  fake.call(accountId, "iam", "AttachRolePolicy", { RoleName: "TrelicaIntegration", PolicyArn: created.Arn });
  if (options.extraPolicy) fake.call(accountId, "iam", "AttachRolePolicy", { RoleName: "TrelicaIntegration", PolicyArn: options.extraPolicy });
  return { policyArn: created.Arn, policyId: created.PolicyId };
}
