// HTTPServer: see the module's files.
