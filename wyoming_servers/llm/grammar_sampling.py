"""Grammar-constrained sampling that checks the model's choice before constraining.

llama-cpp-python puts the grammar into the sampler chain, so for every generated token
the grammar is applied to the whole vocabulary (151k tokens for Qwen2.5), which costs
about half as much again as the forward pass of a 1.5B model on a small CPU. llama.cpp's
own `common_sampler` does it lazily, and so does `FirstChoiceGrammarSampler`:

1. sample with the chain minus the grammar (penalties, then greedy or top-k/p and dist);
2. ask the grammar about that one token;
3. only when the grammar rejects it, apply the grammar to the whole vocabulary and
   sample again from the tokens it allows (greedy decoding first tries a shortlist);
4. advance the grammar and the chain with the chosen token.

Every token is still one the grammar accepts. Greedy decoding picks the same tokens as
before: the most likely token overall, when allowed, is also the most likely allowed one.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import llama_cpp
import numpy as np
import numpy.typing as npt

from .settings import GrammarSampling

if TYPE_CHECKING:
    from llama_cpp import Llama
    from llama_cpp._internals import LlamaContext, LlamaSampler
    from llama_cpp.llama_grammar import LlamaGrammar

_TOKEN_DATA = np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)])
SHORTLIST = 32  # greedy: best tokens offered to the grammar before the whole vocabulary


class _Candidates:
    """A reusable `llama_token_data_array` of up to `size` tokens."""

    def __init__(self, size: int) -> None:
        assert _TOKEN_DATA.itemsize == ctypes.sizeof(llama_cpp.llama_token_data)
        self.data = np.zeros(size, dtype=_TOKEN_DATA)
        self.entries = (llama_cpp.llama_token_data * size).from_address(self.data.ctypes.data)
        self.array = llama_cpp.llama_token_data_array(self.entries, size, -1, False)
        self.ref = ctypes.byref(self.array)

    def load(self, ids: npt.NDArray[np.int32], logits: npt.NDArray[np.float32]) -> None:
        self.data["id"] = ids
        self.data["logit"] = logits
        self.data["p"] = 0.0
        # Samplers may move the data pointer, shrink the array and reorder it.
        self.array.data = self.entries
        self.array.size = len(ids)
        self.array.selected = -1
        self.array.sorted = False

    def intact(self) -> bool:
        """Whether `data` still holds every token in its loaded order."""
        address = ctypes.cast(self.array.data, ctypes.c_void_p).value
        return address == self.data.ctypes.data and self.array.size == len(self.data)

    def selected(self) -> int:
        index = self.array.selected
        if not 0 <= index < self.array.size:
            raise RuntimeError("the sampler chain selected no token")
        return int(self.array.data[index].id)


class FirstChoiceGrammarSampler:
    """Stands in for llama-cpp-python's `LlamaSampler` in `Llama.sample`.

    With `greedy` (temperature 0), a rejected choice is first replaced by the best of
    the SHORTLIST most likely tokens that the grammar allows: that is exactly the token
    greedy decoding picks from the whole constrained vocabulary, at a fraction of the
    cost. Only when none of them is allowed (or a tie reaches past the shortlist) is
    the whole vocabulary constrained.
    """

    def __init__(self, chain: LlamaSampler, grammar: Any, n_vocab: int, greedy: bool) -> None:
        self._chain = chain
        self._grammar = grammar
        self._greedy = greedy
        self._vocab = np.arange(n_vocab, dtype=np.int32)
        self._candidates = _Candidates(n_vocab)
        self._shortlist = _Candidates(min(SHORTLIST, n_vocab))
        self._single = _Candidates(1)
        self.rejections = 0  # chosen tokens the grammar refused
        self.full_passes = 0  # rejections that needed the whole vocabulary constrained

    def _fill(self, ctx: LlamaContext, idx: int) -> None:
        """Load the logits of output `idx`, as `llama_sampler_sample` does."""
        logits = llama_cpp.llama_get_logits_ith(ctx.ctx, idx)
        self._candidates.load(self._vocab, np.ctypeslib.as_array(logits, (len(self._vocab),)))

    def _allows(self, token: int) -> bool:
        self._single.load(np.array([token], np.int32), np.ones(1, np.float32))
        llama_cpp.llama_sampler_apply(self._grammar, self._single.ref)
        return bool(np.isfinite(self._single.data["logit"][0]))

    def _best_allowed(self) -> int | None:
        """Greedy over the shortlist of the chain's (penalised) logits, if decisive."""
        if not self._greedy or not self._candidates.intact():
            return None
        logits = self._candidates.data["logit"]
        size = len(self._shortlist.data)
        top = np.argpartition(logits, -size)[-size:]
        top = top[np.lexsort((top, -logits[top]))]  # best first; ties by id, as greedy
        self._shortlist.load(top.astype(np.int32), logits[top])
        llama_cpp.llama_sampler_apply(self._grammar, self._shortlist.ref)
        allowed = np.flatnonzero(np.isfinite(self._shortlist.data["logit"]))
        # A token past the shortlist may tie with the last one and have a lower id.
        if allowed.size == 0 or logits[top[allowed[0]]] <= logits[top[-1]]:
            return None
        return int(top[allowed[0]])

    def sample(self, ctx: LlamaContext, idx: int = -1) -> int:
        """Choose the next token of output `idx`, one the grammar accepts."""
        self._fill(ctx, idx)
        llama_cpp.llama_sampler_apply(self._chain.sampler, self._candidates.ref)
        token = self._candidates.selected()
        if not self._allows(token):
            self.rejections += 1
            best = self._best_allowed()
            if best is None:
                self.full_passes += 1
                self._fill(ctx, idx)
                llama_cpp.llama_sampler_apply(self._grammar, self._candidates.ref)
                llama_cpp.llama_sampler_apply(self._chain.sampler, self._candidates.ref)
                best = self._candidates.selected()
            token = best
        llama_cpp.llama_sampler_accept(self._grammar, token)
        llama_cpp.llama_sampler_accept(self._chain.sampler, token)
        return token

    def close(self) -> None:
        """Free the grammar and the sampler chain."""
        if self._grammar is not None:
            llama_cpp.llama_sampler_free(self._grammar)
            self._grammar = None
        self._chain.close()  # type: ignore[no-untyped-call]

    def __del__(self) -> None:
        self.close()


def _grammar_sampler(llama: Llama, grammar: LlamaGrammar) -> Any:
    sampler = llama_cpp.llama_sampler_init_grammar(
        llama._model.vocab, grammar._grammar.encode(), grammar._root.encode()
    )
    if not sampler:
        raise ValueError("the grammar could not be parsed")
    return sampler


@contextlib.contextmanager
def _stderr_silenced() -> Iterator[None]:
    """Discard what C code writes to stderr meanwhile.

    llama.cpp prints grammar errors there, which would break the structured log. Only
    for a moment: other output written at the same time is lost too.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def grammar_parser(llama: Llama) -> Callable[[str], bool]:
    """A check that a GBNF grammar parses against `llama`'s vocabulary."""

    def parses(text: str) -> bool:
        from llama_cpp.llama_grammar import LlamaGrammar

        try:
            with _stderr_silenced():
                sampler = _grammar_sampler(llama, LlamaGrammar.from_string(text, verbose=False))
        except ValueError:
            return False
        llama_cpp.llama_sampler_free(sampler)
        return True

    return parses


def use_grammar_sampling(llama: Llama, mode: GrammarSampling) -> None:
    """Make `llama` sample grammar-constrained requests the `mode` way.

    "full" samples as llama-cpp-python does; "lazy" with `FirstChoiceGrammarSampler`.
    """
    if mode == "full":
        return
    full_chain = llama._init_sampler

    def init_sampler(**kwargs: Any) -> Any:
        grammar = kwargs.get("grammar")
        if grammar is None:
            return full_chain(**kwargs)
        chain = full_chain(**{**kwargs, "grammar": None})
        grammar_sampler = _grammar_sampler(llama, grammar)
        greedy = kwargs.get("temp") == 0.0
        return FirstChoiceGrammarSampler(chain, grammar_sampler, llama.n_vocab(), greedy)

    llama._init_sampler = init_sampler  # type: ignore[method-assign,assignment]
