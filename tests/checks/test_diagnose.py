"""Each diagnosis names its bug class, and a right answer gets none."""

import numpy as np
import pytest

from grader.checks.diagnose import describe, diagnose, local_confusions


@pytest.fixture
def rng():
    return np.random.default_rng(7)


def test_a_correct_gradient_has_no_diagnosis(rng):
    e = rng.standard_normal((4, 3))
    assert diagnose("dw", e + 1e-12, e) is None


def test_transposed_gradient_is_named_in_plain_words(rng):
    e = rng.standard_normal((4, 3))
    found = diagnose("dw", e.T, e)
    assert found.code == "transposed"
    assert found.words == "your dw looks like the transpose of the expected gradient"


def test_transposed_square_gradient(rng):
    e = rng.standard_normal((4, 4))
    assert diagnose("dWh", e.T, e).code == "transposed"


@pytest.mark.parametrize("factor, code", [(8.0, "scaled:N"), (1 / 8, "scaled:1/N"),
                                          (2.0, "scaled:2"), (0.5, "scaled:1/2"),
                                          (3.7, "scaled:3.7")])
def test_scaled_gradient_reports_its_factor(rng, factor, code):
    e = rng.standard_normal((8, 5))
    assert diagnose("dx", factor * e, e, batch_size=8).code == code


def test_sign_flip_zeros_and_nan(rng):
    e = rng.standard_normal((3, 5))
    assert diagnose("dx", -e, e).code == "sign_flipped"
    assert diagnose("dx", np.zeros_like(e), e).code == "zeros"
    bad = e.copy()
    bad[1, 2] = np.nan
    assert diagnose("dx", bad, e).code == "nan_inf"


def test_missing_batch_sum_and_shape_mismatch(rng):
    per_example = rng.standard_normal((6, 4))
    assert diagnose("db", per_example, per_example.sum(axis=0)).code == "missing_batch_sum"
    found = diagnose("dx", rng.standard_normal((2, 3)), rng.standard_normal((4, 5)))
    assert found.code == "shape_mismatch" and "(2, 3)" in found.words and "(4, 5)" in found.words


def test_overwrite_instead_of_accumulate_where_windows_overlap(rng):
    e = rng.standard_normal((5, 5))
    overlap = np.zeros((5, 5), dtype=bool)
    overlap[2, 1:3] = True
    got = e.copy()
    got[overlap] *= 0.5  # only one of two contributions kept
    assert diagnose("dx", got, e, overlap=overlap).code == "overwrite_not_accumulate"


def test_sigmoid_backward_using_the_output_as_derivative(rng):
    x = rng.standard_normal((4, 5))
    z = 1 / (1 + np.exp(-x))
    dout = rng.standard_normal((4, 5))
    right = dout * z * (1 - z)
    found = diagnose("dx", dout * z, right, candidates=local_confusions("sigmoid", x, z, dout))
    assert found.code == "used_output_not_input"


def test_mask_on_the_wrong_array_for_relu(rng):
    x = rng.standard_normal((4, 5))
    dout = rng.standard_normal((4, 5))
    right = dout * (x > 0)
    found = diagnose("dx", dout * (dout > 0), right,
                     candidates=local_confusions("rectifier", x, np.maximum(x, 0), dout))
    assert found.code == "mask_wrong_array"


def test_mask_on_the_wrong_region(rng):
    e = rng.standard_normal((3, 6))
    e[:, 4:] = 0.0          # masked-out timesteps carry no gradient
    got = e.copy()
    got[:, 4:] = rng.standard_normal((3, 2))  # the student forgot the mask there
    assert diagnose("dx", got, e).code == "mask_wrong_region"


def test_unexplained_errors_get_no_diagnosis(rng):
    e = rng.standard_normal((4, 4))
    assert diagnose("dx", e + 0.3 * rng.standard_normal((4, 4)), e) is None


def test_every_code_has_words_naming_the_array():
    for code in ["transposed", "scaled:N", "scaled:1/N", "scaled:3", "sign_flipped", "zeros",
                 "nan_inf", "missing_batch_sum", "overwrite_not_accumulate",
                 "used_output_not_input", "mask_wrong_region", "shape_mismatch",
                 "forward_wrong_backward_consistent"]:
        assert "dw" in describe(code, "dw")


def test_forward_outputs_are_called_values_and_single_numbers_get_no_scale(rng):
    out = rng.standard_normal((4, 3))
    assert diagnose("out", 2 * out, out).words == "your out is the expected value multiplied by 2"
    assert diagnose("loss", np.float64(3.0), np.float64(1.5)) is None
    assert diagnose("loss", np.float64(np.nan), np.float64(1.5)).code == "nan_inf"


def test_a_sentence_without_its_details_never_shows_placeholders():
    from grader.checks.diagnose import WORDS, describe

    for code in WORDS:
        sentence = describe(code, "dw")
        assert " ? " not in f" {sentence} " and "{" not in sentence, (code, sentence)
    assert describe("shape_mismatch", "dw", got_shape=(3, 5), want_shape=(5, 3)) == \
        "your dw has shape (3, 5) but the expected shape is (5, 3)"


def test_keeps_one_row_per_example_only_fires_for_more_than_one_row():
    from grader.checks.diagnose import diagnose as find
    want = np.arange(3.0)
    assert find("db", np.tile(want / 4, (4, 1)), want, batch_size=4).code == "missing_batch_sum"
    one_row = find("db", 2 * want[None, :], want, batch_size=1)
    assert one_row is None or one_row.code != "missing_batch_sum"


def test_a_keepdims_row_passes_with_a_note_and_other_shapes_fail():
    from grader.checks.notes import collecting
    from grader.checks.spec import CheckFailed
    from grader.checks.validate import expect_array
    want = np.arange(3.0)
    with collecting() as notes:
        got = expect_array("affine_backward", "db", want[None, :], expected=want)
    assert got.shape == (3,) and notes and "accepted (keepdims)" in notes[0]
    for shape in [(3, 1), (1, 1, 3), (2, 3)]:
        with pytest.raises(CheckFailed):
            expect_array("affine_backward", "db", np.ones(shape), expected=want)
