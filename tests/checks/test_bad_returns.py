"""A function that returns garbage gets a failed check naming it and what was wrong; the rest
of the submission is graded as usual."""

import pytest

from checks_support import copy_reference
from grader.checks.grade import grade_submission

TASKS = ["backprop/affine_backward", "backprop/affine_forward", "backprop/relu_forward"]
RETURN = "    return dx, dw, db\n\n\ndef relu_forward"
BAD_RETURNS = {
    "none": ("    return None\n\n\ndef relu_forward", ["affine_backward", "None"]),
    "python_list": ("    return dx.tolist(), dw, db\n\n\ndef relu_forward",
                    ["affine_backward", "Python list", "dx"]),
    "integer_array": ("    return dx.astype(int), dw, db\n\n\ndef relu_forward",
                      ["affine_backward", "integer dtype", "dx"]),
    "tuple_too_short": ("    return dx, dw\n\n\ndef relu_forward",
                        ["affine_backward", "2 values", "expected 3"]),
    "nan": ("    return dx * float('nan'), dw, db\n\n\ndef relu_forward",
            ["affine_backward", "NaN"]),
    "wrong_shape": ("    return dx, dw[:-1], db\n\n\ndef relu_forward",
                    ["affine_backward", "dw", "shape"]),
    "object": ("    return {1, 2}\n\n\ndef relu_forward", ["affine_backward"]),
}


@pytest.mark.parametrize("kind", sorted(BAD_RETURNS))
def test_a_bad_return_fails_its_task_with_a_message(tmp_path, kind, grade_kwargs):
    new, words = BAD_RETURNS[kind]
    folder = copy_reference("backprop", tmp_path / "s", edits={"layers": [(RETURN, new)]})
    result = grade_submission(folder, assignment="backprop", tasks=TASKS, **grade_kwargs)
    print(kind, [c.message for c in result.checks if c.status != "passed"])
    own = [c for c in result.checks if c.check_id == "backprop/affine_backward_own_gradient"][0]
    assert own.status == "failed" and own.score == 0
    for word in words:
        assert word in own.message, own.message
    others = [c for c in result.checks if c.task != "backprop/affine_backward"
              and c.task.endswith(("_forward", "_loss"))]
    assert others and all(c.status == "passed" for c in others)


def test_a_forward_returning_a_bare_array_instead_of_out_and_cache(tmp_path, grade_kwargs):
    folder = copy_reference("backprop", tmp_path / "s", edits={"layers": [
        ("    cache = (x, w, b)\n    return out, cache", "    return out")]})
    result = grade_submission(folder, assignment="backprop", tasks=TASKS, **grade_kwargs)
    values = [c for c in result.checks if c.check_id == "backprop/affine_forward_values"][0]
    assert values.status == "failed" and "affine_forward" in values.message
