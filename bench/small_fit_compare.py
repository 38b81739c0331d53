#!/usr/bin/env python3
"""engram optimize vs fsrs-rs on small histories (benchmark tooling only).

A synthetic learner (../shared/fsrs/synth_revlog.py) reviews for a while; the first 50, 200 and
1,000 reviews of the log (in time order) are fitted by fsrs-rs (`compute_parameters`) and by
`engram optimize --json --dry-run`, and both parameter sets are scored on the subset's items by
fsrs-rs's own evaluator. Exit status 1 when Engram's log loss is worse by more than 0.005.
"""
import argparse, csv, json, os, subprocess, sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engram", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--sizes", default="50,200,1000")
    ap.add_argument("--out")
    a = ap.parse_args()
    sys.path.insert(0, os.path.join(a.shared, "fsrs"))
    import fsrs_rs_optimize as rs
    from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS

    os.makedirs(a.dir, exist_ok=True)
    full = os.path.join(a.dir, "synth-small.csv")
    if not os.path.exists(full):
        subprocess.run([sys.executable, os.path.join(a.shared, "fsrs", "synth_revlog.py"), full, "--cards", "300"],
                       check=True, stdout=subprocess.DEVNULL)
    with open(full, newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames
        rows = sorted(reader, key=lambda r: int(float(r["review_time"])))
    lines = ["| reviews | items | fit (engram) | log loss fsrs-rs | log loss engram | difference |",
             "|---:|---:|---|---:|---:|---:|"]
    worst = 0.0
    for size in [int(s) for s in a.sizes.split(",")]:
        subset = os.path.join(a.dir, f"small-{size}.csv")
        with open(subset, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows[:size])
        hist, _, _ = rs.load(subset, 0.0, 4.0)
        items, _ = rs.to_items(hist)
        reference = FSRS(DEFAULT_PARAMETERS).compute_parameters(items) if items else list(DEFAULT_PARAMETERS)
        home = os.path.join(a.dir, f"home-small-{size}")
        subprocess.run(["rm", "-rf", home], check=True)
        subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "convert_revlog_csv.py"), subset, home],
                       check=True, stdout=subprocess.DEVNULL)
        out = subprocess.run([a.engram, "optimize", "--json", "--dry-run"], env=dict(os.environ, ENGRAM_HOME=home, TZ="UTC"),
                             check=True, capture_output=True, text=True).stdout
        ours = json.loads(out)
        loss_rs = FSRS(reference).evaluate(items).log_loss if items else 0.0
        loss_ours = FSRS(ours["parameters"]).evaluate(items).log_loss if items else 0.0
        # Lower is better: Engram may fit its own items more closely, never worse by more than 0.005.
        worst = max(worst, loss_ours - loss_rs)
        lines.append(f"| {size} | {len(items)} | {ours.get('fit', '?')} | {loss_rs:.5f} | {loss_ours:.5f} | {loss_ours - loss_rs:+.5f} |")
    lines.append("engram no worse than fsrs-rs by more than 0.005: " + ("yes" if worst <= 0.005 else "NO"))
    text = "\n".join(lines)
    print(text)
    if a.out:
        open(a.out, "w").write(text + "\n")
    sys.exit(0 if worst <= 0.005 else 1)


if __name__ == "__main__":
    main()
