// Store: see the module's files.
