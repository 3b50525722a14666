import { Progress } from "../../runner/progress";
import { Command } from "./report";
import { TerraformRunner } from "../terraform/terraform";
import { Invocation } from "../../app/common/commands";

/** What one rollout run does and how: the command line's choices, checked (rollout/options.ts), plus what tests inject. */
export interface RolloutOptions {
  readonly command: Command;
  /** Where cdktf.json is; `.rollout/` goes here. */
  readonly projectDir: string;
  /** cdktf's output folder. @default <projectDir>/cdktf.out */
  readonly outdir?: string;
  /** The config synthesis reads (--config, TRELICA_CONFIG). @default <projectDir>/trelica.config.yaml */
  readonly configFile?: string;
  /** TF_LOG for terraform (--terraform-log); otherwise any TF_LOG* in the environment is dropped. @default none */
  readonly terraformLog?: string;
  readonly synth: boolean;
  readonly concurrency: number;
  /** Failures tolerated; one more and no new account starts. */
  readonly maxFailures: number;
  readonly accounts: readonly string[];
  readonly exclude: readonly string[];
  /** A report whose succeeded accounts are skipped. */
  readonly resume?: string;
  readonly lockTimeout: string;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly planAndApply: boolean;
  /** Plan every selected account with terraform, none proven in sync without it (rollout/prove-in-sync.ts). @default false */
  readonly full?: boolean;
  readonly allowDestroy: boolean;
  /** Apply plans that change Trelica's access (trust policy, role, policy, attachments, stack set, removed actions). @default false */
  readonly allowAccessChange?: boolean;
  readonly confirmDestroy: boolean;
  /** --config and --output as the user gave them, repeated in every command the run prints. @default configFile and outdir, when given */
  readonly given?: Pick<Invocation, "config" | "output">;
  /** Extra copy of the report. */
  readonly report?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly progress: Progress;
  /** Where the final table goes. @default stdout */
  readonly output?: (text: string) => void;
  /** How terraform runs. @default processes of $TERRAFORM_BINARY_NAME or terraform on PATH */
  readonly terraform?: TerraformRunner;
}
