"""Clinician pages: server-rendered HTML (Jinja2), Chinese UI, no front-end build step.

``yizhu.web.pages.router`` is included by ``yizhu.api.app.create_app``; the pages read the same
store as the API and authenticate with the same API keys (kept in the ``yizhu_key`` cookie).
"""
