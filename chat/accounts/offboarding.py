"""Removing a user, with what becomes of what they leave behind decided once, visibly:

- their **private uploads** (their own collection) are deleted: no one else was reading them;
- their **chat threads** are deleted, with Chainlit's record of the user;
- their **shared QA** stays in the dataset, as consent was given and the consent records
  keep who gave it, but it now belongs to ``<name> (removed <UTC time>)``: a new account
  under the same name starts empty and can neither see nor withdraw the old shares.

Each step can be repeated; the account itself goes last, so a step that fails leaves the
user in place for the admin to try again. The CLI and the admin page both use this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from chat.access import private_collection
from chat.accounts.users import Accounts
from chat.factory import Sharing
from chat.web.history import delete_history
from knowledge import KnowledgeBase


@dataclass(frozen=True)
class Removal:
    """What removing a user did."""

    username: str
    documents: int
    threads: int
    shares_kept_as: str
    shares: int

    def summary(self) -> str:
        """One line for the CLI and the admin page."""
        return (
            f"removed {self.username}: {self.documents} private document(s) and "
            f"{self.threads} chat thread(s) deleted; {self.shares} shared QA kept as "
            f"{self.shares_kept_as!r}"
        )


def remove_user(
    username: str, *, accounts: Accounts, kb: KnowledgeBase, sharing: Sharing, actor: str
) -> Removal:
    """Remove the user and deal with their documents, threads and shared QA as above."""
    accounts.check_removable(username)
    retired_as = f"{username} (removed {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC)"
    shares = sharing.service.retire_sharer(username, retired_as, actor=actor)
    threads = delete_history(accounts.engine, username)
    mine = private_collection(username)
    documents = kb.documents(collection=mine)
    for document in documents:
        kb.remove(document.doc_id)
    accounts.remove(username)
    return Removal(username, len(documents), threads, retired_as, shares)
