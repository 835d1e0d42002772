"""Plots for the feedback page: a plots payload (see `curves`) drawn as inline SVG strings.

matplotlib with the Agg backend; the SVG keeps its text as text, carries no metadata, DOCTYPE or
external reference, and uses a fixed hash salt so the same data gives the same bytes.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

YOURS, REFERENCE = "#1f5fa8", "#9a9a9a"
#: One hue per series (colour-blind safe); yours solid with markers, the reference dotted on top.
SERIES = ("#1f5fa8", "#d95f02", "#1b9e77", "#7570b3")
REFERENCE_SERIES = ("#0a2647", "#6b2d00", "#0b4a37", "#38346b")  # darker shades of the same hues
GAP = "#c0392b"
#: A curve "differs" past these: a factor 1.25 on log axes, 5% of the reference's range on linear.
LOG_GAP, LINEAR_GAP = 0.0969, 0.05


@dataclass(frozen=True)
class Plot:
    name: str
    title: str
    caption: str
    svg: str           # an inline <svg> element
    note: str | None   # e.g. why the student's curve is absent


_SPECS = {
    "sigmoid_depth": ("Gradient norm per layer of a deep sigmoid network",
                      "‖dW‖ of each layer of a 6-layer affine + sigmoid network, weights drawn "
                      "at std 0.1 and at std 10. At std 0.1 the gradient shrinks layer by layer "
                      "on its way to the input (a sigmoid passes at most 0.25 of it). At std 10 "
                      "the sigmoids saturate: the last layer's gradient is far smaller than at "
                      "std 0.1, and what reaches the first layers squeezes through a few "
                      "unsaturated units, amplified by the huge weights."),
    "dead_relu": ("Dead ReLU units before and after one large step",
                  "Fraction of hidden units whose ReLU outputs zero on every example, before and "
                  "after one SGD step with a large learning rate. A dead unit gets no gradient, "
                  "so it never recovers."),
    "rnn_time": ("Gradient reaching each timestep of a vanilla RNN",
                 "‖dx_t‖ when only the last hidden state receives gradient, for a recurrent "
                 "matrix of spectral radius below and above 1: vanishing versus exploding "
                 "gradients through time."),
    "clip_huber": ("Clipping the error versus the Huber loss",
                   "The TD error δ is the prediction minus its target. Gradient with respect to "
                   "δ of ½·clip(δ, −1, 1)² and of the Huber loss. Clipping the error zeroes the "
                   "gradient wherever |δ| > 1; Huber keeps ±1 there."),
}


def _svg(fig) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "grader"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.DOTALL)
    return text.replace('xmlns:xlink="http://www.w3.org/1999/xlink"', "").strip()


def _values(ys) -> list[float]:
    return [float("nan") if v is None else float(v) for v in ys]


def _lines(ax, curves: dict, who: str, x=None) -> None:
    for i, (label, ys) in enumerate(curves.items()):
        ys = _values(ys)
        xs = x if x is not None else list(range(1, len(ys) + 1))
        color = SERIES[i % len(SERIES)]
        if who == "yours":
            ax.plot(xs, ys, "-", color=color, linewidth=1.8, marker="o" if len(ys) <= 60 else None,
                    markersize=3.5, zorder=2, label=f"yours: {label}")
        else:  # drawn over yours, so a curve that matches still shows the reference
            ax.plot(xs, ys, ":", color=REFERENCE_SERIES[i % len(REFERENCE_SERIES)],
                    linewidth=2.0, zorder=3, label=f"reference: {label}")


def difference(name: str, mine: dict | None, ref: dict | None):
    """(series, index, yours, reference) at the largest gap between the two curves, when they
    differ past LOG_GAP / LINEAR_GAP; else None."""
    if not mine or not ref:
        return None
    log = name in ("sigmoid_depth", "rnn_time")
    best = None
    for label, ref_ys in ref.items():
        if label == "delta" or label not in mine:
            continue
        ref_ys, my_ys = _values(ref_ys), _values(mine[label])
        scale = max((abs(v) for v in ref_ys if v == v), default=1.0) or 1.0
        for k, (m, r) in enumerate(zip(my_ys, ref_ys)):
            if not (m == m and r == r):
                continue
            if log:
                if m <= 0 or r <= 0:
                    gap = float("inf") if (m <= 0) != (r <= 0) else 0.0
                else:
                    gap = abs(math.log10(m / r))
                over = gap > LOG_GAP
            else:
                gap = abs(m - r) / scale
                over = gap > LINEAR_GAP
            if over and (best is None or gap > best[0]):
                best = (gap, label, k, m, r)
    return None if best is None else best[1:]


def _mark_gap(ax, name: str, mine: dict, ref: dict, found, x=None) -> None:
    """Shade where the student's curve leaves the reference and point at the largest gap."""
    label, k, m, r = found
    my_ys, ref_ys = _values(mine[label]), _values(ref[label])
    xs = x if x is not None else list(range(1, len(ref_ys) + 1))
    n = min(len(my_ys), len(ref_ys), len(xs))
    ax.fill_between(xs[:n], my_ys[:n], ref_ys[:n], color=GAP, alpha=0.18, zorder=1,
                    label="where yours differs")
    ax.annotate("largest gap", xy=(xs[k], m), xytext=(xs[k], r), color=GAP, fontsize=8,
                ha="center", arrowprops=dict(arrowstyle="->", color=GAP), zorder=4)


def _figure(name: str, student: dict | None, reference: dict | None):
    fig, ax = plt.subplots(figsize=(6.0, 3.2), dpi=72)
    if name == "dead_relu":
        groups = [("reference", reference, REFERENCE, ".."), ("yours", student, YOURS, "")]
        groups = [g for g in groups if g[1]]
        width = 0.8 / max(1, len(groups))
        for i, (who, data, color, hatch) in enumerate(groups):
            ax.bar([j + i * width for j in range(2)], [data["before"][0] or 0, data["after"][0] or 0],
                   width=width, color=color, hatch=hatch, edgecolor="#222222", label=who)
        ax.set_xticks([j + width * (len(groups) - 1) / 2 for j in range(2)],
                      ["before the step", "after the step"])
        ax.set_ylabel("fraction of hidden units\nthat never fire")
        ax.set_ylim(0, 1)
        found = difference(name, student, reference)
        if found:
            _, k, m, _r = found
            ax.annotate("differs from the reference", xy=(k + width, m), xytext=(k + width, 0.92),
                        color=GAP, fontsize=8, ha="center",
                        arrowprops=dict(arrowstyle="->", color=GAP))
    elif name == "clip_huber":
        for who, data in (("yours", student), ("reference", reference)):
            if data:
                _lines(ax, {k: v for k, v in data.items() if k != "delta"}, who, x=data["delta"])
        found = difference(name, student, reference)
        if found:
            _mark_gap(ax, name, student, reference, found, x=student["delta"])
        ax.set_xlabel("TD error δ (prediction − target)")
        ax.set_ylabel("gradient of the loss\nwith respect to δ")
    else:
        for who, data in (("yours", student), ("reference", reference)):
            if data:
                _lines(ax, data, who)
        found = difference(name, student, reference)
        if found:
            _mark_gap(ax, name, student, reference, found)
        ax.set_yscale("log")
        if name == "sigmoid_depth":
            ax.set_xlabel("layer (1 = nearest the input)")
            ax.set_ylabel("size of the weight\ngradient ‖dW‖ (log)")
        else:
            ax.set_xlabel("timestep t (gradient flows back from the last one)")
            ax.set_ylabel("size of the gradient\nreaching step t ‖dx_t‖ (log)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    return fig


def _gap_note(name: str, found) -> str:
    label, k, m, r = found
    where = {"sigmoid_depth": f"layer {k + 1}", "rnn_time": f"timestep {k + 1}",
             "dead_relu": "after the step" if k else "before the step"}.get(name, f"point {k + 1}")
    series = "" if name == "dead_relu" else f" ({label})"
    return (f"Your curve differs from the reference: the largest gap is at {where}{series}, "
            f"yours {m:.3g} against {r:.3g}. The shaded area marks where they part.")


def render_plots(student: dict | None, reference: dict) -> list[Plot]:
    """One `Plot` per scenario present in ``reference`` or ``student`` (payloads of `curves`).

    ``student`` is None when the grading recorded no curves; the reference is then drawn alone
    and the note says so.
    """
    student = student or {}
    skipped = student.get("_skipped", {})
    plots = []
    for name, (title, caption) in _SPECS.items():
        mine, ref = student.get(name), reference.get(name)
        if not mine and not ref:
            continue
        found = difference(name, mine, ref)
        if mine:
            note = _gap_note(name, found) if found else None
        elif name in skipped:
            note = "Your layers could not run this experiment, so only the reference is shown."
        else:
            note = "Your implementation's curve was not recorded; the reference is shown alone."
        plots.append(Plot(name=name, title=title, caption=caption,
                          svg=_svg(_figure(name, mine, ref)), note=note))
    return plots


def histogram_svg(finals: list[float], max_total: float, bins: int = 10) -> str:
    """A histogram of final grades on [0, max_total] as an inline <svg>."""
    fig, ax = plt.subplots(figsize=(6.0, 2.8), dpi=72)
    top = max_total if max_total > 0 else 1.0
    ax.hist(finals, bins=bins, range=(0.0, top), color=YOURS, edgecolor="white")
    ax.set_xlabel(f"final grade (out of {max_total:g})")
    ax.set_ylabel("students")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(alpha=0.3, axis="y")
    fig.tight_layout()
    return _svg(fig)
