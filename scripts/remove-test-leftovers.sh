#!/usr/bin/env bash
# Removes the sandboxes and sandbox networks that earlier test or bench runs on this machine left
# behind (a run that was killed cleans up nothing), so that they neither pile up nor use up the
# engine's address pools. Only instances that tests and benches name (test-*, egress-*, bench-*)
# are touched; a server's own instance is never among them.
set -uo pipefail

ours() { grep -E $'\t(test|egress|bench)-' | cut -f1; }

docker ps -a --format $'{{.ID}}\t{{.Label "berth.instance"}}' 2>/dev/null | ours | xargs -r docker rm -f >/dev/null 2>&1
docker network ls --format $'{{.ID}}\t{{.Label "berth.instance"}}' 2>/dev/null | ours | xargs -r docker network rm >/dev/null 2>&1

# Firewall chains of any instance whose sandbox bridges are gone: they guard nothing any more (a
# stopped server keeps its networks, and so its chains, on purpose). Each instance's chains are
# BERTH-<TAG>-*, and its bridges berth<tag>c and berth<tag>o.
remove_orphan_chains() {
  local ipt=$1 table tag
  command -v "$ipt-save" >/dev/null 2>&1 || return 0
  for tag in $("$ipt-save" 2>/dev/null | grep -o '^:BERTH-[0-9A-F]*-' | sed 's/^:BERTH-//; s/-$//' | sort -u); do
    local lower=${tag,,}
    if ip link show "berth${lower}c" >/dev/null 2>&1 || ip link show "berth${lower}o" >/dev/null 2>&1; then
      continue
    fi
    for table in filter nat mangle raw; do
      # Jumps into the chains from the built-in ones first, then the chains themselves.
      "$ipt-save" -t "$table" 2>/dev/null | grep -E "^-A [^ ]+ .*-j BERTH-$tag-" | grep -v "^-A BERTH-$tag-" |
        sed 's/^-A //' |
        while read -r rule; do
          eval "\"\$ipt\" -t \"\$table\" -D $rule" >/dev/null 2>&1
        done
      for chain in $("$ipt-save" -t "$table" 2>/dev/null | grep -o "^:BERTH-$tag-[A-Z0-9]*" | tr -d :); do
        "$ipt" -t "$table" -F "$chain" >/dev/null 2>&1
      done
      for chain in $("$ipt-save" -t "$table" 2>/dev/null | grep -o "^:BERTH-$tag-[A-Z0-9]*" | tr -d :); do
        "$ipt" -t "$table" -X "$chain" >/dev/null 2>&1
      done
    done
  done
}
remove_orphan_chains iptables
remove_orphan_chains ip6tables
exit 0
