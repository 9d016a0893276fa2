// Handoff: see the module's files.
