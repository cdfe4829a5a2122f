#!/usr/bin/env bash
# Deploys the dev stack, keeping Pulumi state in a local folder (no Pulumi Cloud account), and prints how to
# open the app. It runs on one of two clusters:
#   minikube, where it is installed: started if needed;
#   else (Linux, as root) the project's own local cluster: one real node (kubelet, containerd, kube-proxy)
#   and a control plane, built from pinned sources by tools/engine/build.sh, inside a network namespace.
#   ./scripts/deploy-dev.sh              minikube if it is installed, else the local cluster
#   ./scripts/deploy-dev.sh --local      the local cluster, even where minikube is installed
#   ./scripts/deploy-dev.sh --minikube   minikube
#   ./scripts/deploy-dev.sh --port PORT  (local cluster) the app's port on 127.0.0.1 (default: 8080)
#   ./scripts/deploy-dev.sh --help       this text
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/setup.sh
source scripts/lib/setup.sh

PROFILE="${MINIKUBE_PROFILE:-minikube}"
STACK="${PULUMI_STACK:-dev}"
LOCAL_DIR="$PWD/.tools/local-cluster"
ENV_FILE="$PWD/.tools/dev.env"
MINIKUBE_DEFAULT_ARGS="--cni=calico --kubernetes-version=v1.36.3"

fail() { echo "error: $*" >&2; exit 1; }

cluster=auto
port=8080
while (($# > 0)); do
    case "$1" in
        -h | --help)
            sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
            cat <<HELP
Environment:
  MINIKUBE_PROFILE          minikube profile and kube context (default: minikube)
  PULUMI_BACKEND_URL        where Pulumi keeps state (default: file://$PWD/.pulumi-state)
  PULUMI_CONFIG_PASSPHRASE  passphrase of the local stack's secrets (default: empty; the dev stack holds none)
  MINIKUBE_START_ARGS       arguments for a new minikube cluster (default: $MINIKUBE_DEFAULT_ARGS:
                            Calico enforces NetworkPolicies; the minor is the eks stack's default, the patch the
                            one the engine tests run, tools/engine/versions.env. minikube v1.38.1, whose newest
                            tested version is v1.35.1, warns that it is newer and starts it)
It writes .tools/dev.env: \`source .tools/dev.env\` in a new shell gives the README's pulumi and kubectl commands
the same state folder, cluster and tools.
HELP
            exit 0
            ;;
        --local) cluster=local ;;
        --minikube) cluster=minikube ;;
        --port)
            [[ "${2:-}" =~ ^[0-9]+$ ]] && ((10#$2 >= 1 && 10#$2 <= 65535)) ||
                fail "--port takes a port number from 1 to 65535, not '${2:-}'"
            port=$((10#$2))
            shift
            ;;
        *) fail "unknown argument '$1' (see ./scripts/deploy-dev.sh --help)" ;;
    esac
    shift
done

if [[ "$cluster" == auto ]]; then
    if command -v minikube >/dev/null; then
        cluster=minikube
    else
        cluster=local
        echo "minikube is not installed: deploying onto the project's own local cluster (one real node on this machine; --minikube to insist on minikube)."
    fi
fi

# Everything that can refuse the local cluster, before anything is made.
check_local() {
    local system
    system=$(uname -s)
    case "$system" in
        Linux) ;;
        Darwin) fail "the local cluster runs on Linux only (this is macOS): install minikube and Docker Desktop (brew install minikube; https://docs.docker.com/desktop/), then run ./scripts/deploy-dev.sh" ;;
        MINGW* | MSYS* | CYGWIN*) fail "the local cluster runs on Linux only (this is Windows): install minikube and Docker Desktop (winget install Kubernetes.minikube; https://docs.docker.com/desktop/), then run ./scripts/deploy-dev.sh" ;;
        *) fail "the local cluster runs on Linux only (this is $system): install minikube (https://minikube.sigs.k8s.io/docs/start/), then run ./scripts/deploy-dev.sh" ;;
    esac
    [[ "$(id -u)" == 0 ]] ||
        fail "the local cluster needs root (it makes a network namespace, cgroups and mounts): run sudo ./scripts/deploy-dev.sh --local, or install minikube (https://minikube.sigs.k8s.io/docs/start/) and run ./scripts/deploy-dev.sh"
    command -v flock >/dev/null || fail "flock is not installed: apt-get install util-linux"
    mkdir -p .tools
    exec 9>.tools/deploy-dev.lock
    flock -n 9 || fail "another ./scripts/deploy-dev.sh is running (pid $(cat .tools/deploy-dev.pid 2>/dev/null || echo unknown)); wait for it to finish"
    echo $$ >.tools/deploy-dev.pid
    if (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null && ! forwarded_here "$port"; then
        fail "127.0.0.1:$port is in use by another program: free it, or pick another port: ./scripts/deploy-dev.sh --local --port $((port + 1))"
    fi
}

# Whether 127.0.0.1:PORT is this script's own forwarder, left by an earlier run.
forwarded_here() {
    [[ -f "$LOCAL_DIR/processes.txt" ]] || return 1
    local pid start name
    while read -r pid start name; do
        if [[ "$name" == forward-node-port-*-on-$1-host ]] &&
            [[ "$(cut -d' ' -f22 "/proc/$pid/stat" 2>/dev/null)" == "$start" ]]; then
            return 0
        fi
    done <"$LOCAL_DIR/processes.txt"
    return 1
}

# node and npm at a version @pulumi/pulumi supports (>= 22.12), else the pinned LTS from the npm registry.
ensure_node() {
    command -v npm >/dev/null || fail "Node.js is not installed: install Node.js 22.12 or newer (https://nodejs.org/), then run ./scripts/deploy-dev.sh"
    if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)'; then
        echo "Node.js $(node --version) is older than the 22.12 that @pulumi/pulumi needs: using Node.js $(pinned_version NODE_VERSION) in .tools instead."
        PATH="$(install_node "$(pinned_version NODE_VERSION)"):$PATH"
    fi
}

ensure_local_packages() {
    local -a install
    mapfile -t install < <(missing_node_debian_packages)
    if ((${#install[@]} > 0)); then
        command -v apt-get >/dev/null || fail "the local cluster needs these Debian packages and this system has no apt-get: ${install[*]}"
        apt_install "the local cluster's node; no service is started" "${install[@]}"
    fi
}

local_cluster() { npm run --silent local-cluster -- "$@"; }

# The local cluster running, made anew if it is not (after `down` or a reboot): the stack's `--refresh` then finds
# its objects gone and makes them again, and the new cluster's identity has the backend image built again.
start_local_cluster() {
    if [[ -f "$LOCAL_DIR/cluster.json" ]] && local_cluster status --dir "$LOCAL_DIR" >/dev/null 2>&1; then
        echo "==> The local cluster already runs ($LOCAL_DIR)"
        return
    fi
    if [[ -f "$LOCAL_DIR/cluster.json" ]]; then
        local_cluster down --dir "$LOCAL_DIR" >/dev/null
    fi
    rm -rf "$LOCAL_DIR"
    stage "npm run local-cluster -- up --nodes real --dir $LOCAL_DIR"
    local_cluster up --nodes real --dir "$LOCAL_DIR"
}

# PATH for pulumi and kubectl: the machine's where it has them, else the engine's; and the local cluster's
# `minikube`, which builds the backend image into its node. Adds them to deploy_env; needs engine_path.
add_local_tools() {
    local stand_ins="$PWD/tools/engine/standIns/bin" entries=()
    if command -v pulumi >/dev/null; then
        mkdir -p .tools/local-bin
        ln -sfn "$stand_ins/minikube" .tools/local-bin/minikube
        entries+=("$PWD/.tools/local-bin")
    else
        echo "pulumi is not installed: using the one tools/engine/build.sh built from source (to install the official CLI instead: curl -fsSL https://get.pulumi.com | sh)."
        # The engine's plugins are on its PATH entries; it has no update to look for and nothing to download.
        entries+=("$stand_ins" "$engine_path")
        deploy_env+=("PULUMI_SKIP_UPDATE_CHECK=true" "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true")
    fi
    command -v kubectl >/dev/null || entries+=("$engine_path")
    local IFS=:
    deploy_env+=("PATH=${entries[*]}:\$PATH")
}

deploy_env=()
if [[ "$cluster" == local ]]; then
    check_local
    ensure_node
    ensure_local_packages
    [[ -d node_modules ]] || npm ci --ignore-scripts --no-audit --no-fund
    stage "tools/engine/build.sh --real-node (cold, about 25 minutes on 2 cores; then cached per version)"
    # Builds what is not cached (its progress on stderr) and prints where the binaries are.
    engine_path=$(tools/engine/build.sh --print-path --real-node)
    start_local_cluster
    add_local_tools
    deploy_env+=("KUBECONFIG=$LOCAL_DIR/kubeconfig" "FIRST_K8S_LOCAL_CLUSTER_DIR=$LOCAL_DIR")
else
    for tool in node npm pulumi minikube; do
        command -v "$tool" >/dev/null || fail "$tool is not installed; see the README's prerequisites."
    done
    if ! minikube -p "$PROFILE" status >/dev/null 2>&1; then
        echo "==> minikube start -p $PROFILE ${MINIKUBE_START_ARGS:-$MINIKUBE_DEFAULT_ARGS}"
        # shellcheck disable=SC2086 # the extra arguments are meant to split
        minikube start -p "$PROFILE" ${MINIKUBE_START_ARGS:-$MINIKUBE_DEFAULT_ARGS}
    fi
    # HPAs read pod CPU from metrics-server; without it they hold the minimum replica count.
    minikube -p "$PROFILE" addons enable metrics-server >/dev/null
    if ! minikube -p "$PROFILE" kubectl -- get pods -n kube-system -l k8s-app=calico-node -o name 2>/dev/null | grep -q .; then
        echo "warning: this cluster has no Calico, so its NetworkPolicies are stored but not enforced." >&2
        echo "         Recreate it with: minikube delete -p $PROFILE && ./scripts/deploy-dev.sh" >&2
    fi
    [[ -d node_modules ]] || npm ci --ignore-scripts --no-audit --no-fund
fi

# The environment of every pulumi and kubectl command below, and of a learner's new shell (source .tools/dev.env).
mkdir -p .tools .pulumi-state
{
    echo "# Written by scripts/deploy-dev.sh ($cluster). In a new shell: source .tools/dev.env"
    echo "export PULUMI_BACKEND_URL=\"${PULUMI_BACKEND_URL:-file://$PWD/.pulumi-state}\""
    echo "export PULUMI_CONFIG_PASSPHRASE=\"${PULUMI_CONFIG_PASSPHRASE-}\""
    for assignment in ${deploy_env[@]+"${deploy_env[@]}"}; do
        echo "export ${assignment%%=*}=\"${assignment#*=}\""
    done
} >"$ENV_FILE"
# shellcheck source=/dev/null
source "$ENV_FILE"

pulumi stack select "$STACK" --create --non-interactive
if [[ "$PROFILE" != "minikube" ]]; then
    pulumi config set --stack "$STACK" kubeContext "$PROFILE"
fi
# --refresh: read the cluster first. After `minikube delete` and a new start, the state still lists every object;
# without a refresh, `up` would find nothing to change and deploy nothing.
pulumi up --stack "$STACK" --refresh --yes --non-interactive
echo
if [[ "$cluster" == local ]]; then
    node_port=$(kubectl --context minikube get service frontend -n first-k8s -o 'jsonpath={.spec.ports[0].nodePort}')
    url=$(local_cluster forward "$node_port" --port "$port" --dir "$LOCAL_DIR")
    cat <<DONE
==> The app: $url
    kubectl: export KUBECONFIG=$LOCAL_DIR/kubeconfig (context minikube), or in a new shell: source .tools/dev.env
    Stop the cluster:   npm run local-cluster -- down  (./scripts/deploy-dev.sh starts it again)
    Destroy the stack:  source .tools/dev.env && pulumi destroy --stack $STACK --yes
DONE
else
    echo "==> Open the app: $(pulumi stack output --stack "$STACK" frontendUrlCommand)"
    echo "    In a new shell, for the README's pulumi commands: source .tools/dev.env"
fi
