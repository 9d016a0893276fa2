// RuleLanguage: see the module's files.
