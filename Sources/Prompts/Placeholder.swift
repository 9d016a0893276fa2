// Prompts: see the module's files.
