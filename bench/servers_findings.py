"""The prose of the servers report: how it was measured, and where the time goes.

Computed from the measurements of the run (so it stays true when the numbers change).
"""

from __future__ import annotations

from typing import Any

METHOD = """\
## How it is measured

- Models: both speech-to-text servers load the same CTranslate2 Whisper tiny.en files
  (int8, greedy decoding (beam 1), 2 CPU threads, English). Both text-to-speech servers
  load the same piper en_US-joe-medium file with their own defaults: ours with
  `--threads auto` (a piece on up to every CPU, onnxruntime threads that sleep rather
  than spin when idle, and a second piece of another request beside it only while the
  CPUs are free), wyoming-piper with onnxruntime's default (one thread per core,
  spinning), one request after another. At equal budgets both processes are pinned to
  the same CPUs with taskset and ours gets `--threads` that many.
  The reference servers run with `--local-files-only` and the Hugging Face hub offline.
- Corpus: 10 home requests spoken by the piper voice at paces 0.95-1.15, resampled to
  16 kHz, with 0.7 s of room noise (about -60 dBFS) before the speech and, after it,
  as much silence as Home Assistant's voice activity detection waits before it ends the
  request (0.7 s by default, 0.25 s when set to aggressive).
- Streaming: 16 kHz 16-bit mono in 1024-sample audio-chunks, each sent when its last
  sample has been captured (one every 64 ms), as a satellite's microphone delivers
  them; audio-stop right after the last chunk. Latency: audio-stop sent -> transcript
  received. Each clip goes to ours, then theirs, then the next clip; 3 rounds.
- Text-to-speech: a 3-sentence reply as one `synthesize` (Home Assistant 2025.4) and as
  a text stream in word-sized chunks (newer Home Assistant); timed from the request to
  the first audio-chunk and to the end of the audio; ours and theirs alternately.
- Clients at once: all requests started together (speech-to-text sends whole clips as
  fast as the socket takes them, the worst burst a server can get); throughput is the
  requests served divided by the time until the last one ended.
- WER: lower case, no punctuation, numbers below 100 as words, then word edit distance
  over reference words, summed over all runs."""


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def stt_time(stt: dict[str, Any]) -> list[str]:
    """Where the speech-to-text time goes, from our server's own log."""
    lines = ["### Where the speech-to-text time goes", ""]
    for name, scenario in stt["scenarios"].items():
        log = scenario["ours_log"]
        requests, finals = log.get("requests", 0), log.get("final_decodes", 0)
        latency = scenario["latency"]
        line = (
            f"- {name}: ours {_ms(latency['ours']['median'])} (median): "
            f"{requests - finals} of {requests} transcripts were decoded before audio-stop "
            "arrived (the server starts decoding after 0.3 s of silence, during the "
            "trailing silence"
        )
        if "speculative_decode_seconds" in log:
            line += f", median {_ms(log['speculative_decode_seconds']['median'])}"
        line += ")"
        if finals:
            line += (
                f"; {finals} needed a decode after audio-stop "
                f"(median {_ms(log['final_decode_seconds']['median'])} for "
                f"{log['final_audio_seconds']['median']:.1f} s of audio around the speech, "
                "with Whisper's window cut to the server's --min-window)"
            )
        line += (
            f". Theirs {_ms(latency['theirs']['median'])}: it starts only at audio-stop, "
            "writes the audio to a WAV file and decodes it padded to Whisper's 30 s window."
        )
        lines.append(line)
    return lines


def _model_ms(pieces: list[dict[str, Any]]) -> float:
    return float(sum(p["seconds"] for p in pieces)) * 1000


def tts_time(tts: dict[str, Any]) -> list[str]:
    """Where the text-to-speech time goes, piece by piece."""
    profile = tts["profile"]
    threads = next((key for key in profile if key.endswith("threads ours")), "")
    ours_pieces = profile.get(threads, [])
    single = profile.get("1 thread ours", [])
    theirs_pieces = profile.get("onnxruntime default sentences", [])
    if not ours_pieces or not single or not theirs_pieces:
        return []
    label = threads.removesuffix(" ours")
    first = tts["modes"]["synthesize"]["first_audio"]
    total = tts["modes"]["synthesize"]["total"]
    server_first = tts.get("server_first_audio_ms") or {}
    return [
        "### Where the text-to-speech time goes",
        "",
        f"- First audio, ours {_ms(first['ours']['median'])}: the voice model needs "
        f'{_ms(ours_pieces[0]["seconds"])} for the short first piece "{ours_pieces[0]["piece"]}" '
        f"with {label} ({_ms(single[0]['seconds'])} with 1 thread), in this process; the "
        f"server logs its first audio ready {server_first.get('median', float('nan')):.0f} ms "
        "after it read the request. The rest is reading the request, cutting the text, "
        "handing the piece to a synthesis thread and back, and writing audio-start and the "
        "first chunk.",
        f"- First audio, theirs {_ms(first['theirs']['median'])}: the whole first sentence "
        f"({_ms(theirs_pieces[0]['seconds'])} of model time with onnxruntime's default "
        "threads), written to a temporary WAV file and read back before the first chunk.",
        f"- Total, ours {_ms(total['ours']['median'])} against theirs "
        f"{_ms(total['theirs']['median'])}: our pieces need {_model_ms(ours_pieces):.0f} ms of "
        f"model time with {label} ({_model_ms(single):.0f} ms with 1 thread) against "
        f"{_model_ms(theirs_pieces):.0f} ms for whole sentences with onnxruntime's default; "
        "the short first piece costs one more model run; the remainder is sending about "
        f"{tts['modes']['synthesize']['audio_seconds']['ours']:.0f} s of audio in "
        "1024-sample chunks and the hand-off of each piece to a synthesis thread.",
    ]
