"""The LayerCase record: one forward/backward pair on one input configuration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

#: ``layer``: forward(*args, **kwargs) -> (*outputs, cache); backward(*douts, cache) -> grads.
#: ``loss``: forward(*args, **kwargs) -> (loss, dx); the gradient is part of the forward's return.
#: ``forward``: a value-only case (no backward exists, e.g. batchnorm in test mode); compare the
#: forward's outputs with the reference's, no gradient check.
KINDS = ("layer", "loss", "forward")
#: What LayerCase.family may say (None: nothing special).
FAMILIES = (None, "sigmoid", "tanh", "rectifier", "clip", "inverted_dropout")

MakeInputs = Callable[[np.random.Generator], "tuple[tuple[Any, ...], dict[str, Any]]"]


@dataclass(frozen=True)
class LayerCase:
    """One configuration of one layer, usable in-process or through a student runner.

    Fields:
    - name: human-readable and unique, e.g. "conv stride 2, non-square".
    - assignment, module: where the functions live (assignment name, module stem).
    - forward, backward: function names in the module (backward is None for kind "loss" and
      "forward").
    - make_inputs: rng -> (args, kwargs); float64 arrays, int index arrays, plain dicts of
      parameters. Only types the runner protocol carries, so a runner can send them as they are.
    - wrt: (name, position in args) of each differentiable input, in the order the backward
      returns their gradients (for kind "loss": the input the returned dx belongs to).
    - threshold: the largest relative error (CS231n's rel_error) a correct implementation can
      produce here; for kind "forward" it bounds the outputs' relative error instead.
    - tags: what makes the case hard ("stride", "overlap", "repeated", "mask", "batch1", ...).
    - kind: one of KINDS.
    - outputs: how many arrays the forward returns before its cache (2 for an LSTM step's
      next_h and next_c).
    - h, order: how the numerical gradient is taken. order 2: one centred difference with
      step h (the toolkit's default h = 1e-5). order 4: Richardson extrapolation
      (4 D(h) - D(2h)) / 3 of centred differences D, error O(h**4), twice the forward calls.
      Cases use inputs.LINEAR (h = 1e-3, order 2) where the forward is linear or quadratic in
      each checked input on the sampled neighbourhood (centred differences are exact there, so a
      larger step only shrinks rounding), and inputs.SMOOTH (h = 1e-3, order 4) elsewhere:
      both cut the rounding error ~ eps * |f| / h a hundredfold against h = 1e-5, which is what
      makes the relative error of small gradient elements meaningful.
    - family: what the framework knows of the layer's kind, or None. "sigmoid", "tanh",
      "rectifier", "clip": elementwise layers whose well-known wrong gradients the diagnoses
      recognise (`grader.checks.diagnose.local_confusions`); "inverted_dropout": a forward that
      draws a random mask (tag "rng"), judged by its structure (0 or x / p) and its own mask,
      not by the reference's values.
    - stores: keys of arrays the forward stores into its dict arguments (a normalisation's
      running statistics), compared like outputs.
    """

    name: str
    assignment: str
    module: str
    forward: str
    backward: str | None
    make_inputs: MakeInputs
    wrt: tuple[tuple[str, int], ...]
    threshold: float
    tags: frozenset[str] = frozenset()
    kind: str = "layer"
    outputs: int = 1
    h: float = 1e-5
    order: int = 2
    family: str | None = None
    stores: tuple[str, ...] = ()

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: kind must be one of {KINDS}, got {self.kind!r}")
        if (self.kind == "layer") != (self.backward is not None):
            raise ValueError(f"{self.name}: a backward function is needed exactly for kind 'layer'")
        if self.kind == "loss" and len(self.wrt) != 1:
            raise ValueError(f"{self.name}: a loss case differentiates exactly one input")
        if self.order not in (2, 4) or not 0 < self.h < 1:
            raise ValueError(f"{self.name}: order must be 2 or 4 and 0 < h < 1")
        if self.family not in FAMILIES:
            raise ValueError(f"{self.name}: family must be one of {FAMILIES}, got {self.family!r}")
        if not 0 < self.threshold < 1:
            raise ValueError(f"{self.name}: threshold must be in (0, 1), got {self.threshold}")

    @property
    def id(self) -> str:
        """A stable identifier: "<assignment>/<module>.<forward>[<name>]"."""
        return f"{self.assignment}/{self.module}.{self.forward}[{self.name}]"

    @property
    def cache_index(self) -> int:
        """Position of the cache in the forward's return tuple (for a runner's ``keep=``)."""
        return self.outputs

    @property
    def functions(self) -> tuple[str, ...]:
        """The "module.function" names the case exercises (as in assignment.toml tasks)."""
        names = [self.forward] + ([self.backward] if self.backward else [])
        return tuple(f"{self.module}.{n}" for n in names)
