"""法制工作: normative documents, statutory reviews, cleanups, legislation, reconsideration and
litigation, legal counsel, and the rule-of-law leadership (docs/legal.md)."""
