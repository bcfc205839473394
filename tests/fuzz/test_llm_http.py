"""The LLM server's HTTP front under fuzzed requests (the short CI profile).

The campaign (`bench/fuzz_llm.py`; `python -m bench.fuzz --target llm` runs 10,000)
sends malformed JSON, out-of-range and wrongly typed values, deep nesting and broken
HTTP framing. None may get a 5xx, hang or crash the server; the log must stay free of
tracebacks, descriptors must come back to where they were, and a valid request must
still be answered afterwards. The cases are the same on every run (derandomized).
"""

from __future__ import annotations

import pytest

from bench.fuzz_llm import fuzz_llm

CI_CASES = 150
TIME_CAP_S = 120.0  # a bound on a slow machine; the tally says how many cases ran


@pytest.mark.usefixtures("socket_enabled")
def test_fuzzed_requests_get_clear_answers_and_leave_the_server_serving() -> None:
    tally = fuzz_llm(CI_CASES, TIME_CAP_S)
    assert tally["cases"] > 0
    assert tally["crashes"] == 0, tally
    assert tally["hangs"] == 0, tally
    assert tally["internal_errors"] == 0, tally
    assert tally["task_exceptions"] == 0, tally
    assert tally["error_replies"] > 0, tally  # the refusals the campaign is made of
    assert tally["valid_request_after"], tally
    assert tally["after"]["fds"] <= tally["before"]["fds"], tally
