#!/usr/bin/env python3
"""Times Engram on the benchmark data directory and prints its figures beside Anki's.

Each figure is the median of --runs fresh processes. Wall time is measured around the whole
process (so it includes start-up); peak RSS comes from wait4's rusage. Benchmark tooling, not
product code.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time


def run(engram, home, args, stdin=b"", extra_env=None):
    env = dict(os.environ, ENGRAM_HOME=home, NO_COLOR="1")
    env.update(extra_env or {})
    start = time.perf_counter()
    proc = subprocess.Popen(
        [engram] + args, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    proc.stdin.write(stdin)
    proc.stdin.close()
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"engram {' '.join(args)} failed: {err.decode()}")
    return wall, usage.ru_maxrss / 1024.0, out


def session(engram, home, steps, extra_env=None, pause_before_last=0.0):
    """Drives one `review` session through a pipe and times its steps.

    `steps` is a list of (input, marker): each input is written, then output is read until
    `marker` has appeared once more (None: the process exits after that input, and stdin is
    closed). `pause_before_last` lets the output of the step before the last settle first (the
    next card drawn), so the last step times only itself. Returns the seconds each step took and the peak RSS. Engram writes its output
    unbuffered, so a marker is seen as soon as the work behind it is done."""
    env = dict(os.environ, ENGRAM_HOME=home, NO_COLOR="1")
    env.update(extra_env or {})
    proc = subprocess.Popen(
        [engram, "review"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    seen = b""
    times = []
    for number, (data, marker) in enumerate(steps):
        if number == len(steps) - 1 and pause_before_last:
            time.sleep(pause_before_last)
        start = time.perf_counter()
        proc.stdin.write(data)
        proc.stdin.flush()
        if marker is None:
            proc.stdin.close()
            proc.stdout.read()
            proc.stderr.read()
            _, status, usage = os.wait4(proc.pid, 0)
            times.append(time.perf_counter() - start)
            if status != 0:
                raise SystemExit(f"engram review failed with status {status}")
            return times, usage.ru_maxrss / 1024.0
        wanted = seen.count(marker) + 1
        while seen.count(marker) < wanted:
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                raise SystemExit(f"engram review ended before {marker!r}: {proc.stderr.read().decode()}")
            seen += chunk
        times.append(time.perf_counter() - start)
    proc.stdin.close()
    proc.wait()
    return times, 0.0


def median_runs(runs, fn):
    walls, rss = [], []
    for _ in range(runs):
        wall, peak, _ = fn()
        walls.append(wall)
        rss.append(peak)
    return statistics.median(walls), max(rss)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engram", required=True)
    ap.add_argument("--home", required=True)
    ap.add_argument("--anki", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--answers", type=int, default=200)
    ap.add_argument("--out")
    ap.add_argument("--import-tsv", help="cards.tsv of the collection export: the first --import-lines become the import file")
    ap.add_argument("--import-lines", type=int, default=50000)
    ap.add_argument("--apkg", help="the whole collection as an Anki package, for timing a large .apkg import")
    a = ap.parse_args()
    engram, home = a.engram, a.home
    cache = os.path.join(home, "state.cache")

    def rebuild():
        if os.path.exists(cache):
            os.remove(cache)
        return run(engram, home, ["due", "--json"])

    rebuild_wall, rebuild_rss = median_runs(a.runs, rebuild)
    due_wall, due_rss = median_runs(a.runs, lambda: run(engram, home, ["due", "--json"]))
    counts = json.loads(run(engram, home, ["due", "--json"])[2])
    totals = {k: sum(d[k] for d in counts) for k in ("due", "learning", "new")}

    first_wall, first_rss = median_runs(a.runs, lambda: run(engram, home, ["review"], b"q\n"))

    def per_answer(sync):
        """Marginal cost of one rated answer: (time for 2N answers - time for N) / N, each in a
        fresh copy of the data, so start-up, parsing the decks the cards come from and the
        cache save at the end cancel out."""
        walls, rss = [], []
        env = {} if sync else {"ENGRAM_NO_FSYNC": "1"}
        for _ in range(a.runs):
            totals = []
            for count in (a.answers, 2 * a.answers):
                with tempfile.TemporaryDirectory(dir=os.path.dirname(home)) as scratch:
                    copy = os.path.join(scratch, "home")
                    shutil.copytree(home, copy)
                    run(engram, copy, ["due", "--json"])  # the cache is keyed by path: rebuild it first
                    total, peak, _ = run(engram, copy, ["review"], b"\n3\n" * count + b"q\n", env)
                    totals.append(total)
                    rss.append(peak)
            walls.append((totals[1] - totals[0]) / a.answers)
        return statistics.median(walls), max(rss)

    answer_sync, answer_rss = per_answer(True)
    answer_nosync, _ = per_answer(False)

    def undo_and_close():
        """In a fresh copy (cache valid), one session: 20 answers, an undo of the last one (time
        from `:u` to its confirmation), one more answer; then `:q` once the next card is drawn
        (time from `:q` to the process's exit: summary, snapshot save, exit)."""
        undos, closes = [], []
        for _ in range(a.runs):
            with tempfile.TemporaryDirectory(dir=os.path.dirname(home)) as scratch:
                copy = os.path.join(scratch, "home")
                shutil.copytree(home, copy)
                run(engram, copy, ["due", "--json"])
                steps = [(b"\n3\n", b"Recorded")] * 20 + [(b":u\n", b"Undid the last rating")]
                steps += [(b"\n3\n", b"Recorded"), (b":q\n", None)]
                times, _ = session(engram, copy, steps, pause_before_last=0.3)
                undos.append(times[20])
                closes.append(times[-1])
        return statistics.median(undos), statistics.median(closes)

    undo_wall, close_wall = undo_and_close()

    state_wall, state_rss = median_runs(a.runs, lambda: run(engram, home, ["state", "--json"]))
    stats_wall, stats_rss = median_runs(a.runs, lambda: run(engram, home, ["stats"]))
    stats_json_wall, stats_json_rss = median_runs(a.runs, lambda: run(engram, home, ["stats", "--json"]))

    def import_into_fresh_home(path):
        """One `engram import PATH` into an empty data directory."""
        with tempfile.TemporaryDirectory(dir=os.path.dirname(home)) as scratch:
            return run(engram, os.path.join(scratch, "home"), ["import", path])

    import_rows = []
    anki = json.load(open(a.anki))
    if a.import_tsv and "d" in anki:
        with tempfile.TemporaryDirectory(dir=os.path.dirname(home)) as scratch:
            # The same file Anki's harness imports: these headers, then the first lines of cards.tsv.
            path = os.path.join(scratch, "import50k.tsv")
            with open(a.import_tsv, encoding="utf-8") as src, open(path, "w", encoding="utf-8") as out:
                out.write("#separator:tab\n#html:false\n#notetype:Basic\n#deck column:1\n")
                for number, line in enumerate(src):
                    if number >= a.import_lines:
                        break
                    out.write(line)
            tsv_wall, tsv_rss = median_runs(a.runs, lambda: import_into_fresh_home(path))
        anki_import = anki["d"]["median"]
        import_rows = [
            (f"`import` of a {a.import_lines:,}-line TSV, whole process", tsv_wall * 1000, "ms",
             anki_import["total_s"] * 1000, "Anki import_csv call (d)"),
            ("peak RSS, TSV import", tsv_rss, "MB", anki_import["peak_rss_mb"], "Anki peak RSS (d)"),
        ]
    apkg_line = ""
    if a.apkg:
        apkg_wall, apkg_rss = median_runs(a.runs, lambda: import_into_fresh_home(a.apkg))
        size = f"{os.path.getsize(a.apkg) / 1e6:.1f} MB"
        if "p" in anki:
            # Beside Anki's own package import of the same file (bench_anki.py test p).
            anki_apkg = anki["p"]["median"]
            import_rows += [
                (f"`import` of the whole collection as an .apkg ({size}), whole process", apkg_wall, "s",
                 anki_apkg["total_s"], "Anki import_anki_package call (p)"),
                ("peak RSS, .apkg import", apkg_rss, "MB", anki_apkg["peak_rss_mb"], "Anki peak RSS (p)"),
            ]
        else:
            apkg_line = (f"`import` of the whole collection as an .apkg (Anki's exporter, with scheduling; "
                         f"{size}): {apkg_wall:.2f} s, peak RSS {apkg_rss:.0f} MB "
                         "(median of fresh data directories; no Anki figure: run bench_anki.py with --only p --apkg)")

    anki_first = anki["a"]["median"]["open_to_first_card_s"]
    anki_rss = anki["a"]["median"]["peak_rss_mb"]
    anki_answer = anki["b"]["median"]["median_per_answer_s"]
    anki_counts = anki["c"]["median"]["first_call_s"]
    anki_stats = anki.get("g", {}).get("median", {})
    stats_rows = []
    if anki_stats:
        anki_stats_s = anki_stats["open_to_graphs_s"]
        stats_rows = [
            ("`stats`, whole process", stats_wall * 1000, "ms", anki_stats_s * 1000,
             "Anki open → statistics screen (g)"),
            ("`stats --json`, whole process", stats_json_wall * 1000, "ms", anki_stats_s * 1000,
             "Anki open → statistics screen (g)"),
            ("peak RSS, `stats`", max(stats_rss, stats_json_rss), "MB", anki_stats["peak_rss_mb"],
             "Anki peak RSS (g)"),
        ]

    rows = [
        ("`due --json`, whole process, cache valid", due_wall * 1000, "ms", anki_first * 1000,
         "Anki open → first card"),
        ("`due --json`, whole process, cache rebuilt (full replay)", rebuild_wall * 1000, "ms",
         anki_first * 1000, "Anki open → first card"),
        ("`review` → first card shown, whole process", first_wall * 1000, "ms", anki_first * 1000,
         "Anki open → first card"),
        ("per rated answer, with fsync", answer_sync * 1000, "ms", anki_answer * 1000,
         "Anki per answer"),
        ("per rated answer, without fsync", answer_nosync * 1000, "ms", anki_answer * 1000,
         "Anki per answer"),
        ("undo in a review session (`:u` → confirmed)", undo_wall * 1000, "ms", anki_answer * 1000,
         "Anki per answer"),
        ("closing a session (`:q` → process exit)", close_wall * 1000, "ms", anki_first * 1000,
         "Anki open → first card"),
        ("`state --json`, whole process", state_wall * 1000, "ms", anki_first * 1000, "Anki open → first card"),
        ("peak RSS, `state --json`", state_rss, "MB", anki_rss, "Anki peak RSS (a)"),
    ] + stats_rows + [
        ("peak RSS, `due --json` (cache valid)", due_rss, "MB", anki_rss, "Anki peak RSS (a)"),
        ("peak RSS, cache rebuild", rebuild_rss, "MB", anki_rss, "Anki peak RSS (a)"),
        ("peak RSS, review session", max(first_rss, answer_rss), "MB", anki_rss, "Anki peak RSS (a)"),
    ] + import_rows
    lines = [
        f"Engram queue today: {totals['due']} due · {totals['learning']} learning · {totals['new']} new "
        f"(Anki: {anki['a']['runs'][0].get('counts')}); Anki due counts for all decks: {anki_counts * 1000:.1f} ms",
        "",
        "| measure | Engram | Anki | Engram / Anki | Anki figure |",
        "|---|---:|---:|---:|---|",
    ]
    for name, ours, unit, theirs, what in rows:
        lines.append(f"| {name} | {ours:.1f} {unit} | {theirs:.1f} {unit} | {ours / theirs:.2f} | {what} |")
    if apkg_line:
        lines += ["", apkg_line]
    text = "\n".join(lines)
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
