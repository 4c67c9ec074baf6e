"""``finsamplan serve``: the plans of a folder as a local web app (like Fava for Beancount).

app (routes), security (token, session, CSRF, paths), state (plans read and checked once
per version), pages (what each page computes), editor (check and save), watch (changes on
disk), html (templates). Imported only by ``serve``: the other commands never load an ASGI
stack.
"""
