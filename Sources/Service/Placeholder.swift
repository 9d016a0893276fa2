// Service: see the module's files.
