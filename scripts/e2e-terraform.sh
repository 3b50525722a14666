#!/usr/bin/env bash
# Opt-in end-to-end check with the real terraform (npm run test:e2e): synthesizes the config
# ($TRELICA_CONFIG, default the shipped example) and runs `terraform init -backend=false` and
# `terraform validate` in every stack. Needs terraform on PATH (or $TERRAFORM_BINARY_NAME) and the AWS
# provider: from registry.terraform.io, or a mirror set up in a CLI config file (TF_CLI_CONFIG_FILE).
set -uo pipefail
cd "$(dirname "$0")/.."

terraform_bin="${TERRAFORM_BINARY_NAME:-terraform}"
if ! command -v "$terraform_bin" >/dev/null 2>&1; then
  echo "SKIPPED: no terraform executable ($terraform_bin) on PATH; install terraform >= 1.5 to run this check."
  exit 0
fi
echo "Using $("$terraform_bin" version 2>/dev/null | head -n 1) at $(command -v "$terraform_bin")"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
export TF_PLUGIN_CACHE_DIR="$out/plugin-cache" TF_IN_AUTOMATION=1
mkdir -p "$TF_PLUGIN_CACHE_DIR"
CDKTF_OUTDIR="$out/cdktf.out" node -r sucrase/register main.ts || exit 1

failed=0
checked=0
for stack in "$out"/cdktf.out/stacks/*/; do
  name="$(basename "$stack")"
  if ! (cd "$stack" && "$terraform_bin" init -backend=false -input=false -no-color >"$out/$name.init.log" 2>&1); then
    echo "FAIL $name: terraform init -backend=false (is the provider reachable?):"
    sed 's/^/    /' "$out/$name.init.log" | tail -n 15
    # Every other stack needs the same provider: one failure to get it says it all.
    echo "Stopped: without the AWS provider no stack can be validated."
    exit 1
  fi
  if (cd "$stack" && "$terraform_bin" validate -no-color); then
    checked=$((checked + 1))
  else
    echo "FAIL $name: terraform validate"
    failed=$((failed + 1))
  fi
done
echo "$checked stacks valid, $failed failed"
[ "$failed" -eq 0 ]
