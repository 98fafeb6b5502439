"""Sharing: consent-tracked shared QA, curation, QA-sheet import and fine-tuning exports."""
