"""Documents: context builders, the Jinja renderer, the Word and Excel writers."""
