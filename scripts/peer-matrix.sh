#!/usr/bin/env bash
# Proves the package's peer ranges: the consumer test (test/package-consumer.test.ts) once per set of peer
# versions, each installed from the registry into an app outside the repository. Not part of `npm test`
# (each set downloads a provider package of its own); run it when the peer ranges change:
#   bash scripts/peer-matrix.sh            # the ends of the declared ranges
#   bash scripts/peer-matrix.sh "cdktf@0.21.0 constructs@10.4.2 @cdktf/provider-aws@21.5.0"
# TRELICA_CONSUMER_IGNORE_PEER_RANGES=1 tries versions outside the declared ranges (npm refuses them otherwise).
set -uo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1

if [ "$#" -gt 0 ]; then sets=("$@"); else
  sets=(
    # lowest and highest of each range and of each provider major (20.x: hashicorp/aws 5.x; 21.x: 6.x)
    "cdktf@0.21.0 constructs@10.4.2 @cdktf/provider-aws@20.0.0"
    "cdktf@0.21.0 constructs@10.8.1 @cdktf/provider-aws@20.1.0"
    "cdktf@0.21.0 constructs@10.4.2 @cdktf/provider-aws@21.0.0"
    # the versions this repository develops with (the newest published)
    "cdktf@0.21.0 constructs@10.8.1 @cdktf/provider-aws@21.22.1"
  )
fi

failed=0
for peers in "${sets[@]}"; do
  start=$(date +%s)
  if TRELICA_CONSUMER_PEERS="$peers" npx jest test/package-consumer.test.ts --silent > /tmp/peer-matrix.log 2>&1; then
    echo "PASS  $peers  ($(( $(date +%s) - start )) s)"
  else
    echo "FAIL  $peers  ($(( $(date +%s) - start )) s)"; grep -E "✕|●|error TS" /tmp/peer-matrix.log | head -20; failed=1
  fi
done
exit "$failed"
