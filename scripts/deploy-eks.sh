#!/usr/bin/env bash
# Deploys the eks stack: a three-zone VPC, an EKS cluster, nodes in three zones, the backend image in ECR
# and the app on top. Takes about 20 minutes and costs money while it exists (see docs/eks.md and docs/comparison.md for the cost).
#   ./scripts/deploy-eks.sh            deploy
#   ./scripts/deploy-eks.sh --help     this text
set -euo pipefail
cd "$(dirname "$0")/.."

STACK="${PULUMI_STACK:-eks}"

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
    cat <<HELP
Environment:
  PULUMI_BACKEND_URL        where Pulumi keeps state (default: file://$PWD/.pulumi-state)
  PULUMI_CONFIG_PASSPHRASE  required with a local backend: it encrypts the stack's secrets (the kubeconfig)
  AWS_PROFILE, AWS_*        credentials for the preflight check; the stack itself uses awsProfile/awsRegion config
HELP
    exit 0
fi

fail() { echo "error: $*" >&2; exit 1; }
for tool in node npm pulumi aws docker; do
    command -v "$tool" >/dev/null || fail "$tool is not installed; see the prerequisites in docs/eks.md."
done
docker buildx version >/dev/null 2>&1 || fail "docker buildx is missing; it builds and pushes the backend image."
aws sts get-caller-identity --output text --query Arn >/dev/null ||
    fail "no AWS credentials: run 'aws configure' or 'aws sso login', or set AWS_PROFILE."

export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$PWD/.pulumi-state}"
if [[ "$PULUMI_BACKEND_URL" == file://* && -z "${PULUMI_CONFIG_PASSPHRASE:-}" ]]; then
    fail "set PULUMI_CONFIG_PASSPHRASE: the local state holds the cluster's kubeconfig as a secret, encrypted with it."
fi

[[ -d node_modules ]] || npm ci --no-audit --no-fund
mkdir -p .pulumi-state
pulumi stack select "$STACK" --create --non-interactive
pulumi up --stack "$STACK" --yes --non-interactive
echo
echo "==> kubectl access: $(pulumi stack output --stack "$STACK" kubeconfigCommand)"
echo "==> The app:        $(pulumi stack output --stack "$STACK" frontendUrl)  (its DNS name may take a few minutes)"
