"""Reading each kind of document the knowledge base takes (PDF, Word, Excel, CSV, HTML, text,
Markdown) into citable sections, in a child process held to limits. Internal to ``knowledge``:
``KnowledgeBase.ingest`` uses ``parse_document``; the viewer reads the stored sections."""
