"""Core registry: divisions, organisations, staff, regulated entities, attachments, audit, workdays."""
