"""Incremental building: what a build may skip, decided here and nowhere else.

A key is a hash (``fs.digest``) of everything one thing is made from. A build compares its keys
with those the last build saved (``state.State``, in the cache folder: ``cache.Cache``), from
the coarsest to the finest; each key holds the ones above it that its thing depends on:

environment → inputs → structure → template → route → body → output

- environment (``environment.py``): site_builder's version and code, Markdown's and Jinja's
  versions, the base URL, --drafts, --future, --expired, SOURCE_DATE_EPOCH. A state saved in another environment is
  not used: every page is read and rendered.
- inputs (``inputs.py``): every input file's signature (mtime, size, inode). All unchanged
  (none too close to its scan to be trusted: ``state.RACY_NS``) and the output folder as the last
  build left it: the site is up to date, and nothing else is read. An unchanged page file is
  not read again: the state lends the page, parsed.
- structure (``Keys.structure``): every page's place and front matter, the article each theme
  part is from (its first citation), the routes, the URLs links resolve to: all a page can show
  of other pages. A body-only edit keeps it (unless it changes the article its part is from).
- template (``Keys.template``), per template: its source and those it extends, includes or
  imports; what it reads of ``site`` (all of it, if it uses ``site`` as a whole); the config;
  the versions of the static files.
- route (``Keys.route``), per output page: its template key, its context without the Markdown
  bodies (``Renderer.frame``) and the body key of each page it shows. Its stand-in, the quick
  key (``Keys.quick``): the template and structure keys, the URL and kind, and the file digest of
  each page it shows (for a source, of each page citing it too). An article's routes (source,
  part, a theme's hub, figures and trends pages) hold, for the structure key, the part of the
  structure they show (``scope.py``): a new article makes candidates of the pages it can change,
  not of every page.
- body (``Keys.body``), per page: its file's digest, how its links resolve, the title and URL of
  each source it cites, for a source where its paragraphs are cited, allow_html and the base URL.
- output (``State.outputs``), per output file: a page's route key; a copied file's path and
  content (or its trusted signature); a generated file's content (sitemap, feed: remade only
  when the structure key, the config or the environment changed). A search shard's key is made
  of its pages' output keys.

The rules:

1. The central rule: an unchanged quick key means an unchanged route key. The quick key hashes,
   more coarsely, everything the route key is made from; so a route whose quick key is unchanged
   keeps its output, and its context is never made.
2. Every other route is a candidate: its frame is made once, gives its route key, and — only if
   that key differs from its output's — is filled with its bodies and rendered.
3. A body whose key is in the body cache is not converted again; every body converted is put in
   it (a clean build fills it).
4. Outputs and cached bodies are reused only while the output folder is the one the state
   describes (its marker file's signature): a folder moved, copied or rebuilt elsewhere makes
   every route a candidate, and no cached body is used.
5. Every key hashes all its thing is made from: a warm build's output is byte for byte a clean
   build's (``tests/test_incremental.py`` checks it after sequences of edits, and that dropping
   any one input of a key is caught).
"""
from __future__ import annotations

# Only what a build needs to know whether anything changed (the cache, the environment, the
# inputs): an up-to-date site is checked without importing the renderer, Jinja's compiler or
# Markdown's extensions. The decision itself (``plan``) and the keys are in ``decide`` and ``keys``.
from .cache import Bodies, Cache
from .environment import VERSION, code_hash, environment_key
from .inputs import scan_inputs
from .state import State

__all__ = ["Bodies", "Cache", "State", "VERSION", "code_hash", "environment_key", "scan_inputs"]
