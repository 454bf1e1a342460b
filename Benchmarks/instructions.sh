#!/bin/sh
# Counts the instructions (callgrind's Ir: exact, and the same whatever the machine's
# load) of two builds, to compare binaries where wall times move by 10–15 % within minutes:
#   full  one build from scratch of a generated dossier (default: work/d1000);
#   edit  one rebuild after one note's body was edited (default: work/d10000), the fourth
#         build in a row (a build from scratch, then two edits), as in bench.py's series.
#
#   Benchmarks/instructions.sh [BINARY] [FULL_DOSSIER_DIR] [EDIT_DOSSIER_DIR]
#
# The binary is copied with its debug information stripped (valgrind cannot read the
# DWARF 5 that Swift 6 emits). Every build of the edit series runs under callgrind
# (counting only in the last): the build cache records the running program, and under
# valgrind that is valgrind's own tool, so a cache written outside it would not be used.
# Only the user-space instructions are counted, not the kernel's work (file system calls).
# Swift seeds its hashing at random in every process, which moves a 10k build's count by
# up to 1 % (other collisions in the same tables); the counted builds hash with a fixed
# seed instead.
set -eu
export SWIFT_DETERMINISTIC_HASHING=1
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../.build-bench/release/dossier}
full=${2:-$here/work/d1000}
edit=${3:-$here/work/d10000}
templates=${TEMPLATES:-$here/../Templates}
work=$(mktemp -d /tmp/dossier-instructions.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp "$bin" "$work/dossier"
objcopy --strip-debug "$work/dossier"

count() { grep 'I   refs' | awk '{print $NF}'; }

echo "full build of $full: $(valgrind --tool=callgrind --callgrind-out-file="$work/full.out" \
    "$work/dossier" build --content "$full/Content" --templates "$templates" --output "$work/full/Site" 2>&1 | count)"

cp -R "$edit/Content" "$work/Content"
# Every note older than the two seconds within which a stamp vouches for nothing.
sleep 2.1
note=$(find "$work/Content/notes" -name '*.md' | sort | head -n 1)
quiet="valgrind --tool=callgrind --callgrind-out-file=$work/quiet.out --instr-atstart=no"
$quiet "$work/dossier" build --content "$work/Content" --templates "$templates" --output "$work/edit/Site" >/dev/null 2>&1
for k in 1 2; do
    printf '\nEdited %s.\n' "$k" >> "$note"
    $quiet "$work/dossier" build --content "$work/Content" --templates "$templates" --output "$work/edit/Site" >/dev/null 2>&1
done
printf '\nEdited 3.\n' >> "$note"
echo "one-body-edit rebuild of $edit: $(valgrind --tool=callgrind --callgrind-out-file="$work/edit.out" \
    "$work/dossier" build --content "$work/Content" --templates "$templates" --output "$work/edit/Site" 2>&1 | count)"
