"""Start odoo-bin (first argument) with the remaining arguments.

It works around a thread-safety bug of CPython 3.10-3.12's AST constructor
(python/cpython#106905: "SystemError: AST constructor recursion depth mismatch"):
Odoo's threaded HTTP server computes the map of static folders (`odoo.http.root.statics`,
which parses every addon's manifest with `ast.literal_eval`) lazily, on the first
requests, which a browser sends in parallel; two threads building ASTs at once then fail
with a 500 now and then. Computing the map once, before the HTTP thread starts, removes
that concurrency.

With AMIGO_TESTS_AFTER_LOAD=1 (set by `setup/test`, which runs the tests of databases
where the addons are already installed), the `at_install` tests run once the registry
is complete, just before the `post_install` ones, instead of while the modules load.
Odoo runs them in the middle of loading an installed database, on a registry that only
knows the modules loaded so far: any insert then misses the required columns of modules
loaded later (an addon without `account` in its dependencies creating a partner in a
database where `account` is installed fails on `autopost_bills`). On a fresh install
the order is right by construction, so nothing changes there.

Before browser tests, Odoo pregenerates every asset bundle any view calls (unit-test
suites, mobile, spreadsheet, editor: some 30 bundles, 35 to 90 seconds per database).
Under AMIGO_TESTS_AFTER_LOAD it pregenerates only the bundles a tour of a backend or a
portal page loads; anything else a test asks for is still built on demand.
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
    if os.environ.get("AMIGO_TESTS_AFTER_LOAD") == "1":
        run_at_install_tests_after_load()
    runpy.run_path(odoo_bin, run_name="__main__")


# the bundles a tour loads: the web client (and its tests bundle), the portal pages
TOUR_BUNDLES = frozenset(
    {
        "web.assets_web",
        "web.assets_tests",
        "web.assets_frontend",
        "web.assets_frontend_minimal",
        "web.assets_frontend_lazy",
    }
)


def pregenerate_only_tour_bundles():
    from odoo.addons.base.models.ir_qweb import IrQWeb  # noqa: PLC0415

    original = IrQWeb._get_bundles_to_pregenarate
    if getattr(original, "amigo_patched", False):
        return

    def _get_bundles_to_pregenarate(self):
        js_bundles, css_bundles = original(self)
        return js_bundles & TOUR_BUNDLES, css_bundles & TOUR_BUNDLES

    _get_bundles_to_pregenarate.amigo_patched = True
    IrQWeb._get_bundles_to_pregenarate = _get_bundles_to_pregenarate


def run_at_install_tests_after_load():
    from odoo.tests import loader  # noqa: PLC0415

    original_make_suite = loader.make_suite

    def make_suite(module_names, position="at_install"):
        if position == "at_install":  # asked for while a module loads: not yet
            return loader.OdooSuite([])
        pregenerate_only_tour_bundles()  # the registry is loaded: base is imported
        tests = [*original_make_suite(module_names, "at_install")]
        seen = {test.id() for test in tests}
        tests += [t for t in original_make_suite(module_names, position) if t.id() not in seen]
        return loader.OdooSuite(tests)

    loader.make_suite = make_suite


if __name__ == "__main__":
    main()
