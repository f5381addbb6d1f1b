"""Start odoo-bin (first argument) with the remaining arguments.

It works around a thread-safety bug of CPython 3.10-3.12's AST constructor
(python/cpython#106905: "SystemError: AST constructor recursion depth mismatch"):
Odoo's threaded HTTP server computes the map of static folders (`odoo.http.root.statics`,
which parses every addon's manifest with `ast.literal_eval`) lazily, on the first
requests, which a browser sends in parallel; two threads building ASTs at once then fail
with a 500 now and then. Computing the map once, before the HTTP thread starts, removes
that concurrency. Nothing else of Odoo is changed: the tests run under Odoo's own runner,
as `odoo-bin` runs them.
"""

import os
import runpy
import sys
import time


def main():
    odoo_bin = sys.argv[1]
    sys.argv = [odoo_bin, *sys.argv[2:]]
    os.environ["TZ"] = "UTC"  # what odoo-bin does before anything imports `time`
    time.tzset()
    sys.path.insert(0, os.path.dirname(os.path.abspath(odoo_bin)))

    from odoo.service import server  # noqa: PLC0415

    original_http_spawn = server.ThreadedServer.http_spawn

    def http_spawn(self):
        from odoo import http  # noqa: PLC0415

        http.root.statics  # noqa: B018 -- computed here, once, single-threaded
        return original_http_spawn(self)

    server.ThreadedServer.http_spawn = http_spawn
    runpy.run_path(odoo_bin, run_name="__main__")


if __name__ == "__main__":
    main()
