"""What a site is: its config, pages, routes, URLs, links and facts, read from disk and validated
as a whole before anything is written. Imports only the base modules (errors, paths, fs)."""
