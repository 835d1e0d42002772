"""A submission's message says each fault once: preflight's plain-words note on a syntax error
takes the place of the sandbox's report of the same file and line."""

from __future__ import annotations

from grader.batch.job import _without_repeats


def test_a_note_on_the_same_file_and_line_replaces_the_sandboxs_message():
    sandbox = "layers.py line 3: SyntaxError: '(' was never closed"
    note = "layers.py line 3: syntax error: '(' was never closed"
    other = "layer_utils.py is not valid UTF-8 text; save the file as UTF-8"
    assert _without_repeats(sandbox, [note, other]) == [note, other]


def test_notes_on_other_places_are_kept_after_the_message():
    sandbox = "layers.py line 3: SyntaxError: '(' was never closed"
    note = "layer_utils.py line 9: syntax error: invalid syntax"
    assert _without_repeats(sandbox, [note]) == [sandbox, note]
    assert _without_repeats(None, [note]) == [None, note]
