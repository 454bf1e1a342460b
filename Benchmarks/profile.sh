#!/bin/sh
# Profiles one full `dossier build` of a generated dossier with callgrind (instruction
# counts, exact and load-independent) and, when the kernel allows it, perf (cpu-clock samples).
#
#   Benchmarks/profile.sh [DOSSIER_DIR] [OUT_PREFIX]
#   Benchmarks/profile.sh Benchmarks/work/d1000 /tmp/cg1k     # default
#
# Valgrind 3.19 cannot read the DWARF 5 debug info Swift 6 emits ("unhandled dwarf2 abbrev
# form code 0x25 … Giving up"), so callgrind runs on a copy with the debug info stripped:
# function names come from the symbol table, which is all a per-function profile needs.
# Writes OUT_PREFIX.out (callgrind), OUT_PREFIX-inclusive.txt (demangled, inclusive),
# OUT_PREFIX-tree.txt (demangled, callers and callees) and, with perf, OUT_PREFIX.perf.txt.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/work/d1000}
out=${2:-/tmp/cg1k}
bin=$here/../.build-bench/release/dossier
templates=${TEMPLATES:-$here/../Templates}
[ -x "$bin" ] || { echo "build first: swift build -c release --product dossier --scratch-path .build-bench" >&2; exit 2; }
cp "$bin" /tmp/dossier-nodebug
objcopy --strip-debug /tmp/dossier-nodebug
rm -rf /tmp/dossier-profile-site /tmp/.dossier-profile-site.staging
cd "$dir"
valgrind --tool=callgrind --callgrind-out-file="$out.out" \
    /tmp/dossier-nodebug build --content Content --templates "$templates" --output /tmp/dossier-profile-site
demangle() { sed 's/\[[^]]*\]//g' | swift demangle --simplified; }
callgrind_annotate --inclusive=yes --threshold=100 "$out.out" | demangle > "$out-inclusive.txt"
callgrind_annotate --tree=both --inclusive=yes --threshold=100 "$out.out" | demangle > "$out-tree.txt"
callgrind_annotate "$out.out" | head -60
if perf record -e cpu-clock -F 999 -g -o "$out.perf" true >/dev/null 2>&1; then
    rm -rf /tmp/dossier-profile-site
    perf record -e cpu-clock -F 999 -g -o "$out.perf" \
        "$bin" build --content Content --templates "$templates" --output /tmp/dossier-profile-site
    perf report -i "$out.perf" --children --sort symbol --stdio 2>/dev/null | swift demangle --simplified > "$out.perf.txt"
fi
echo "inclusive: $out-inclusive.txt  callers/callees: $out-tree.txt"
