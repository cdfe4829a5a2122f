#!/usr/bin/env bash
# Builds the local engine from the Go module proxy, at the versions pinned in tools/engine/versions.env:
# the Pulumi CLI, its Node.js language host, the Kubernetes resource provider, etcd (with etcdctl and etcdutl),
# kube-apiserver, kube-controller-manager, kube-scheduler, kubectl and kwok.
#
#   tools/engine/build.sh            build what is not cached yet, print one line per component
#   tools/engine/build.sh --print-path   the PATH entries of the cached binaries (after building them)
#   tools/engine/build.sh --real-node    also the real node's: kubelet, kube-proxy, CoreDNS, metrics-server,
#                                        kube-router, pause (the node's Debian packages are apt's, see versions.env),
#                                        the Node.js SDK's script that runs dynamic providers, and for the backend
#                                        image: a Debian Python base (mmdebstrap) and the pinned wheels (PyPI)
#   tools/engine/build.sh --help     this text
#
# Binaries are cached per component and version under ${FIRST_K8S_CACHE:-${XDG_CACHE_HOME:-~/.cache}/first-k8s}/engine,
# so a second run, or CI on the same machine, builds nothing. Each build writes a log there; a failed build
# names its component and log. Nothing is downloaded but Go modules (the Go module proxy) and, with --real-node,
# the Python base's Debian packages and the backend's wheels.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"

cache_root="${FIRST_K8S_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/first-k8s}/engine"
log_dir="$cache_root/logs"
print_path=false
real_node=false

for argument in "$@"; do
    case "$argument" in
        --help | -h)
            sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        --print-path) print_path=true ;;
        --real-node) real_node=true ;;
        *)
            echo "error: unknown argument '$argument' (see --help)" >&2
            exit 2
            ;;
    esac
done

command -v go >/dev/null || {
    echo "error: Go is not installed; the local engine builds from the Go module proxy (Go >= 1.26 needed)." >&2
    exit 1
}
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=local

# Progress goes to stderr so that --print-path prints nothing but the path.
say() { printf '%s\n' "$*" >&2; }

# component_dir NAME VERSION: where one component's binaries live.
component_dir() { printf '%s/%s-%s\n' "$cache_root" "$1" "$2"; }

# A fresh wrapper module in a scratch folder: several of the pinned modules carry `replace` lines in their
# go.mod, which `go install pkg@version` refuses, so each is built as a dependency of a module of our own.
new_wrapper() {
    local work=$1 goversion=$2
    mkdir -p "$work"
    (cd "$work" && go mod init first-k8s.local/engine >/dev/null 2>&1 && go mod edit -go="$goversion")
}

build_pulumi() {
    local out=$1 work=$2
    new_wrapper "$work" 1.26.6
    cd "$work"
    # pkg/v3 replaces the clipboard module in its own go.mod; a wrapper has to repeat that.
    go mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
    go get "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
    go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION"
    # In bin/, where the Automation API's PulumiCommand looks for it (<root>/bin/pulumi).
    go build -trimpath -o "$out/bin/pulumi" \
        -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
        github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
}

build_language_nodejs() {
    local out=$1 work=$2
    new_wrapper "$work" 1.24
    cd "$work"
    # sdk/v3's own replace, repeated for the same reason as above.
    go mod edit -replace golang.org/x/text=golang.org/x/text@v0.3.6
    go get -tool "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs@v$PULUMI_LANGUAGE_NODEJS_VERSION"
    go build -trimpath -o "$out/pulumi-language-nodejs" \
        -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_LANGUAGE_NODEJS_VERSION" \
        github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs
}

build_kubernetes_provider() {
    local out=$1 work=$2 module=github.com/pulumi/pulumi-kubernetes/provider/v4 source
    source=$(go mod download -json "$module@$PULUMI_KUBERNETES_MODULE_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
    [[ -d "$source" ]] || {
        echo "go mod download gave no folder for $module@$PULUMI_KUBERNETES_MODULE_VERSION" >&2
        return 1
    }
    # The module cache is read-only, and the provider is built as the main module: copy it out.
    cp -r "$source" "$work/provider"
    chmod -R u+w "$work/provider"
    cd "$work/provider"
    go mod edit -dropreplace github.com/pulumi/pulumi-kubernetes/sdk/v4 -toolchain=none \
        -require "github.com/pulumi/pulumi-kubernetes/sdk/v4@v$PULUMI_KUBERNETES_VERSION"
    go mod download github.com/pulumi/pulumi-kubernetes/sdk/v4
    # The module's zip lacks the schema files the binary embeds; the provider's own generator makes them.
    (cd cmd/pulumi-resource-kubernetes && GOFLAGS=-mod=mod VERSION="$PULUMI_KUBERNETES_VERSION" go run generate.go)
    go build -mod=mod -trimpath -o "$out/pulumi-resource-kubernetes" \
        -ldflags "-s -w -X $module/pkg/version.Version=$PULUMI_KUBERNETES_VERSION" \
        ./cmd/pulumi-resource-kubernetes
}

# kubernetes_commands OUT WORK COMMAND...: builds cmd/COMMAND of k8s.io/kubernetes, version-stamped.
kubernetes_commands() {
    local out=$1 work=$2 gomod staging minor patch ldflags key value
    shift 2
    new_wrapper "$work" 1.25.0
    cd "$work"
    printf '\ngodebug default=go1.25\n' >>go.mod
    gomod=$(go mod download -json "k8s.io/kubernetes@v$KUBERNETES_VERSION" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')
    IFS=. read -r _ minor patch <<<"$KUBERNETES_VERSION"
    # k8s.io/kubernetes points every staging module at ./staging/...; outside its repository each comes
    # from the proxy at the matching v0.<minor>.<patch>.
    for staging in $(sed -n 's#^\s*\(k8s\.io/[^ ]*\) => \./staging/.*#\1#p' "$gomod"); do
        go mod edit -replace "$staging=$staging@v0.$minor.$patch"
    done
    local commands=("${@/#/k8s.io/kubernetes/cmd/}")
    go get -tool "${commands[@]/%/@v$KUBERNETES_VERSION}"
    ldflags="-s -w"
    for key in gitVersion=v$KUBERNETES_VERSION gitMajor=1 gitMinor=$minor gitTreeState=clean \
        buildDate=1970-01-01T00:00:00Z; do
        value=${key#*=}
        key=${key%%=*}
        ldflags+=" -X k8s.io/client-go/pkg/version.$key=$value -X k8s.io/component-base/version.$key=$value"
    done
    go build -trimpath -o "$out/" -ldflags "$ldflags" "${commands[@]}"
}

build_kubernetes() { kubernetes_commands "$1" "$2" kube-apiserver kube-controller-manager kube-scheduler kubectl; }

# The real node's agents, apart from the control plane so that a kwok-only run never waits for them.
build_kubernetes_node() { kubernetes_commands "$1" "$2" kubelet kube-proxy; }

build_coredns() {
    GOBIN="$1" go install -trimpath -ldflags "-s -w" "github.com/coredns/coredns@v$COREDNS_VERSION"
}

build_metrics_server() {
    GOBIN="$1" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/metrics-server/cmd/metrics-server@v$METRICS_SERVER_VERSION"
}

build_kube_router() {
    GOBIN="$1" go install -trimpath -ldflags "-s -w" \
        "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router@v$KUBE_ROUTER_VERSION"
}

# The pod sandbox's one process: the project's own pause.c, static, so the image needs nothing else.
build_pause() {
    command -v gcc >/dev/null || {
        echo "gcc is needed to build pause (Debian: apt-get install gcc libc6-dev)"
        return 1
    }
    gcc -static -O2 -o "$1/pause" "$here/node/pause.c"
}

# Dynamic providers (the local target's image builds) run through this script of the Node.js SDK, which the
# language host's module carries beside its source.
build_dynamic_provider_nodejs() {
    local source
    source=$(go mod download -json "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_LANGUAGE_NODEJS_VERSION" |
        sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
    install -m 0755 "$source/nodejs/dist/pulumi-resource-pulumi-nodejs" "$1/pulumi-resource-pulumi-nodejs"
}

# wget for the busybox stand-in (Debian's busybox-static segfaults in its own): the project's tools/engine/node/wget.
build_wget_stand_in() {
    (cd "$here/node/wget" && go build -trimpath -ldflags "-s -w" -o "$1/wget" .)
}

# The backend image's base in the real-pod tests: Debian's own python3 in a minimal Debian rootfs, as a tar.
build_python_base() {
    command -v mmdebstrap >/dev/null || {
        echo "mmdebstrap is needed to make the Python base (Debian: apt-get install mmdebstrap)"
        return 1
    }
    mmdebstrap --variant=minbase --include="${PYTHON_BASE_PACKAGES// /,}" --format=tar \
        "$PYTHON_BASE_SUITE" "$1/rootfs.tar" "$PYTHON_BASE_MIRROR" </dev/null
}

# The backend's pinned wheels, so that its image builds with no index to reach.
build_backend_wheels() {
    python3 -m pip download --no-deps --only-binary=:all: --platform manylinux2014_x86_64 --python-version 3.11 \
        --implementation cp --abi cp311 --requirement "$backend_requirements" --dest "$1/wheels"
    (cd "$1/wheels" && ls) >"$1/wheels.txt"
}

build_etcd() {
    local out=$1 work=$2 tool
    new_wrapper "$work" 1.26.0
    cd "$work"
    for tool in server etcdctl etcdutl; do
        go get -tool "go.etcd.io/etcd/$tool/v3@v$ETCD_VERSION"
    done
    go build -trimpath -o "$out/etcd" -ldflags "-s -w" go.etcd.io/etcd/server/v3
    go build -trimpath -o "$out/etcdctl" -ldflags "-s -w" go.etcd.io/etcd/etcdctl/v3
    go build -trimpath -o "$out/etcdutl" -ldflags "-s -w" go.etcd.io/etcd/etcdutl/v3
}

build_kwok() {
    local out=$1 work=$2 source
    GOBIN="$out" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION"
    # kwok 0.8 has no stages built in: the node and pod lifecycles come from the module's kustomize/stage files.
    source=$(go mod download -json "sigs.k8s.io/kwok@v$KWOK_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
    mkdir -p "$out/stages"
    cp "$source/kustomize/stage/node/fast/node-initialize.yaml" \
        "$source/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
        "$source"/kustomize/stage/pod/fast/pod-*.yaml "$out/stages/"
    chmod -R u+w "$out/stages"
}

# ensure NAME VERSION BINARIES...: builds NAME unless every binary is cached for VERSION.
ensure() {
    local name=$1 version=$2
    shift 2
    local dir stamp started log work binary missing=false
    dir=$(component_dir "$name" "$version")
    stamp="$dir/.built"
    for binary in "$@"; do
        [[ -e "$dir/$binary" ]] || missing=true
    done
    if [[ "$missing" == false && -f "$stamp" ]]; then
        say "  $name $version: cached ($dir)"
        # The PATH entry: the folder of the component's first binary.
        dirname "$dir/$1"
        return
    fi
    mkdir -p "$log_dir"
    log="$log_dir/$name-$version.log"
    work=$(mktemp -d "${TMPDIR:-/tmp}/first-k8s-engine-$name.XXXXXX")
    rm -rf "$dir.partial" && mkdir -p "$dir.partial"
    started=$SECONDS
    say "  $name $version: building (log: $log)"
    if ! ("build_${name//-/_}" "$dir.partial" "$work") >"$log" 2>&1; then
        rm -rf "$work" "$dir.partial"
        say "error: building $name $version failed after $((SECONDS - started)) s; the last lines of $log:"
        tail -n 20 "$log" >&2
        exit 1
    fi
    rm -rf "$work"
    for binary in "$@"; do
        [[ -e "$dir.partial/$binary" ]] || {
            say "error: building $name $version made no $binary; see $log"
            exit 1
        }
    done
    echo "$version" >"$dir.partial/.built"
    rm -rf "$dir" && mv "$dir.partial" "$dir"
    say "  $name $version: built in $((SECONDS - started)) s"
    dirname "$dir/$1"
}

mkdir -p "$cache_root"
# One build at a time per cache: a second run (another test process, CI beside a session) waits, then finds
# everything cached.
exec 9>"$cache_root/.lock"
if ! flock --nonblock 9; then
    say "local engine: another build holds $cache_root/.lock; waiting for it"
    flock 9
fi
say "local engine: Go $(go env GOVERSION), cache $cache_root"
started_all=$SECONDS
dirs=()
# Quickest first, so that a broken toolchain shows within a minute.
for spec in "etcd $ETCD_VERSION etcd etcdctl etcdutl" \
    "kwok $KWOK_VERSION kwok stages/node-initialize.yaml" \
    "language-nodejs $PULUMI_LANGUAGE_NODEJS_VERSION pulumi-language-nodejs" \
    "kubernetes $KUBERNETES_VERSION kube-apiserver kube-controller-manager kube-scheduler kubectl" \
    "pulumi $PULUMI_VERSION bin/pulumi" \
    "kubernetes-provider $PULUMI_KUBERNETES_VERSION pulumi-resource-kubernetes"; do
    # shellcheck disable=SC2086 # the spec is words by design
    dir=$(ensure $spec)
    dirs+=("$dir")
done
if [[ "$real_node" == true ]]; then
    backend_requirements="$here/../../app/backend/requirements.txt"
    python_base_version="$PYTHON_BASE_SUITE-$(printf '%s' "$PYTHON_BASE_PACKAGES" | sha256sum | cut -c1-12)"
    wheels_version=$(sha256sum "$backend_requirements" | cut -c1-12)
    wget_version=$(cat "$here/node/wget/go.mod" "$here/node/wget/main.go" | sha256sum | cut -c1-12)
    for spec in "dynamic-provider-nodejs $PULUMI_LANGUAGE_NODEJS_VERSION pulumi-resource-pulumi-nodejs" \
        "pause $KUBERNETES_VERSION pause" \
        "kubernetes-node $KUBERNETES_VERSION kubelet kube-proxy" \
        "coredns $COREDNS_VERSION coredns" \
        "metrics-server $METRICS_SERVER_VERSION metrics-server" \
        "kube-router $KUBE_ROUTER_VERSION kube-router" \
        "wget-stand-in $wget_version wget" \
        "python-base $python_base_version rootfs.tar" \
        "backend-wheels $wheels_version wheels.txt"; do
        # shellcheck disable=SC2086 # the spec is words by design
        dir=$(ensure $spec)
        dirs+=("$dir")
    done
fi
say "local engine ready in $((SECONDS - started_all)) s"

if [[ "$print_path" == true ]]; then
    (
        IFS=:
        echo "${dirs[*]}"
    )
fi
