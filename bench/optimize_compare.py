#!/usr/bin/env python3
"""engram optimize vs fsrs-rs on the same synthetic review logs (benchmark tooling only).

For each size: simulate a learner with known parameters (../shared/fsrs/synth_revlog.py), fit
with fsrs-rs (../shared/fsrs/fsrs_rs_optimize.py) and with `engram optimize --json --dry-run` on
the same history, then score BOTH parameter sets with fsrs-rs's own evaluator, so the log losses
are computed by one implementation. Prints wall times, log loss, RMSE(bins) and the distance of
each fit to the true parameters (mean absolute difference over the 21 weights).
"""
import argparse
import json
import os
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engram", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--sizes", default="5000,20000")
    ap.add_argument("--out")
    a = ap.parse_args()
    sys.path.insert(0, os.path.join(a.shared, "fsrs"))
    import fsrs_rs_optimize as rs  # the reference script's own loading and item building
    from fsrs_rs_python import FSRS

    os.makedirs(a.dir, exist_ok=True)
    rows = []
    for size in [int(s) for s in a.sizes.split(",")]:
        csv_path = os.path.join(a.dir, f"synth-{size}.csv")
        truth_path = csv_path[:-4] + ".truth.json"
        if not os.path.exists(csv_path):
            subprocess.run([sys.executable, os.path.join(a.shared, "fsrs", "synth_revlog.py"), csv_path,
                            "--cards", str(size)], check=True, stdout=subprocess.DEVNULL)
        rs_json = os.path.join(a.dir, f"synth-{size}.fsrs-rs.json")
        subprocess.run([sys.executable, os.path.join(a.shared, "fsrs", "fsrs_rs_optimize.py"), csv_path,
                        "--truth", truth_path, "--json", rs_json], check=True, stdout=subprocess.DEVNULL)
        reference = json.load(open(rs_json))
        home = os.path.join(a.dir, f"home-{size}")
        if not os.path.exists(home):
            subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "convert_revlog_csv.py"),
                            csv_path, home], check=True, stdout=subprocess.DEVNULL)
        env = dict(os.environ, ENGRAM_HOME=home, TZ="UTC")
        walls, fits = [], []
        for _ in range(3):
            start = time.perf_counter()
            out = subprocess.run([a.engram, "optimize", "--json", "--dry-run"], env=env, check=True,
                                 capture_output=True, text=True).stdout
            walls.append(time.perf_counter() - start)
            fits.append(json.loads(out))
        ours = fits[0]
        hist, _, _ = rs.load(csv_path, 0.0, 4.0)
        items, _ = rs.to_items(hist)
        truth = list(json.load(open(truth_path))["true_parameters_per_learner"].values())[0]
        score = {name: FSRS(w).evaluate(items) for name, w in
                 [("fsrs-rs", reference["fitted"]), ("engram", ours["parameters"]), ("truth", truth)]}
        dist = lambda w: sum(abs(x - y) for x, y in zip(w, truth)) / 21
        rows.append((size, len(items), reference["fit_seconds"], sorted(f["seconds"] for f in fits)[1],
                     sorted(walls)[1], score, dist(reference["fitted"]), dist(ours["parameters"])))
    lines = ["| cards | items | fsrs-rs fit | engram fit | engram whole process | log loss fsrs-rs | log loss engram | log loss truth | RMSE(bins) fsrs-rs | RMSE(bins) engram | distance to truth fsrs-rs | distance engram |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size, items, rs_s, our_s, wall, score, d_rs, d_ours in rows:
        lines.append(f"| {size} | {items} | {rs_s * 1000:.0f} ms | {our_s * 1000:.0f} ms | {wall * 1000:.0f} ms | "
                     f"{score['fsrs-rs'].log_loss:.5f} | {score['engram'].log_loss:.5f} | {score['truth'].log_loss:.5f} | "
                     f"{score['fsrs-rs'].rmse_bins:.5f} | {score['engram'].rmse_bins:.5f} | {d_rs:.4f} | {d_ours:.4f} |")
    text = "\n".join(lines)
    print(text)
    if a.out:
        open(a.out, "w").write(text + "\n")


if __name__ == "__main__":
    main()
