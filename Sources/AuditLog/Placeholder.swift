// AuditLog: see the module's files.
