#!/usr/bin/env bash
# tests/check_manual.sh — the generated tables in spec/ISA.md equal what `bin/pgv` prints today.
#
# spec/ISA.md embeds the output of commands between marker lines
#     <!-- BEGIN GENERATED: pgv table encoding -->
#     (one empty line, the command's standard output verbatim, one empty line)
#     <!-- END GENERATED -->
# This script re-runs every marked command (only `pgv ...` commands, with bin/pgv),
# rebuilds the manual with fresh blocks and fails with a unified diff if it differs,
# so the manual's encoding and classification tables can never drift from
# spec/opcodes.def.  The blocks `pgv table encoding` and `pgv table classes` must be
# present.  Run by `make test` (tests/run.sh) and `make check-manual`;
# `tests/check_manual.sh --update` rewrites the blocks in place instead of failing.
set -euo pipefail
cd "$(dirname "$0")/.."

manual=spec/ISA.md
pgv=bin/pgv
update=0
case "${1:-}" in
    "") ;;
    --update) update=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: tests/check_manual.sh [--update]" >&2; exit 2 ;;
esac

[ -f "$manual" ] || { echo "check_manual: $manual not found" >&2; exit 1; }
[ -x "$pgv" ] || { echo "check_manual: $pgv not built (run make)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

begin_re='^<!-- BEGIN GENERATED: (.*) -->$'
end_line='<!-- END GENERATED -->'

# The commands, in the order of their blocks.
cmds=()
while IFS= read -r line; do
    if [[ $line =~ $begin_re ]]; then
        cmds+=("${BASH_REMATCH[1]}")
    fi
done < "$manual"

status=0
for required in "pgv table encoding" "pgv table classes"; do
    found=0
    for c in "${cmds[@]+"${cmds[@]}"}"; do
        [ "$c" = "$required" ] && found=1
    done
    if [ $found -eq 0 ]; then
        echo "check_manual: $manual has no block <!-- BEGIN GENERATED: $required -->" >&2
        status=1
    fi
done
[ $status -eq 0 ] || exit 1

# Run every command into $tmp/gen.N.
i=0
for c in "${cmds[@]}"; do
    if ! [[ $c =~ ^pgv\ [A-Za-z0-9\ _.-]+$ ]]; then
        echo "check_manual: refusing to run marker command '$c' (only 'pgv ARGS...')" >&2
        exit 1
    fi
    read -r -a words <<< "${c#pgv }"
    if ! "$pgv" "${words[@]}" > "$tmp/gen.$i" 2> "$tmp/err.$i"; then
        echo "check_manual: '$c' failed:" >&2
        cat "$tmp/err.$i" >&2
        exit 1
    fi
    i=$((i + 1))
done

# Rebuild the manual with the fresh blocks; reject unbalanced markers.
if ! awk -v dir="$tmp" -v endl="$end_line" '
    BEGIN { n = 0; inblk = 0; bad = 0 }
    /^<!-- BEGIN GENERATED: .* -->$/ {
        if (inblk) { print "check_manual: line " NR ": BEGIN inside a block" > "/dev/stderr"; bad = 1; exit 3 }
        print
        print ""
        f = dir "/gen." n
        while ((getline line < f) > 0) print line
        close(f)
        print ""
        n++; inblk = 1; next
    }
    $0 == endl {
        if (!inblk) { print "check_manual: line " NR ": END without BEGIN" > "/dev/stderr"; bad = 1; exit 3 }
        inblk = 0; print; next
    }
    { if (!inblk) print }
    END { if (!bad && inblk) { print "check_manual: unterminated block at end of file" > "/dev/stderr"; exit 3 } }
' "$manual" > "$tmp/ISA.md"; then
    exit 1
fi

if cmp -s "$manual" "$tmp/ISA.md"; then
    echo "check_manual: ${#cmds[@]} generated block(s) of $manual match bin/pgv (${cmds[*]})"
    exit 0
fi
if [ $update -eq 1 ]; then
    cp "$tmp/ISA.md" "$manual"
    echo "check_manual: updated ${#cmds[@]} generated block(s) in $manual"
    exit 0
fi
diff -u "$manual" "$tmp/ISA.md" | sed "s#$tmp/ISA.md#regenerated#" || true
echo "check_manual: $manual differs from the generated tables (tests/check_manual.sh --update rewrites them)" >&2
exit 1
