"""Routes to HTML: Markdown, the sanitiser, Jinja templates, charts, feeds and the template
context. Pure: given the validated site it returns text; it never writes the output folder."""
