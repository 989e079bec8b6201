#!/usr/bin/env bash
# Renders every overlay with `kubectl kustomize` and validates it: each core object against the
# Kubernetes OpenAPI schemas bundled in npm's kubernetes-models (each model's validate()), every
# Deployment with readiness and liveness probes and resource requests, the custom resources
# (RabbitmqCluster, CloudNativePG Cluster/Database) with the fields we rely on. Exit 1 on any fault.
#   deploy/k8s/validate.sh            (installs kubectl from Debian and kubernetes-models when missing)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
TOOLS="$HERE/.validate"          # git-ignored: node_modules and rendered overlays
MODELS_VERSION=5.1.0

# A new machine may not have read its package lists yet: update them once when something is missing.
missing=()
command -v kubectl >/dev/null || missing+=(kubectl)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]} > 0)); then
  apt-cache policy "${missing[0]}" | grep -q 'Candidate: [0-9]' || apt-get update -qq -o DPkg::Lock::Timeout=300 >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null ||
    { echo "validate.sh: apt-get install ${missing[*]} failed" >&2; exit 1; }
fi
if [[ ! -f $TOOLS/node_modules/kubernetes-models/package.json ]] ||
   ! grep -q "\"version\": \"$MODELS_VERSION\"" "$TOOLS/node_modules/kubernetes-models/package.json"; then
  mkdir -p "$TOOLS"
  [[ -f $TOOLS/package.json ]] || echo '{"private": true}' >"$TOOLS/package.json"
  (cd "$TOOLS" && npm install --silent --no-audit --no-fund "kubernetes-models@$MODELS_VERSION" "js-yaml@4" >/dev/null 2>&1) ||
    { echo "validate.sh: npm install kubernetes-models failed" >&2; exit 1; }
fi

status=0
for overlay in "$HERE"/overlays/*/; do
  name=$(basename "$overlay")
  rendered="$TOOLS/$name.yaml"
  if ! kubectl kustomize "$overlay" >"$rendered"; then
    echo "FAIL $name: kubectl kustomize failed" >&2; status=1; continue
  fi
  (cd "$TOOLS" && node "$HERE/validate.mjs" "$name" "$rendered") || status=1
done
exit $status
