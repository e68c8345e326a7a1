"""Names vulture cannot see used (``tests/test_layout.py::test_no_dead_code``): each is called by a
library or read by a template, not by our Python. Not a test module; never imported."""
# ruff: noqa
# HTMLParser's and expat's callbacks (commands/check.py)
_.handle_starttag, _.handle_endtag, _.handle_data
# ... and the rest of HTMLParser's callbacks (render/codeblocks.py: the stash guard)
_.handle_startendtag, _.handle_entityref, _.handle_charref, _.handle_comment, _.handle_decl, _.handle_pi
_.unknown_decl
_.StartElementHandler, _.EndElementHandler, _.CharacterDataHandler
# tornado's request hooks and livereload's settings (commands/handlers.py, commands/serve.py)
_.prepare, _.compute_etag, _.watcher, _.live_css
# what livereload's reload_waiters logs of its watcher (commands/handlers.py: _NoWatcher)
_.filepath
# Python-Markdown's extension API and the name-mangled method the fast inline pass overrides
_.extendMarkdown, _._InlineProcessor__handleInline, _.TreeProcessorClass
# pymdownx's extension points (render/highlight.py: superfences and inlinehilite ask for the highlighter;
# render/markdown.py: footnotes' id prefix, read by its own processors)
_.get_pymdownx_highlighter, _.unique_prefix
# pickle's hook for an object's reduction (processes.py: the object a kept worker has already)
_.reducer_override
# ElementTree: text after an element
_.tail
# Jinja's hook for the message of an undefined name (render/templates.py)
_._undefined_message
# PyYAML's hook (ingest/pages.py: the dumper writes no &anchors)
_.ignore_aliases
# Article fields filled by name from furniture (Article.take's setattr)
byline, source_note
# what templates read of a page (render/view.py, templates/*.html)
breadcrumbs, _.breadcrumbs
sidebar, _.sidebar, nav_trail, _.nav_trail
# read by repr() for the route key (render/view.py, Sidebar: it stands for the sidebar's links and html)
window
_.figure_count, _.figures_href, figure_count, figures_href, _.trend_count, _.trends_href, trend_count, trends_href, _.pager, pager
_.figure_count, _.figures_href, figure_count, figures_href
