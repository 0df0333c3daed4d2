# %% [markdown]
# # Business hours or 7×24? Chongqing 2017 from Python
#
# The 2017 scenario under both policies, paired by replication (common random numbers:
# both sides see the same shipments), then the clearance-time distributions and the
# paired difference by mode. Run it as a script (`python examples/notebook.py` from the
# repository's root) or cell by cell in an editor that reads `# %%` cells. The figures
# go to `docs/img/`.

# %%
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display needed
import matplotlib.pyplot as plt

import portsim

ROOT = Path(__file__).resolve().parents[1] if "__file__" in globals() else Path.cwd()
OUT = ROOT / "docs" / "img"
REPLICATIONS = 4  # a few, to keep it quick; the paired intervals are narrow already

sc = portsim.Scenario.load(ROOT / "scenarios" / "chongqing-2017.toml")
cmp = portsim.compare(sc, policies=("business-hours", "7x24"),
                      replications=REPLICATIONS, seed=1)
d = cmp.summary["overall"]["difference"]
print(f"7x24 - business hours, mean clearance: {d['mean']:+.2f} h "
      f"(95% CI {d['ci95'][0]:+.2f} ... {d['ci95'][1]:+.2f})")

# %% [markdown]
# ## Clearance time, both policies
# The share of shipments cleared within a given time (headline modes together).

# %%
fig, ax = plt.subplots(figsize=(8, 4.8), layout="constrained")
for side, label, colour in [(cmp.a, "business hours", "#c0504d"), (cmp.b, "7×24", "#2f6db5")]:
    ecdf = side.clearance_ecdf()
    mean = side.summary["overall"]["clearance_hours"]["mean"]
    ax.step(ecdf["hours"], ecdf["share"], where="post", color=colour, linewidth=2,
            label=f"{label} (mean {mean:.1f} h)")
ax.axvline(24, color="grey", linestyle=":", linewidth=1)
ax.text(24.5, 0.05, "24 h", color="grey")
ax.set_xlim(0, 96)
ax.set_ylim(0, 1.01)
ax.set_xticks(range(0, 97, 12))
ax.set_xlabel("clearance time, lodgement → release (hours)")
ax.set_ylabel("share of shipments cleared")
ax.set_title(f"Chongqing 2017: clearance time under each policy ({REPLICATIONS} replications)")
ax.grid(alpha=0.3)
ax.legend(loc="lower right")
fig.savefig(OUT / "python-ecdf.png", dpi=110)

# %% [markdown]
# ## The paired difference, by mode
# 7×24 minus business hours in mean clearance time: the 95 % interval of the paired
# difference (bar) and each replication's own difference (dots).

# %%
table = cmp.differences()
means = table[table["figure"] == "clearance_mean_h"]
flows = means[means["group"].isin(["overall", "mode"])].reset_index(drop=True)
per_rep = cmp.b.replications().set_index(["replication", "mode"])["clearance_mean_h"] \
    - cmp.a.replications().set_index(["replication", "mode"])["clearance_mean_h"]

fig, ax = plt.subplots(figsize=(8, 4.8), layout="constrained")
rows = list(range(len(flows)))[::-1]  # overall on top
for y, (_, row) in zip(rows, flows.iterrows()):
    colour = "black" if row["mode"] == "overall" else "#2f6db5"
    ax.plot([row["ci_low"], row["ci_high"]], [y, y], color=colour, linewidth=6, alpha=0.35,
            solid_capstyle="butt")
    ax.plot(row["difference"], y, "|", color=colour, markersize=16, markeredgewidth=2)
    dots = per_rep.xs(row["mode"], level="mode")
    ax.plot(dots, [y] * len(dots), "o", color=colour, markersize=3.5, alpha=0.8)
    right = max(row["ci_high"], dots.max())
    ax.text(right + 0.15, y, f"{row['difference']:+.1f} h", va="center", fontsize=9,
            color=colour, bbox=dict(facecolor="white", edgecolor="none", pad=1))
ax.axvline(0, color="grey", linewidth=1, zorder=0)
ax.set_xlim(min(flows["ci_low"].min(), per_rep.min()) - 0.5, 1.2)
ax.set_yticks(rows, flows["mode"])
ax.set_ylim(-0.7, len(flows) - 0.2)
ax.set_xlabel("7×24 − business hours, mean clearance (hours)")
ax.set_title("Paired difference by mode: 95 % interval, mean and each replication")
ax.grid(axis="x", alpha=0.3)
fig.savefig(OUT / "python-difference.png", dpi=110)
print(f"figures in {OUT.relative_to(ROOT)}")
