// Redaction: see the module's files.
