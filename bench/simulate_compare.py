#!/usr/bin/env python3
"""engram simulate beside fsrs-rs's simulator (fsrs-rs-python `simulate`) on one plan.

Plan: 10,000 new cards, 20 a day, 365 days, desired retention 0.9, FSRS-6 default parameters,
fsrs-rs's default rating odds and answer times (an empty Engram log falls back to exactly
these), no daily cost or review cap. Both sides are the mean of four seeded runs. Prints the
mean reviews a day, mean minutes a day and cards memorised on the last day, the differences,
and the wall time of Engram's one-year run (the whole process).
"""
import argparse, json, os, subprocess, sys, tempfile, time

import fsrs_rs_python as fsrs

p = argparse.ArgumentParser()
p.add_argument("--engram", required=True)
p.add_argument("--out")
p.add_argument("--deck-size", type=int, default=10000)
p.add_argument("--new-per-day", type=int, default=20)
p.add_argument("--days", type=int, default=365)
p.add_argument("--retention", type=float, default=0.9)
a = p.parse_args()

config = fsrs.default_simulator_config()
config.deck_size = a.deck_size
config.learn_span = a.days
config.learn_limit = a.new_per_day
config.max_cost_perday = 1e12
runs = [fsrs.simulate(list(fsrs.DEFAULT_PARAMETERS), a.retention, config, 42 + i) for i in range(4)]
ref = {
    "reviews": sum(sum(r.review_cnt_per_day) for r in runs) / len(runs) / a.days,
    "minutes": sum(sum(r.cost_per_day) for r in runs) / len(runs) / a.days / 60,
    "memorized": sum(r.memorized_cnt_per_day[-1] for r in runs) / len(runs),
}

home = tempfile.mkdtemp(prefix="engram-sim-")
best = None
for _ in range(3):
    start = time.perf_counter()
    out = subprocess.run(
        [a.engram, "simulate", "--deck-size", str(a.deck_size), "--new-per-day", str(a.new_per_day),
         "--days", str(a.days), "--retention", str(a.retention), "--json"],
        env={**os.environ, "ENGRAM_HOME": home}, check=True, capture_output=True, text=True).stdout
    elapsed = time.perf_counter() - start
    best = elapsed if best is None else min(best, elapsed)
data = json.loads(out)
ours = {
    "reviews": sum(data["reviews_per_day"]) / a.days,
    "minutes": sum(data["minutes_per_day"]) / a.days,
    "memorized": data["memorized"][-1],
}

lines = [
    f"simulate: {a.deck_size} new cards, {a.new_per_day}/day, {a.days} days, retention {a.retention} (mean of 4 runs each)",
    "| figure | Engram | fsrs-rs 0.9.3 | difference |",
    "|---|---|---|---|",
]
worst = 0.0
for key, label in [("reviews", "reviews/day"), ("minutes", "minutes/day"), ("memorized", "memorised on day 365")]:
    diff = (ours[key] - ref[key]) / ref[key]
    worst = max(worst, abs(diff))
    lines.append(f"| {label} | {ours[key]:.1f} | {ref[key]:.1f} | {diff * 100:+.1f}% |")
lines.append(f"engram simulate wall time (whole process, best of 3): {best:.2f} s")
lines.append("within 5%: " + ("yes" if worst <= 0.05 else "NO"))
text = "\n".join(lines)
print(text)
if a.out:
    with open(a.out, "w") as f:
        f.write(text + "\n")
sys.exit(0 if worst <= 0.05 and best < 2 else 1)
