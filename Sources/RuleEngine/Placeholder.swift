// RuleEngine: see the module's files.
