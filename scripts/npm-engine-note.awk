# Filters `npm ci` output run under the system Node: npm prints one EBADENGINE warning block per
# package that asks for a newer Node (matrix-js-sdk and its kin want Node 22). Those packages never
# run under the system Node: every npm script runs on the project's pinned Node 22 (the npm package
# `node`). So the blocks are folded into one note at the end; every other line passes through.
# Usage: npm ci 2>&1 | awk -v node="$(node -v)" -f scripts/npm-engine-note.awk
/EBADENGINE/ {
  if ($0 ~ /package:/) {
    name = $0
    sub(/.*package: *['"]?/, "", name)
    sub(/['"]?,? *$/, "", name)
    names = names (count++ ? ", " : "") name
  }
  next
}
{ print; fflush() }
END {
  if (count > 0) {
    printf "note: %d packages ask for a newer Node than the system's %s (%s). That is expected: the project runs them on its own pinned Node 22 (the npm package `node`), which every npm script uses.\n", count, node, names
  }
}
