// ModelClient: see the module's files.
