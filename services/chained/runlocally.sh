#!/usr/bin/env bash
# Serves this service on port 9000 behind the Lambda invoke API: its image in Docker when an
# engine answers, else the same runtime client and bundle on the host. Options: --port N,
# --timeout S, --concurrency N, --mode auto|docker|host, --base-image IMAGE.
set -euo pipefail
cd "$(dirname "$0")"
npm run --silent bundle
exec node node_modules/@ebsvc/local-runner/dist/run-cli.js . "$@"
