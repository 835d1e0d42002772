"""Plots for the feedback page: a plots payload (see `curves`) drawn as inline SVG strings.

matplotlib with the Agg backend; the SVG keeps its text as text, carries no metadata, DOCTYPE or
external reference, and uses a fixed hash salt so the same data gives the same bytes.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

YOURS, REFERENCE = "#1f5fa8", "#9a9a9a"


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
                   "Gradient with respect to the TD error δ of ½·clip(δ, −1, 1)² and of the "
                   "Huber loss. Clipping the error zeroes the gradient wherever |δ| > 1; Huber "
                   "keeps ±1 there."),
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


def _lines(ax, curves: dict, color: str, style: str, who: str, x=None) -> None:
    markers = "osd^v"
    for i, (label, ys) in enumerate(curves.items()):
        xs = x if x is not None else list(range(1, len(ys) + 1))
        ys = [float("nan") if v is None else v for v in ys]
        marker = markers[i % len(markers)] if len(ys) <= 60 else None
        ax.plot(xs, ys, style, color=color, marker=marker, markersize=3,
                alpha=0.9 if who == "yours" else 0.7, label=f"{who}: {label}")


def _figure(name: str, student: dict | None, reference: dict | None):
    fig, ax = plt.subplots(figsize=(6.0, 3.2), dpi=72)
    if name == "dead_relu":
        groups = [("reference", reference, REFERENCE), ("yours", student, YOURS)]
        groups = [g for g in groups if g[1]]
        width = 0.8 / max(1, len(groups))
        for i, (who, data, color) in enumerate(groups):
            ax.bar([j + i * width for j in range(2)], [data["before"][0] or 0, data["after"][0] or 0],
                   width=width, color=color, label=who)
        ax.set_xticks([j + width * (len(groups) - 1) / 2 for j in range(2)],
                      ["before the step", "after the step"])
        ax.set_ylabel("fraction of dead units")
        ax.set_ylim(0, 1)
    elif name == "clip_huber":
        for who, data, color, style in (("reference", reference, REFERENCE, "--"),
                                        ("yours", student, YOURS, "-")):
            if data:
                _lines(ax, {k: v for k, v in data.items() if k != "delta"}, color, style, who,
                       x=data["delta"])
        ax.set_xlabel("TD error δ")
        ax.set_ylabel("gradient")
    else:
        for who, data, color, style in (("reference", reference, REFERENCE, "--"),
                                        ("yours", student, YOURS, "-")):
            if data:
                _lines(ax, data, color, style, who)
        ax.set_yscale("log")
        ax.set_xlabel("layer (1 = nearest the input)" if name == "sigmoid_depth" else "timestep t")
        ax.set_ylabel("‖dW‖" if name == "sigmoid_depth" else "‖dx_t‖")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    return fig


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
        if mine:
            note = None
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
