#!/usr/bin/env bash
# Installs what the tests need and runs every suite: the README's test command, and what CI runs.
#   ./scripts/test.sh            everything
#   ./scripts/test.sh --help     this text
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
    sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'
    # The stages are described once, in docs/testing.md (tests/unit/testStages.test.ts holds it to this script).
    echo "Stages, in order (docs/testing.md):"
    sed -n '/^<!-- stages -->$/,/^<!-- \/stages -->$/{//!p}' docs/testing.md | sed 's/\*\*//g; s/`//g'
    cat <<'HELP'
Environment: NGINX_BIN (default /usr/sbin/nginx), CHROMIUM_BIN (default /usr/bin/chromium), WRK_BIN (default
/usr/bin/wrk), BACKEND_VENV (default ./.venv), PYTHON (default python3), KUBE_SCORE (default
./.tools/bin/kube-score).
HELP
    exit 0
fi

# shellcheck source=lib/setup.sh
source scripts/lib/setup.sh

install_system_packages() {
    # "file|Debian package|what the tests need it for" (a program, or a library the pause build links)
    local -a wanted=(
        "${NGINX_BIN:-/usr/sbin/nginx}|nginx|the loopback tests run the real frontend config"
        "${CHROMIUM_BIN:-/usr/bin/chromium}|chromium|the browser tests (playwright-core drives it and never downloads one)"
        "${WRK_BIN:-/usr/bin/wrk}|wrk|the benchmark's load generator"
        "/usr/bin/openssl|openssl|the local control plane's throw-away certificates"
        "/usr/bin/curl|curl|the local control plane's health checks"
        "/usr/bin/ss|iproute2|the check that no test leaves a listening port behind"
        "/usr/bin/gcc|gcc|the real node's pause binary"
        "/usr/lib/x86_64-linux-gnu/libc.a|libc6-dev|linking that pause binary statically"
    )
    local -a missing=() packages=()
    local entry binary package reason
    for entry in "${wanted[@]}"; do
        IFS='|' read -r binary package reason <<<"$entry"
        if [[ ! -e "$binary" ]]; then
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

# The real node's Debian packages (containerd, runc, the CNI plugins, buildah, ...), at the versions pinned in
# tools/engine/versions.env; apt-get installs whichever is missing or at another version.
install_node_debian_packages() {
    local -a install
    mapfile -t install < <(missing_node_debian_packages)
    if ((${#install[@]} == 0)); then
        return
    fi
    if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
        echo "error: the real-pod tests (npm run test:pods) need these Debian packages, and a real node needs root:" >&2
        echo "  sudo apt-get install ${install[*]}" >&2
        echo "  then run ./scripts/test.sh as root (sudo -E ./scripts/test.sh)" >&2
        exit 1
    fi
    apt_install "the real node of the pod tests; no service is started" "${install[@]}"
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

install_test_nodes() {
    # The LTS lines users have (@pulumi/pulumi needs >= 22): the unit tests run on both, the engine tests on the current one.
    NODE_CURRENT_BIN=$(install_node "$(pinned_version NODE_VERSION)")
    NODE_MAINTENANCE_BIN=$(install_node "$(pinned_version NODE_MAINTENANCE_VERSION)")
}

install_system_packages
install_node_debian_packages
install_node_packages
install_test_nodes
install_backend_venv
install_schema_venv
install_kube_score

stage "tsc --noEmit (strict)"
npx tsc --noEmit -p .

stage "eslint"
npx eslint .

stage "prettier --check (the formatting npm run format writes)"
npx prettier --check "**/*.ts"

stage "pytest app/backend"
"${BACKEND_VENV:-.venv}/bin/python" -m pytest app/backend -q

stage "bench smoke: npm run bench -- --smoke (two seconds per scenario; it proves the benchmark runs, no figure is asserted)"
npm run bench -- --smoke

stage "local engine: tools/engine/build.sh --real-node (cold, about 25 minutes on 2 cores; then cached per version)"
tools/engine/build.sh --real-node

leftovers=$(mktemp)
trap 'rm -f "$leftovers"' EXIT
scripts/check-leftovers.sh snapshot "$leftovers"

for bin in "$NODE_MAINTENANCE_BIN" "$NODE_CURRENT_BIN"; do
    stage "mocha: unit tests (the program under Pulumi's mock runtime), Node $("$bin/node" --version)"
    PATH="$bin:$PATH" npm run test:unit
done

stage "mocha: conformance gates, integration tests (real NGINX and gunicorn on loopback), benchmark, browser tests (headless Chromium), Node $("$NODE_CURRENT_BIN/node" --version)"
for suite in conformance integration bench e2e; do
    PATH="$NODE_CURRENT_BIN:$PATH" npm run "test:$suite"
done

stage "mocha: engine tests (the real Pulumi engine against a real Kubernetes control plane on loopback), Node $("$NODE_CURRENT_BIN/node" --version)"
PATH="$NODE_CURRENT_BIN:$PATH" npm run test:engine

stage "mocha: real pods (the dev stack on a real kubelet + containerd node in its own network namespace), Node $("$NODE_CURRENT_BIN/node" --version)"
PATH="$NODE_CURRENT_BIN:$PATH" npm run test:pods

stage "leftovers: no temp folder, process or listening port remains"
scripts/check-leftovers.sh compare "$leftovers"
