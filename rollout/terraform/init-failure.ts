/*
 * Why `terraform init` could not install the AWS provider, from terraform's own output, and what to
 * do: terraform puts the cause (DNS, TLS, a mirror without the version) deep in a wrapped paragraph
 * under "Failed to query available provider packages", which alone says nothing.
 */

export interface InitFailure {
  /** The cause in a few words, for the table's reason column. */
  readonly cause: string;
  /** What to do: network, or a provider mirror with the version the stacks require. */
  readonly hint: string;
}

const PROVIDER_INSTALL = /Failed to (?:query available provider packages|install provider)/;

export function initFailure(output: string, constraint = "the version the stacks require"): InitFailure | undefined {
  if (!PROVIDER_INSTALL.test(output)) return undefined;
  // terraform wraps its paragraphs at 80 columns: join them before matching.
  const text = output.replace(/\s*\n\s*/g, " ");
  const mirrorHint =
    `terraform init installs hashicorp/aws ${constraint} (the stacks' required_providers): give this machine access to registry.terraform.io, ` +
    `or set TF_CLI_CONFIG_FILE to a CLI config whose provider_installation has a filesystem_mirror (or network_mirror) holding hashicorp/aws ${constraint}`;
  const host = /lookup ([\w.-]+)(?: on \S+)?: no such host/.exec(text)?.[1];
  if (host) return { cause: `the provider registry's host ${host} does not resolve (no network or DNS here)`, hint: mirrorHint };
  const tls = /(x509: [^.]+|tls: [^.]+)/.exec(text)?.[1];
  if (tls) return { cause: `TLS to the provider registry failed (${tls}); a proxy that intercepts TLS needs its CA trusted`, hint: mirrorHint };
  const unreachable = /(connection refused|i\/o timeout|network is unreachable|context deadline exceeded)/.exec(text)?.[1];
  if (unreachable) return { cause: `the provider registry cannot be reached (${unreachable})`, hint: mirrorHint };
  const releases = /no available releases match the given constraints ([^\s]+(?: [\d.]+)?)/.exec(text)?.[1];
  if (releases) {
    return {
      cause: `no hashicorp/aws release matching ${releases} where terraform looks (a provider mirror in TF_CLI_CONFIG_FILE holds other versions, or none)`,
      hint: mirrorHint,
    };
  }
  return undefined;
}

/** The AWS provider's version constraint a synthesized stack declares. */
export function awsProviderConstraint(stackJson: { terraform?: { required_providers?: { aws?: { version?: string } } } }): string | undefined {
  return stackJson.terraform?.required_providers?.aws?.version;
}
