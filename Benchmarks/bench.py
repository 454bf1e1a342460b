#!/usr/bin/env python3
"""Dossier benchmark: full builds against Hugo and the cmark floor, rebuilds, pathological input.

    Benchmarks/bench.py                          # 1k and 10k, 5 runs each (+ rebuild figures)
    Benchmarks/bench.py --sizes 1000,10000,50000 --runs 5 --runs-large 3
    Benchmarks/bench.py --sizes 50000 --runs 3   # adds/refreshes the 50k row, keeps the others
    Benchmarks/bench.py --pathological           # 20 MB note, 100,000-reference note
    Benchmarks/bench.py --no-build               # reuse .build-bench/release/dossier
    Benchmarks/bench.py --fresh-fs               # each size on a new ext4 file system (root)
    Benchmarks/bench.py --fresh-fs-per-run --fs-image-dir /dev/shm   # every run on one of its own, in memory
    Benchmarks/bench.py --scaling 10000,50000 --fs-image-dir /dev/shm  # the two sizes in turn: their ratio without drift

Everything generated goes to Benchmarks/work/ (gitignored). Results per size are kept in
Benchmarks/work/results-<N>.json; Benchmarks/results.md is rewritten from all of them, so
sizes measured in separate invocations end up in one table (each row says when it was measured).
"""
import argparse
import contextlib
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(HERE, "work")
SCRATCH = os.path.join(ROOT, ".build-bench")
DOSSIER = os.path.join(SCRATCH, "release", "dossier")
TEMPLATES = os.path.join(ROOT, "Templates")
TIME = "/usr/bin/time"
NEW_NAME = "Zéphyrine Quillebeuf"


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=isinstance(cmd, str), capture_output=True, text=True, **kw)


def rmtree(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)


class Run:
    def __init__(self, wall, rss_kb, user, sys_, rc, stderr):
        self.wall, self.rss_kb, self.user, self.sys, self.rc, self.stderr = wall, rss_kb, user, sys_, rc, stderr


def timed(cmd, cwd=None, stdout_null=False, timeout=None):
    """Runs cmd under /usr/bin/time -v; wall time from perf_counter, peak RSS from time -v."""
    report = os.path.join(WORK, ".time-report")
    full = [TIME, "-v", "-o", report] + cmd
    start = time.perf_counter()
    try:
        p = subprocess.run(full, cwd=cwd, stdout=subprocess.DEVNULL if stdout_null else subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=timeout)
        rc, err = p.returncode, p.stderr
    except subprocess.TimeoutExpired as e:
        return Run(time.perf_counter() - start, 0, 0, 0, "timeout", str(e.stderr or ""))
    wall = time.perf_counter() - start
    text = open(report).read()
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1))
    sys_ = float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
    return Run(wall, rss, user, sys_, rc, err)


def med(values):
    return statistics.median(values) if values else float("nan")


def fmt_s(seconds):
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_mb(kb):
    return f"{kb / 1024:.0f} MB"


def summary_line(stderr):
    lines = [l for l in stderr.strip().splitlines() if l.startswith(("built in", "checked in"))]
    return lines[-1] if lines else stderr.strip().splitlines()[-1] if stderr.strip() else ""


def written_count(stderr):
    m = re.search(r"(\d+) files written, (\d+) unchanged", stderr)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


# ---------------------------------------------------------------------------- setup

def build_dossier(snapshot):
    """swift build -c release --product dossier --scratch-path .build-bench; with --snapshot, from a
    copy of Package.swift, Sources/ and Templates/ in work/src (for a tree being edited while we build)."""
    global TEMPLATES
    # The Swift runtime and Foundation linked into the binary, as a release of the tool is
    # built (README): no 20 shared libraries to load at each start, and the runtime's
    # retain/release called directly rather than through the dynamic linker's tables.
    cmd = ["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "dossier", "--scratch-path", SCRATCH]
    if snapshot:
        src = os.path.join(WORK, "src")
        rmtree(src)
        os.makedirs(src)
        for name in ("Package.swift", "Package.resolved"):
            if os.path.exists(os.path.join(ROOT, name)):
                shutil.copy2(os.path.join(ROOT, name), src)
        for name in ("Sources", "Templates"):
            shutil.copytree(os.path.join(ROOT, name), os.path.join(src, name), symlinks=True)
        for test in os.listdir(os.path.join(ROOT, "Tests")):  # test targets must exist, but need not compile here
            if os.path.isdir(os.path.join(ROOT, "Tests", test)):
                os.makedirs(os.path.join(src, "Tests", test))
                open(os.path.join(src, "Tests", test, "Empty.swift"), "w").close()
        cmd += ["--package-path", src]
        TEMPLATES = os.path.join(src, "Templates")
    print("building dossier: " + " ".join(os.path.relpath(c, ROOT) if c.startswith("/") else c for c in cmd), flush=True)
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("swift build failed:\n" + p.stdout[-4000:] + p.stderr[-4000:])


def generate(folder, notes, seed, huge_mb=0, many_refs=0, hugo=True, force=False):
    """Generates the dossier unless an identical one (same meta.json parameters) is there."""
    meta_path = os.path.join(folder, "meta.json")
    if not force and os.path.exists(meta_path):
        meta = json.load(open(meta_path))
        if (meta.get("notes"), meta.get("seed"), float(meta.get("huge_note_mb", 0)), int(meta.get("many_refs", 0))) \
                == (notes, seed, float(huge_mb), int(many_refs)) and (not hugo or os.path.isdir(os.path.join(folder, "hugo"))):
            return meta
    extra = []
    if huge_mb:
        extra += ["--huge-note-mb", str(huge_mb)]
    if many_refs:
        extra += ["--many-refs", str(many_refs)]
    if not hugo:
        extra.append("--no-hugo")
    print(f"generating {os.path.relpath(folder, ROOT)} ({notes} notes {' '.join(extra)})…", flush=True)
    start = time.perf_counter()
    p = subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--notes", str(notes), "--seed", str(seed),
                        "--out", folder, *extra], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("generate.py failed:\n" + p.stderr)
    print(f"  generated in {time.perf_counter() - start:.1f} s", flush=True)
    return json.load(open(meta_path))


def machine():
    def first(cmd):
        out = sh(cmd).stdout.strip() or sh(cmd).stderr.strip()
        return out.splitlines()[0] if out else "?"
    mem = sh("free -h | awk '/^Mem:/{print $2}'").stdout.strip()
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": sh("nproc").stdout.strip(),
        "cpu": sh("lscpu | grep 'Model name' | sed 's/Model name: *//'").stdout.strip(),
        "memory": mem,
        "kernel": sh("uname -r").stdout.strip(),
        "swift": first("swift --version 2>&1"),
        "hugo": first("hugo version"),
        "cmark": first("cmark --version"),
        "load": open("/proc/loadavg").read().split()[:3],
        "binary": DOSSIER + " (built " + datetime.datetime.fromtimestamp(os.path.getmtime(DOSSIER)).strftime("%Y-%m-%d %H:%M") + ")",
        "templates": TEMPLATES,
    }


# ---------------------------------------------------------------------------- full builds

class FreshFilesystem:
    """A new ext4 file system (a sparse image on a loop device) holding one size's copy of
    the dossier, for as long as that size is measured.

    Why: on this machine's kernel (6.18) ext4 will not reuse an inode freed in the last
    `dirtytime_expire_seconds` (12 hours by default) while its inode table block is cached,
    and it looks past every such inode again for each new file and folder. A benchmark that
    deletes 240,000 inodes between series (each run's output) makes every later run of
    *both* tools slower, by up to half a build's CPU in `recently_deleted` and
    `find_inode_bit`; the runs then measure the disk's history. A new file system per size
    has no history; all three tools write to it.
    """
    def __init__(self, folder, notes, image_dir=WORK, parts=None):
        """`parts`: the subfolders of `folder` to copy (all of it when None)."""
        self.source, self.notes, self.parts = folder, notes, parts
        self.image = os.path.join(image_dir, f"fs-{notes}.img")
        self.mount = os.path.join(WORK, f"mnt-{notes}")

    def __enter__(self):
        self.__exit__()
        size_gb = 8 if self.notes <= 10000 else max(16, self.notes * 24 // 50000)
        with open(self.image, "wb") as f:
            f.truncate(size_gb << 30)
        place = os.path.join(self.mount, os.path.basename(self.source))
        copies = ([["cp", "-a", self.source, self.mount]] if self.parts is None else
                  [["mkdir", "-p", place]] + [["cp", "-a", os.path.join(self.source, part), place] for part in self.parts])
        # Inode tables and journal written now, not by a kernel thread during the runs.
        for cmd in [["mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", self.image],
                    ["mkdir", "-p", self.mount], ["mount", "-o", "loop", self.image, self.mount]] + copies:
            p = sh(cmd)
            if p.returncode != 0:
                self.__exit__()
                sys.exit(f"--fresh-fs: {' '.join(cmd)} failed (it needs root, mkfs.ext4 and loop devices):\n{p.stderr}")
        os.sync()
        return place

    def __exit__(self, *exc):
        if os.path.ismount(self.mount):
            sh(["umount", self.mount])
        if os.path.exists(self.image):
            os.remove(self.image)
        if os.path.isdir(self.mount) and not os.path.ismount(self.mount):
            os.rmdir(self.mount)


def full_builds(folder, runs, warmup=True, settle=True, fresh_per_run=None):
    """Paired, alternating runs of dossier build / hugo / cmark, each into a new folder.

    Nothing is deleted while the series runs: ext4 skips recently freed inodes when it
    allocates new ones, so deleting one run's 10,000 folders just before the next run made
    every later run of *both* tools slower than the one before (10k: 18.6 → 29.0 s). Each
    run writes into its own folder; all of them are deleted after the series, followed by
    a pause. (On kernels where "recently" is 12 hours, see FreshFilesystem, the pause does
    not undo that; `--fresh-fs` does.) `settle`: pause before the series too.

    `fresh_per_run` (notes, image folder): every run of every tool on a new ext4 file system
    of its own holding the dossier, so that no run finds what an earlier one wrote.
    """
    def site(base, i): return os.path.join(base, f"fresh-site-{i}")
    def hugo_out(base, i): return os.path.join(base, f"fresh-hugo-{i}")
    tools = {
        "dossier": lambda base, i: [DOSSIER, "build", "--content", "Content", "--templates", TEMPLATES, "--output", site(base, i)],
        "hugo": lambda base, i: ["hugo", "--quiet", "-s", "hugo", "-d", hugo_out(base, i)],
        "cmark": lambda base, i: ["cmark", os.path.join("cmark", "all-bodies.md")],
    }
    if not fresh_per_run:
        clear_fresh_outputs(folder, settle=settle)  # earlier steps (another size's rebuilds) delete too
    names = list(tools)
    results = {n: [] for n in names}
    pages_d = pages_h = 0

    def run(n, i, base):
        nonlocal pages_d, pages_h
        rmtree(os.path.join(base, "hugo", "resources"))
        # The last run's pages go to disk now, not by writeback during this run.
        os.sync()
        r = timed(tools[n](base, i), cwd=base, stdout_null=n == "cmark")
        if r.rc != 0:
            sys.exit(f"{n} failed (exit {r.rc}) in {base}:\n{r.stderr[-3000:]}")
        if i == runs and n == "dossier":
            pages_d = sum(len(f) for _, _, f in os.walk(site(base, i)))
        if i == runs and n == "hugo":
            pages_h = sum(1 for _, _, fs in os.walk(hugo_out(base, i)) for f in fs if f.endswith(".html"))
        return r

    for i in range(0 if warmup else 1, runs + 1):  # run 0 is a warm-up (page cache, hugo's first start), not counted
        order = names[i % 3:] + names[:i % 3]
        for n in order:
            if fresh_per_run:
                notes, image_dir = fresh_per_run
                with FreshFilesystem(folder, notes, image_dir, parts=("Content", "hugo", "cmark")) as place:
                    r = run(n, i, place)
            else:
                r = run(n, i, folder)
            if i > 0:
                results[n].append(r)
        if i > 0:
            print(f"  run {i}: " + ", ".join(f"{n} {fmt_s(results[n][-1].wall)}" for n in names), flush=True)
    if not fresh_per_run:
        clear_fresh_outputs(folder)
    out = {}
    for n in names:
        rs = results[n]
        out[n] = {"wall": [r.wall for r in rs], "rss_kb": [r.rss_kb for r in rs], "cpu": [r.user + r.sys for r in rs]}
    out["dossier"]["summary"] = summary_line(results["dossier"][-1].stderr)
    out["files"] = {"dossier": pages_d, "hugo_html": pages_h}
    return out


def interleaved_scaling(sizes, runs, image_dir):
    """Full builds of two sizes taken in turn (dossier and hugo, each run on a new ext4 of
    its own), so that each round gives the ratio of the large size's time to the small
    one's measured within a minute of each other. The series of `full_builds` are taken
    minutes apart, and this machine's speed drifts by 10–15 % in that time: the ratio of
    their medians then moves with the drift (stop 29: 5.52× to 6.38× for the same code,
    Hugo's 5.75× to 6.57×)."""
    small, large = sizes
    walls = {tool: {n: [] for n in sizes} for tool in ("dossier", "hugo")}
    for i in range(runs):
        for n in (sizes if i % 2 == 0 else sizes[::-1]):
            folder = os.path.join(WORK, f"d{n}")
            for tool in (("dossier", "hugo") if i % 2 == 0 else ("hugo", "dossier")):
                with FreshFilesystem(folder, n, image_dir, parts=("Content", "hugo")) as place:
                    cmd = ([DOSSIER, "build", "--content", "Content", "--templates", TEMPLATES, "--output", "fresh-site"] if tool == "dossier"
                           else ["hugo", "--quiet", "-s", "hugo", "-d", os.path.join(place, "fresh-hugo")])
                    os.sync()
                    r = timed(cmd, cwd=place)
                    if r.rc != 0:
                        sys.exit(f"{tool} failed (exit {r.rc}) in {place}:\n{r.stderr[-3000:]}")
                    walls[tool][n].append(r.wall)
        print(f"  round {i + 1}: " + ", ".join(
            f"{tool} {fmt_s(walls[tool][small][-1])} → {fmt_s(walls[tool][large][-1])} ({walls[tool][large][-1] / walls[tool][small][-1]:.2f}×)"
            for tool in walls), flush=True)
    return {"sizes": sizes, "walls": {tool: {str(n): w for n, w in by.items()} for tool, by in walls.items()}}


def clear_fresh_outputs(folder, settle=False):
    """Deletes every output of a full-build series (and what Dossier keeps beside one),
    then waits until ext4 no longer treats the freed inodes as recently deleted."""
    found = [n for n in os.listdir(folder) if re.match(r"^\.?fresh-(site|hugo)", n)]
    for name in found:
        rmtree(os.path.join(folder, name))
    if found or settle:
        os.sync()
        time.sleep(65)


# ---------------------------------------------------------------------------- rebuilds

def rebuilds(folder, meta, runs):
    """No-change rebuild, one body edited, one person renamed — over an existing Site/."""
    rb = os.path.join(folder, "rebuild")
    rmtree(rb)
    os.makedirs(rb)
    shutil.copytree(os.path.join(folder, "Content"), os.path.join(rb, "Content"))
    cmd = [DOSSIER, "build", "--content", "Content", "--templates", TEMPLATES, "--output", "Site"]
    first = timed(cmd, cwd=rb)
    if first.rc != 0:
        sys.exit("initial rebuild-site build failed:\n" + first.stderr[-3000:])
    site = os.path.join(rb, "Site")
    out = {}

    def series(name, before_each):
        rs, written = [], []
        for i in range(runs):
            before_each(i)
            os.sync()
            r = timed(cmd, cwd=rb)
            if r.rc != 0:
                sys.exit(f"rebuild '{name}' failed:\n{r.stderr[-3000:]}")
            rs.append(r)
            written.append(written_count(r.stderr)[0])
        out[name] = {"wall": [r.wall for r in rs], "rss_kb": [r.rss_kb for r in rs], "cpu": [r.user + r.sys for r in rs],
                     "written": written, "summary": summary_line(rs[-1].stderr)}
        print(f"  {name}: median {fmt_s(med(out[name]['wall']))}, files written {written}", flush=True)

    series("no change", lambda i: None)

    note = os.path.join(rb, "Content", meta["edit_note"]["file"])

    def edit(i):
        with open(note, "a", encoding="utf-8") as f:
            f.write(f"\nAn appended benchmark sentence, number {i}.\n")
    # The first rebuild that writes anything after a build from scratch has no spare
    # folder tree to stage into (see SiteWriter): it makes one folder and one hard link
    # per page, once in the life of a site. Timed on its own, so that it is neither
    # hidden nor counted as the usual edit rebuild.
    edit(-1)
    r = timed(cmd, cwd=rb)
    if r.rc != 0:
        sys.exit("first rebuild failed:\n" + r.stderr[-3000:])
    out["first rebuild"] = {"wall": [r.wall], "rss_kb": [r.rss_kb], "cpu": [r.user + r.sys],
                            "written": [written_count(r.stderr)[0]], "summary": summary_line(r.stderr)}
    print(f"  first rebuild after a build from scratch (one body edited): {fmt_s(r.wall)}", flush=True)
    series("one body edited", edit)

    person = os.path.join(rb, "Content", meta["rename_person"]["file"])
    old = meta["rename_person"]["name"]
    old_files = files_containing(site, old)
    names = [NEW_NAME, old]
    state = {"current": old}

    def rename(i):
        new = names[i % 2]
        text = open(person, encoding="utf-8").read()
        text = text.replace(f'name: "{state["current"]}"', f'name: "{new}"', 1)
        open(person, "w", encoding="utf-8").write(text)
        state["current"] = new
    series("one person renamed", rename)
    # Verification (not timed): one more rename to NEW_NAME, then count pages.
    if state["current"] != NEW_NAME:
        rename(0)
        r = timed(cmd, cwd=rb)
        assert r.rc == 0, r.stderr
    new_files = files_containing(site, NEW_NAME)
    left_old = files_containing(site, old)
    # The real test: the site after all these incremental rebuilds is byte for byte what a
    # build from scratch of the same content writes. (The old name may legitimately stay
    # in other entries' titles, e.g. an event called "<name> travels to …".)
    fresh = os.path.join(rb, "Fresh")
    rmtree(fresh)
    r = timed([DOSSIER, "build", "--content", "Content", "--templates", TEMPLATES, "--output", "Fresh"], cwd=rb)
    assert r.rc == 0, r.stderr
    d = subprocess.run(["diff", "-rq", site, fresh], capture_output=True, text=True)
    differing = [l for l in d.stdout.splitlines() if l.strip()]
    rmtree(fresh)
    rmtree(os.path.join(rb, ".Fresh.cache"))
    out["rename check"] = {"person": meta["rename_person"]["id"], "old_name": old, "pages_with_old_name_before": len(old_files),
                           "pages_with_new_name_after": len(new_files), "pages_with_old_name_after": len(left_old),
                           "files_differing_from_fresh_build": len(differing),
                           "ok": not differing and len(new_files) >= len(old_files) - len(left_old)}
    print(f"  rename check: {out['rename check']}", flush=True)
    return out


def files_containing(site, text):
    p = subprocess.run(["grep", "-rlF", "--include=*.html", text, site], capture_output=True, text=True)
    return sorted(os.path.relpath(l, site) for l in p.stdout.split())


# ---------------------------------------------------------------------------- pathological

def pathological(args):
    cases = [("huge note", "p-huge", args.huge_mb, 0), ("many references", "p-refs", 0, args.many_refs)]
    out = {}
    for label, name, huge, refs in cases:
        folder = os.path.join(WORK, name)
        generate(folder, args.pathological_base, args.seed, huge_mb=huge, many_refs=refs, hugo=False)
        extra = [f"--huge-note-mb {huge:g}" if huge else f"--many-refs {refs}"]
        size = os.path.getsize(os.path.join(folder, "Content", "notes", "huge-note.md" if "huge" in name else "many-refs.md"))
        rs = []
        for i in range(args.pathological_runs):
            rmtree(os.path.join(folder, "fresh-site"))
            for leftover in ("staging", "spare", "cache"):
                rmtree(os.path.join(folder, ".fresh-site." + leftover))
            r = timed([DOSSIER, "build", "--content", "Content", "--templates", TEMPLATES, "--output", "fresh-site"],
                      cwd=folder, timeout=args.timeout)
            rs.append(r)
            print(f"  {label}: run {i + 1}: {fmt_s(r.wall)}, exit {r.rc}, {fmt_mb(r.rss_kb)}", flush=True)
            if r.rc != 0:
                break
        c = timed(["cmark", os.path.join("cmark", "all-bodies.md")], cwd=folder, stdout_null=True)
        out[label] = {"args": " ".join(extra), "note_bytes": size, "base_notes": args.pathological_base,
                      "wall": [r.wall for r in rs], "rss_kb": [r.rss_kb for r in rs], "rc": [r.rc for r in rs],
                      "summary": summary_line(rs[-1].stderr) if rs[-1].rc != "timeout" else f"timed out after {args.timeout} s",
                      "errors_head": "\n".join(rs[-1].stderr.splitlines()[:5]) if rs[-1].rc not in (0,) else "",
                      "cmark_wall": c.wall, "cmark_rss_kb": c.rss_kb}
    return out


# ---------------------------------------------------------------------------- report

def results_md(mach):
    rows = []
    for f in sorted(os.listdir(WORK)):
        m = re.fullmatch(r"results-(\d+)\.json", f)
        if m:
            rows.append(json.load(open(os.path.join(WORK, f))))
    rows.sort(key=lambda r: r["notes"])
    L = []
    L.append("# Dossier benchmark results\n")
    L.append(f"Machine: {mach['nproc']} cores, {mach['cpu']}, {mach['memory']} RAM, Linux {mach['kernel']}  ")
    L.append(f"{mach['swift']}; {mach['hugo']}; cmark {mach['cmark']}  ")
    L.append(f"Written {mach['date']} by `Benchmarks/bench.py`; binary {mach['binary']}.\n")
    L.append("## Full build (fresh output folder)\n")
    L.append("Median wall time of N paired, alternating runs (min–max in brackets); CPU = user+sys median; "
             "peak RSS = median of maximum resident set size.\n")
    L.append("| notes | runs | dossier build | hugo | cmark floor | dossier/hugo | dossier/cmark | dossier CPU | peak RSS dossier | peak RSS hugo | peak RSS cmark | measured (1-min load avg start→end); file system |")
    L.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        d, h, c = r["full"]["dossier"], r["full"]["hugo"], r["full"]["cmark"]
        L.append(f"| {r['notes']:,} | {len(d['wall'])} | {fmt_s(med(d['wall']))} ({fmt_s(min(d['wall']))}–{fmt_s(max(d['wall']))}) "
                 f"| {fmt_s(med(h['wall']))} ({fmt_s(min(h['wall']))}–{fmt_s(max(h['wall']))}) "
                 f"| {fmt_s(med(c['wall']))} | {med(d['wall']) / med(h['wall']):.2f}× | {med(d['wall']) / med(c['wall']):.1f}× "
                 f"| {med(d['cpu']):.2f} s | {fmt_mb(med(d['rss_kb']))} | {fmt_mb(med(h['rss_kb']))} | {fmt_mb(med(c['rss_kb']))} "
                 f"| {r['measured']}, load {r['load_at_start'][0]}→{r.get('load_at_end', ['?'])[0]}; {r.get('filesystem', 'ext4, Benchmarks/work')} |")
    L.append("")
    if len(rows) > 1:
        L.append("Scaling (dossier build, median wall): " + "; ".join(
            f"{a['notes']:,} → {b['notes']:,} notes ({b['notes'] / a['notes']:.0f}× the notes): "
            f"{med(b['full']['dossier']['wall']) / med(a['full']['dossier']['wall']):.2f}× the time"
            for a, b in zip(rows, rows[1:])) + ".\n")
    L.append("| notes | dossier files written | hugo HTML files | Content size | bodies (cmark input) | `dossier build` summary line |")
    L.append("|---:|---:|---:|---:|---:|---|")
    for r in rows:
        L.append(f"| {r['notes']:,} | {r['full']['files']['dossier']:,} | {r['full']['files']['hugo_html']:,} | {r['content_mb']:.1f} MB "
                 f"| {r['bodies_mb']:.1f} MB | `{r['full']['dossier']['summary']}` |")
    L.append("\n## Rebuilds over an existing Site/ (dossier only)\n")
    L.append("Median wall time (median CPU user+sys in brackets; percentage of the full build's median above).\n")
    L.append("The edit and rename series start after one rebuild that is in none of their medians: the first rebuild that writes anything after a "
             "build from scratch has no spare folder tree to stage into and makes one folder and one hard link per page "
             "(once in the life of a site); it is the *first rebuild* column.\n")
    L.append("| notes | no change | first rebuild (one edit) | one body edited | one person renamed | files written (no change / edit / rename) | peak RSS (no change / edit) | rename check | measured |")
    L.append("|---:|---:|---:|---:|---:|---|---:|---|---|")
    for r in rows:
        rb = r.get("rebuild")
        if not rb:
            continue
        nc, ed, rn, ck = rb["no change"], rb["one body edited"], rb["one person renamed"], rb["rename check"]
        full = med(r["full"]["dossier"]["wall"])
        def cell(x):
            return f"{fmt_s(med(x['wall']))} ({med(x['cpu']):.1f} s; {100 * med(x['wall']) / full:.0f}%)"
        first = cell(rb["first rebuild"]) if "first rebuild" in rb else "not measured"
        L.append(f"| {r['notes']:,} | {cell(nc)} | {first} | {cell(ed)} | {cell(rn)} "
                 f"| {med(nc['written']):.0f} / {med(ed['written']):.0f} / {med(rn['written']):.0f} | {fmt_mb(med(nc['rss_kb']))} / {fmt_mb(med(ed['rss_kb']))} "
                 f"| {'ok' if ck['ok'] else 'FAILED'}: {ck.get('files_differing_from_fresh_build', '?')} files differ from a build from scratch; "
                 f"{ck['pages_with_old_name_before']} pages contained '{ck['old_name']}' before, "
                 f"{ck['pages_with_new_name_after']} contain the new name after, {ck['pages_with_old_name_after']} still contain the old (in other entries' titles) "
                 f"| {r.get('rebuild_measured', r['measured'])}; {r.get('rebuild_filesystem', 'ext4, Benchmarks/work')} |")
    s_path = os.path.join(WORK, "scaling.json")
    if os.path.exists(s_path):
        sc = json.load(open(s_path))
        small, large = sc["sizes"]
        L.append(f"\n## Scaling, {small:,} → {large:,} notes, sizes taken in turn\n")
        L.append(f"Measured {sc['measured']} (`--scaling`): each round builds both sizes, each on a new ext4 file system "
                 "(loop image in " + sc["image_dir"] + "), so that a round's ratio is taken within a minute rather than between "
                 "series minutes apart.\n")
        L.append("| tool | rounds | ratio per round | median ratio | median time, small → large |")
        L.append("|---|---:|---|---:|---|")
        for tool, by in sc["walls"].items():
            a, b = by[str(small)], by[str(large)]
            ratios = [y / x for x, y in zip(a, b)]
            L.append(f"| {tool} | {len(ratios)} | {', '.join(f'{q:.2f}×' for q in ratios)} | {med(ratios):.2f}× "
                     f"| {fmt_s(med(a))} → {fmt_s(med(b))} |")
    p_path = os.path.join(WORK, "pathological.json")
    if os.path.exists(p_path):
        p = json.load(open(p_path))
        L.append("\n## Pathological input (dossier build, fresh output)\n")
        L.append(f"Measured {p['measured']}.\n")
        L.append("| case | generator flags | note size | base dossier | dossier build | peak RSS | exit | cmark on all bodies | summary |")
        L.append("|---|---|---:|---:|---:|---:|---|---:|---|")
        for label, c in p["cases"].items():
            ok = all(rc == 0 for rc in c["rc"])
            L.append(f"| {label} | `{c['args']}` | {c['note_bytes'] / 1e6:.1f} MB | {c['base_notes']:,} notes "
                     f"| {fmt_s(med(c['wall']))} ({len(c['wall'])} runs) | {fmt_mb(med(c['rss_kb']))} | {'ok' if ok else 'FAILED ' + str(c['rc'])} "
                     f"| {fmt_s(c['cmark_wall'])} | `{c['summary']}` |")
    L.append("\nHow to read these figures and how they were taken: see Benchmarks/README.md.")
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated note counts (e.g. 1000,10000,50000)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool and size (plus one warm-up)")
    ap.add_argument("--runs-large", type=int, default=3, help="runs for sizes >= 50000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-build", action="store_true", help="use the existing .build-bench/release/dossier")
    ap.add_argument("--snapshot", action="store_true", help="build from a copy of the sources in work/src (stable while the tree is edited)")
    ap.add_argument("--templates", help="templates folder (default: Templates/, or work/src/Templates with --snapshot)")
    ap.add_argument("--no-rebuilds", action="store_true")
    ap.add_argument("--rebuild-runs", type=int, default=0, help="runs per rebuild figure (default: same as --runs)")
    ap.add_argument("--only-rebuilds", action="store_true", help="measure the rebuild figures again, keep the recorded full builds")
    ap.add_argument("--no-warmup", action="store_true", help="skip the uncounted warm-up round (always skipped at >= 50k)")
    ap.add_argument("--regenerate", action="store_true", help="regenerate dossiers even if present")
    ap.add_argument("--fresh-fs", action="store_true", help="measure each size on a new ext4 file system (root; see FreshFilesystem)")
    ap.add_argument("--fresh-fs-per-run", action="store_true",
                    help="each timed run on a new ext4 file system of its own, and the rebuild series on another (root)")
    ap.add_argument("--fs-image-dir", default=WORK, help="with --fresh-fs or --fresh-fs-per-run: where the images live (e.g. /dev/shm: ext4 in memory, no disk writeback)")
    ap.add_argument("--pathological", action="store_true", help="only the pathological cases")
    ap.add_argument("--scaling", help="two sizes (e.g. 10000,50000) built in turn, round by round, each run on a new ext4 in "
                    "--fs-image-dir: the ratio of their times without the drift between two series")
    ap.add_argument("--scaling-runs", type=int, default=5, help="rounds for --scaling")
    ap.add_argument("--report-only", action="store_true", help="rewrite results.md from work/*.json, measure nothing")
    ap.add_argument("--huge-mb", type=float, default=20)
    ap.add_argument("--many-refs", type=int, default=100000)
    ap.add_argument("--pathological-base", type=int, default=1000, help="size of the ordinary dossier around them")
    ap.add_argument("--pathological-runs", type=int, default=3)
    ap.add_argument("--timeout", type=int, default=1800, help="seconds before a pathological build counts as failed")
    args = ap.parse_args()
    os.makedirs(WORK, exist_ok=True)
    if not os.path.exists(TIME):
        sys.exit("/usr/bin/time is missing: apt-get install time")
    global TEMPLATES
    if not args.no_build and not args.report_only:
        build_dossier(args.snapshot)
    elif args.snapshot and os.path.isdir(os.path.join(WORK, "src", "Templates")):
        TEMPLATES = os.path.join(WORK, "src", "Templates")
    if args.templates:
        TEMPLATES = os.path.abspath(args.templates)
    mach = machine()
    print(json.dumps(mach, ensure_ascii=False), flush=True)

    if args.report_only:
        pass
    elif args.scaling:
        sizes = [int(x) for x in args.scaling.split(",")]
        for n in sizes:
            generate(os.path.join(WORK, f"d{n}"), n, args.seed, force=args.regenerate)
        print(f"[scaling] {sizes[0]:,} and {sizes[1]:,} notes in turn, {args.scaling_runs} rounds…", flush=True)
        sc = interleaved_scaling(sizes, args.scaling_runs, args.fs_image_dir)
        sc["measured"], sc["image_dir"] = mach["date"], args.fs_image_dir
        json.dump(sc, open(os.path.join(WORK, "scaling.json"), "w"), indent=1)
    elif args.pathological:
        cases = pathological(args)
        json.dump({"measured": mach["date"], "cases": cases}, open(os.path.join(WORK, "pathological.json"), "w"), indent=1)
    else:
        for n in [int(s) for s in args.sizes.split(",") if s]:
            folder = os.path.join(WORK, f"d{n}")
            meta = generate(folder, n, args.seed, force=args.regenerate)
            chk = sh([DOSSIER, "check", "--content", "Content"], cwd=folder)
            print(f"[{n}] check: {summary_line(chk.stderr)}", flush=True)
            if chk.returncode != 0:
                sys.exit("generated dossier has errors:\n" + chk.stderr[-3000:])
            runs = args.runs_large if n >= 50000 else args.runs
            recorded = os.path.join(WORK, f"results-{n}.json")
            image = " in " + args.fs_image_dir if args.fs_image_dir != WORK else ""
            filesystem = (f"a new ext4 file system for every run (loop image{image})" if args.fresh_fs_per_run else
                          f"a new ext4 file system (loop image{image})" if args.fresh_fs else "ext4, Benchmarks/work")
            per_run = (n, args.fs_image_dir) if args.fresh_fs_per_run else None
            # Where the rebuild series runs: the size's file system, or one of its own.
            def rebuild_place(place):
                return FreshFilesystem(folder, n, args.fs_image_dir, parts=("Content",)) if per_run else contextlib.nullcontext(place)
            with (FreshFilesystem(folder, n, args.fs_image_dir) if args.fresh_fs and not per_run else contextlib.nullcontext(folder)) as place:
                if args.only_rebuilds and os.path.exists(recorded):
                    res = json.load(open(recorded))
                    print(f"[{n}] rebuilds, {args.rebuild_runs or runs} runs each…", flush=True)
                    with rebuild_place(place) as where:
                        res["rebuild"] = rebuilds(where, meta, args.rebuild_runs or runs)
                    res["rebuild_measured"] = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
                    res["rebuild_filesystem"] = filesystem
                    json.dump(res, open(recorded, "w"), indent=1)
                    continue
                print(f"[{n}] full builds, {runs} runs on {filesystem}…", flush=True)
                full = full_builds(place, runs, warmup=n < 50000 and not args.no_warmup, settle=not args.fresh_fs, fresh_per_run=per_run)
                res = {"notes": n, "seed": args.seed, "measured": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
                       "load_at_start": open("/proc/loadavg").read().split()[:3], "filesystem": filesystem,
                       "check": summary_line(chk.stderr), "full": full,
                       "content_mb": sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(os.path.join(folder, "Content")) for f in fs) / 1e6,
                       "bodies_mb": os.path.getsize(os.path.join(folder, "cmark", "all-bodies.md")) / 1e6}
                if not args.no_rebuilds:
                    print(f"[{n}] rebuilds, {args.rebuild_runs or runs} runs each…", flush=True)
                    with rebuild_place(place) as where:
                        res["rebuild"] = rebuilds(where, meta, args.rebuild_runs or runs)
                    res["rebuild_measured"] = res["measured"]
                    res["rebuild_filesystem"] = filesystem
                res["load_at_end"] = open("/proc/loadavg").read().split()[:3]
                json.dump(res, open(os.path.join(WORK, f"results-{n}.json"), "w"), indent=1)
    mach["load_end"] = open("/proc/loadavg").read().split()[:3]
    md = results_md(mach)
    open(os.path.join(HERE, "results.md"), "w").write(md)
    print("\n" + md)


if __name__ == "__main__":
    main()
