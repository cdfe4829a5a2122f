#!/usr/bin/env bash
# Deploys the dev stack to a local minikube: starts minikube if needed, keeps Pulumi state in a local
# folder (no Pulumi Cloud account), creates the stack, and runs `pulumi up`.
#   ./scripts/deploy-dev.sh            deploy (asks nothing; shows the plan as it applies)
#   ./scripts/deploy-dev.sh --help     this text
set -euo pipefail
cd "$(dirname "$0")/.."

PROFILE="${MINIKUBE_PROFILE:-minikube}"
STACK="${PULUMI_STACK:-dev}"

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
    cat <<HELP
Environment:
  MINIKUBE_PROFILE          minikube profile and kube context (default: minikube)
  PULUMI_BACKEND_URL        where Pulumi keeps state (default: file://$PWD/.pulumi-state)
  PULUMI_CONFIG_PASSPHRASE  passphrase of the local stack's secrets (default: empty; the dev stack holds none)
  MINIKUBE_START_ARGS       arguments for a new cluster (default: --cni=calico --kubernetes-version=v1.36.3:
                            Calico enforces NetworkPolicies; the minor is the eks stack's default, the patch the
                            one the engine tests run, tools/engine/versions.env. minikube v1.38.1, whose newest
                            tested version is v1.35.1, warns that it is newer and starts it)
HELP
    exit 0
fi

fail() { echo "error: $*" >&2; exit 1; }
for tool in node npm pulumi minikube; do
    command -v "$tool" >/dev/null || fail "$tool is not installed; see the README's prerequisites."
done

if ! minikube -p "$PROFILE" status >/dev/null 2>&1; then
    echo "==> minikube start -p $PROFILE ${MINIKUBE_START_ARGS:---cni=calico --kubernetes-version=v1.36.3}"
    # shellcheck disable=SC2086 # the extra arguments are meant to split
    minikube start -p "$PROFILE" ${MINIKUBE_START_ARGS:---cni=calico --kubernetes-version=v1.36.3}
fi
# HPAs read pod CPU from metrics-server; without it they hold the minimum replica count.
minikube -p "$PROFILE" addons enable metrics-server >/dev/null
if ! minikube -p "$PROFILE" kubectl -- get pods -n kube-system -l k8s-app=calico-node -o name 2>/dev/null | grep -q .; then
    echo "warning: this cluster has no Calico, so its NetworkPolicies are stored but not enforced." >&2
    echo "         Recreate it with: minikube delete -p $PROFILE && ./scripts/deploy-dev.sh" >&2
fi

[[ -d node_modules ]] || npm ci --no-audit --no-fund

export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$PWD/.pulumi-state}"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-}"
mkdir -p .pulumi-state
pulumi stack select "$STACK" --create --non-interactive
if [[ "$PROFILE" != "minikube" ]]; then
    pulumi config set --stack "$STACK" kubeContext "$PROFILE"
fi
# --refresh: read the cluster first. After `minikube delete` and a new start, the state still lists every object;
# without a refresh, `up` would find nothing to change and deploy nothing.
pulumi up --stack "$STACK" --refresh --yes --non-interactive
echo
echo "==> Open the app: $(pulumi stack output --stack "$STACK" frontendUrlCommand)"
