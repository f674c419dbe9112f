#!/usr/bin/env bash
# `npm run check:openapi`: the OpenAPI document the app serves is clean, and a client generated
# from it type-checks against the requests the service takes. No database and no network.
set -euo pipefail
cd "$(dirname "$0")/.."

out=.tmp/openapi # gitignored
# The document as GET /openapi.json serves it under the default configuration.
tsx scripts/openapi.ts "$out/openapi.json"

# Lint with the rules of redocly.yaml (recommended-strict: any problem fails; telemetry off).
redocly lint "$out/openapi.json"

# The types a client would generate. --default-non-nullable false: by default openapi-typescript
# makes a property with a default required, right for answers but wrong for requests, where
# the default is what the service applies when the client leaves it out (language.policy).
openapi-typescript "$out/openapi.json" --output "$out/schema.d.ts" --default-non-nullable false

# test/openapi-client makes the tests' requests through openapi-fetch with those types.
tsc --noEmit -p test/openapi-client
