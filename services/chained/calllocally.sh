#!/usr/bin/env bash
# Calls this service running locally (see runlocally.sh) and prints its answer. Body: none for
# {"message": "Hello World"}, a JSON string, or a file. Port: --port N or $PORT (default 9000).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec node "$here/node_modules/@ebsvc/local-runner/dist/call-cli.js" --service "$here" "$@"
