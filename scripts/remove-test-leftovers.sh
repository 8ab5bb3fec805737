#!/usr/bin/env bash
# Removes the sandboxes and sandbox networks that earlier test or bench runs on this machine left
# behind (a run that was killed cleans up nothing), so that they neither pile up nor use up the
# engine's address pools. Only instances that tests and benches name (test-*, egress-*, bench-*)
# are touched; a server's own instance is never among them.
set -uo pipefail

ours() { grep -E $'\t(test|egress|bench)-' | cut -f1; }

docker ps -a --format $'{{.ID}}\t{{.Label "berth.instance"}}' 2>/dev/null | ours | xargs -r docker rm -f >/dev/null 2>&1
docker network ls --format $'{{.ID}}\t{{.Label "berth.instance"}}' 2>/dev/null | ours | xargs -r docker network rm >/dev/null 2>&1
exit 0
