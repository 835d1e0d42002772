"""Plots: curves computed through a runner from an implementation's own layers, drawn as SVG."""

from __future__ import annotations

import re

import numpy as np
import pytest

from grader.checks.curves import ReferenceCaller, plot_payload
from grader.reports.feedback import reference_payload
from grader.reports.plots import render_plots
from grader.runner.client import StudentProcess


@pytest.fixture(scope="module")
def reference(assignment):
    return reference_payload(assignment)


def test_reference_curves_show_the_leaky_abstractions(reference):
    deep = reference["sigmoid_depth"]["std 0.1"]
    assert deep[0] < deep[-1] / 100           # the gradient vanishes towards the input
    dead = reference["dead_relu"]
    assert dead["after"][0] > dead["before"][0] + 0.3
    delta = np.array(reference["clip_huber"]["delta"])
    clip, huber = np.array(reference["clip_huber"]["clip"]), np.array(reference["clip_huber"]["huber"])
    assert np.all(clip[np.abs(delta) > 1] == 0) and np.allclose(huber, np.clip(delta, -1, 1))


def test_rnn_gradient_vanishes_below_and_explodes_above_radius_one():
    from grader.assignment import load_assignment

    payload = plot_payload(ReferenceCaller(load_assignment("rnn").reference_modules()),
                           modules=("rnn_layers",), strict=True)
    below, above = payload["rnn_time"]["rho 0.9"], payload["rnn_time"]["rho 1.1"]
    assert below[0] < below[-1] / 50 and above[0] > above[-1] * 50


def test_curves_through_the_student_runner_match_the_in_process_reference(assignment, reference):
    with StudentProcess(assignment.root) as student:
        through_runner = plot_payload(student, modules=assignment.modules)
    assert set(through_runner) == set(reference)
    for name, curves in reference.items():
        for label, ys in curves.items():
            np.testing.assert_allclose(through_runner[name][label], ys, rtol=1e-9, atol=1e-12)


def test_a_student_without_the_functions_gets_reference_only_plots_with_a_note(tmp_path, reference):
    (tmp_path / "layers.py").write_text("def affine_forward(x, w, b):\n    raise NotImplementedError\n")
    with StudentProcess(tmp_path) as student:
        payload = plot_payload(student, modules=("layers",))
    assert set(payload) == {"_skipped"} and "sigmoid_depth" in payload["_skipped"]
    plots = render_plots(payload, reference)
    assert plots and all(p.note and "could not run" in p.note for p in plots)


def test_plots_are_inline_svg_without_external_references(reference):
    plots = render_plots(reference, reference)
    assert [p.name for p in plots] == ["sigmoid_depth", "dead_relu", "clip_huber"]
    for plot in plots:
        assert plot.svg.startswith("<svg") and plot.svg.rstrip().endswith("</svg>")
        assert not re.search(r'(?:href|src)\s*=\s*"(?!#)', plot.svg)
        assert "<!DOCTYPE" not in plot.svg and "<metadata" not in plot.svg
        assert plot.note is None
    assert render_plots(reference, reference)[0].svg == plots[0].svg  # deterministic bytes


def test_a_buggy_students_curve_is_drawn_against_the_reference_on_the_page(tmp_path, assignment,
                                                                          reference):
    from synthetic import AFTER_DUE, make_result

    from grader.reports.feedback import render_feedback

    source = (assignment.root / "layers.py").read_text()
    (tmp_path / "layers.py").write_text(
        source + "\n\ndef sigmoid_backward(dout, cache):\n    return dout  # no local gradient\n")
    with StudentProcess(tmp_path) as student:
        payload = plot_payload(student, modules=assignment.modules)
    mine, ref = payload["sigmoid_depth"]["std 10"], reference["sigmoid_depth"]["std 10"]
    assert mine[0] > 100 * ref[0]    # without s(1-s) nothing saturates: no vanishing
    assert payload["clip_huber"] == reference["clip_huber"]
    result = make_result(assignment, "bob", "buggy")
    result.plots = payload           # what grade_submission records (SubmissionResult.plots)
    html = render_feedback(result, assignment, now=AFTER_DUE)
    figure = html.split('id="plot-sigmoid_depth"', 1)[1].split("</figure>", 1)[0]
    assert "yours: std 10" in figure and "reference: std 10" in figure
    assert "not recorded" not in figure
    # the difference is marked on the plot and said in words; the matching plot has no mark
    assert "where yours differs" in figure and "largest gap" in figure
    assert "Your curve differs from the reference" in figure
    clip = html.split('id="plot-clip_huber"', 1)[1].split("</figure>", 1)[0]
    assert "where yours differs" not in clip and "differs from the reference" not in clip


def test_each_curve_has_its_own_colour_and_the_reference_is_drawn_over_it(reference):
    from grader.reports.plots import REFERENCE_SERIES, SERIES
    svg = render_plots(reference, reference)[0].svg
    assert SERIES[0] in svg and SERIES[1] in svg          # two series, two hues
    assert REFERENCE_SERIES[0] in svg and REFERENCE_SERIES[1] in svg
    assert svg.index(SERIES[1]) < svg.index(REFERENCE_SERIES[0])  # the reference is drawn after
