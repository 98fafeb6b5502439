"""Personas: the schema, the shipped YAML library, the admin-managed store, import and export
of character formats (kbchat YAML, text-generation-webui, character cards as JSON or PNG
with their pictures), and the text a
persona puts into a prompt. The app imports only these names."""

from personas.avatars import MAX_AVATAR_BYTES, MAX_AVATAR_PIXELS
from personas.errors import PersonaError, PersonaExists, PersonaFileError, PersonaNotFound
from personas.files import (
    MAX_CARD_FILE_BYTES,
    MAX_FILE_BYTES,
    PERSONA_SUFFIXES,
    parse_yaml,
    validate_persona,
)
from personas.formats import (
    ExportedFile,
    LoadedPersona,
    PersonaFormat,
    export_persona,
    load_persona,
    load_persona_file,
    persona_to_yaml,
)
from personas.manager import export_personas, import_files, load_files, load_library
from personas.render import default_user_name, example_turns, substitute, system_text
from personas.schema import MODEL_NAME_PATTERN, Persona, PersonaPrompt
from personas.store import (
    PersonaAvatar,
    PersonaRecord,
    PersonaStore,
    PersonaVersion,
    StoredPersona,
)

__all__ = [
    "MAX_AVATAR_BYTES",
    "MAX_AVATAR_PIXELS",
    "MAX_CARD_FILE_BYTES",
    "MAX_FILE_BYTES",
    "MODEL_NAME_PATTERN",
    "PERSONA_SUFFIXES",
    "ExportedFile",
    "LoadedPersona",
    "Persona",
    "PersonaAvatar",
    "PersonaError",
    "PersonaExists",
    "PersonaFileError",
    "PersonaFormat",
    "PersonaNotFound",
    "PersonaPrompt",
    "PersonaRecord",
    "PersonaStore",
    "PersonaVersion",
    "StoredPersona",
    "default_user_name",
    "example_turns",
    "export_persona",
    "export_personas",
    "import_files",
    "load_files",
    "load_library",
    "load_persona",
    "load_persona_file",
    "parse_yaml",
    "persona_to_yaml",
    "substitute",
    "system_text",
    "validate_persona",
]
