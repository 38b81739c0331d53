#!/usr/bin/env python3
"""Times Engram on the benchmark data directory and prints its figures beside Anki's.

Each figure is the median of --runs fresh processes. Wall time is measured around the whole
process (so it includes start-up), except in a review session: there each step is timed
directly, from writing its input to reading the output line it causes (the first card from
the process's start, an answer to the next card, an undo to its confirmation, `:q` to the
exit). Peak RSS comes from wait4's rusage. Every process runs with ENGRAM_DEVICE=bench.
Benchmark tooling, not product code.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time


# Every Engram process runs as device "bench", so that its log lines go to one named file
# whatever the machine's host name.
ENV = {"NO_COLOR": "1", "ENGRAM_DEVICE": "bench"}

# Markers in a piped session's output (no prompts are printed to a pipe): each card's heading
# ("deck · N left · M learning"), the rating preview, a rating's and an undo's confirmation.
CARD = " left \u00b7 ".encode()
PREVIEW = b"1 again"
RECORDED = b"Recorded"
UNDONE = b"Undid the last rating"


def run(engram, home, args, stdin=b"", extra_env=None):
    env = dict(os.environ, ENGRAM_HOME=home, **ENV)
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


class Session:
    """One `review` process driven through a pipe, timed by when its output lines appear.

    Engram writes its output unbuffered, so a marker is read as soon as the work behind it is
    done; each figure is the time from writing an input to reading the output it causes."""

    def __init__(self, engram, home, extra_env=None):
        env = dict(os.environ, ENGRAM_HOME=home, **ENV)
        env.update(extra_env or {})
        self.start = time.perf_counter()
        self.proc = subprocess.Popen(
            [engram, "review"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.seen = b""

    def wait_for(self, marker, count):
        """Reads output until `marker` has appeared `count` times; returns the time then."""
        while self.seen.count(marker) < count:
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                raise SystemExit(f"engram review ended before {marker!r}: {self.proc.stderr.read().decode()}")
            self.seen += chunk
        return time.perf_counter()

    def send(self, data, marker):
        """Writes `data`, then waits for one more `marker`; returns the seconds in between."""
        wanted = self.seen.count(marker) + 1
        start = time.perf_counter()
        self.proc.stdin.write(data)
        self.proc.stdin.flush()
        return self.wait_for(marker, wanted) - start

    def close(self, data):
        """Writes `data` and closes the input; returns the seconds until the process exited,
        and its peak RSS."""
        start = time.perf_counter()
        self.proc.stdin.write(data)
        self.proc.stdin.close()
        self.proc.stdout.read()
        err = self.proc.stderr.read()
        _, status, usage = os.wait4(self.proc.pid, 0)
        if status != 0:
            raise SystemExit(f"engram review failed with status {status}: {err.decode()}")
        return time.perf_counter() - start, usage.ru_maxrss / 1024.0


def fresh_copy(engram, home, scratch):
    """A copy of the data directory with its snapshot valid (the cache is keyed by path)."""
    copy = os.path.join(scratch, "home")
    shutil.copytree(home, copy)
    run(engram, copy, ["due", "--json"])
    return copy


def timed_session(engram, home, answers, extra_env=None):
    """In a fresh copy (snapshot valid), one session: the first card, `answers` answers (Enter,
    then 3: the time from the rating to the next card's heading, which covers writing the log
    line, updating the state and drawing the next card), an undo of the last (`:u` to its
    confirmation), then `:q` once the card it brings back is shown (to the process's exit:
    summary, snapshot save, exit)."""
    with tempfile.TemporaryDirectory(dir=os.path.dirname(home)) as scratch:
        copy = fresh_copy(engram, home, scratch)
        session = Session(engram, copy, extra_env)
        first = session.wait_for(CARD, 1) - session.start
        per_answer = []
        for _ in range(answers):
            session.send(b"\n", PREVIEW)
            per_answer.append(session.send(b"3\n", CARD))
        cards = session.seen.count(CARD)
        undo = session.send(b":u\n", UNDONE)
        session.wait_for(CARD, cards + 1)
        time.sleep(0.2)
        close, rss = session.close(b":q\n")
        return {"first": first, "answer": statistics.median(per_answer), "undo": undo, "close": close, "rss": rss}


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
    ap.add_argument("--answers", type=int, default=20, help="answers in each timed review session")
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

    sessions = [timed_session(engram, home, a.answers) for _ in range(a.runs)]
    unsynced = [timed_session(engram, home, a.answers, {"ENGRAM_NO_FSYNC": "1"}) for _ in range(a.runs)]

    def median_of(runs, key):
        return statistics.median(run[key] for run in runs)

    first_wall = median_of(sessions, "first")
    first_rss = max(run["rss"] for run in sessions + unsynced)
    answer_sync, answer_rss = median_of(sessions, "answer"), first_rss
    answer_nosync = median_of(unsynced, "answer")
    undo_wall = median_of(sessions, "undo")
    close_wall = median_of(sessions, "close")

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
        ("`review` → first card shown (process start → its heading)", first_wall * 1000, "ms",
         anki_first * 1000, "Anki open → first card"),
        ("per rated answer (rating → next card shown), with fsync", answer_sync * 1000, "ms",
         anki_answer * 1000, "Anki per answer"),
        ("per rated answer (rating → next card shown), without fsync", answer_nosync * 1000, "ms",
         anki_answer * 1000, "Anki per answer"),
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
