"""The admin pages: personas, the shared-QA queue, users, API keys, documents and fine-tuning runs
(admin role only).

Server-rendered HTML (Jinja2, autoescaped) on the app's own login; every change goes
through the same services as the CLI, so the same validation messages and audit apply.
"""

from chat.web.admin import documents, finetune, keys, personas, shared, users
from chat.web.admin.pages import SOURCE_LABELS, STATUS_LABELS, local_time, router
from chat.web.curation import PERSONA_IMPORT_FILES

__all__ = [
    "PERSONA_IMPORT_FILES",
    "SOURCE_LABELS",
    "STATUS_LABELS",
    "documents",
    "finetune",
    "keys",
    "local_time",
    "personas",
    "router",
    "shared",
    "users",
]
