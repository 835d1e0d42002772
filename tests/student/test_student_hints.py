"""Which array a diagnosis sentence names."""

from __future__ import annotations

import math

from grader.student.hints import failing_array, plain_words


def test_the_first_array_over_its_threshold_is_named():
    errors = {"dx": 1e-12, "dw": 0.3, "db": 0.5}
    assert failing_array(errors, {k: 1e-7 for k in errors}) == "dw"


def test_metrics_that_are_not_arrays_are_never_named():
    errors = {"directional": 0.9, "max_gain": 1.0, "dgamma": 0.2}
    assert failing_array(errors, {k: 1e-7 for k in errors}) == "dgamma"
    assert plain_words("transposed", {"directional": 0.9}, {"directional": 1e-7}) == \
        "your gradient looks like the transpose of the expected gradient"


def test_nan_counts_as_over_the_threshold():
    assert failing_array({"dx": math.nan}, {"dx": 1e-7}) == "dx"


def test_no_diagnosis_means_no_sentence():
    assert plain_words(None, {"dx": 1.0}, {"dx": 1e-7}) is None
