import type { TerraformProvider, TerraformStack } from "../../modules/cdk-flavour";
import type { BackendConfig } from "../config/schema";

/*
 * What each stack asks of terraform and of the AWS provider, written into the stack itself: terraform
 * refuses a too-old binary with its own clear error, and rollout reads the same field to refuse it
 * before starting anything. This table is the one source of those minimums.
 */

/** Every stack: import blocks (adoption) may be added to any of them. */
const BASELINE = { minimum: "1.5.0", feature: "import blocks (adoptExisting)" };

const FEATURES: readonly { readonly minimum: string; readonly feature: string; readonly uses: (backend: BackendConfig) => boolean }[] = [
  { minimum: "1.6.0", feature: "the cloud block's project", uses: (backend) => backend.type === "cloud" && backend.project !== undefined },
  { minimum: "1.6.0", feature: "the S3 backend's assume_role block", uses: (backend) => backend.type === "s3" && backend.roleArn !== undefined },
  { minimum: "1.10.0", feature: "S3 native locking (use_lockfile)", uses: (backend) => backend.type === "s3" && backend.useLockfile === true },
];

/** The oldest terraform that runs a stack with this backend, and the feature that needs it. */
export function terraformRequirement(backend: BackendConfig): { readonly minimum: string; readonly feature: string } {
  return FEATURES.filter((entry) => entry.uses(backend)).reduce<{ minimum: string; feature: string }>(
    (highest, entry) => (compareVersions(entry.minimum, highest.minimum) > 0 ? entry : highest),
    BASELINE,
  );
}

/**
 * Writes `terraform.required_version`, and lets the AWS provider be any later release of the same major
 * version than the one our provider classes were generated for (`~> 6.25`, not exactly `6.25.0`), so
 * users pick up provider fixes without waiting for us.
 */
export function declareRequirements(stack: TerraformStack, aws: TerraformProvider, backend: BackendConfig): void {
  stack.addOverride("terraform.required_version", `>= ${terraformRequirement(backend).minimum}`);
  const generatedFor = aws.terraformGeneratorMetadata?.providerVersion;
  const majorMinor = generatedFor && /^(\d+\.\d+)\./.exec(generatedFor)?.[1];
  if (majorMinor) stack.addOverride("terraform.required_providers.aws.version", `~> ${majorMinor}`);
}

export function compareVersions(a: string, b: string): number {
  const partsA = a.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  const partsB = b.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < 3; i++) if ((partsA[i] ?? 0) !== (partsB[i] ?? 0)) return (partsA[i] ?? 0) - (partsB[i] ?? 0);
  return 0;
}
