"""What ``kbchat models list`` and the admin pages say about the models: each configured one
(the default first), where it is, whether it can answer now, and which personas use it; and
the personas that name a model nobody configured."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from chat.factory import backend_config
from chat.models.registry import ConfiguredModels
from chat.settings import Settings
from personas import Persona
from serving import BackendConfig, backend_location, bundled_model, probe_backend

DEFAULT = "default"
"""How the model KBCHAT_LLM_BACKEND configures is listed (a persona without ``model:``)."""

Probe = Callable[[BackendConfig], str | None]


@dataclass(frozen=True)
class ModelStatus:
    """One model as it stands now; ``problem`` says why it cannot answer (None: it can)."""

    name: str
    kind: str
    location: str
    adapter: str = ""
    description: str = ""
    problem: str | None = None
    personas: list[str] = field(default_factory=list)
    default: bool = False

    @property
    def reachable(self) -> bool:
        """Whether it can answer now."""
        return self.problem is None

    def to_json(self) -> dict[str, object]:
        """The shape of ``kbchat models list --json``."""
        return {**asdict(self), "reachable": self.reachable}


@dataclass(frozen=True)
class MissingModel:
    """A persona that names a model the models file does not configure."""

    persona: str
    model: str
    reason: str


@dataclass(frozen=True)
class ModelsReport:
    """Every model and every persona naming a missing one."""

    models: list[ModelStatus]
    missing: list[MissingModel]

    def to_json(self) -> dict[str, object]:
        """The shape of ``kbchat models list --json``."""
        return {
            "models": [model.to_json() for model in self.models],
            "missing": [asdict(problem) for problem in self.missing],
        }


def models_report(
    settings: Settings,
    models: ConfiguredModels,
    personas: Iterable[Persona],
    *,
    probe: Probe = probe_backend,
) -> ModelsReport:
    """Check each model now (a server is asked for its models; files are looked at)."""
    personas = list(personas)
    listed = [_default_status(settings, personas, probe)]
    for name, entry in models.entries.items():
        config = models.config(name)
        listed.append(
            ModelStatus(
                name, config.kind, backend_location(config), entry.adapter, entry.description,
                probe(config), [p.id for p in personas if p.model == name],
            )
        )  # fmt: skip
    reason = f"not in the models file {models.source}"
    missing = [
        MissingModel(p.id, p.model, reason)
        for p in personas
        if p.model is not None and p.model not in models.entries
    ]
    return ModelsReport(listed, missing)


def _default_status(settings: Settings, personas: list[Persona], probe: Probe) -> ModelStatus:
    """The default model, described without assembling or loading the bundled one."""
    users = [p.id for p in personas if p.model is None]
    if settings.llm_backend == "openai" or settings.llm_model_path is not None:
        config = backend_config(settings)
        return ModelStatus(DEFAULT, config.kind, backend_location(config), problem=probe(config),
                           personas=users, default=True)  # fmt: skip
    bundled = bundled_model(settings.llm_bundled_model)
    file = bundled.assembled(settings.models_dir)
    if file.is_file():
        problem = probe(BackendConfig("llamacpp", model_path=file))
    else:  # joined from its packages on first use
        problem = None if bundled.installed() else "the bundled model's packages are missing"
    location = f"bundled {bundled.name} ({file})"
    return ModelStatus(DEFAULT, "llamacpp", location, problem=problem, personas=users,
                       default=True)  # fmt: skip
