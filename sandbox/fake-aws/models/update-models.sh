#!/usr/bin/env bash
# Regenerates the trimmed botocore API models the fake AWS speaks (request parameters and response
# XML follow them). Needs pip (a package index holding botocore) and unzip. Usage: ./update-models.sh [version]
set -euo pipefail
cd "$(dirname "$0")"
version="${1:-1.43.107}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pip download "botocore==$version" --no-deps --quiet -d "$tmp"
unzip -q -o "$tmp"/botocore-*.whl 'botocore/data/iam/*' 'botocore/data/sts/*' 'botocore/data/cloudformation/*' \
  "botocore-$version.dist-info/LICENSE.txt" "botocore-$version.dist-info/NOTICE" -d "$tmp"
cp "$tmp/botocore-$version.dist-info/LICENSE.txt" "$tmp/botocore-$version.dist-info/NOTICE" .
for model in iam/2010-05-08 sts/2011-06-15 cloudformation/2010-05-15; do
  gunzip -c "$tmp/botocore/data/$model/service-2.json.gz" > "$tmp/${model%%/*}.full.json"
done
node -r sucrase/register trim-models.ts "$tmp" "$version"
